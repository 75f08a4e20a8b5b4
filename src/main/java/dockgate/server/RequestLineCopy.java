package dockgate.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A copy of the request line of the request head a connection is reading, kept as its bytes arrive: what
 * {@link ParseFailureAnswer} names in the log when Undertow refuses the head, and what tells whether
 * Undertow read the target as sent. Runs on the connection's IO thread.
 */
final class RequestLineCopy {

    /** Enough of a request line to name its target in the log and to tell what is wrong with it. */
    private static final int KEPT = 8 * 1024;

    private byte[] line = new byte[128];
    private int length;
    private boolean ended;
    private boolean cut;
    /** Whether any byte of the current request head was seen, and when the first one was. */
    private boolean seen;
    private long started;

    void keep(ByteBuffer bytes, int from, int to) {
        if (!seen && from < to) {
            seen = true;
            started = System.nanoTime();
        }
        for (int i = from; i < to && !ended; i++) {
            byte b = bytes.get(i);
            if (b == '\n') {
                ended = true;
            } else if (length == KEPT) {
                cut = true;
                ended = true;
            } else {
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(KEPT, line.length * 4));
                }
                line[length++] = b;
            }
        }
    }

    /**
     * Whether Undertow read the current request's target as its bytes say: the path and query it hands over,
     * joined by '?', are the target exactly. Undertow drops a '?' that starts the query ({@code /x??a=1}
     * gives the query {@code a=1}, where Go reads the name {@code ?a}); any such reading of ours that Go
     * would not share is found here. True when the line is not known whole (over {@value #KEPT}
     * bytes, refused by the target limit anyway).
     */
    boolean targetReadAs(String path, String query) {
        if (line == null || !ended || cut) {
            return true;
        }
        int start = 0;
        while (start < length && line[start] != ' ') {
            start++;
        }
        int end = ++start;
        while (end < length && line[end] != ' ') {
            end++;
        }
        int at = start;
        for (int i = 0; i < path.length(); i++, at++) {
            if (at >= end || (line[at] & 0xff) != path.charAt(i)) {
                return false;
            }
        }
        if (at == end) {
            return query.isEmpty();
        }
        if (line[at++] != '?') {
            return false;
        }
        // "/x?" has an empty query for Go as for Undertow.
        if (end - at != query.length()) {
            return false;
        }
        for (int i = 0; i < query.length(); i++, at++) {
            if ((line[at] & 0xff) != query.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The next request head begins. */
    void reset() {
        length = 0;
        ended = false;
        cut = false;
        seen = false;
    }

    /** No more request heads come on this connection (refused, or a raw stream now). */
    void release() {
        line = null;
    }

    /** Whether the line is known up to its end (or cut at {@value #KEPT} bytes). */
    boolean ended() {
        return ended;
    }

    /** Whether the line was longer than {@value #KEPT} bytes, and only their start is kept. */
    boolean cut() {
        return cut;
    }

    /** Whether any byte of the current head was seen, and when the first one was ({@code System.nanoTime()}). */
    boolean seen() {
        return seen;
    }

    long started() {
        return started;
    }

    /** The line as read, without its CR; null when no byte of the head was seen. */
    String text() {
        if (!seen) {
            return null;
        }
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        return new String(line, 0, end, StandardCharsets.ISO_8859_1);
    }
}
