package dockgate.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One client connection that sends raw bytes and reads responses strictly: a Content-Length body must be
 * there in full, a chunked body must end with its zero-length chunk, and how a stream ended is told apart
 * (terminating chunk, close between chunks, close inside a chunk, reset, timeout).
 */
final class RawHttp implements AutoCloseable {

    /** How a body (or a stream) ended. */
    enum End {
        /** Content-Length bytes read, or the zero-length chunk of a chunked body. */
        COMPLETE,
        /** Connection closed (FIN) at a chunk boundary: the client sees the end but not a normal one. */
        CLOSED_BETWEEN_CHUNKS,
        /** Connection closed inside a chunk, or before Content-Length bytes arrived. */
        CUT,
        /** Connection reset (RST). */
        RESET,
        /** Nothing more arrived within the read timeout. */
        TIMEOUT
    }

    /** A response head; body and end once read. */
    record Response(int status, Map<String, String> headers, String body, End end) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean chunked() {
            return "chunked".equalsIgnoreCase(header("transfer-encoding"));
        }

        @Override
        public String toString() {
            return status + " " + headers + " end=" + end + " body=" + body;
        }
    }

    /** Thrown when the connection ends before a response head arrives. */
    static final class NoResponse extends IOException {
        NoResponse(String message) {
            super(message);
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) throws IOException {
        this(port, 10_000);
    }

    RawHttp(int port, int readTimeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(readTimeoutMillis);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    RawHttp timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    RawHttp send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    RawHttp sendGet(String target) throws IOException {
        return send("GET " + target + " HTTP/1.1\r\nHost: dockgate-faults\r\n\r\n");
    }

    /** A keep-alive GET and its whole response. */
    Response get(String target) throws IOException {
        sendGet(target);
        return read();
    }

    /** Reads one whole response; a body that does not end properly gives its End instead of throwing. */
    Response read() throws IOException {
        Response head = readHead();
        if (head.status() == 204 || head.status() == 304) {
            return new Response(head.status(), head.headers(), "", End.COMPLETE);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        End end;
        if (head.chunked()) {
            end = readChunks(body);
        } else if (head.header("content-length") != null) {
            int n = Integer.parseInt(head.header("content-length"));
            end = readFixed(body, n);
        } else {
            end = readToEof(body);
        }
        return new Response(head.status(), head.headers(), body.toString(StandardCharsets.UTF_8), end);
    }

    /** Status line and headers; NoResponse if the connection ends first. */
    Response readHead() throws IOException {
        String status = line();
        if (status == null) throw new NoResponse("connection closed before a response");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        return new Response(Integer.parseInt(status.split(" ", 3)[1]), headers, null, null);
    }

    /** Reads the rest of a chunked body into {@code body}; how it ended. */
    End readChunks(ByteArrayOutputStream body) {
        try {
            while (true) {
                String size = line();
                if (size == null) return End.CLOSED_BETWEEN_CHUNKS;
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    for (String t = line(); t != null && !t.isEmpty(); t = line()) {
                        // trailers
                    }
                    return End.COMPLETE;
                }
                byte[] data = in.readNBytes(n);
                body.write(data);
                if (data.length < n) return End.CUT;
                String crlf = line();
                if (crlf == null) return End.CUT;
            }
        } catch (EOFException e) {
            return End.CUT;
        } catch (SocketTimeoutException e) {
            return End.TIMEOUT;
        } catch (IOException e) {
            return End.RESET;
        }
    }

    /** Reads one chunk of a chunked body: its bytes, or null at the terminating chunk; throws EOFException. */
    byte[] readChunk() throws IOException {
        String size = line();
        if (size == null) throw new EOFException("closed between chunks");
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
            line();
            return null;
        }
        byte[] data = in.readNBytes(n);
        if (data.length < n) throw new EOFException("closed inside a chunk");
        line();
        return data;
    }

    private End readFixed(ByteArrayOutputStream body, int n) {
        try {
            byte[] data = in.readNBytes(n);
            body.write(data);
            return data.length == n ? End.COMPLETE : End.CUT;
        } catch (SocketTimeoutException e) {
            return End.TIMEOUT;
        } catch (IOException e) {
            return End.RESET;
        }
    }

    private End readToEof(ByteArrayOutputStream body) {
        try {
            in.transferTo(body);
            return End.CLOSED_BETWEEN_CHUNKS;
        } catch (SocketTimeoutException e) {
            return End.TIMEOUT;
        } catch (IOException e) {
            return End.RESET;
        }
    }

    /** A CRLF-terminated line; null at end of stream before any byte of it. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (sb.length() == 0) return null;
                throw new EOFException("closed inside a line: " + sb);
            }
            if (c == '\n') break;
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
