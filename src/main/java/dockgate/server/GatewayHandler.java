package dockgate.server;

import dockgate.Limits;
import dockgate.admin.Metrics;
import dockgate.audit.LearnedRulesFile;
import dockgate.policy.BadPathException;
import dockgate.policy.CanonicalPath;
import dockgate.policy.Decision;
import dockgate.policy.LiveRules;
import dockgate.policy.Policy;
import dockgate.policy.Rule;
import dockgate.policy.Rulebook;
import dockgate.proxy.DaemonProxy;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Decides each call: screened, its path made canonical, judged by the rules, then either refused with a
 * Docker-style JSON error or forwarded to the daemon as exactly the path that was judged.
 */
public final class GatewayHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);

    private final LiveRules rules;
    private final DaemonProxy proxy;
    private final Limits limits;
    private final ConnectionCount connections;
    private final Metrics metrics;
    /** Audit mode: forward what the rules deny, and learn the rules; null when the rules are enforced. */
    private final LearnedRulesFile audit;

    public GatewayHandler(LiveRules rules, DaemonProxy proxy, Limits limits, Metrics metrics, LearnedRulesFile audit) {
        this.rules = rules;
        this.audit = audit;
        this.proxy = proxy;
        this.limits = limits;
        this.metrics = metrics;
        this.connections = new ConnectionCount(limits.maxConnections());
    }

    public int openConnections() {
        return connections.open();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod().toString();

        if (!connections.admit(exchange)) {
            String message = "too many client connections (limit " + connections.limit() + ")";
            refuse(exchange, start, 503, message, message, null, null);
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
            refuse(exchange, start, problem.status(), problem.message(), problem.message(), null, null);
            return;
        }

        // The rules are read once, here: a reload while this call runs does not change its verdict.
        Rulebook book = rules.current();
        String bound = exchange.getAttachment(BoundProfile.NAME);
        Policy profile = bound != null ? book.profile(bound) : book.policyFor(clientAddress(exchange));
        String profileName = profile.name().equals(Rulebook.DEFAULT_PROFILE) ? null : profile.name();
        String query = exchange.getQueryString();
        Decision decision = profile.decide(method, path, query.isEmpty() ? null : query);
        boolean hijack = RequestScreen.asksForRawStream(exchange);
        if (hijack && !(decision.allowed() && decision.rule().hijack())) {
            RequestScreen.Problem refused = RequestScreen.UPGRADE_REFUSED;
            refuse(exchange, start, refused.status(), refused.message(), refused.message() + " (" + decision.reason() + ")",
                    profileName, null);
            return;
        }
        // Audit mode relaxes only the rules, and only for calls some rule could allow: everything screened
        // out above, and methods or paths no rules file can name, stay refused in audit mode too.
        boolean learned = audit != null
                && audit.record(exchange.getSourceAddress(), method, path, query.isEmpty() ? null : query, !decision.allowed());
        if (!decision.allowed()) {
            String reason = profileName == null ? decision.reason() : decision.reason() + " (profile " + profileName + ")";
            if (!learned) {
                refuse(exchange, start, 403, method + " " + path + " is not allowed by the rules", reason,
                        profileName, decision.rule());
                return;
            }
            log.warn("would deny {} {} {}: {}", AccessLog.client(exchange), AccessLog.printable(method),
                    AccessLog.printable(exchange.getRequestURI()), reason);
        }
        Rule rule = decision.rule();
        Metrics.Outcome outcome = decision.allowed() ? Metrics.Outcome.ALLOW : Metrics.Outcome.WOULD_DENY;
        exchange.addExchangeCompleteListener((ex, next) -> {
            AccessLog.record(ex, outcome.label(), profileName, start);
            metrics.requestEnded(rule, outcome, ex.getStatusCode(), start, DaemonProxy.streamed(ex));
            next.proceed();
        });
        proxy.forward(exchange, query.isEmpty() ? path : path + "?" + query, hijack);
    }

    /** The client's IP address; null when there is none (a Unix socket listener), which means the default profile. */
    private static InetAddress clientAddress(HttpServerExchange exchange) {
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null ? null : source.getAddress();
    }

    /**
     * Answers with a JSON error; the reason, which may say more than the client is told, goes to the log.
     * The profile is named when it is not the default one, so an operator can see which rules refused.
     */
    private void refuse(HttpServerExchange exchange, long start, int status, String message, String reason,
                        String profileName, Rule rule) {
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
            AccessLog.record(ex, decision, profileName, start);
            metrics.requestEnded(rule, outcome, ex.getStatusCode(), start, false);
            next.proceed();
        });
        JsonError.send(exchange, status, "dockgate: " + message);
    }
}
