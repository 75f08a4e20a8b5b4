package dockgate.server;

import dockgate.http.ContinueThenRead;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSourceChannel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a request body to its end before anything of the call goes to the daemon, on the exchange's IO
 * thread: a body whose framing breaks, that ends early, or that is too large is answered here and the call
 * never runs. Used where the daemon acts on the whole body at once (JSON), or on the head alone (a route
 * that takes no body, whose body is read only to be dropped).
 */
final class RequestBodyReader implements ChannelListener<StreamSourceChannel> {

    /** What became of the body. IO thread. */
    interface Outcome {
        /** The whole body; empty when it was only counted. */
        void read(byte[] body);

        /** The body could not be read: the answer to give, and the reason for the log. */
        void failed(int status, String message);
    }

    private static final int CHUNK = 16 * 1024;

    private final HttpServerExchange exchange;
    private final long limit;
    private final Outcome outcome;
    /** A kept body of known length, read straight into its place; null when the length is not known. */
    private final byte[] whole;
    /** A kept body of unknown length, as it comes; null when there is {@link #whole} or nothing is kept. */
    private final ByteArrayOutputStream kept;
    private final ByteBuffer buffer;
    private long total;

    private RequestBodyReader(HttpServerExchange exchange, long limit, boolean keep, Outcome outcome) {
        this.exchange = exchange;
        this.limit = limit;
        this.outcome = outcome;
        // A kept body of known length (read() has held it to the limit) goes into one array, the one handed
        // on: no buffer to copy it out of, and no second copy of the whole. The buffer then only has to see
        // the end of the body. Otherwise a body of known length needs no more room than its length: the
        // rest of a chunk-sized buffer per call would be garbage for the collector.
        long length = exchange.getRequestContentLength();
        this.whole = keep && length >= 0 ? new byte[(int) length] : null;
        this.kept = keep && whole == null ? new ByteArrayOutputStream() : null;
        this.buffer = ByteBuffer.allocate(whole != null ? 16 : length >= 0 && length < CHUNK ? (int) Math.max(length, 1) : CHUNK);
    }

    /**
     * Reads the body and hands it to {@code outcome}. The exchange must already be dispatched, so that it
     * stays open while the body arrives.
     *
     * @param limit bytes the body may have; beyond them it is refused with 413
     * @param keep  whether the bytes are wanted, or only that the body is whole
     */
    static void read(HttpServerExchange exchange, long limit, boolean keep, Outcome outcome) {
        if (exchange.getRequestContentLength() > limit) {
            outcome.failed(413, tooLarge(limit));
            return;
        }
        RequestBodyReader reader = new RequestBodyReader(exchange, limit, keep, outcome);
        ContinueThenRead.start(exchange, reader::begin,
                () -> outcome.failed(400, "the client went away before sending its request body"));
    }

    private static String tooLarge(long limit) {
        return "the request body is larger than " + limit + " bytes, the most dockgate reads in whole on this route";
    }

    private void begin() {
        StreamSourceChannel channel = exchange.getRequestChannel();
        if (channel == null) {
            // Undertow hands the channel out once; nobody else reads a body the gateway reads in whole.
            outcome.failed(500, "the request body was already taken");
            return;
        }
        channel.getReadSetter().set(this);
        handleEvent(channel);
    }

    @Override
    public void handleEvent(StreamSourceChannel channel) {
        try {
            while (true) {
                ByteBuffer into = buffer;
                if (whole != null && total < whole.length) {
                    into = ByteBuffer.wrap(whole, (int) total, whole.length - (int) total);
                } else {
                    buffer.clear();
                }
                int read = channel.read(into);
                if (read == 0) {
                    channel.resumeReads();
                    return;
                }
                if (read < 0) {
                    channel.suspendReads();
                    channel.getReadSetter().set(null);
                    finish();
                    return;
                }
                total += read;
                if (total > limit) {
                    stop(channel, 413, tooLarge(limit));
                    return;
                }
                if (kept != null) {
                    kept.write(buffer.array(), 0, read);
                }
            }
        } catch (RequestTooBigException e) {
            stop(channel, 413, tooLarge(limit));
        } catch (IOException e) {
            // Undertow's message says which framing broke ("invalid chunk", "connection closed before...").
            stop(channel, 400, "the request body could not be read: " + describe(e));
        }
    }

    private void finish() {
        long expected = exchange.getRequestContentLength();
        if (expected >= 0 && total != expected) {
            outcome.failed(400, "the request body ended after " + total + " of its " + expected + " bytes");
            return;
        }
        outcome.read(whole != null ? whole : kept != null ? kept.toByteArray() : new byte[0]);
    }

    private void stop(StreamSourceChannel channel, int status, String message) {
        channel.suspendReads();
        channel.getReadSetter().set(null);
        outcome.failed(status, message);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
