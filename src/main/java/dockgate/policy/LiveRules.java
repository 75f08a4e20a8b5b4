package dockgate.policy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * The rules a running gateway decides by, and their reload. A reload parses the whole file first and
 * swaps it in with one write only when it is valid; a broken file leaves the rules in force
 * alone. Each request reads {@link #current()} once as it starts, so calls in flight keep the rules
 * they started under.
 */
public final class LiveRules {

    private static final Logger log = LoggerFactory.getLogger(LiveRules.class);

    private final Path file;
    private final Set<String> requiredProfiles;
    /** The rules and their status change in one write, so no reader sees new rules with an old error. */
    private volatile RulesInForce inForce;
    /** The text of the last file read, good or bad, so a watcher's burst of events reloads a change once. */
    private String lastText;

    public LiveRules(Rulebook initial) {
        this(initial, Set.of());
    }

    /**
     * Rules that must always have the named profiles, because listeners are bound to them: a reload
     * without one of them is refused like a broken file.
     *
     * @throws IllegalArgumentException when the initial rules already lack one
     */
    public LiveRules(Rulebook initial, Set<String> requiredProfiles) {
        this.requiredProfiles = Set.copyOf(requiredProfiles);
        String missing = missingProfile(initial);
        if (missing != null) {
            throw new IllegalArgumentException(missing);
        }
        this.file = initial.file();
        this.inForce = RulesInForce.loaded(initial, Instant.now());
        this.lastText = initial.text();
    }

    /** The rules in force now. */
    public Rulebook current() {
        return inForce.rules();
    }

    /** What is in force and how the last reload went, read together. */
    public RulesInForce inForce() {
        return inForce;
    }

    /** The file a reload reads, or null for rules that come from no file (the built-in ones). */
    public Path file() {
        return file;
    }

    /**
     * Reads the rules file again and puts it in force if it is valid.
     *
     * @param trigger what asked for it, for the log ("SIGHUP")
     * @return whether new rules are now in force
     */
    public synchronized boolean reload(String trigger) {
        if (file == null) {
            log.info("{}: the rules are {} (no --rules file): nothing to reload", trigger, current().source());
            return false;
        }
        return read(trigger, false);
    }

    /** As {@link #reload}, but only when the file's text differs from the last one read: for a file watcher. */
    public synchronized boolean reloadIfChanged(String trigger) {
        return file != null && read(trigger, true);
    }

    private boolean read(String trigger, boolean onlyIfChanged) {
        Instant now = Instant.now();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String error = file + ": cannot read rules file: " + e;
            if (onlyIfChanged && lastText == null && error.equals(inForce.lastError())) {
                return false;
            }
            lastText = null;
            return failed(trigger, error, now);
        }
        if (onlyIfChanged && text.equals(lastText)) {
            return false;
        }
        lastText = text;
        Rulebook rules;
        try {
            rules = Rulebook.parse(file, text);
        } catch (RulesException e) {
            StringBuilder error = new StringBuilder(e.getMessage());
            for (Throwable more : e.getSuppressed()) {
                error.append('\n').append(more.getMessage());
            }
            return failed(trigger, error.toString(), now);
        }
        String missing = missingProfile(rules);
        if (missing != null) {
            return failed(trigger, missing, now);
        }
        inForce = RulesInForce.loaded(rules, now);
        log.info("rules reloaded ({}) from {}: {}", trigger, rules.source(), rules.counts());
        return true;
    }

    private String missingProfile(Rulebook rules) {
        for (String name : requiredProfiles) {
            if (rules.findProfile(name).isEmpty()) {
                return rules.source() + ": no profile named '" + name + "', and a listener is bound to it";
            }
        }
        return null;
    }

    private boolean failed(String trigger, String error, Instant now) {
        RulesInForce before = inForce;
        inForce = before.failed(error, now);
        log.error("rules not reloaded ({}), still using those loaded at {}: {}", trigger, before.loadedAt(), error);
        return false;
    }
}
