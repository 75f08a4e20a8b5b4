package dockgate.admin;

import dockgate.policy.Rule;
import dockgate.policy.RulesInForce;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * GET /: a status page for people, rendered on the server; no scripts, no external assets. Everything that
 * comes from a request (paths, methods, reasons) or from the rules file is HTML-escaped.
 */
final class StatusPage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
            header{background:#1d2330;color:#fff;padding:14px 28px}header h1{margin:0;font-size:20px}
            header p{margin:2px 0 0;color:#b8c0d0}main{padding:18px 28px}
            .cards{display:flex;gap:16px;flex-wrap:wrap}.card{background:#fff;border:1px solid #dde1e8;border-radius:6px;
            padding:10px 16px;min-width:260px;flex:1}.card h2{font-size:15px;margin:0 0 6px}
            .card dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0}.card dt{color:#5b6475}
            .card dd{margin:0;overflow-wrap:anywhere}section{margin-top:20px}section h2{font-size:16px;margin:0 0 8px}
            table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e8}
            th,td{padding:3px 10px;border-bottom:1px solid #eceef2;text-align:left;vertical-align:top}
            th{background:#eef0f4;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
            code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere;white-space:pre-wrap}
            td.at{white-space:nowrap}
            .ok{color:#11703a;font-weight:600}.bad{color:#b3261e;font-weight:600}tr.none td{color:#5b6475}
            tr.profile td{background:#eef0f4;padding-top:8px}
            .empty{color:#5b6475;font-style:italic}
            """;

    private StatusPage() {
    }

    static String render(Snapshot state, Metrics metrics) {
        StringBuilder html = new StringBuilder(16384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>dockgate status</title><style>").append(STYLE).append("</style></head><body>\n");
        html.append("<header><h1>dockgate ").append(escape(state.version())).append("</h1><p>")
                .append(state.healthy() ? "healthy" : "UNHEALTHY").append(" &middot; up ")
                .append(uptime(state.uptime())).append(" &middot; started ")
                .append(TIME.format(state.started())).append("</p></header>\n<main>\n");
        cards(html, state);
        rules(html, state.rules(), metrics);
        denied(html, metrics.recentlyDenied());
        html.append("<p class=\"empty\">Rendered ").append(TIME.format(state.now()))
                .append(". Machine-readable: <a href=\"/health\">/health</a>, <a href=\"/metrics\">/metrics</a>.</p>\n");
        return html.append("</main></body></html>\n").toString();
    }

    private static void cards(StringBuilder html, Snapshot state) {
        DaemonHealth.Status daemon = state.daemon();
        RulesInForce rules = state.rules();
        html.append("<div class=\"cards\">\n<div class=\"card\" id=\"daemon\"><h2>Docker daemon</h2><dl>");
        term(html, "status", daemon.answer().answered() ? "<span class=\"ok\">answers</span>"
                : "<span class=\"bad\">does not answer</span>");
        term(html, "socket", "<code>" + escape(state.daemonSide().socket().toString()) + "</code>");
        if (daemon.answer().answered()) {
            term(html, "API version", escape(String.valueOf(daemon.answer().apiVersion())));
        } else {
            term(html, "problem", escape(daemon.answer().problem()));
        }
        term(html, "checked", TIME.format(daemon.checkedAt()));
        html.append("</dl></div>\n<div class=\"card\" id=\"rules-state\"><h2>Rules</h2><dl>");
        term(html, "status", rules.loaded() ? "<span class=\"ok\">in force</span>"
                : "<span class=\"bad\">none loaded: every call is refused</span>");
        term(html, "source", "<code>" + escape(rules.source()) + "</code>");
        term(html, "rules", Integer.toString(rules.ruleCount()));
        if (rules.loadedAt() != null) {
            term(html, "loaded", TIME.format(rules.loadedAt()));
        }
        if (rules.lastAttempt() != null && !rules.lastAttempt().equals(rules.loadedAt())) {
            term(html, "last attempt", TIME.format(rules.lastAttempt()));
        }
        if (rules.lastError() != null) {
            term(html, "last error", "<span class=\"bad\">" + escape(rules.lastError()) + "</span>");
        }
        html.append("</dl></div>\n<div class=\"card\" id=\"traffic\"><h2>Now</h2><dl>");
        term(html, "client connections", Integer.toString(state.clientConnections()));
        term(html, "streams open", Integer.toString(state.daemonSide().openStreams()));
        term(html, "daemon connections", state.daemonSide().busyConnections() + " busy, "
                + state.daemonSide().idleConnections() + " idle");
        term(html, "body bytes", state.daemonSide().bytesFromClient() + " from clients, " + state.daemonSide().bytesToClient() + " to clients");
        html.append("</dl></div>\n</div>\n");
    }

    private static void term(StringBuilder html, String name, String valueHtml) {
        html.append("<dt>").append(name).append("</dt><dd>").append(valueHtml).append("</dd>");
    }

    private static void rules(StringBuilder html, RulesInForce rules, Metrics metrics) {
        html.append("<section><h2>Rules, in the order they are tried</h2>\n<table id=\"rules\"><thead><tr>")
                .append("<th>Line</th><th>Rule</th><th class=\"n\">Allowed</th><th class=\"n\">Denied</th>")
                .append("</tr></thead><tbody>\n");
        Map<String, String> headings = rules.profileHeadings();
        if (rules.loaded()) {
            for (Rule rule : rules.ruleList()) {
                String profile = headings.get(rule.location());
                if (profile != null) {
                    html.append("<tr class=\"profile\"><td colspan=\"4\"><code>").append(escape(profile))
                            .append("</code></td></tr>\n");
                }
                html.append("<tr><td class=\"at\">").append(escape(rule.location())).append("</td><td><code>")
                        .append(escape(rule.text())).append("</code></td><td class=\"n\">")
                        .append(metrics.count(rule.location(), Metrics.Outcome.ALLOW)).append("</td><td class=\"n\">")
                        .append(metrics.count(rule.location(), Metrics.Outcome.DENY)).append("</td></tr>\n");
            }
        }
        String none = Metrics.NO_RULE;
        html.append("<tr class=\"none\"><td>&mdash;</td><td>no rule matched</td><td class=\"n\"></td><td class=\"n\">")
                .append(metrics.count(none, Metrics.Outcome.DENY)).append("</td></tr>\n")
                .append("<tr class=\"none\"><td>&mdash;</td><td>refused before the rules: malformed (400) or over a limit")
                .append("</td><td class=\"n\"></td><td class=\"n\">")
                .append(metrics.count(none, Metrics.Outcome.REJECT) + metrics.count(none, Metrics.Outcome.LIMIT))
                .append("</td></tr>\n</tbody></table></section>\n");
    }

    private static void denied(StringBuilder html, List<DeniedRequests.Denied> recent) {
        html.append("<section><h2>Last refused requests, newest first</h2>\n");
        if (recent.isEmpty()) {
            html.append("<p class=\"empty\" id=\"denied-none\">None since dockgate started.</p></section>\n");
            return;
        }
        html.append("<table id=\"denied\"><thead><tr><th>Time</th><th>Client</th><th>Method</th><th>Path</th>")
                .append("<th class=\"n\">Status</th><th>Reason</th></tr></thead><tbody>\n");
        for (DeniedRequests.Denied denied : recent) {
            html.append("<tr><td class=\"at\">").append(TIME.format(denied.time())).append("</td><td>")
                    .append(escape(denied.client())).append("</td><td>").append(escape(denied.method()))
                    .append("</td><td><code>").append(escape(denied.target())).append("</code></td><td class=\"n\">")
                    .append(denied.status()).append("</td><td>").append(escape(denied.reason())).append("</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    static String uptime(Duration uptime) {
        long seconds = uptime.toSeconds();
        long days = seconds / 86400;
        String clock = String.format("%dh %02dm %02ds", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
        return days > 0 ? days + "d " + clock : clock;
    }

    /** Text made safe inside HTML elements and quoted attributes; control characters become U+FFFD. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 || c == 0x7f ? '\ufffd' : c);
            }
        }
        return out.toString();
    }
}
