package dockgate.server;

import dockgate.Limits;
import dockgate.admin.Metrics;
import dockgate.policy.BadPathException;
import dockgate.policy.CanonicalPath;
import dockgate.policy.Decision;
import dockgate.policy.Policy;
import dockgate.policy.Rule;
import dockgate.proxy.DaemonProxy;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides each call: screened, its path made canonical, judged by the rules, then either refused with a
 * Docker-style JSON error or forwarded to the daemon as exactly the path that was judged.
 */
public final class GatewayHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);

    private final Policy policy;
    private final DaemonProxy proxy;
    private final Limits limits;
    private final ConnectionCount connections;
    private final Metrics metrics;

    public GatewayHandler(Policy policy, DaemonProxy proxy, Limits limits, Metrics metrics) {
        this.policy = policy;
        this.proxy = proxy;
        this.limits = limits;
        this.connections = new ConnectionCount(limits.maxConnections());
        this.metrics = metrics;
    }

    /** Client connections open now that have sent a request. */
    public int openConnections() {
        return connections.open();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod().toString();

        if (!connections.admit(exchange)) {
            String message = "too many client connections (limit " + connections.limit() + ")";
            refuse(exchange, start, 503, message, message, null);
            return;
        }
        RequestScreen.Problem problem = RequestScreen.check(exchange, limits);
        String path = null;
        if (problem == null) {
            try {
                path = CanonicalPath.of(exchange.getRequestURI());
            } catch (BadPathException e) {
                problem = new RequestScreen.Problem(400, "bad request path: " + e.getMessage());
            }
        }
        if (problem != null) {
            refuse(exchange, start, problem.status(), problem.message(), problem.message(), null);
            return;
        }

        String query = exchange.getQueryString();
        Decision decision = policy.decide(method, path, query.isEmpty() ? null : query);
        if (!decision.allowed()) {
            refuse(exchange, start, 403, method + " " + path + " is not allowed by the rules", decision.reason(),
                    decision.rule());
            return;
        }
        Rule rule = decision.rule();
        exchange.addExchangeCompleteListener((ex, next) -> {
            AccessLog.record(ex, "allow", start);
            metrics.requestEnded(rule, Metrics.Outcome.ALLOW, ex.getStatusCode(), start, DaemonProxy.streamed(ex));
            next.proceed();
        });
        proxy.forward(exchange, query.isEmpty() ? path : path + "?" + query);
    }

    /** Answers with a JSON error; the reason, which may say more than the client is told, goes to the log. */
    private void refuse(HttpServerExchange exchange, long start, int status, String message, String reason, Rule rule) {
        Metrics.Outcome outcome = status == 400 ? Metrics.Outcome.REJECT
                : status == 403 ? Metrics.Outcome.DENY : Metrics.Outcome.LIMIT;
        String decision = outcome.label();
        log.warn("{} {} {} {}: {}", decision, AccessLog.client(exchange),
                AccessLog.printable(exchange.getRequestMethod().toString()),
                AccessLog.printable(exchange.getRequestURI()), reason);
        String query = exchange.getQueryString();
        metrics.refused(AccessLog.client(exchange), exchange.getRequestMethod().toString(),
                query.isEmpty() ? exchange.getRequestURI() : exchange.getRequestURI() + "?" + query, status, reason);
        // A refused request's body is never read; closing keeps its bytes from being taken as a next request.
        if (exchange.getRequestContentLength() > 0 || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)
                || status != 403) {
            exchange.setPersistent(false);
        }
        exchange.addExchangeCompleteListener((ex, next) -> {
            AccessLog.record(ex, decision, start);
            metrics.requestEnded(rule, outcome, ex.getStatusCode(), start, false);
            next.proceed();
        });
        JsonError.send(exchange, status, "dockgate: " + message);
    }
}
