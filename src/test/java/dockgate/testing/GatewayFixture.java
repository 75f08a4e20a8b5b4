package dockgate.testing;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;

/**
 * The gateway in process in front of a recording stand-in daemon, closed after each test. Register it
 * with {@code @RegisterExtension final GatewayFixture fixture = new GatewayFixture();}. Everything it
 * started is closed after the test, newest first (gateways before the daemon they forward to), also
 * when the test started more than one.
 */
public final class GatewayFixture implements AfterEachCallback {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private StandInDaemon daemon;

    /** Starts a stand-in daemon on {@code socket}; closed after the test. */
    public StandInDaemon daemon(Path socket, StandInDaemon.Responder responder) throws IOException {
        daemon = StandInDaemon.start(socket, responder);
        started.push(daemon);
        return daemon;
    }

    /** The stand-in daemon started last. */
    public StandInDaemon daemon() {
        return daemon;
    }

    /** Starts a gateway on {@code config}; closed after the test. */
    public Gateway gateway(Config config) throws IOException {
        Gateway gateway = Gateway.start(config);
        started.push(gateway);
        return gateway;
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

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
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
        if (first != null) {
            throw first;
        }
    }
}
