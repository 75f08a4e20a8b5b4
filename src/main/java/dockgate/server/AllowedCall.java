package dockgate.server;

import dockgate.admin.Metrics;
import dockgate.api.EngineApi;
import dockgate.audit.LearnedRulesFile;
import dockgate.guard.ImagePulls;
import dockgate.guard.Inspection;
import dockgate.policy.Query;
import dockgate.policy.Rule;
import dockgate.proxy.AnswerRewrite;
import dockgate.proxy.DaemonProxy;
import dockgate.proxy.StreamBytes;
import dockgate.scope.Scope;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * One allowed call on its way to the daemon: what the access log and the metrics say once it ends, and
 * what becomes of it once a body read in whole has arrived, or could not be read.
 */
final class AllowedCall implements RequestBodyReader.Outcome {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
    private static final byte[] EMPTY_OBJECT = {'{', '}'};
    /** The most of a body read only to be dropped, on a route that takes none (clients send "{}" or so). */
    static final long MAX_DROPPED_BODY = 64 * 1024;

    /** What the handler shares with every call it allows. */
    record Services(DaemonProxy proxy, Metrics metrics, LearnedRulesFile audit, ScopeGate scopes, Limits limits,
                    Refuser refuser) {
    }

    /** How a call is refused: answered with a JSON error, logged and counted. */
    interface Refuser {
        void refuse(HttpServerExchange exchange, long start, Refusal refusal, String profileName, Rule rule);
    }

    /** What the rules decided of an allowed call, kept while its scope is judged. */
    record Allowed(long start, String method, String profileName, Rule rule, Metrics.Outcome outcome,
                   boolean hijack, EngineApi.Route route, Scope scope) {
    }

