package dockgate.admin;

import dockgate.policy.RulesInForce;

import java.util.Map;

/** GET /metrics: the gateway's counters and gauges in Prometheus text format. */
final class MetricsPage {

    private MetricsPage() {
    }

    static String render(Snapshot state, Metrics metrics) {
        PrometheusText text = new PrometheusText();
        text.family("dockgate_build_info", "gauge", "The running dockgate's version; always 1.")
                .sample("dockgate_build_info", 1, "version", state.version());
        text.family("dockgate_start_time_seconds", "gauge", "When this dockgate started, in seconds since the epoch.")
                .sample("dockgate_start_time_seconds", state.started().toEpochMilli() / 1000.0);

        text.family("dockgate_requests_total", "counter", "Requests that have ended, by the rule that decided "
                + "them (FILE:LINE, or none), the decision (allow, deny, reject, limit) and the status sent.");
        for (Map.Entry<String, StatusCounts[]> rule : metrics.byRule().entrySet()) {
            for (Metrics.Outcome outcome : Metrics.Outcome.values()) {
                for (StatusCounts.Count count : rule.getValue()[outcome.ordinal()].snapshot()) {
                    text.sample("dockgate_requests_total", count.count().sum(), "rule", rule.getKey(),
                            "decision", outcome.label(), "status", Integer.toString(count.status()));
                }
            }
        }

        String duration = "dockgate_request_duration_seconds";
        text.family(duration, "histogram", "Time from a request's arrival to the end of its response, by "
                + "decision. Streamed responses (events, followed logs) are not included.");
        for (Metrics.Outcome outcome : Metrics.Outcome.values()) {
            LatencyHistogram histogram = metrics.latency(outcome);
            long[] cumulative = histogram.cumulative();
            for (int i = 0; i < LatencyHistogram.BOUNDS.length; i++) {
                text.sample(duration + "_bucket", cumulative[i], "decision", outcome.label(),
                        "le", LatencyHistogram.BOUNDS[i]);
            }
            long count = cumulative[cumulative.length - 1];
            text.sample(duration + "_bucket", count, "decision", outcome.label(), "le", "+Inf");
            text.sample(duration + "_sum", histogram.sumSeconds(), "decision", outcome.label());
            text.sample(duration + "_count", count, "decision", outcome.label());
        }

        text.family("dockgate_streams_open", "gauge", "Responses streaming to clients now (events, followed logs, "
                        + "other responses of unknown length).")
                .sample("dockgate_streams_open", state.daemonSide().openStreams());
        text.family("dockgate_streams_ended_total", "counter", "Streamed responses that have ended.")
                .sample("dockgate_streams_ended_total", metrics.streamsEnded());
        text.family("dockgate_client_connections_open", "gauge", "Client connections open now that have sent "
                        + "at least one request.")
                .sample("dockgate_client_connections_open", state.clientConnections());
        text.family("dockgate_upstream_connections", "gauge", "Connections to the daemon's socket: idle in the "
                        + "pool, or busy carrying a call or stream.")
                .sample("dockgate_upstream_connections", state.daemonSide().idleConnections(), "state", "idle")
                .sample("dockgate_upstream_connections", state.daemonSide().busyConnections(), "state", "busy");
        text.family("dockgate_bytes_total", "counter", "Body bytes relayed: request bodies from clients to the "
                        + "daemon, response bodies from the daemon to clients. dockgate's own error bodies are not counted.")
                .sample("dockgate_bytes_total", state.daemonSide().bytesFromClient(), "direction", "from_client")
                .sample("dockgate_bytes_total", state.daemonSide().bytesToClient(), "direction", "to_client");

        RulesInForce rules = state.rules();
        text.family("dockgate_rules_loaded", "gauge", "1 when rules are in force, else 0 (every call is refused).")
                .sample("dockgate_rules_loaded", rules.loaded() ? 1 : 0);
        text.family("dockgate_rules", "gauge", "The number of rules in force.")
                .sample("dockgate_rules", rules.ruleCount());
        text.family("dockgate_rules_info", "gauge", "Where the rules in force come from; always 1.")
                .sample("dockgate_rules_info", 1, "source", rules.source());
        if (rules.loadedAt() != null) {
            text.family("dockgate_rules_loaded_timestamp_seconds", "gauge",
                            "When the rules in force were loaded, in seconds since the epoch.")
                    .sample("dockgate_rules_loaded_timestamp_seconds", rules.loadedAt().toEpochMilli() / 1000.0);
        }
        if (rules.lastAttempt() != null) {
            text.family("dockgate_rules_last_attempt_timestamp_seconds", "gauge",
                            "When the rules were last loaded or a reload was tried, in seconds since the epoch.")
                    .sample("dockgate_rules_last_attempt_timestamp_seconds", rules.lastAttempt().toEpochMilli() / 1000.0);
        }
        text.family("dockgate_rules_error", "gauge", "1 when the last attempt to load the rules failed "
                        + "(the previous rules, if any, stay in force), else 0.")
                .sample("dockgate_rules_error", rules.lastError() == null ? 0 : 1);

        text.family("dockgate_daemon_up", "gauge", "1 when the daemon answered GET /_ping at the last check "
                        + "(made at most every 1.5 s, on scrapes and health checks), else 0.")
                .sample("dockgate_daemon_up", state.daemon().answer().answered() ? 1 : 0);
        return text.toString();
    }
}
