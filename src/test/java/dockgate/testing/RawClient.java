package dockgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A client that sends exactly the bytes a test gives it and reads responses one at a time, so a test sees
 * what a user's client would see, including each chunk of a stream as it arrives.
 *
 * <p>It reads strictly: what is not an HTTP/1.x status line or header line is {@link Malformed}, a
 * Content-Length body must arrive in full and a chunked body must end with its zero-length chunk. {@link
 * #read()} throws when a body does not end properly; {@link #readAnyEnd()} says how it ended instead, for
 * tests about streams cut by a fault.
 */
public final class RawClient implements AutoCloseable {

    /** How a body (or a stream) ended. */
    public enum End {
        /** Content-Length bytes read, or the zero-length chunk of a chunked body. */
        COMPLETE,
        /**
         * Connection closed (FIN) where a body may stop: between two chunks (the client sees the end, but not
         * a normal one), or after a body with neither length nor chunks (its only way to end).
         */
        CLOSED,
        /** Connection closed inside a chunk, or before Content-Length bytes arrived. */
        CUT,
        /** Connection reset (RST). */
        RESET,
        /** Nothing more arrived within the read timeout. */
        TIMEOUT
    }

    /** A response head; its body and how the body ended once read (null before). */
    public record Response(String statusLine, int status, Map<String, String> headers, String body, End end) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public boolean chunked() {
            return "chunked".equalsIgnoreCase(header("transfer-encoding"));
        }

        @Override
        public String toString() {
            return status + " " + headers + " end=" + end + " body=" + body;
        }
    }

    /** The connection ended before the first byte of a response. */
    public static final class NoResponse extends IOException {
        private static final long serialVersionUID = 1L;

        NoResponse() {
            super("connection closed before a response");
        }
    }

    /** What came is not an HTTP response, or a body did not end properly. */
    public static class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** The connection closed inside a body: {@link End#CUT} or {@link End#CLOSED} between chunks. */
    private static final class Cut extends Malformed {
        private static final long serialVersionUID = 1L;
        final End end;

        Cut(End end, String message) {
            super(message);
            this.end = end;
        }
    }

    /** The TCP socket; null on a Unix socket. */
    private final Socket socket;
    private final Closeable connection;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        this(port, null);
    }

    /** Connects from the given local address, e.g. 127.0.0.2 (all of 127.0.0.0/8 is loopback on Linux). */
    public RawClient(int port, java.net.InetAddress from) throws IOException {
        this(new Socket(java.net.InetAddress.getByName("127.0.0.1"), port, from, 0));
    }

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        this.connection = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A client of a TLS listener, with the handshake done. */
    public static RawClient tls(int port, SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        RawClient client = new RawClient(socket);
        socket.startHandshake();
        return client;
    }

    private RawClient(SocketChannel channel) {
        this.socket = null;
        this.connection = channel;
        this.in = Channels.newInputStream(channel);
        this.out = Channels.newOutputStream(channel);
    }

    /** A client of a Unix socket listener. Its reads have no timeout: bound the test instead. */
    public static RawClient unix(Path path) throws IOException {
        return new RawClient(SocketChannel.open(UnixDomainSocketAddress.of(path)));
    }

    /** The client's own TCP port, as the gateway's log names it ("127.0.0.1:PORT"); -1 on a Unix socket. */
    public int localPort() {
        return socket == null ? -1 : socket.getLocalPort();
    }

    /** Fails any read that waits longer than this (TCP only). */
    public RawClient timeout(int millis) throws IOException {
        if (socket == null) {
            throw new UnsupportedOperationException("a Unix socket client has no read timeout");
        }
        socket.setSoTimeout(millis);
        return this;
    }

    /** Makes {@link #close()} reset the connection (RST) instead of closing it (FIN), as a killed client does. */
    public RawClient resetOnClose() throws IOException {
        if (socket == null) {
            throw new UnsupportedOperationException("a Unix socket client cannot send a reset");
        }
        socket.setSoLinger(true, 0);
        return this;
    }

    public RawClient send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Sends these bytes as they are (a header of UTF-8 bytes, a body that is not text). */
    public RawClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** Half-closes the connection: the server reads end-of-stream, and can still answer. */
    public RawClient shutdownOutput() throws IOException {
        if (socket != null) {
            socket.shutdownOutput();
        } else {
            ((SocketChannel) connection).shutdownOutput();
        }
        return this;
    }

    /** Sends a plain keep-alive GET. */
    public RawClient sendGet(String target) throws IOException {
        return send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }

    /** A plain keep-alive GET and its whole response. */
    public Response get(String target) throws IOException {
        return sendGet(target).read();
    }

    /** Reads one whole response (head and body). */
    public Response read() throws IOException {
        return read(false);
    }

    /**
     * Reads one response; for HEAD requests ({@code head}) the body is not read. Throws {@link NoResponse},
     * {@link Malformed} (also for a body that does not end properly), or what the socket threw.
     */
    public Response read(boolean head) throws IOException {
        Response response = readHead();
        return head ? response : readBody(response);
    }

    /** Reads one whole response; a body that does not end properly gives its {@link End} instead of throwing. */
    public Response readAnyEnd() throws IOException {
        Response head = readHead();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        End end;
        try {
            end = readBody(head, body);
        } catch (Cut e) {
            end = e.end;
        } catch (SocketTimeoutException e) {
            end = End.TIMEOUT;
        } catch (Malformed e) {
            throw e;
        } catch (IOException e) {
            end = End.RESET;
        }
        return withBody(head, body, end);
    }

    /** Reads the body of a response whose head {@link #readHead()} has read; throws where {@link #read()} does. */
    public Response readBody(Response head) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        return withBody(head, body, readBody(head, body));
    }

    /** Reads just the status line and headers. */
    public Response readHead() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new NoResponse();
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
            throw new Malformed("not a status line: " + RandomCases.printable(statusLine));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = headLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Malformed("not a header line: " + RandomCases.printable(line));
            }
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        return new Response(statusLine, Integer.parseInt(parts[1]), headers, null, null);
    }

    /** Reads the next chunk of a chunked body; null at the terminating chunk (its trailers read too). */
    public String readChunk() throws IOException {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        return readChunk(chunk) ? chunk.toString(StandardCharsets.UTF_8) : null;
    }

    /** Reads the rest of a chunked body, discarding it; says how it ended. */
    public End drainChunks() throws IOException {
        try {
            while (readChunk(OutputStream.nullOutputStream())) {
                // next chunk
            }
            return End.COMPLETE;
        } catch (Cut e) {
            return e.end;
        } catch (SocketTimeoutException e) {
            return End.TIMEOUT;
        } catch (Malformed e) {
            throw e;
        } catch (IOException e) {
            return End.RESET;
        }
    }

    private static Response withBody(Response head, ByteArrayOutputStream body, End end) {
        return new Response(head.statusLine(), head.status(), head.headers(), body.toString(StandardCharsets.UTF_8), end);
    }

    /** Reads a body into {@code sink}; throws Cut when the connection closes inside it. */
    private End readBody(Response head, ByteArrayOutputStream sink) throws IOException {
        if (head.status() < 200 || head.status() == 204 || head.status() == 304) {
            return End.COMPLETE;
        }
        String length = head.header("content-length");
        if (head.chunked()) {
            while (readChunk(sink)) {
                // next chunk
            }
            return End.COMPLETE;
        }
        if (length != null) {
            int n = Integer.parseInt(length);
            byte[] bytes = in.readNBytes(n);
            sink.write(bytes);
            if (bytes.length < n) {
                throw new Cut(End.CUT, "connection closed after " + bytes.length + " of " + n + " body bytes");
            }
            return End.COMPLETE;
        }
        in.transferTo(sink);
        return End.CLOSED;
    }

    /** Reads one chunk into {@code sink}: false at the terminating chunk. */
    private boolean readChunk(OutputStream sink) throws IOException {
        String sizeLine = readLine();
        if (sizeLine == null) {
            throw new Cut(End.CLOSED, "connection closed between chunks");
        }
        String size = sizeLine.split(";", 2)[0].trim();
        if (!size.matches("[0-9a-fA-F]{1,8}")) {
            throw new Malformed("not a chunk size: " + RandomCases.printable(sizeLine));
        }
        int n = Integer.parseInt(size, 16);
        if (n == 0) {
            while (!bodyLine().isEmpty()) {
                // trailers
            }
            return false;
        }
        byte[] data = in.readNBytes(n);
        sink.write(data);
        if (data.length < n) {
            throw new Cut(End.CUT, "connection closed inside a chunk");
        }
        if (!bodyLine().isEmpty()) {
            throw new Malformed("no CRLF after a chunk of " + n + " bytes");
        }
        return true;
    }

    /** Reads raw bytes until the server closes the connection (true) or the read times out (false). */
    public boolean closedByServer() throws IOException {
        try {
            byte[] scratch = new byte[8192];
            while (true) {
                if (in.read(scratch) == -1) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public InputStream input() {
        return in;
    }

    /** A line of the head; the connection closing first is Malformed. */
    private String headLine() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new Malformed("connection closed inside a response head");
        }
        return line;
    }

    /** A line inside a chunked body; the connection closing first is a Cut. */
    private String bodyLine() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new Cut(End.CUT, "connection closed inside a chunked body");
        }
        return line;
    }

    /** A LF-terminated line without its CR; null at end of stream before any byte, Cut inside the line. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new Cut(End.CUT, "connection closed inside a line: " + RandomCases.printable(line.toString(StandardCharsets.ISO_8859_1)));
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
