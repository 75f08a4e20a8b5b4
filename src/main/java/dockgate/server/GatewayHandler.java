package dockgate.server;

import dockgate.Limits;
import dockgate.audit.LearnedRulesFile;
import dockgate.policy.BadPathException;
import dockgate.policy.CanonicalPath;
import dockgate.policy.Decision;
import dockgate.policy.Policy;
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
    /** Audit mode: forward what the rules deny, and learn the rules; null when the rules are enforced. */
    private final LearnedRulesFile audit;

    public GatewayHandler(Policy policy, DaemonProxy proxy, Limits limits, LearnedRulesFile audit) {
        this.policy = policy;
        this.audit = audit;
        this.proxy = proxy;
        this.limits = limits;
        this.connections = new ConnectionCount(limits.maxConnections());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod().toString();

        if (!connections.admit(exchange)) {
            String message = "too many client connections (limit " + connections.limit() + ")";
            refuse(exchange, start, 503, message, message);
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
            refuse(exchange, start, problem.status(), problem.message(), problem.message());
            return;
        }

        String query = exchange.getQueryString();
        Decision decision = policy.decide(method, path, query.isEmpty() ? null : query);
        String verdict = decision.allowed() ? "allow" : "would-deny";
        // Audit mode relaxes only the rules, and only for calls some rule could allow: everything screened
        // out above, and methods or paths no rules file can name, stay refused in audit mode too.
        boolean learned = audit != null
                && audit.record(exchange.getSourceAddress(), method, path, query.isEmpty() ? null : query, !decision.allowed());
        if (!decision.allowed()) {
            if (!learned) {
                refuse(exchange, start, 403, method + " " + path + " is not allowed by the rules", decision.reason());
                return;
            }
            log.warn("would deny {} {} {}: {}", AccessLog.client(exchange), AccessLog.printable(method),
                    AccessLog.printable(exchange.getRequestURI()), decision.reason());
        }
        exchange.addExchangeCompleteListener((ex, next) -> {
            AccessLog.record(ex, verdict, start);
            next.proceed();
        });
        proxy.forward(exchange, query.isEmpty() ? path : path + "?" + query);
    }

    /** Answers with a JSON error; the reason, which may say more than the client is told, goes to the log. */
    private static void refuse(HttpServerExchange exchange, long start, int status, String message, String reason) {
        String decision = status == 400 ? "reject" : status == 403 ? "deny" : "limit";
        log.warn("{} {} {} {}: {}", decision, AccessLog.client(exchange),
                AccessLog.printable(exchange.getRequestMethod().toString()),
                AccessLog.printable(exchange.getRequestURI()), reason);
        // A refused request's body is never read; closing keeps its bytes from being taken as a next request.
        if (exchange.getRequestContentLength() > 0 || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)
                || status != 403) {
            exchange.setPersistent(false);
        }
        exchange.addExchangeCompleteListener((ex, next) -> {
            AccessLog.record(ex, decision, start);
            next.proceed();
        });
        JsonError.send(exchange, status, "dockgate: " + message);
    }
}
