package dockgate;

import dockgate.policy.CompatException;
import dockgate.policy.Rulebook;
import dockgate.policy.RulesException;
import dockgate.compat.TecnativaCompat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The {@code dockgate} command: check the command line and the rules, then serve until stopped; or one of
 * the rules commands, {@code check} and {@code explain}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Returns the exit code; only returns once serving has ended, or at once for errors and --help. */
    static int run(String[] args) {
        if (args.length > 0 && args[0].equals("check")) {
            return CheckCommand.run(Arrays.asList(args).subList(1, args.length), System.out, System.err);
        }
        if (args.length > 0 && args[0].equals("explain")) {
            return ExplainCommand.run(Arrays.asList(args).subList(1, args.length), System.getenv(), System.out, System.err);
        }
        Map<String, String> env = System.getenv();
        CommandLine line;
        try {
            line = CommandLine.parse(args, env);
        } catch (UsageException e) {
            System.err.println("dockgate: " + e.getMessage());
            return 2;
        }
        switch (line.action()) {
            case HELP -> {
                System.out.print(CommandLine.USAGE);
                return 0;
            }
            case VERSION -> {
                System.out.println("dockgate " + version());
                return 0;
            }
            default -> {
            }
        }

        Rulebook rules;
        TecnativaCompat compat = null;
        try {
            if (line.compat() != null) {
                compat = TecnativaCompat.fromEnvironment(env);
                rules = Rulebook.of(compat.policy());
            } else {
                rules = line.rules() == null ? Rulebook.builtIn() : Rulebook.load(line.rules());
            }
        } catch (CompatException e) {
            System.err.println("dockgate: " + e.getMessage());
            return 2;
        } catch (RulesException e) {
            System.err.println("dockgate: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("dockgate: cannot read rules file " + line.rules() + ": " + e);
            return 2;
        }

        if (line.action() == CommandLine.Action.PRINT_RULES) {
            System.out.print(compat != null ? compat.rulesText() : RulesListing.of(rules));
            return 0;
        }

        Logger log = LoggerFactory.getLogger(Main.class);
        if (compat != null) {
            log.info("compat tecnativa: {}", compat.summary());
        }
        for (ListenSpec listener : line.listeners()) {
            try {
                if (listener.profile() != null) {
                    rules.profile(listener.profile());
                }
            } catch (IllegalArgumentException e) {
                System.err.println("dockgate: --listen " + listener + ": " + e.getMessage());
                return 2;
            }
        }
        Config config = line.config(rules);
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (IOException | RuntimeException e) {
            System.err.println("dockgate: cannot serve " + e.getMessage());
            return 1;
        }
        gateway.probeDaemon();
        PrintStream stderr = BufferedStderr.install();
        int profiles = rules.profiles().size();
        boolean tcp = config.listeners().stream().anyMatch(listener -> !listener.isUnix());
        log.info("dockgate {} listening on {}, daemon socket {}, rules {} ({} rules{}){}{}", version(),
                String.join(" and ", gateway.addresses()), line.socket(),
                rules.source(), rules.size(), profiles == 1 ? "" : " in " + profiles + " profiles",
                tcp ? ", clients from " + config.allowFrom() : "",
                config.admin() == null ? "" : ", admin (/health, /metrics, status page) on http://"
                        + new ListenAddress(config.admin().host(), gateway.adminPort()));
        if (config.auditRules() != null) {
            warnAuditMode(log, config.auditRules());
        }
        // kill -HUP reloads the rules, as for most daemons; the handler runs on the JDK's signal thread.
        try {
            Signal.handle(new Signal("HUP"), signal -> gateway.rules().reload("SIGHUP"));
        } catch (IllegalArgumentException e) {
            // The JVM keeps SIGHUP for itself (-Xrs, or a platform without it): edits still reload.
            log.warn("SIGHUP cannot be used to reload the rules here: {}", e.getMessage());
        }
        if (line.watchRules() && rules.file() != null) {
            try {
                gateway.watchRulesFile();
            } catch (IOException e) {
                log.warn("cannot watch {} for changes (SIGHUP still reloads it): {}", rules.file(), e.toString());
            }
        }
        if (tcp && config.allowFrom().toString().equals("anyone") && config.tls() == null) {
            log.warn("listening on {} without TLS and open to any client address: anyone who can reach it can "
                    + "use every call the rules allow (see --allow-from, --tls-cert)",
                    String.join(" and ", gateway.addresses().stream().filter(a -> !a.startsWith("unix:")).toList()));
        }
        for (ListenSpec listener : config.listeners()) {
            if (listener.isUnix()) {
                log.info("{} is mode {} and group {}", listener, String.format("%04o", listener.mode()),
                        listener.group() == null ? "dockgate's own" : listener.group());
            }
            if (listener.profile() != null) {
                log.info("{} serves rules profile '{}' to every client", listener, listener.profile());
            }
        }
        if (config.admin() != null && Config.defaultAllowFrom(config.admin().host()).toString().equals("anyone")) {
            log.warn("the admin listener on {} is open to anyone who can reach that address, and its status page "
                    + "shows client addresses and refused requests: prefer loopback or a private network", config.admin());
        }

        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            log.info("dockgate stopped");
            stderr.flush();
            main.interrupt();
        }, "dockgate-shutdown"));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Loud on purpose: audit mode left on by mistake is a gateway that lets everything through. */
    private static void warnAuditMode(Logger log, Path learned) {
        String banner = "*".repeat(100);
        log.warn(banner);
        log.warn("AUDIT MODE: every call is forwarded, the rules are NOT enforced");
        log.warn("AUDIT MODE: calls the rules would deny are logged as \"would deny\" and reach the daemon all the same");
        log.warn("AUDIT MODE: still refused: non-canonical paths, ambiguous framing, connection upgrades, the limits");
        log.warn("AUDIT MODE: the rules that allow the traffic seen are written to {} (rewritten as new calls are seen, "
                + "and at exit)", learned.toAbsolutePath());
        log.warn(banner);
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/dockgate/version.txt")) {
            return in == null ? "dev" : new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "dev";
        }
    }
}
