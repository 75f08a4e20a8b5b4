package dockgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A recording stand-in for the Docker daemon on a Unix socket: it writes down every request that reaches
 * it and answers as a test scripts it. Its point is to prove what did, and did not, get through.
 */
public final class StandInDaemon implements AutoCloseable {

    /** One request as the daemon received it. */
    public record Request(int connection, String method, String target, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** How the daemon answers; runs on the connection's own thread and may block. */
    @FunctionalInterface
    public interface Responder {
        void respond(Request request, Connection connection) throws Exception;
    }

    /** Answers every request with 200 and a small JSON body, like most of the daemon's calls. */
    public static final Responder OK = (request, connection) -> {
        if (request.method().equals("HEAD")) {
            connection.write("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n");
        } else {
            connection.send(200, "application/json", "{\"ok\":true}");
        }
    };

    private final Path socket;
    private final Responder responder;
    private final ServerSocketChannel server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closedByPeer = new AtomicInteger();

    private StandInDaemon(Path socket, Responder responder) throws IOException {
        this.socket = socket;
        this.responder = responder;
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(this::acceptLoop, "stand-in-daemon-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static StandInDaemon start(Path socket, Responder responder) throws IOException {
        return new StandInDaemon(socket, responder);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Connections the gateway opened to this daemon. */
    public int connectionsOpened() {
        return opened.get();
    }

    /** Connections the gateway closed (the daemon read end-of-stream or an error on them). */
    public int connectionsClosedByGateway() {
        return closedByPeer.get();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                Connection connection = new Connection(opened.incrementAndGet(), channel);
                connections.add(connection);
                Thread thread = new Thread(connection::serve, "stand-in-daemon-conn-" + connection.id);
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Connection connection : connections) {
            connection.close();
        }
        Files.deleteIfExists(socket);
    }

    /** One connection from the gateway, read and written with plain blocking channel calls. */
    public final class Connection {
        private final int id;
        private final SocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();
        private volatile boolean closedByUs;

        Connection(int id, SocketChannel channel) {
            this.id = id;
            this.channel = channel;
        }

        public int id() {
            return id;
        }

        private void serve() {
            try {
                Request request;
                while ((request = readRequest()) != null) {
                    requests.add(request);
                    responder.respond(request, this);
                    if (!channel.isOpen()) {
                        return;
                    }
                }
                if (!closedByUs) {
                    closedByPeer.incrementAndGet();
                }
            } catch (Exception e) {
                if (!closedByUs) {
                    closedByPeer.incrementAndGet();
                }
            } finally {
                close();
            }
        }

        /**
         * Blocks until the gateway closes this connection or the deadline passes; true if it closed.
         * Call it from the responder, which owns the connection while it answers.
         */
        public boolean awaitClosedByGateway(long millis) throws IOException {
            long deadline = System.nanoTime() + millis * 1_000_000;
            ByteBuffer scratch = ByteBuffer.allocate(1024);
            try (Selector selector = Selector.open()) {
                try {
                    channel.configureBlocking(false);
                    channel.register(selector, SelectionKey.OP_READ);
                } catch (java.nio.channels.ClosedChannelException e) {
                    // Closed already, on this side, once the gateway's close was seen: closed all the same.
                    return true;
                }
                long left;
                while ((left = (deadline - System.nanoTime()) / 1_000_000) > 0) {
                    selector.select(left);
                    selector.selectedKeys().clear();
                    scratch.clear();
                    try {
                        if (channel.read(scratch) == -1) {
                            return true;
                        }
                    } catch (IOException e) {
                        return true;
                    }
                }
                return false;
            }
        }

        /**
         * Reads the raw bytes that follow the request, in small reads with a pause of a millisecond after each
         * (a slow reader: what is sent to it backs up in the gateway), until the gateway ends its output.
         * Returns how many there were. Call it from the responder.
         */
        public long readSlowlyToEnd() throws IOException, InterruptedException {
            long total = in.remaining();
            in.position(in.limit());
            channel.configureBlocking(true);
            ByteBuffer piece = ByteBuffer.allocate(1024);
            while (true) {
                piece.clear();
                int n = channel.read(piece);
                if (n < 0) {
                    return total;
                }
                total += n;
                Thread.sleep(1); // the slowness is what the caller asks for
            }
        }

        public void write(String text) throws IOException {
            write(text.getBytes(StandardCharsets.UTF_8));
        }

        public void write(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        public void send(int status, String contentType, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            write("HTTP/1.1 " + status + " X\r\nApi-Version: 1.41\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + bytes.length + "\r\n\r\n");
            write(bytes);
        }

        public void startChunked(int status, String extraHeaders) throws IOException {
            write("HTTP/1.1 " + status + " X\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
                    + extraHeaders + "Transfer-Encoding: chunked\r\n\r\n");
        }

        public void chunk(String text) throws IOException {
            // One write, not three: the gateway may pass the data on before the closing CRLF arrives, and a
            // client that leaves at once would otherwise make the CRLF's write fail in the responder.
            write(Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n");
        }

        public void endChunked() throws IOException {
            write("0\r\n\r\n");
        }

        public void close() {
            closedByUs = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // already gone
            }
        }

        private Request readRequest() throws IOException {
            String requestLine = readLine();
            if (requestLine == null) {
                return null;
            }
            String[] parts = requestLine.split(" ");
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String line;
            while ((line = readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            byte[] body = new byte[0];
            List<String> length = headers.get("content-length");
            List<String> encoding = headers.get("transfer-encoding");
            if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int size;
                while ((size = Integer.parseInt(readLine().trim(), 16)) > 0) {
                    out.write(readBytes(size));
                    readLine();
                }
                readLine();
                body = out.toByteArray();
            } else if (length != null) {
                body = readBytes(Integer.parseInt(length.get(0)));
            }
            return new Request(id, parts[0], parts.length > 1 ? parts[1] : "", headers, body);
        }

        private boolean fill() throws IOException {
            in.compact();
            int read = channel.read(in);
            in.flip();
            return read > 0;
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (!in.hasRemaining() && !fill()) {
                    return line.length() == 0 ? null : line.toString();
                }
                char c = (char) (in.get() & 0xff);
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append(c);
            }
        }

        private byte[] readBytes(int count) throws IOException {
            byte[] bytes = new byte[count];
            int done = 0;
            while (done < count) {
                if (!in.hasRemaining() && !fill()) {
                    throw new IOException("connection ended inside a body");
                }
                int n = Math.min(in.remaining(), count - done);
                in.get(bytes, done, n);
                done += n;
            }
            return bytes;
        }
    }
}
