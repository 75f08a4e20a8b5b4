package dockgate.admin;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters by HTTP status for one rule and outcome. A handful of statuses ever occur, so they sit in a small
 * array that is scanned without a lock and copied, under one, only when a new status first appears.
 */
final class StatusCounts {

    record Count(int status, LongAdder count) {
    }

    private volatile Count[] counts = new Count[0];

    void increment(int status) {
        for (Count count : counts) {
            if (count.status() == status) {
                count.count().increment();
                return;
            }
        }
        add(status);
    }

    private synchronized void add(int status) {
        Count[] current = counts;
        for (Count count : current) {
            if (count.status() == status) {
                count.count().increment();
                return;
            }
        }
        Count[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = new Count(status, new LongAdder());
        grown[current.length].count().increment();
        Arrays.sort(grown, Comparator.comparingInt(Count::status));
        counts = grown;
    }

    /** The statuses seen so far, in ascending order. */
    List<Count> snapshot() {
        return List.of(counts);
    }

    long total() {
        long total = 0;
        for (Count count : counts) {
            total += count.count().sum();
        }
        return total;
    }
}
