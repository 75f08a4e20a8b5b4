package dockgate.admin;

import dockgate.http.JsonError;
import dockgate.policy.RulesInForce;

/** GET /health: whether the daemon answers and rules are in force, as JSON. */
final class HealthPage {

    private HealthPage() {
    }

    static String render(Snapshot state) {
        DaemonHealth.Status daemon = state.daemon();
        RulesInForce rules = state.rules();
        StringBuilder json = new StringBuilder(512);
        json.append("{\"status\":\"").append(state.healthy() ? "ok" : "unavailable").append('"');
        json.append(",\"daemon\":{\"reachable\":").append(daemon.answer().answered());
        json.append(",\"socket\":");
        string(json, state.daemonSide().socket().toString());
        json.append(",\"apiVersion\":");
        string(json, daemon.answer().apiVersion());
        json.append(",\"checkedAt\":");
        string(json, daemon.checkedAt().toString());
        json.append(",\"error\":");
        string(json, daemon.answer().problem());
        json.append("},\"rules\":{\"loaded\":").append(rules.loaded());
        json.append(",\"source\":");
        string(json, rules.source());
        json.append(",\"rules\":").append(rules.ruleCount());
        json.append(",\"loadedAt\":");
        string(json, rules.loadedAt() == null ? null : rules.loadedAt().toString());
        json.append(",\"error\":");
        string(json, rules.lastError());
        json.append(",\"lastAttempt\":");
        string(json, rules.lastAttempt() == null ? null : rules.lastAttempt().toString());
        return json.append("}}\n").toString();
    }

    private static void string(StringBuilder json, String text) {
        if (text == null) {
            json.append("null");
        } else {
            JsonError.appendString(json, text);
        }
    }
}
