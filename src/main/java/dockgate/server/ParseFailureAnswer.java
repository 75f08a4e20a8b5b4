package dockgate.server;

import dockgate.http.JsonError;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import org.xnio.StreamConnection;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Puts dockgate's answer, on one client connection, in place of a refusal Undertow writes on its own: the
 * empty "400 Bad Request" of its request parser, or the 400 of its Host header check. The client gets a JSON
 * error that says why, the log a WARN line, the metrics a count, as for any request dockgate refuses.
 *
 * <p>Undertow writes those refusals straight to the connection and closes it; no handler of dockgate's runs,
 * and nothing says why. So this sits under Undertow, on the connection's two conduits: the read side keeps
 * the request line of each request head as it arrives, and the write side knows that a 400 written while no
 * exchange has reached dockgate is Undertow's own, and writes dockgate's answer instead. Whatever Undertow
 * writes after it, before it closes the connection, is dropped.
 *
 * <p>All of it runs on the connection's IO thread.
 */
final class ParseFailureAnswer implements ExchangeCompletionListener {

    private static final byte[] REFUSAL_START = "HTTP/1.1 400 ".getBytes(StandardCharsets.US_ASCII);
    /** Undertow's refusals fit their status line in this. */
    private static final int STATUS_LINE_PEEK = 128;

    private enum State {
        /** Undertow is reading a request head: what it writes now is a refusal of its own. */
        HEAD,
        /** A request has reached dockgate's handlers: their answers pass untouched. */
        EXCHANGE,
        /** Dockgate's answer replaces Undertow's refusal; the connection is about to close. */
        REFUSED,
        /** The connection was switched to a raw stream (a hijacked attach or exec): no more HTTP on it. */
        RAW
    }

    private final Supplier<String> client;
    private final RefusalRecorder refusals;
    private State state = State.HEAD;

    private final RequestLineCopy line = new RequestLineCopy();

    /** Dockgate's answer, as far as it is not written yet. */
    private ByteBuffer answer;

    private ParseFailureAnswer(Supplier<String> client, RefusalRecorder refusals) {
        this.client = client;
        this.refusals = refusals;
    }

    /** Puts itself under the connection's conduits; before Undertow takes the connection. */
    static void install(StreamConnection connection, Supplier<String> client, RefusalRecorder refusals) {
        ParseFailureAnswer answer = new ParseFailureAnswer(client, refusals);
        connection.getSourceChannel().setConduit(answer.new HeadReader(connection.getSourceChannel().getConduit()));
        connection.getSinkChannel().setConduit(answer.new AnswerWriter(connection.getSinkChannel().getConduit()));
    }

    /** The answer watching the connection of this exchange; null if it is a connection without one. */
    static ParseFailureAnswer of(ServerConnection connection) {
        // The conduit Undertow made the connection with is the one install() put there.
        if (connection instanceof AbstractServerConnection http
                && http.getOriginalSinkConduit() instanceof AnswerWriter writer) {
            return writer.owner();
        }
        return null;
    }

    /** A request head was parsed and its exchange reached dockgate, which answers it. */
    void exchangeStarted(HttpServerExchange exchange) {
        state = State.EXCHANGE;
        // The answer itself is the listener, so no listener object is made per request.
        exchange.addExchangeCompleteListener(this);
    }

    /** Whether Undertow read the current request's target as its bytes say; see {@link RequestLineCopy#targetReadAs}. */
    boolean targetReadAs(String path, String query) {
        return line.targetReadAs(path, query);
    }

