package dockgate.admin;

import java.util.concurrent.atomic.LongAdder;

/** Request durations in Prometheus histogram buckets, recorded without locks. */
final class LatencyHistogram {

    /** Upper bounds in seconds, as they appear in the {@code le} label: a fast /_ping to a slow image list. */
    static final String[] BOUNDS = {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
            "0.25", "0.5", "1", "2.5", "5", "10"};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUNDS_NANOS[i] = Math.round(Double.parseDouble(BOUNDS[i]) * 1e9);
        }
    }

    /** Not cumulative: the last is above every bound (+Inf). */
    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(nanos);
    }

    /** Cumulative counts per bound, then +Inf (which is the total count). */
    long[] cumulative() {
        long[] out = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            out[i] = running;
        }
        return out;
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
