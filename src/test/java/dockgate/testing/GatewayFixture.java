package dockgate.testing;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import dockgate.policy.Rulebook;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The gateway in process in front of a recording stand-in daemon, closed after each test. Register it
 * with {@code @RegisterExtension final GatewayFixture fixture = new GatewayFixture();}. Each test gets a
 * fresh directory ({@link #dir()}) for the daemon's socket and any files it writes. Everything started
 * through the fixture is closed after the test, newest first (gateways before the daemon they forward
 * to), also when the test started more than one; then the directory is removed.
 *
 * <p>For a class whose tests share one gateway (hundreds of cases against one start), register
 * {@code @RegisterExtension static final GatewayFixture fixture = GatewayFixture.perClass();} and start
 * it in a {@code @BeforeAll} method: the directory and everything started then live until the class ends.
 */
public final class GatewayFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final boolean perClass;
    private Path dir;
    private StandInDaemon daemon;
    private Gateway gateway;

    /** One directory and one set of started things for each test. */
    public GatewayFixture() {
        this(false);
    }

    private GatewayFixture(boolean perClass) {
        this.perClass = perClass;
    }

    /** One directory and one set of started things for the whole class; register it in a static field. */
    public static GatewayFixture perClass() {
        return new GatewayFixture(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (perClass) {
            dir = Files.createTempDirectory("dockgate-test");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (perClass) {
            closeAll();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            dir = Files.createTempDirectory("dockgate-test");
        }
    }

    /** This test's own directory, removed after it. */
    public Path dir() {
        return dir;
    }

    /** Where {@link #start(StandInDaemon.Responder, Rulebook, UnaryOperator)} puts the daemon's socket. */
    public Path socket() {
        return dir.resolve("d.sock");
    }

    /** Starts a stand-in daemon on {@code socket}; closed after the test. */
    public StandInDaemon daemon(Path socket, StandInDaemon.Responder responder) throws IOException {
        daemon = closeAfter(StandInDaemon.start(socket, responder));
        return daemon;
    }

    /** The stand-in daemon started last. */
    public StandInDaemon daemon() {
        return daemon;
    }

    /** Starts a gateway on {@code config}; closed after the test. */
    public Gateway gateway(Config config) throws IOException {
        gateway = closeAfter(Gateway.start(config));
        return gateway;
    }

    /** The gateway started last. */
    public Gateway gateway() {
        return gateway;
    }

    /** Closes {@code resource} after the test, before anything started earlier. */
    public <T extends AutoCloseable> T closeAfter(T resource) {
        started.push(resource);
        return resource;
    }

    /**
     * Starts a daemon on {@code socket} and a gateway on 127.0.0.1, an ephemeral port, in front of it with
     * {@code policy}, after {@code tweak} (limits, listeners, timeouts...) has changed the defaults.
     */
    public Gateway start(Path socket, StandInDaemon.Responder responder, Profile policy, UnaryOperator<Config> tweak)
            throws IOException {
        daemon(socket, responder);
        return gateway(tweak.apply(Config.defaults("127.0.0.1", 0, socket, policy)));
    }

    /** As above, the daemon on {@link #socket()}, with {@code rules} (one or more profiles). */
    public Gateway start(StandInDaemon.Responder responder, Rulebook rules, UnaryOperator<Config> tweak)
            throws IOException {
        daemon(socket(), responder);
        return gateway(tweak.apply(Config.defaults("127.0.0.1", 0, socket(), rules)));
    }

    /** As above, with the built-in rules. */
    public Gateway start(StandInDaemon.Responder responder, UnaryOperator<Config> tweak) throws IOException {
        return start(socket(), responder, Profile.builtIn(), tweak);
    }

    /** As above, with the built-in rules and the default configuration. */
    public Gateway start(StandInDaemon.Responder responder) throws IOException {
        return start(responder, UnaryOperator.identity());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            closeAll();
        }
    }

    private void closeAll() throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        gateway = null;
        daemon = null;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
