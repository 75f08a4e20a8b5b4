package dockgate.server;

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
import io.undertow.util.SameThreadExecutor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Decides each call: screened, its path made canonical, judged by the rules, then either refused with a
 * Docker-style JSON error or forwarded to the daemon as exactly the path that was judged.
 */
public final class GatewayHandler implements HttpHandler {


    private final LiveRules rules;
    private final DaemonProxy proxy;
    private final Limits limits;
    private final ConnectionCount connections;
    private final Metrics metrics;
    private final RefusalRecorder refusals;
    private final ScopeGate scopes;
    private final AllowedCall.Services services;
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
        this.services = new AllowedCall.Services(proxy, metrics, audit, scopes, limits, this::refuse);
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
            String why = decision.allowed() ? "rule " + decision.rule().location() + " allows it without the word hijack"
                    : decision.reason();
            if (audit != null) {
                audit.recordRefusedUpgrade(method, path, why);
            }
            RequestScreen.Problem refused = RequestScreen.UPGRADE_REFUSED;
            refuse(exchange, start, new Refusal(refused.status(), refused.message(),
                    refused.message() + " (" + why + ")"), profileName, null);
            return;
        }
        // Audit mode relaxes only the rules, and only for calls some rule could allow: everything screened
        // out above, and methods or paths no rules file can name, stay refused in audit mode too.
        String rawQuery = exchange.getQueryString();
        EngineApi.Route route = EngineApi.routes().route(method, path);
        boolean learned = audit != null
                && audit.record(exchange.getSourceAddress(), method, path, rawQuery.isEmpty() ? null : rawQuery,
                !decision.allowed(), hijack);
        if (!decision.allowed()) {
            String reason = profileName == null ? decision.reason() : decision.reason() + " (profile " + profileName + ")";
            if (route != null && route.path().equals("/_ping")) {
                reason += " (" + Profile.PING_HINT + ")";
            }
            if (!learned) {
                String missing = NotFoundAnswer.forRead(method, path);
                Refusal refusal = missing == null
                        ? new Refusal(403, method + " " + path + " is not allowed by the rules"
                                + (decision.query() == null ? "" : ": " + decision.query()), reason)
                        : new Refusal(404, missing, reason + "; answered as the daemon answers a missing object");
                refuse(exchange, start, refusal, profileName, decision.rule());
                return;
            }
            AllowedCall.wouldDeny(exchange, reason);
        }
        Metrics.Outcome outcome = decision.allowed() ? Metrics.Outcome.ALLOW : Metrics.Outcome.WOULD_DENY;
        AllowedCall.Allowed allowed = new AllowedCall.Allowed(start, method, profileName, decision.rule(), outcome, hijack, route, profile.scope());
        if (allowed.scope() == null) {
            AllowedCall.send(services, exchange, allowed, path, query, null);
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

    private void scoped(HttpServerExchange exchange, AllowedCall.Allowed allowed, ScopeGate.Verdict verdict) {
        if (verdict.refusal() != null) {
            refuse(exchange, allowed.start(), verdict.refusal(), allowed.profileName(), allowed.rule());
            return;
        }
        AllowedCall.send(services, exchange, allowed, verdict.path(), verdict.query(), verdict.answer());
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
