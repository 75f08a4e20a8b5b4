package dockgate;

import dockgate.admin.AdminHandler;
import dockgate.admin.DaemonSideCounts;
import dockgate.admin.Metrics;
import dockgate.api.EngineApi;
import dockgate.audit.LearnedRulesFile;
import dockgate.http.PingAnswer;
import dockgate.policy.LiveRules;
import dockgate.policy.RulesWatcher;
import dockgate.proxy.DaemonProxy;
import dockgate.server.BoundProfile;
import dockgate.server.GatewayHandler;
import dockgate.server.Limits;
import dockgate.server.ShutdownGate;
import io.undertow.server.HttpHandler;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running dockgate, and the one place that says which parts it is made of and how they are wired: the
 * rules, the daemon side, the handlers, and the {@link Listeners} that feed them, on one XNIO worker.
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
    private final AtomicBoolean closing = new AtomicBoolean();
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

    /** Starts serving; the message of a failure says what could not be done (bind, TLS files). */
    public static Gateway start(Config config) throws IOException {
        return start(config, false);
    }

    /**
     * Starts serving, and meanwhile asks the daemon for /_ping and logs whether it answers. The probe's
     * connection sets up the daemon side's first call while the front end starts, and stays in the pool
     * for the first client.
     */
    public static Gateway startAndProbe(Config config) throws IOException {
        return start(config, true);
    }

    private static Gateway start(Config config, boolean probe) throws IOException {
        // First, so that an audit rules file that cannot be written stops the start before anything listens.
        LearnedRulesFile audit = config.auditRules() == null ? null : LearnedRulesFile.start(config.auditRules());
        // Half the cores to each side (XNIO to the clients, Netty to the daemon), so that the gateway's busy
        // threads never outnumber the cores. Every call crosses from one side to the other and back; a thread
        // that has to be woken for it costs more than the call, and on two cores two threads a side took
        // about a quarter more CPU per /_ping than one (and more context switches than calls).
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        Limits limits = config.limits();
        // The daemon side (Netty, its native epoll library) and the front end (XNIO) each take a good part
        // of a second to set up on a cold JVM; on two cores they can do it side by side.
        CompletableFuture<DaemonProxy> daemonSide = CompletableFuture.supplyAsync(() -> new DaemonProxy(
                config.socket(), config.daemonTimeout(), limits.maxStreams(), threads, MAX_IDLE_DAEMON_CONNECTIONS));
        // The API's route table is built from the jar's copy on first use, which on a cold JVM took 25-35 ms
        // of the first call; built now, beside the front end's start, it is mostly ready before the first call.
        CompletableFuture.runAsync(EngineApi::routes);
        // Asked as soon as the daemon side exists, answered in the log only once the gateway serves: a start
        // that fails says why and nothing else.
        CompletableFuture<PingAnswer> ping = probe ? daemonSide.thenCompose(DaemonProxy::check) : null;
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
        Listeners listeners = new Listeners(xnio, worker, config, metrics, proxy.eventLoops());
        ListenSpec current = null;
        try {
            for (ListenSpec listener : config.listeners()) {
                current = listener;
                HttpHandler root = listener.profile() == null ? shutdown : new BoundProfile(listener.profile(), shutdown);
                listeners.openApi(listener, root);
            }
            current = null;
            if (config.admin() != null) {
                listeners.openAdmin(config.admin(), new AdminHandler(metrics, () -> daemonSideCounts(proxy), proxy::check,
                        gatewayHandler::openConnections, rules::inForce, Main.version()));
            }
            listeners.resumeAccepts();
            if (ping != null) {
                proxy.report(ping);
            }
            return new Gateway(worker, listeners, shutdown, proxy, rules, audit);
        } catch (IOException | RuntimeException e) {
            listeners.close();
            worker.shutdownNow();
            proxy.close();
            closeQuietly(audit);
            throw new IOException(current == null ? e.getMessage() : "on " + current + ": " + e.getMessage(), e);
        }
    }

    private static DaemonSideCounts daemonSideCounts(DaemonProxy proxy) {
        return new DaemonSideCounts(proxy.socket(), proxy.openStreams(), proxy.daemonConnections(),
                proxy.idleDaemonConnections(), proxy.traffic().fromClient(), proxy.traffic().toClient());
    }

    private static void closeQuietly(LearnedRulesFile audit) {
        if (audit != null) {
            audit.close();
        }
    }

    /** The port of the first TCP listener (the one it got, for port 0). */
    public int port() {
        return listeners.port();
    }

    /** Where it listens, as the user would write it: "127.0.0.1:2375", "https://[::1]:2376", "unix:/run/x.sock". */
    public List<String> addresses() {
        return listeners.addresses();
    }

    /** The admin listener's port, or -1 when there is none. */
    public int adminPort() {
        return listeners.adminPort();
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

    /**
     * Stops taking connections and new calls, ends open streams with their proper terminator, gives calls
     * in flight a few seconds to finish, then closes everything.
     */
    @Override
    public void close() {
        // A second close (a test's teardown after the test closed it, a signal during shutdown) must not
        // reach the listeners again: XNIO waits forever to close a server channel of a stopped worker.
        if (!closing.compareAndSet(false, true)) {
            return;
        }
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
        // A Unix client's connection is a Netty channel no XNIO worker owns; one once outlived the gateway.
        listeners.closeUnixClients();
        proxy.close();
        // Last, so that it holds every call that was let through.
        closeQuietly(audit);
    }
}
