package dockgate;

import org.slf4j.Logger;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The running gateway's life: SIGHUP and (if asked) edits of the rules file reload the rules; SIGTERM or
 * SIGINT close it, and the main thread returns once it is closed.
 */
final class ServeUntilStopped {

    private ServeUntilStopped() {
    }

    /**
     * @param rulesFile the rules file to watch for edits, or null to watch none
     * @param stderr    flushed last, so that the final log lines are not lost
     */
    static void run(Gateway gateway, Path rulesFile, Logger log, PrintStream stderr) {
        // kill -HUP reloads the rules, as for most daemons; the handler runs on the JDK's signal thread.
        try {
            Signal.handle(new Signal("HUP"), signal -> gateway.rules().reload("SIGHUP"));
        } catch (IllegalArgumentException e) {
            // The JVM keeps SIGHUP for itself (-Xrs, or a platform without it): edits still reload.
            log.warn("SIGHUP cannot be used to reload the rules here: {}", e.getMessage());
        }
        if (rulesFile != null) {
            try {
                gateway.watchRulesFile();
            } catch (IOException e) {
                log.warn("cannot watch {} for changes (SIGHUP still reloads it): {}", rulesFile, e.toString());
            }
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
    }
}
