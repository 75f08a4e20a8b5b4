package dockgate.it;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A byte pump on a Unix socket in front of the real daemon socket that holds back the daemon's answer to a
 * request whose bytes contain a marker, for a fixed time: a real call made deterministically slow, so a
 * test can have it in flight at a moment of its choosing. Everything else passes through untouched.
 */
final class DelayingSocket implements AutoCloseable {
    private final Path listen;
    private final Path target;
    private final byte[] marker;
    private final Duration delay;
    private final ServerSocketChannel server;
    private final List<SocketChannel> channels = new CopyOnWriteArrayList<>();
    /** Answers to marked requests currently held back. */
    final AtomicInteger holding = new AtomicInteger();

    DelayingSocket(Path listen, Path target, String marker, Duration delay) throws IOException {
        this.listen = listen;
        this.target = target;
        this.marker = marker.getBytes(StandardCharsets.ISO_8859_1);
        this.delay = delay;
        Files.deleteIfExists(listen);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listen));
        Thread acceptor = new Thread(this::accept, "delaying-socket-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Path socket() {
        return listen;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                SocketChannel daemon = SocketChannel.open(StandardProtocolFamily.UNIX);
                daemon.connect(UnixDomainSocketAddress.of(target));
                channels.add(client);
                channels.add(daemon);
                AtomicInteger marked = new AtomicInteger();
                start(() -> pump(client, daemon, marked, true));
                start(() -> pump(daemon, client, marked, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "delaying-socket-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Copies from one side to the other; upstream notes marked requests, downstream delays their answers. */
    private void pump(SocketChannel from, SocketChannel to, AtomicInteger marked, boolean upstream) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                if (upstream && contains(buffer, marker)) {
                    marked.incrementAndGet();
                } else if (!upstream && marked.get() > 0) {
                    marked.decrementAndGet();
                    holding.incrementAndGet();
                    try {
                        TimeUnit.NANOSECONDS.sleep(delay.toNanos()); // the point: an answer held back
                    } finally {
                        holding.decrementAndGet();
                    }
                }
                while (buffer.hasRemaining()) to.write(buffer);
                buffer.clear();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away
        } finally {
            close(from);
            close(to);
        }
    }

    private static boolean contains(ByteBuffer buffer, byte[] needle) {
        outer:
        for (int i = buffer.position(); i <= buffer.limit() - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer.get(i + j) != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        channels.forEach(DelayingSocket::close);
        Files.deleteIfExists(listen);
    }
}
