package dockgate.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for a condition another thread makes true: polls it, and fails the test once the timeout passes. */
public final class Await {

    private Await() {
    }

    /** Returns once {@code condition} holds; fails with "timed out waiting until {@code what}" after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }
}
