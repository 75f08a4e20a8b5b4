package dockgate.admin;

import dockgate.http.PingAnswer;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Whether the daemon answers, asked at most once per {@code maxAge}: a health checker polling in a tight loop
 * (or several at once) shares one probe instead of opening a daemon connection each.
 */
final class DaemonHealth {

    record Status(PingAnswer answer, Instant checkedAt) {
    }

    private final Supplier<CompletableFuture<PingAnswer>> probe;
    private final long maxAgeNanos;
    private CompletableFuture<Status> latest;
    private long latestStarted;

    DaemonHealth(Supplier<CompletableFuture<PingAnswer>> probe, Duration maxAge) {
        this.probe = probe;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** The last answer if it is recent, else a new probe's (shared with anyone asking meanwhile). */
    synchronized CompletableFuture<Status> current() {
        long now = System.nanoTime();
        if (latest == null || (latest.isDone() && now - latestStarted > maxAgeNanos)) {
            latestStarted = now;
            latest = probe.get().thenApply(answer -> new Status(answer, Instant.now()));
        }
        return latest;
    }
}
