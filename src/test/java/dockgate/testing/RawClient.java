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
 */
public final class RawClient implements AutoCloseable {

    /** A response head, and its body once read. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
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

    /** A plain keep-alive GET. */
    public Response get(String target) throws IOException {
        send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return read(false);
    }

    /** Reads one whole response (head and body). */
    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; for HEAD requests the body is not read. */
    public Response read(boolean head) throws IOException {
        Response response = readHead();
        return head ? response : readBody(response);
    }

    /** Reads the body of a response whose head {@link #readHead()} has read. */
    public Response readBody(Response response) throws IOException {
        if (response.status() == 204 || response.status() == 304) {
            return response;
        }
        String length = response.header("content-length");
        String body;
        if ("chunked".equalsIgnoreCase(response.header("transfer-encoding"))) {
            StringBuilder all = new StringBuilder();
            String chunk;
            while ((chunk = readChunk()) != null) {
                all.append(chunk);
            }
            body = all.toString();
        } else if (length != null) {
            body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Response(response.status(), response.headers(), body);
    }

    /** Reads just the status line and headers. */
    public Response readHead() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        return new Response(status, headers, null);
    }

    /** Reads the next chunk of a chunked body; null at the terminating chunk. */
    public String readChunk() throws IOException {
        String sizeLine = readLine();
        if (sizeLine == null) {
            throw new IOException("connection closed inside a chunked body");
        }
        int size = Integer.parseInt(sizeLine.trim(), 16);
        if (size == 0) {
            readLine();
            return null;
        }
        String chunk = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        readLine();
        return chunk;
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
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
