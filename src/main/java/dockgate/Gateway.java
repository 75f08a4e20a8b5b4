package dockgate;

import dockgate.access.ClientGate;
import dockgate.audit.LearnedRulesFile;
import dockgate.proxy.DaemonProxy;
import dockgate.server.GatewayHandler;
import dockgate.server.ShutdownGate;
import io.undertow.UndertowOptions;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.protocol.http.HttpOpenListener;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A running dockgate: the HTTP front end (Undertow on its XNIO worker) and the daemon connections behind it.
 *
 * <p>The listener is assembled by hand rather than with Undertow's builder so that a client outside
 * {@code --allow-from} is turned away as it connects, before anything of its request is read.
 */
public final class Gateway implements AutoCloseable {

    static {
        // Undertow and XNIO log through JBoss Logging, which only reaches SLF4J when told before they load.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
    }

    /** Idle daemon connections kept for reuse; enough for a busy dashboard, few enough to be harmless. */
    private static final int MAX_IDLE_DAEMON_CONNECTIONS = 64;
    /** In-flight calls get this long to finish at shutdown; streams are ended at once. */
    private static final long SHUTDOWN_GRACE_MILLIS = 4000;

    private final XnioWorker worker;
    private final AcceptingChannel<? extends StreamConnection> listener;
    private final ShutdownGate shutdown;
    private final DaemonProxy proxy;
    private final LearnedRulesFile audit;
    private final int port;

    private Gateway(XnioWorker worker, AcceptingChannel<? extends StreamConnection> listener,
                    ShutdownGate shutdown, DaemonProxy proxy, LearnedRulesFile audit) {
        this.worker = worker;
        this.listener = listener;
        this.shutdown = shutdown;
        this.proxy = proxy;
        this.audit = audit;
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    /** Starts serving; the message of a failure says what could not be done (bind, TLS files). */
    public static Gateway start(Config config) throws IOException {
        // First, so that an audit rules file that cannot be written stops the start before anything listens.
        LearnedRulesFile audit = config.auditRules() == null ? null : LearnedRulesFile.start(config.auditRules());
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        Limits limits = config.limits();
        // The daemon side (Netty, its native epoll library) and the front end (XNIO) each take a good part
        // of a second to set up on a cold JVM; on two cores they can do it side by side.
        CompletableFuture<DaemonProxy> daemonSide = CompletableFuture.supplyAsync(() -> new DaemonProxy(
                config.socket(), config.upstreamTimeout(), limits.maxStreams(), threads, MAX_IDLE_DAEMON_CONNECTIONS));
        Xnio xnio = Xnio.getInstance(Gateway.class.getClassLoader());
        XnioWorker worker = xnio.createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, threads)
                // Nothing blocks: requests never leave the IO threads, the task pool only has to exist.
                .set(Options.WORKER_TASK_CORE_THREADS, 1)
                .set(Options.WORKER_TASK_MAX_THREADS, 2)
                .set(Options.WORKER_NAME, "dockgate")
                .getMap());
        DaemonProxy proxy;
        try {
            proxy = daemonSide.join();
        } catch (CompletionException e) {
            worker.shutdownNow();
            closeQuietly(audit);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        ShutdownGate shutdown = new ShutdownGate(new GatewayHandler(config.policy(), proxy, limits, audit));
        try {
            HttpOpenListener http = new HttpOpenListener(new DefaultByteBufferPool(true, 16 * 1024), OptionMap.builder()
                    // The raw path is canonicalised by us, once; Undertow must not decode it first.
                    .set(UndertowOptions.DECODE_URL, false)
                    // The daemon's own Date header passes through; a second one would be wrong.
                    .set(UndertowOptions.ALWAYS_SET_DATE, false)
                    // Hard ceilings: the parser closes the connection beyond them. Below them the handler
                    // answers 414/431/413 with a message, so they sit well above the configured limits.
                    .set(UndertowOptions.MAX_HEADER_SIZE, Math.max(64 * 1024, 4 * (limits.maxTargetLength() + limits.maxHeaderBytes())))
                    .set(UndertowOptions.MAX_HEADERS, 2 * limits.maxHeaders())
                    .set(UndertowOptions.MAX_ENTITY_SIZE, limits.maxBodyBytes())
                    .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) limits.headTimeout().toMillis())
                    .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.idleTimeout().toMillis())
                    .getMap());
            http.setRootHandler(shutdown);
            ChannelListener<AcceptingChannel<StreamConnection>> accept =
                    ChannelListeners.openListenerAdapter(new ClientGate(config.allowFrom(), http));
            OptionMap socketOptions = OptionMap.builder()
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BACKLOG, 1024)
                    .getMap();
            InetSocketAddress address = new InetSocketAddress(config.listenHost(), config.listenPort());
            AcceptingChannel<? extends StreamConnection> listener;
            if (config.tls() == null) {
                listener = worker.createStreamConnectionServer(address, accept, socketOptions);
            } else {
                UndertowXnioSsl ssl = new UndertowXnioSsl(xnio, OptionMap.EMPTY, config.tls().context());
                OptionMap tlsOptions = OptionMap.builder().addAll(socketOptions)
                        .set(Options.SSL_CLIENT_AUTH_MODE, config.tls().requiresClientCertificates()
                                ? SslClientAuthMode.REQUIRED : SslClientAuthMode.NOT_REQUESTED)
                        .getMap();
                @SuppressWarnings({"unchecked", "rawtypes"})
                ChannelListener tlsAccept = accept;
                listener = ssl.createSslConnectionServer(worker, address, tlsAccept, tlsOptions);
            }
            listener.resumeAccepts();
            return new Gateway(worker, listener, shutdown, proxy, audit);
        } catch (IOException | RuntimeException e) {
            worker.shutdownNow();
            proxy.close();
            closeQuietly(audit);
            throw e;
        }
    }

    private static void closeQuietly(LearnedRulesFile audit) {
        if (audit != null) {
            audit.close();
        }
    }

    public int port() {
        return port;
    }

    /** Audit mode's learned rules; null when the rules are enforced. */
    public LearnedRulesFile audit() {
        return audit;
    }

    /** Checks on the daemon in the background: the log says whether it answers, and with which API version. */
    public void probeDaemon() {
        proxy.probe();
    }

    /**
     * Stops taking connections and new calls, ends open streams with their proper terminator, gives calls
     * in flight a few seconds to finish, then closes everything.
     */
    @Override
    public void close() {
        IoUtils.safeClose(listener);
        shutdown.close();
        proxy.endStreams();
        try {
            shutdown.awaitIdle(SHUTDOWN_GRACE_MILLIS);
            worker.shutdownNow();
            worker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        proxy.close();
        // Last, so that it holds every call that was let through.
        closeQuietly(audit);
    }
}
