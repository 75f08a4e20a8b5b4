package dockgate.server;

import dockgate.guard.ImagePulls;
import dockgate.guard.Inspection;
import dockgate.http.JsonError;
import dockgate.api.EngineApi;
import dockgate.admin.Metrics;
import dockgate.audit.LearnedRulesFile;
import dockgate.policy.BadPathException;
import dockgate.policy.CanonicalPath;
import dockgate.policy.Decision;
import dockgate.policy.LiveRules;
import dockgate.policy.Profile;
import dockgate.policy.Query;
import dockgate.policy.UnreadableQueryException;
import dockgate.policy.Rule;
import dockgate.policy.Rulebook;
import dockgate.proxy.DaemonProxy;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Decides each call: screened, its path made canonical, judged by the rules, then either refused with a
 * Docker-style JSON error or forwarded to the daemon as exactly the path that was judged.
 */
public final class GatewayHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
    private static final byte[] EMPTY_OBJECT = {'{', '}'};
    /** The most of a body read only to be dropped, on a route that takes none (clients send "{}" or so). */
    static final long MAX_DROPPED_BODY = 64 * 1024;

    private final LiveRules rules;
    private final DaemonProxy proxy;
    private final Limits limits;
    private final ConnectionCount connections;
    private final Metrics metrics;
    private final RefusalRecorder refusals;
    private final ScopeGate scopes;
    /** Audit mode: forward what the rules deny, and learn the rules; null when the rules are enforced. */
    private final LearnedRulesFile audit;

    public GatewayHandler(LiveRules rules, DaemonProxy proxy, Limits limits, Metrics metrics, LearnedRulesFile audit) {
        this.rules = rules;
        this.audit = audit;
        this.proxy = proxy;
        this.limits = limits;
        this.metrics = metrics;
        this.refusals = new RefusalRecorder(metrics, GatewayHandler.class);
        this.scopes = new ScopeGate(proxy);
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
            refuse(exchange, start, new Refusal(503, "too many client connections (limit " + connections.limit() + ")"),
                    null, null);
            return;
        }
        RequestScreen.Problem problem = RequestScreen.check(exchange, limits);
        if (problem == null && !targetReadAsSent(exchange)) {
            problem = new RequestScreen.Problem(400, "the request target can be read two ways (a query that starts"
                    + " with '?', or similar): send it percent-encoded");
        }
        String path = null;
        Query query = null;
        if (problem == null) {
            try {
                path = CanonicalPath.of(exchange.getRequestURI());
                query = Query.parse(exchange.getQueryString());
            } catch (BadPathException e) {
                problem = new RequestScreen.Problem(400, "bad request path: " + e.getMessage());
            } catch (UnreadableQueryException e) {
                problem = new RequestScreen.Problem(400, "bad query: " + e.getMessage());
            }
        }
        if (problem != null) {
            refuse(exchange, start, new Refusal(problem.status(), problem.message()), null, null);
            return;
        }

        // The rules are read once, here: a reload while this call runs does not change its verdict.
        Rulebook book = rules.current();
        String bound = exchange.getAttachment(BoundProfile.NAME);
        Profile profile = bound != null ? book.profile(bound) : book.profileFor(clientAddress(exchange));
        String profileName = profile.name().equals(Rulebook.DEFAULT_PROFILE) ? null : profile.name();
        Decision decision = profile.decide(method, path, query);
        boolean hijack = RequestScreen.asksForRawStream(exchange);
        if (hijack && !(decision.allowed() && decision.rule().hijack())) {
            RequestScreen.Problem refused = RequestScreen.UPGRADE_REFUSED;
            refuse(exchange, start, new Refusal(refused.status(), refused.message(),
                    refused.message() + " (" + decision.reason() + ")"), profileName, null);
            return;
        }
        // Audit mode relaxes only the rules, and only for calls some rule could allow: everything screened
        // out above, and methods or paths no rules file can name, stay refused in audit mode too.
        String rawQuery = exchange.getQueryString();
        boolean learned = audit != null
                && audit.record(exchange.getSourceAddress(), method, path, rawQuery.isEmpty() ? null : rawQuery, !decision.allowed());
        if (!decision.allowed()) {
            String reason = profileName == null ? decision.reason() : decision.reason() + " (profile " + profileName + ")";
            if (!learned) {
                String missing = NotFoundAnswer.forRead(method, path);
                Refusal refusal = missing == null
                        ? new Refusal(403, method + " " + path + " is not allowed by the rules", reason)
                        : new Refusal(404, missing, reason + "; answered as the daemon answers a missing object");
                refuse(exchange, start, refusal, profileName, decision.rule());
                return;
            }
            wouldDeny(exchange, reason);
        }
        Metrics.Outcome outcome = decision.allowed() ? Metrics.Outcome.ALLOW : Metrics.Outcome.WOULD_DENY;
        EngineApi.Route route = EngineApi.routes().route(method, path);
        Allowed allowed = new Allowed(start, method, profileName, decision.rule(), outcome, hijack, route);
        if (profile.scope() == null) {
            send(exchange, allowed, path, query);
            return;
        }
        CompletableFuture<ScopeGate.Verdict> verdict = scopes.judge(profile.scope(), profile.name(), method, path, query, route);
        if (verdict.isDone()) {
            scoped(exchange, allowed, verdict.join());
            return;
        }
        // The daemon is asked first; the call goes on, on its own IO thread, once it has answered.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> verdict.thenAccept(judged -> exchange.getIoThread().execute(
                () -> Connectors.executeRootHandler(ex -> scoped(ex, allowed, judged), exchange))));
    }

    /** What the rules decided of an allowed call, kept while its scope is judged. */
    private record Allowed(long start, String method, String profileName, Rule rule, Metrics.Outcome outcome,
                           boolean hijack, EngineApi.Route route) {
    }

    private void scoped(HttpServerExchange exchange, Allowed allowed, ScopeGate.Verdict verdict) {
        if (verdict.refusal() != null) {
            refuse(exchange, allowed.start(), verdict.refusal(), allowed.profileName(), allowed.rule());
            return;
        }
        send(exchange, allowed, verdict.path(), verdict.query());
    }

    /** Sends an allowed call on: its query checked if it is a pull, its body read and checked if it has one. */
    private void send(HttpServerExchange exchange, Allowed allowed, String path, Query query) {
        long start = allowed.start();
        String method = allowed.method();
        String profileName = allowed.profileName();
        Rule rule = allowed.rule();
        EngineApi.Route route = allowed.route();
        // The daemon gets the query the rules judged, encoded one way: never the client's own string.
        String target = query.isEmpty() ? path : path + "?" + query.canonical();
        Inspection inspection = route == null ? null : Inspection.of(method, route.path());
        Call call = new Call(exchange, start, profileName, rule, allowed.outcome(), target, allowed.hijack(), route, inspection);
        if (route != null && method.equals("POST") && route.path().equals(ImagePulls.ROUTE)) {
            if (audit != null) {
                audit.recordPull(query);
            }
            Refusal pull = WriteChecks.pull(query, rule, profileName);
            if (pull != null && audit == null) {
                refuse(exchange, start, pull, profileName, rule);
                return;
            }
            if (pull != null) {
                wouldDeny(exchange, pull.reason());
            }
        }
        if (inspection != null) {
            String unreadable = RequestScreen.hasBody(exchange) ? Inspection.unreadableHeaders(
                    exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE),
                    exchange.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING)) : null;
            if (unreadable != null) {
                refuse(exchange, start, new Refusal(400, unreadable), profileName, rule);
                return;
            }
            if (!RequestScreen.hasBody(exchange)) {
                // No body is judged as an empty object, so that nothing created escapes the stamped labels.
                call.read(EMPTY_OBJECT);
                return;
            }
        } else if (!RequestScreen.hasBody(exchange)) {
            call.forward(null);
            return;
        }
        EngineApi.Body body = route == null ? EngineApi.Body.NONE : route.body();
        if (body == EngineApi.Body.DATA) {
            call.forward(null);
            return;
        }
        // Read to its end before the daemon hears of the call: a JSON body is acted on whole, and a route
        // that takes no body acts on the head alone, so a body that breaks off must stop the call here.
        boolean keep = body == EngineApi.Body.JSON;
        long limit = Math.min(limits.maxBodyBytes(), keep ? limits.maxJsonBodyBytes() : MAX_DROPPED_BODY);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> RequestBodyReader.read(exchange, limit, keep, call));
    }

    /**
     * One allowed call on its way to the daemon: what the access log and the metrics say once it ends, and
     * what becomes of it once a body read in whole has arrived, or could not be read.
     */
    private final class Call implements RequestBodyReader.Outcome {
        private final HttpServerExchange exchange;
        private final long start;
        private final String profileName;
        private final Rule rule;
        private final Metrics.Outcome outcome;
        private final String target;
        private final boolean hijack;
        /** The Engine API route of the call; null for a path that fits none. */
        private final EngineApi.Route route;
        /** How the body is checked and rewritten; null on routes whose body goes as it is. */
        private final Inspection inspection;

        Call(HttpServerExchange exchange, long start, String profileName, Rule rule, Metrics.Outcome outcome,
             String target, boolean hijack, EngineApi.Route route, Inspection inspection) {
            this.exchange = exchange;
            this.start = start;
            this.profileName = profileName;
            this.rule = rule;
            this.outcome = outcome;
            this.target = target;
            this.hijack = hijack;
            this.route = route;
            this.inspection = inspection;
        }

        /** @param wholeBody the body read in whole (empty for one dropped), or null to relay the client's as it comes */
        void forward(byte[] wholeBody) {
            exchange.addExchangeCompleteListener((ex, next) -> {
                AccessLog.record(ex, outcome.label(), profileName, start);
                metrics.requestEnded(rule, outcome, AccessLog.status(ex), start, DaemonProxy.streamed(ex));
                next.proceed();
            });
            proxy.forward(exchange, target, hijack, wholeBody,
                    RedactedAnswer.of(exchange.getRequestMethod().toString(), route, rule));
        }

        @Override
        public void read(byte[] body) {
            if (inspection == null) {
                // A route that takes no body gets none, and no Content-Type: whatever the client meant by its
                // body (a form the daemon would read as query parameters), it is not read.
                forward(body);
                return;
            }
            if (audit != null) {
                audit.recordBody(inspection, body);
            }
            WriteChecks.Verdict verdict = WriteChecks.body(inspection, body, rule, profileName);
            if (verdict.refusal() != null) {
                refuseBody(body, verdict.refusal());
                return;
            }
            if (body == EMPTY_OBJECT && Arrays.equals(verdict.send(), EMPTY_OBJECT)) {
                // Nothing was stamped on a call that came without a body: it goes without one, as sent.
                forward(null);
                return;
            }
            // The daemon reads exactly what was checked: the value written anew, declared one way.
            exchange.getRequestHeaders().put(Headers.CONTENT_TYPE, "application/json");
            forward(verdict.send());
        }

        /** A body the checks refuse; audit mode forwards it as the client sent it, saying what it would refuse. */
        private void refuseBody(byte[] body, Refusal refusal) {
            if (audit == null) {
                refuse(exchange, start, refusal, profileName, rule);
                return;
            }
            wouldDeny(exchange, refusal.reason());
            forward(body);
        }

        @Override
        public void failed(int status, String message) {
            refuse(exchange, start, new Refusal(status, message), profileName, rule);
        }
    }

    /** Audit mode's line for a call it forwards that enforcing would refuse. */
    private static void wouldDeny(HttpServerExchange exchange, String reason) {
        log.warn("would deny {} {} {}: {}", AccessLog.client(exchange), AccessLog.printable(exchange.getRequestMethod().toString()),
                AccessLog.printable(exchange.getRequestURI()), reason);
    }

    private static boolean targetReadAsSent(HttpServerExchange exchange) {
        ParseFailureAnswer line = ParseFailureAnswer.of(exchange.getConnection());
        return line == null || line.targetReadAs(exchange.getRequestURI(), exchange.getQueryString());
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
    private void refuse(HttpServerExchange exchange, long start, Refusal refusal, String profileName, Rule rule) {
        refusals.refused(exchange, refusal);
        if (!exchange.getConnection().isOpen()) {
            // Undertow closes the connection itself on a chunked body it cannot decode, which ends the
            // exchange: no one is left to answer, but the call is logged ('-') and counted all the same.
            refusals.ended(exchange, refusal, profileName, rule, start);
            return;
        }
        // A refused request's body is never read; closing keeps its bytes from being taken as a next request.
        if (RequestScreen.hasBody(exchange) || refusal.status() != 403 && refusal.status() != 404) {
            exchange.setPersistent(false);
        }
        exchange.addExchangeCompleteListener((ex, next) -> {
            refusals.ended(ex, refusal, profileName, rule, start);
            next.proceed();
        });
        JsonError.send(exchange, refusal.status(), refusal.toClient());
    }
}
