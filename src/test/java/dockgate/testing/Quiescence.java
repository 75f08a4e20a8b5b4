package dockgate.testing;

import java.time.Duration;
import java.util.function.LongSupplier;

import static org.awaitility.Awaitility.await;

/**
 * Waits until a count another thread moves (bytes written, bytes relayed) has stopped moving for a while:
 * the moment a writer is blocked by a reader that reads nothing, or a relay has passed on all it had.
 */
public final class Quiescence {

    private Quiescence() {
    }

    /** Returns the count once it has stayed the same for {@code still}; fails naming {@code what} after {@code atMost}. */
    public static long awaitStill(String what, LongSupplier count, Duration still, Duration atMost) {
        long[] last = {-1};
        long[] since = {System.nanoTime()};
        await(what).atMost(atMost).pollInterval(Duration.ofMillis(5)).until(() -> {
            long now = count.getAsLong();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - since[0] > still.toNanos();
        });
        return last[0];
    }
}