    /** That exchange is over: its answer is written; the next request head may already have arrived. */
    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
        exchangeEnded(exchange);
        next.proceed();
    }

    private void exchangeEnded(HttpServerExchange exchange) {
        if (state != State.EXCHANGE) {
            return;
        }
        if (exchange.isUpgrade()) {
            state = State.RAW;
            line.release();
            return;
        }
        state = State.HEAD;
        line.reset();
        // Bytes read with the last request, a pipelined next request among them, wait here for the parser.
        PooledByteBuffer early = exchange.getConnection() instanceof AbstractServerConnection http ? http.getExtraBytes() : null;
        if (early != null && early.isOpen()) {
            ByteBuffer bytes = early.getBuffer();
            line.keep(bytes, bytes.position(), bytes.limit());
        }
    }

    /** Undertow is writing a refusal whose status line is this: log and count it, and make the answer. */
    private void refuse(String statusLine) {
        UnparsedRequest request = UnparsedRequest.read(line.text(), line.cut(),
                statusLine.substring(REFUSAL_START.length).strip());
        String who = client.get();
        long started = line.seen() ? line.started() : System.nanoTime();
        Refusal refusal = new Refusal(400, request.reason());
        refusals.refused(who, request.method(), request.target(), refusal);
        byte[] body = JsonError.body(JsonError.PREFIX + request.reason()).getBytes(StandardCharsets.US_ASCII);
        byte[] head = ("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        answer = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
        refusals.ended(who, request.method(), request.target(), refusal, answer.remaining(), started);
        state = State.REFUSED;
        line.release();
    }

    /** The status line at the start of these bytes if they are Undertow's own refusal, else null. */
    private String undertowRefusal(ByteBuffer[] sources, int offset, int count) {
        byte[] start = new byte[STATUS_LINE_PEEK];
        int length = 0;
        for (int i = offset; i < offset + count && length < start.length; i++) {
            ByteBuffer source = sources[i];
            for (int j = source.position(); j < source.limit() && length < start.length; j++) {
                start[length++] = source.get(j);
            }
        }
        if (length < REFUSAL_START.length || !Arrays.equals(start, 0, REFUSAL_START.length, REFUSAL_START, 0, REFUSAL_START.length)) {
            return null;
        }
        String text = new String(start, 0, length, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return end < 0 ? text : text.substring(0, end);
    }

    private final class HeadReader extends AbstractStreamSourceConduit<StreamSourceConduit> {

        HeadReader(StreamSourceConduit next) {
            super(next);
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            int from = destination.position();
            int read = next.read(destination);
            if (read > 0 && state == State.HEAD && !line.ended()) {
                line.keep(destination, from, from + read);
            }
            return read;
        }

        @Override
        public long read(ByteBuffer[] destinations, int offset, int count) throws IOException {
            if (state != State.HEAD || line.ended()) {
                return next.read(destinations, offset, count);
            }
            int[] from = new int[count];
            for (int i = 0; i < count; i++) {
                from[i] = destinations[offset + i].position();
            }
            long read = next.read(destinations, offset, count);
            for (int i = 0; i < count && read > 0; i++) {
                line.keep(destinations[offset + i], from[i], destinations[offset + i].position());
            }
            return read;
        }
    }

    private final class AnswerWriter extends AbstractStreamSinkConduit<StreamSinkConduit> {

        AnswerWriter(StreamSinkConduit next) {
            super(next);
        }

        ParseFailureAnswer owner() {
            return ParseFailureAnswer.this;
        }

        /** Whether these bytes are to be dropped: true once Undertow's refusal has begun. */
        private boolean dropping(ByteBuffer[] sources, int offset, int count) {
            if (state == State.HEAD) {
                String refusal = undertowRefusal(sources, offset, count);
                if (refusal != null) {
                    refuse(refusal);
                }
            }
            return state == State.REFUSED;
        }

        /** Writes what is left of dockgate's answer; true once all of it is written. */
        private boolean answered() throws IOException {
            while (answer.hasRemaining()) {
                if (next.write(answer) == 0) {
                    return false;
                }
            }
            return true;
        }

        /** Takes Undertow's bytes without sending them, once dockgate's answer is out (0 until then). */
        private long drop(ByteBuffer[] sources, int offset, int count) throws IOException {
            if (!answered()) {
                return 0;
            }
            long dropped = 0;
            for (int i = offset; i < offset + count; i++) {
                dropped += sources[i].remaining();
                sources[i].position(sources[i].limit());
            }
            return dropped;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            if (state == State.EXCHANGE || state == State.RAW) {
                return next.write(source);
            }
            ByteBuffer[] sources = {source};
            return dropping(sources, 0, 1) ? (int) drop(sources, 0, 1) : next.write(source);
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int count) throws IOException {
            if (state == State.EXCHANGE || state == State.RAW) {
                return next.write(sources, offset, count);
            }
            return dropping(sources, offset, count) ? drop(sources, offset, count) : next.write(sources, offset, count);
        }

        @Override
        public int writeFinal(ByteBuffer source) throws IOException {
            if (state == State.EXCHANGE || state == State.RAW) {
                return next.writeFinal(source);
            }
            return dropping(new ByteBuffer[] {source}, 0, 1) ? Conduits.writeFinalBasic(this, source) : next.writeFinal(source);
        }

        @Override
        public long writeFinal(ByteBuffer[] sources, int offset, int count) throws IOException {
            if (state == State.EXCHANGE || state == State.RAW) {
                return next.writeFinal(sources, offset, count);
            }
            return dropping(sources, offset, count) ? Conduits.writeFinalBasic(this, sources, offset, count)
                    : next.writeFinal(sources, offset, count);
        }

        @Override
        public boolean flush() throws IOException {
            if (state == State.REFUSED && !answered()) {
                return false;
            }
            return next.flush();
        }

        @Override
        public void terminateWrites() throws IOException {
            if (state == State.REFUSED) {
                // Undertow only shuts the connection once its own refusal was taken, so the answer is out by now.
                answered();
            }
            next.terminateWrites();
        }
    }
}
