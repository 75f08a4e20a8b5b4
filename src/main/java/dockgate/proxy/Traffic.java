package dockgate.proxy;

import java.util.concurrent.atomic.LongAdder;

/** Body bytes relayed between clients and the daemon, counted as they pass (for the metrics). */
public final class Traffic {

    final LongAdder fromClient = new LongAdder();
    final LongAdder toClient = new LongAdder();

    /** Request body bytes read from clients and sent on to the daemon. */
    public long fromClient() {
        return fromClient.sum();
    }

    /** Response body bytes from the daemon written to clients. */
    public long toClient() {
        return toClient.sum();
    }
}
