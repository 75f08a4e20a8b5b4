package dockgate.admin;

import dockgate.policy.Rule;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the gateway has done, counted for /metrics and the status page. Recording is called once per request
 * when it ends and costs a map lookup and a few adder increments: no lock, and no allocation once a rule's
 * counters exist.
 */
public final class Metrics {

    /** How a request was decided; the label values of {@code decision}. */
    public enum Outcome {
        /** Passed to the daemon. */
        ALLOW,
        /** Refused by the rules (403). */
        DENY,
        /** Refused as malformed: a bad path or request (400). */
        REJECT,
        /** Refused by a limit: size, connections, time (413, 414, 431, 503...). */
        LIMIT,
        /** Audit mode: passed to the daemon although the rules deny it. */
        WOULD_DENY;

        private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

        public String label() {
            return label;
        }
    }

    /** The rule label of requests no rule decided: unmatched, or refused before the rules were asked. */
    static final String NO_RULE = "none";
    private static final int DENIED_KEPT = 50;

    /** Per rule location ("conf/rules:52"), so counts carry on when a reload brings the same line back. */
    private final ConcurrentHashMap<String, StatusCounts[]> byRule = new ConcurrentHashMap<>();
    private final LatencyHistogram[] latency = new LatencyHistogram[Outcome.values().length];
    private final LongAdder streamsEnded = new LongAdder();
    private final DeniedRequests denied = new DeniedRequests(DENIED_KEPT);

    public Metrics() {
        for (int i = 0; i < latency.length; i++) {
            latency[i] = new LatencyHistogram();
        }
    }

    /**
     * A request has ended (its response is complete, or the client is gone).
     *
     * @param rule   the rule that decided it, or null
     * @param stream whether its response was relayed as a stream; streams stay out of the latency histogram,
     *               their duration is the client's choice
     */
    public void requestEnded(Rule rule, Outcome outcome, int status, long startNanos, boolean stream) {
        String key = rule == null ? NO_RULE : rule.location();
        StatusCounts[] counts = byRule.get(key);
        if (counts == null) {
            counts = byRule.computeIfAbsent(key, k -> newCounts());
        }
        counts[outcome.ordinal()].increment(status);
        if (stream) {
            streamsEnded.increment();
        } else {
            latency[outcome.ordinal()].observe(System.nanoTime() - startNanos);
        }
    }

    /** A request was refused; kept for the status page. The target is the raw path and query as sent. */
    public void refused(String client, String method, String target, int status, String reason) {
        denied.add(new DeniedRequests.Denied(Instant.now(), client, method, target, status, reason));
    }

    private static StatusCounts[] newCounts() {
        StatusCounts[] counts = new StatusCounts[Outcome.values().length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new StatusCounts();
        }
        return counts;
    }

    /** Rule location to its counters by outcome; sorted, so that scrapes list series in a stable order. */
    Map<String, StatusCounts[]> byRule() {
        return new TreeMap<>(byRule);
    }

    /** Requests with this outcome decided by the rule at this location ("none" for no rule). */
    long count(String location, Outcome outcome) {
        StatusCounts[] counts = byRule.get(location);
        return counts == null ? 0 : counts[outcome.ordinal()].total();
    }

    LatencyHistogram latency(Outcome outcome) {
        return latency[outcome.ordinal()];
    }

    long streamsEnded() {
        return streamsEnded.sum();
    }

    List<DeniedRequests.Denied> recentlyDenied() {
        return denied.recent();
    }
}
