package dockgate.admin;

import dockgate.http.JsonError;
import dockgate.http.PingAnswer;
import dockgate.policy.RulesInForce;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The admin listener: {@code /health}, {@code /metrics} and a status page at {@code /}. It is served on its own
 * address only, never on the API listener, where the same paths are Docker calls for the rules to decide.
 */
public final class AdminHandler implements HttpHandler {

    /** Health checks and scrapes within this long of a daemon check share its answer. */
    static final Duration DAEMON_CHECK_MAX_AGE = Duration.ofMillis(1500);

    private final Metrics metrics;
    private final Supplier<DaemonSideCounts> daemonSide;
    private final IntSupplier clientConnections;
    private final Supplier<RulesInForce> rules;
    private final String version;
    private final Instant started = Instant.now();
    private final DaemonHealth daemonHealth;

    /**
     * @param daemonSide the daemon side's counts, read anew for every page
     * @param ping       asks the daemon whether it answers
     */
    public AdminHandler(Metrics metrics, Supplier<DaemonSideCounts> daemonSide, Supplier<CompletableFuture<PingAnswer>> ping,
                        IntSupplier clientConnections, Supplier<RulesInForce> rules, String version) {
        this.metrics = metrics;
        this.daemonSide = daemonSide;
        this.clientConnections = clientConnections;
        this.rules = rules;
        this.version = version;
        this.daemonHealth = new DaemonHealth(ping, DAEMON_CHECK_MAX_AGE);
    }

    private enum Page { STATUS, HEALTH, METRICS }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        Page page = switch (exchange.getRequestPath()) {
            case "/" -> Page.STATUS;
            case "/health" -> Page.HEALTH;
            case "/metrics" -> Page.METRICS;
            default -> null;
        };
        if (page == null) {
            JsonError.sendOwn(exchange, 404, "no such admin page; there are /, /health and /metrics");
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.GET) && !exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            // Any request body is left unread: the connection cannot be reused.
            exchange.setPersistent(false);
            JsonError.sendOwn(exchange, 405, "the admin pages answer only GET and HEAD");
            return;
        }
        // Every page shows the daemon's state, which may need a check first; the IO thread does not wait for it.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> daemonHealth.current().thenAccept(daemon ->
                exchange.getIoThread().execute(() -> answer(exchange, page, snapshot(daemon)))));
    }

    private Snapshot snapshot(DaemonHealth.Status daemon) {
        return new Snapshot(version, started, Instant.now(), daemon, rules.get(), clientConnections.getAsInt(),
                daemonSide.get());
    }

    private void answer(HttpServerExchange exchange, Page page, Snapshot state) {
        switch (page) {
            case STATUS -> {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
                // Belt and braces next to the escaping: the page needs no script and loads nothing.
                exchange.getResponseHeaders().put(Headers.CONTENT_SECURITY_POLICY,
                        "default-src 'none'; style-src 'unsafe-inline'");
                exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
                exchange.getResponseSender().send(StatusPage.render(state, metrics));
            }
            case HEALTH -> {
                exchange.setStatusCode(state.healthy() ? 200 : 503);
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                exchange.getResponseSender().send(HealthPage.render(state));
            }
            case METRICS -> {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
                exchange.getResponseSender().send(MetricsPage.render(state, metrics));
            }
        }
    }
}
