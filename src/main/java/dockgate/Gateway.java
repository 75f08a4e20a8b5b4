package dockgate;

import dockgate.server.Limits;
import dockgate.access.ClientGate;
import dockgate.admin.AdminHandler;
import dockgate.admin.Metrics;
import dockgate.admin.RulesState;
import dockgate.audit.LearnedRulesFile;
import dockgate.policy.LiveRules;
import dockgate.policy.RulesWatcher;
import dockgate.proxy.DaemonProxy;
import dockgate.server.BoundProfile;
import dockgate.server.GatewayHandler;
import dockgate.server.ParserRefusals;
import dockgate.server.ShutdownGate;
import dockgate.unix.UnixClientNames;
import dockgate.unix.UnixListener;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.undertow.UndertowOptions;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.OpenListener;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A running dockgate: the HTTP front end (Undertow on its XNIO worker) and the daemon connections behind it.
 *
 * <p>The listeners are assembled by hand rather than with Undertow's builder so that a client outside
 * {@code --allow-from} is turned away as it connects, before anything of its request is read, and so that
 * Unix socket listeners (which Undertow cannot open itself) feed the same handlers.
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
    private final Listeners listeners;
    private final ShutdownGate shutdown;
    private final DaemonProxy proxy;
    private final LiveRules rules;
    private final LearnedRulesFile audit;
    private volatile RulesWatcher watcher;

    private Gateway(XnioWorker worker, Listeners listeners, ShutdownGate shutdown, DaemonProxy proxy, LiveRules rules,
                    LearnedRulesFile audit) {
        this.worker = worker;
        this.audit = audit;
        this.listeners = listeners;
        this.shutdown = shutdown;
        this.proxy = proxy;
        this.rules = rules;
    }

    /** What is listening (the admin listener among the TCP ones), and the Unix listeners' event loops (null without any). */
    private record Listeners(List<AcceptingChannel<? extends StreamConnection>> tcp, List<UnixListener> unix,
                             List<String> addresses, EventLoopGroup unixLoops,
                             List<AcceptingChannel<? extends StreamConnection>> admin) {

        void close() {
            tcp.forEach(IoUtils::safeClose);
            unix.forEach(UnixListener::close);
            admin.forEach(IoUtils::safeClose);
        }

        void stopLoops() {
            if (unixLoops != null) {
                unixLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
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
                config.socket(), config.daemonTimeout(), limits.maxStreams(), threads, MAX_IDLE_DAEMON_CONNECTIONS));
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
        // A listener bound to a profile needs that profile in every set of rules: a reload that drops it is refused.
        Set<String> bound = config.listeners().stream().map(ListenSpec::profile).filter(p -> p != null)
                .collect(Collectors.toSet());
        LiveRules rules = new LiveRules(config.rules(), bound);
        Metrics metrics = new Metrics();
        GatewayHandler gatewayHandler = new GatewayHandler(rules, proxy, limits, metrics, audit);
        ShutdownGate shutdown = new ShutdownGate(gatewayHandler);
        Listeners listeners = new Listeners(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                config.listeners().stream().anyMatch(ListenSpec::isUnix)
                        ? new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory()) : null,
                new ArrayList<>());
        DefaultByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024);
        ListenSpec current = null;
        try {
            for (ListenSpec listener : config.listeners()) {
                current = listener;
                HttpHandler root = listener.profile() == null ? shutdown : new BoundProfile(listener.profile(), shutdown);
                if (listener.isUnix()) {
                    // The socket file's mode and group decide who may connect; --allow-from is for addresses.
                    UnixClientNames names = new UnixClientNames(listener.path());
                    listeners.unix().add(UnixListener.open(listener.path(), listener.mode(), listener.group(),
                            listeners.unixLoops(), worker, http(buffers, limits, names.naming(root), metrics, names::name),
                            names));
                    listeners.addresses().add(listener.toString());
                } else {
                    AcceptingChannel<? extends StreamConnection> channel =
                            listenTcp(xnio, worker, config, listener,
                                    http(buffers, limits, root, metrics, ParserRefusals::peerAddress));
                    listeners.tcp().add(channel);
                    int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
                    listeners.addresses().add((config.tls() == null ? "" : "https://")
                            + ListenSpec.tcp(listener.host(), port));
                }
            }
            current = null;
            if (config.admin() != null) {
                AdminHandler admin = new AdminHandler(metrics, proxy, gatewayHandler::openConnections,
                        RulesState.live(rules), Main.version());
                listeners.admin().add(startAdmin(worker, buffers, config.admin(), admin, limits));
            }
            listeners.tcp().forEach(AcceptingChannel::resumeAccepts);
            return new Gateway(worker, listeners, shutdown, proxy, rules, audit);
        } catch (IOException | RuntimeException e) {
            listeners.close();
            worker.shutdownNow();
            listeners.stopLoops();
            proxy.close();
            closeQuietly(audit);
            throw new IOException(current == null ? e.getMessage() : "on " + current + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(LearnedRulesFile audit) {
        if (audit != null) {
            audit.close();
        }
    }

    /**
     * The admin listener: plain HTTP on its own address, on the same worker. No --allow-from: monitoring
     * usually comes from elsewhere than the API's clients, and nothing here can reach the daemon.
     */
    private static AcceptingChannel<? extends StreamConnection> startAdmin(XnioWorker worker, DefaultByteBufferPool buffers,
            ListenAddress address, AdminHandler admin, Limits limits) throws IOException {
        HttpOpenListener http = new HttpOpenListener(buffers, OptionMap.builder()
                .set(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) limits.headTimeout().toMillis())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.idleTimeout().toMillis())
                .getMap());
        http.setRootHandler(admin);
        try {
            AcceptingChannel<? extends StreamConnection> channel = worker.createStreamConnectionServer(
                    new InetSocketAddress(address.host(), address.port()), ChannelListeners.openListenerAdapter(http),
                    OptionMap.builder().set(Options.TCP_NODELAY, true).set(Options.REUSE_ADDRESSES, true).getMap());
            channel.resumeAccepts();
            return channel;
        } catch (IOException e) {
            throw new IOException("admin listener " + address + ": " + e.getMessage(), e);
        }
    }

    /** Undertow's HTTP/1.1 listener, under which every request its parser refuses gets dockgate's answer. */
    private static OpenListener http(DefaultByteBufferPool buffers, Limits limits, HttpHandler root, Metrics metrics,
                                     Function<StreamConnection, String> clientName) {
        HttpOpenListener http = new HttpOpenListener(buffers, OptionMap.builder()
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
        http.setRootHandler(root);
        return new ParserRefusals(http, metrics, clientName);
    }

    private static AcceptingChannel<? extends StreamConnection> listenTcp(Xnio xnio, XnioWorker worker, Config config,
                                                                          ListenSpec listener, OpenListener http)
            throws IOException {
        ChannelListener<AcceptingChannel<StreamConnection>> accept =
                ChannelListeners.openListenerAdapter(new ClientGate(config.allowFrom(), http));
        OptionMap socketOptions = OptionMap.builder()
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BACKLOG, 1024)
                .getMap();
        InetSocketAddress address = new InetSocketAddress(listener.host(), listener.port());
        if (config.tls() == null) {
            return worker.createStreamConnectionServer(address, accept, socketOptions);
        }
        UndertowXnioSsl ssl = new UndertowXnioSsl(xnio, OptionMap.EMPTY, config.tls().context());
        OptionMap tlsOptions = OptionMap.builder().addAll(socketOptions)
                .set(Options.SSL_CLIENT_AUTH_MODE, config.tls().requiresClientCertificates()
                        ? SslClientAuthMode.REQUIRED : SslClientAuthMode.NOT_REQUESTED)
                .getMap();
        @SuppressWarnings({"unchecked", "rawtypes"})
        ChannelListener tlsAccept = accept;
        return ssl.createSslConnectionServer(worker, address, tlsAccept, tlsOptions);
    }

    /** The port of the first TCP listener (the one it got, for port 0). */
    public int port() {
        if (listeners.tcp().isEmpty()) {
            throw new IllegalStateException("no TCP listener");
        }
        return ((InetSocketAddress) listeners.tcp().get(0).getLocalAddress()).getPort();
    }

    /** Where it listens, as the user would write it: "127.0.0.1:2375", "https://[::1]:2376", "unix:/run/x.sock". */
    public List<String> addresses() {
        return List.copyOf(listeners.addresses());
    }

    /** The admin listener's port, or -1 when there is none. */
    public int adminPort() {
        return listeners.admin().isEmpty() ? -1
                : ((InetSocketAddress) listeners.admin().get(0).getLocalAddress()).getPort();
    }

    /** Audit mode's learned rules; null when the rules are enforced. */
    public LearnedRulesFile audit() {
        return audit;
    }

    /** The rules in force, their reload, and its status. */
    public LiveRules rules() {
        return rules;
    }

    /**
     * Reloads the rules whenever their file changes, until {@link #close()}. Rules from no file (the
     * built-in ones) have nothing to watch; this then does nothing.
     *
     * @throws IOException when the file's directory cannot be watched
     */
    public synchronized void watchRulesFile() throws IOException {
        if (rules.file() != null && watcher == null) {
            watcher = RulesWatcher.start(rules);
        }
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
        RulesWatcher watching = watcher;
        if (watching != null) {
            watching.close();
        }
        listeners.close();
        shutdown.close();
        proxy.endStreams();
        try {
            shutdown.awaitIdle(SHUTDOWN_GRACE_MILLIS);
            worker.shutdownNow();
            worker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listeners.stopLoops();
        proxy.close();
        // Last, so that it holds every call that was let through.
        closeQuietly(audit);
    }
}
