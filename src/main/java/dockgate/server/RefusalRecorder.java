package dockgate.server;

import dockgate.admin.Metrics;
import dockgate.policy.Rule;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a refusal everywhere it must be recorded: a WARN line and the status page's ring of refused
 * requests as it happens, then, once its answer is out, the access log line and the counts by rule and
 * status. Whoever refuses only chooses the refusal and writes the answer.
 */
final class RefusalRecorder {

    private final Metrics metrics;
    private final Logger log;

    /** @param refuser the class that refuses; WARN lines carry its name ("GatewayHandler", "ParseFailureAnswer") */
    RefusalRecorder(Metrics metrics, Class<?> refuser) {
        this.metrics = metrics;
        this.log = LoggerFactory.getLogger(refuser);
    }

    /** A request that reached dockgate's handlers is refused: the log gets its path, the ring path and query. */
    void refused(HttpServerExchange exchange, Refusal refusal) {
        String path = exchange.getRequestURI();
        String query = exchange.getQueryString();
        refused(AccessLog.client(exchange), exchange.getRequestMethod().toString(), path,
                query.isEmpty() ? path : path + "?" + query, refusal);
    }

    /** A request that never became an exchange is refused; the target is as it was read. */
    void refused(String client, String method, String target, Refusal refusal) {
        refused(client, method, target, target, refusal);
    }

    private void refused(String client, String method, String loggedTarget, String target, Refusal refusal) {
        log.warn("{} {} {} {}: {}", refusal.outcome().label(), client, AccessLog.printable(method),
                AccessLog.printable(loggedTarget), refusal.reason());
        metrics.refused(client, method, target, refusal.status(), refusal.reason());
    }

    /**
     * The refused exchange has ended, answered or not (the client may be gone).
     *
     * @param profileName the profile that refused, or null for the default one and for refusals before the rules
     * @param rule        the rule that refused, or null
     */
    void ended(HttpServerExchange exchange, Refusal refusal, String profileName, Rule rule, long start) {
        AccessLog.record(exchange, refusal.outcome().label(), profileName, start);
        metrics.requestEnded(rule, refusal.outcome(), AccessLog.status(exchange), start, false);
    }

    /** A request that never became an exchange was answered with {@code bytesSent} bytes. */
    void ended(String client, String method, String target, Refusal refusal, long bytesSent, long start) {
        AccessLog.record(client, method, target, refusal.outcome().label(), refusal.status(), bytesSent, start);
        metrics.requestEnded(null, refusal.outcome(), refusal.status(), start, false);
    }
}
