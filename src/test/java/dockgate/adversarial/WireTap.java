package dockgate.adversarial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte-for-byte relay on a Unix socket between the gateway and the stand-in daemon. It keeps every byte
 * the gateway wrote towards the daemon, so a test can read the wire itself, not only what the stand-in's
 * lenient parser made of it (a head the stand-in could not parse would otherwise leave no trace).
 *
 * <p>Connections are opened to the daemon in the order they are accepted here, one at a time, so the n-th
 * tapped connection is the stand-in's connection n.
 */
final class WireTap implements AutoCloseable {

    /** One gateway-to-daemon connection and the bytes the gateway sent on it. */
    static final class Tapped {
        final int id;
        private final ByteArrayOutputStream up = new ByteArrayOutputStream();

        Tapped(int id) {
            this.id = id;
        }

        synchronized void record(ByteBuffer buffer) {
            up.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }

        synchronized byte[] bytes() {
            return up.toByteArray();
        }
    }

    private final Path listen;
    private final Path daemon;
    private final ServerSocketChannel server;
    private final List<Tapped> connections = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> channels = new CopyOnWriteArrayList<>();
    private final AtomicLong upBytes = new AtomicLong();

    private WireTap(Path listen, Path daemon) throws IOException {
        this.listen = listen;
        this.daemon = daemon;
        Files.deleteIfExists(listen);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listen));
        Thread acceptor = new Thread(this::acceptLoop, "wire-tap-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static WireTap start(Path listen, Path daemon) throws IOException {
        return new WireTap(listen, daemon);
    }

    List<Tapped> connections() {
        return List.copyOf(connections);
    }

    /** All bytes the gateway has sent towards the daemon so far, over every connection. */
    long upBytes() {
        return upBytes.get();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel fromGateway = server.accept();
                SocketChannel toDaemon = SocketChannel.open(UnixDomainSocketAddress.of(daemon));
                channels.add(fromGateway);
                channels.add(toDaemon);
                Tapped tapped = new Tapped(connections.size() + 1);
                connections.add(tapped);
                pump(fromGateway, toDaemon, tapped, "wire-tap-up-" + tapped.id);
                pump(toDaemon, fromGateway, null, "wire-tap-down-" + tapped.id);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to, Tapped recordInto, String name) {
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try {
                while (true) {
                    buffer.clear();
                    int n = from.read(buffer);
                    if (n == -1) {
                        break;
                    }
                    buffer.flip();
                    if (recordInto != null) {
                        recordInto.record(buffer);
                        upBytes.addAndGet(n);
                    }
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                }
                to.shutdownOutput();
            } catch (IOException e) {
                close(from);
                close(to);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // gone already
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel channel : channels) {
            close(channel);
        }
        Files.deleteIfExists(listen);
    }
}
