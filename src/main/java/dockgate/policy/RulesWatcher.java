package dockgate.policy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reloads the rules when their file changes. It watches the file's directory rather than the file:
 * editors write a new file and rename it over the old one, and Kubernetes updates a ConfigMap by
 * re-pointing a symlink whose name is not the file's. So any event there may be a change; after a
 * burst of events has gone quiet the file is read, and only a text that differs is reloaded.
 * A symlinked file's target directory is watched too, for edits made to the target itself.
 */
public final class RulesWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RulesWatcher.class);

    /** Events closer together than this are one change: an editor's save or a ConfigMap swap is a burst. */
    private static final long QUIET_MILLIS = 200;
    /** The longest a burst of changes may put off a reload. */
    private static final long MAX_SETTLE_MILLIS = 2000;

    private final LiveRules rules;
    private final Path file;
    private final WatchService service;
    private final Set<Path> watched = new HashSet<>();
    private final Thread thread;

    private RulesWatcher(LiveRules rules, WatchService service) {
        this.rules = rules;
        this.file = rules.file().toAbsolutePath();
        this.service = service;
        this.thread = new Thread(this::run, "dockgate-rules-watch");
        thread.setDaemon(true);
    }

    /**
     * Starts watching the rules' file.
     *
     * @throws IllegalArgumentException for rules that come from no file
     * @throws IOException              when the directory cannot be watched
     */
    public static RulesWatcher start(LiveRules rules) throws IOException {
        if (rules.file() == null) {
            throw new IllegalArgumentException("the rules come from no file: nothing to watch");
        }
        WatchService service = rules.file().toAbsolutePath().getFileSystem().newWatchService();
        RulesWatcher watcher = new RulesWatcher(rules, service);
        try {
            watcher.watch(watcher.file.getParent());
            watcher.watchTarget();
        } catch (IOException e) {
            service.close();
            throw e;
        }
        watcher.thread.start();
        return watcher;
    }

    private void watch(Path directory) throws IOException {
        if (watched.add(directory)) {
            directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
        }
    }

    /** The directory a symlinked file really lives in; it can change with each ConfigMap update. */
    private void watchTarget() {
        try {
            watch(file.toRealPath().getParent());
        } catch (IOException e) {
            // Missing for now (mid-rename) or unreadable: the file's own directory is still watched.
            log.debug("cannot watch the directory of {}'s target: {}", file, e.toString());
        }
    }

    private void run() {
        try {
            while (true) {
                settle(service.take());
                // Wait for a quiet moment, but not for ever: another file in a busy directory could keep
                // it from ever coming.
                long latest = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_SETTLE_MILLIS);
                WatchKey more;
                while (System.nanoTime() < latest && (more = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    settle(more);
                }
                rules.reloadIfChanged("change of " + file);
                watchTarget();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // close(): done.
        } catch (RuntimeException e) {
            log.error("stopped watching {} for changes (SIGHUP still reloads it): {}", file, e.toString());
        }
    }

    /** Drops the key's events (any event is a reason to look) and re-arms it; a deleted directory is dropped. */
    private void settle(WatchKey key) {
        key.pollEvents();
        if (!key.reset()) {
            Path directory = (Path) key.watchable();
            watched.remove(directory);
            if (directory.equals(file.getParent())) {
                log.warn("the directory of {} is gone: no longer watching it for changes (SIGHUP still reloads it)", file);
            }
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            log.debug("closing the rules watcher: {}", e.toString());
        }
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
