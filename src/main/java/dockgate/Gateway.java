package dockgate;

import dockgate.proxy.DaemonProxy;
import dockgate.server.GatewayHandler;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import org.xnio.Options;

import java.net.InetSocketAddress;

/** A running dockgate: the Undertow front end and the daemon connections behind it. */
public final class Gateway implements AutoCloseable {

    static {
        // Undertow and XNIO log through JBoss Logging, which only reaches SLF4J when told before they load.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
    }

    /** Idle daemon connections kept for reuse; enough for a busy dashboard, few enough to be harmless. */
    private static final int MAX_IDLE_DAEMON_CONNECTIONS = 64;

    private final Undertow server;
    private final DaemonProxy proxy;
    private final int port;

    private Gateway(Undertow server, DaemonProxy proxy, int port) {
        this.server = server;
        this.proxy = proxy;
        this.port = port;
    }

    public static Gateway start(Config config) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        DaemonProxy proxy = new DaemonProxy(config.socket(), config.upstreamTimeout(), threads, MAX_IDLE_DAEMON_CONNECTIONS);
        Undertow server = Undertow.builder()
                .addHttpListener(config.listenPort(), config.listenHost())
                .setHandler(new GatewayHandler(config.policy(), proxy))
                .setIoThreads(threads)
                // Nothing blocks: requests never leave the IO threads, the worker pool only has to exist.
                .setWorkerThreads(2)
                // The raw path is canonicalised by us, once; Undertow must not decode it first.
                .setServerOption(UndertowOptions.DECODE_URL, false)
                // The daemon's own Date header passes through; a second one would be wrong.
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
                .setSocketOption(Options.TCP_NODELAY, true)
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return new Gateway(server, proxy, bound.getPort());
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.stop();
        proxy.close();
    }
}
