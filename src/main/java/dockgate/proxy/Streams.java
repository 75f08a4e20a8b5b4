package dockgate.proxy;

import io.undertow.util.AttachmentKey;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The responses streaming right now (chunked, of unknown length: events, logs that follow): counted so a
 * limit can refuse one more, and known so a shutdown can end each of them cleanly.
 */
final class Streams {

    /** Marks an exchange whose response was a stream, for the metrics. */
    static final AttachmentKey<Boolean> STREAMED = AttachmentKey.create(Boolean.class);

    private final int limit;
    private final Set<ResponseWriter> open = ConcurrentHashMap.newKeySet();

    Streams(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** False when the limit is reached. */
    synchronized boolean tryOpen(ResponseWriter response) {
        if (open.size() >= limit) {
            return false;
        }
        open.add(response);
        return true;
    }

    int open() {
        return open.size();
    }

    void close(ResponseWriter response) {
        open.remove(response);
    }

    /** Ends every open stream with its proper terminator, as if the daemon had ended it. */
    void endAll() {
        for (ResponseWriter response : open) {
            response.endStream();
        }
    }
}