    /**
     * Sends an allowed call on: its query checked if it is a pull, its body read and checked if it has one.
     *
     * @param scoped the check of an inspect's answer against the profile's scope, or null
     */
    static void send(Services services, HttpServerExchange exchange, Allowed allowed, String path, Query query,
                     ScopedAnswer scoped) {
        LearnedRulesFile audit = services.audit();
        long start = allowed.start();
        String method = allowed.method();
        String profileName = allowed.profileName();
        Rule rule = allowed.rule();
        EngineApi.Route route = allowed.route();
        // The daemon gets the query the rules judged, encoded one way: never the client's own string.
        String target = query.isEmpty() ? path : path + "?" + query.canonical();
        Inspection inspection = route == null ? null : Inspection.of(method, route.path());
        AllowedCall call = new AllowedCall(services, exchange, allowed, target, inspection, scoped);
        if (route != null && method.equals("POST") && route.path().equals(ImagePulls.ROUTE)) {
            if (audit != null) {
                audit.recordPull(query);
            }
            Refusal pull = WriteChecks.pull(query, rule, profileName);
            if (pull != null && audit == null) {
                services.refuser().refuse(exchange, start, pull, profileName, rule);
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
                services.refuser().refuse(exchange, start, new Refusal(400, unreadable), profileName, rule);
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
        long limit = Math.min(services.limits().maxBodyBytes(), keep ? services.limits().maxJsonBodyBytes() : MAX_DROPPED_BODY);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> RequestBodyReader.read(exchange, limit, keep, call));
    }

    private final Services services;
    private final HttpServerExchange exchange;
    private final Allowed allowed;
    private final long start;
    private final String profileName;
    private final Rule rule;
    private final String target;
    /** The Engine API route of the call; null for a path that fits none. */
    private final EngineApi.Route route;
    /** How the body is checked and rewritten; null on routes whose body goes as it is. */
    private final Inspection inspection;
    /** The check of an inspect's answer against the scope; null for none. */
    private final ScopedAnswer scoped;

    private AllowedCall(Services services, HttpServerExchange exchange, Allowed allowed, String target,
                        Inspection inspection, ScopedAnswer scoped) {
        this.scoped = scoped;
        this.services = services;
        this.exchange = exchange;
        this.allowed = allowed;
        this.start = allowed.start();
        this.profileName = allowed.profileName();
        this.rule = allowed.rule();
        this.target = target;
        this.route = allowed.route();
        this.inspection = inspection;
    }

    /** @param wholeBody the body read in whole (empty for one dropped), or null to relay the client's as it comes */
    void forward(byte[] wholeBody) {
        exchange.addExchangeCompleteListener((ex, next) -> {
            CompletableFuture<StreamBytes> stream = DaemonProxy.hijacked(ex);
            if (stream == null) {
                AccessLog.record(ex, allowed.outcome().label(), profileName, start);
            } else {
                AccessLog.recordStream(ex, allowed.outcome().label(), profileName, start, stream);
            }
            services.metrics().requestEnded(rule, allowed.outcome(), AccessLog.status(ex), start, DaemonProxy.streamed(ex));
            next.proceed();
        });
        // The table marks GET lines only, and a call's route is found by its method.
        services.proxy().forward(exchange, target, allowed.hijack(), wholeBody, answerRewrite(),
                route != null && route.document());
    }

    /** How the answer is rewritten before the client sees it: checked against the scope, then redacted. */
    private AnswerRewrite answerRewrite() {
        AnswerRewrite redaction = RedactedAnswer.of(exchange.getRequestMethod().toString(), route, rule);
        return scoped == null ? redaction : scoped.then(redaction);
    }

    @Override
    public void read(byte[] body) {
        if (inspection == null) {
            // A route that takes no body gets none, and no Content-Type: whatever the client meant by its
            // body (a form the daemon would read as query parameters), it is not read.
            forwardWithin(body, body);
            return;
        }
        if (services.audit() != null) {
            services.audit().recordBody(inspection, body);
        }
        WriteChecks.Verdict verdict = WriteChecks.body(inspection, body, rule, profileName);
        if (verdict.refusal() != null) {
            refuseBody(body, verdict.refusal());
            return;
        }
        if (body == EMPTY_OBJECT && Arrays.equals(verdict.send(), EMPTY_OBJECT)) {
            // Nothing was stamped on a call that came without a body: it goes without one, as sent.
            forwardWithin(EMPTY_OBJECT, null);
            return;
        }
        // The daemon reads exactly what was checked: the value written anew, declared one way.
        exchange.getRequestHeaders().put(Headers.CONTENT_TYPE, "application/json");
        forwardWithin(verdict.send(), verdict.send());
    }

    /**
     * Forwards the call once the objects its body names are found within the profile's scope.
     *
     * @param named the body as the daemon reads it, whose references are checked
     * @param send  what {@link #forward} sends
     */
    private void forwardWithin(byte[] named, byte[] send) {
        if (allowed.scope() == null || route == null) {
            forward(send);
            return;
        }
        CompletableFuture<Refusal> found = services.scopes().references(allowed.scope(),
                java.util.Objects.requireNonNullElse(profileName, dockgate.policy.Rulebook.DEFAULT_PROFILE), route.path(), named);
        if (found.isDone()) {
            forwardUnlessRefused(found.join(), send);
            return;
        }
        found.thenAccept(refusal -> exchange.getIoThread().execute(() -> forwardUnlessRefused(refusal, send)));
    }

    private void forwardUnlessRefused(Refusal refusal, byte[] send) {
        if (refusal != null) {
            services.refuser().refuse(exchange, start, refusal, profileName, rule);
        } else {
            forward(send);
        }
    }

    /** A body the checks refuse; audit mode forwards it as the client sent it, saying what it would refuse. */
    private void refuseBody(byte[] body, Refusal refusal) {
        if (services.audit() == null) {
            services.refuser().refuse(exchange, start, refusal, profileName, rule);
            return;
        }
        wouldDeny(exchange, refusal.reason());
        forward(body);
    }

    @Override
    public void failed(int status, String message) {
        services.refuser().refuse(exchange, start, new Refusal(status, message), profileName, rule);
    }

    /** Audit mode's line for a call it forwards that enforcing would refuse. */
    static void wouldDeny(HttpServerExchange exchange, String reason) {
        log.warn("would deny {} {} {}: {}", AccessLog.client(exchange), AccessLog.printable(exchange.getRequestMethod().toString()),
                AccessLog.printable(exchange.getRequestURI()), reason);
    }
}
