package dockgate.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** The last refused requests, for the status page: a fixed ring, newest overwriting oldest. */
final class DeniedRequests {

    /** A hostile client can send very long paths; the page only needs enough to recognise one. */
    static final int MAX_TARGET = 300;

    record Denied(Instant time, String client, String method, String target, int status, String reason) {
    }

    private final AtomicReferenceArray<Denied> ring;
    private final AtomicLong next = new AtomicLong();

    DeniedRequests(int size) {
        ring = new AtomicReferenceArray<>(size);
    }

    void add(Denied denied) {
        String target = denied.target();
        if (target.length() > MAX_TARGET) {
            denied = new Denied(denied.time(), denied.client(), denied.method(),
                    target.substring(0, MAX_TARGET) + "...", denied.status(), denied.reason());
        }
        ring.set((int) (next.getAndIncrement() % ring.length()), denied);
    }

    /** Newest first. */
    List<Denied> recent() {
        long end = next.get();
        List<Denied> out = new ArrayList<>(ring.length());
        for (long i = end - 1; i >= 0 && i >= end - ring.length(); i--) {
            Denied denied = ring.get((int) (i % ring.length()));
            if (denied != null) {
                out.add(denied);
            }
        }
        return out;
    }
}
