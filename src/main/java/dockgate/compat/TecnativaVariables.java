package dockgate.compat;

import dockgate.policy.CompatException;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The environment variables of the Tecnativa docker-socket-proxy, read as that proxy reads them: each 1 or
 * 0, an unset one taking the default its image gives it.
 */
final class TecnativaVariables {

    /** Write methods and the variable that opens each; GET and HEAD are always open. */
    private static final List<String> WRITE_METHODS = List.of("POST", "DELETE", "PUT", "PATCH");

    /** Every variable read, with the default the docker-socket-proxy image gives it. */
    private static final Map<String, Boolean> DEFAULTS = defaults();

    private final Map<String, Boolean> values;

    private TecnativaVariables(Map<String, Boolean> values) {
        this.values = values;
    }

    /** Reads the variables from {@code env}; an unset variable takes the docker-socket-proxy default. */
    static TecnativaVariables fromEnvironment(Map<String, String> env) throws CompatException {
        Map<String, Boolean> values = new LinkedHashMap<>();
        for (Map.Entry<String, Boolean> variable : DEFAULTS.entrySet()) {
            String text = env.get(variable.getKey());
            if (text == null) {
                values.put(variable.getKey(), variable.getValue());
            } else if (text.equals("1") || text.equals("0")) {
                values.put(variable.getKey(), text.equals("1"));
            } else {
                throw new CompatException("--compat tecnativa: " + variable.getKey() + " must be 1 or 0, as"
                        + " docker-socket-proxy documents, got '" + text + "'");
            }
        }
        return new TecnativaVariables(values);
    }

    /** One line for the start-up log: which sections, methods and container actions are on. */
    String summary() {
        StringJoiner sections = new StringJoiner(" ");
        StringJoiner actions = new StringJoiner(" ");
        for (Map.Entry<String, Boolean> variable : values.entrySet()) {
            String name = variable.getKey();
            if (!variable.getValue() || WRITE_METHODS.contains(name)) {
                continue;
            }
            (name.startsWith("ALLOW_") ? actions : sections).add(name);
        }
        return "sections on: " + orNone(sections) + "; methods on: " + String.join(" ", enabledMethods())
                + "; container actions on: " + orNone(actions);
    }

    Set<String> enabledMethods() {
        Set<String> methods = new LinkedHashSet<>(List.of("GET", "HEAD"));
        for (String method : WRITE_METHODS) {
            if (values.get(method)) {
                methods.add(method);
            }
        }
        return methods;
    }

    boolean on(String variable) {
        Boolean value = values.get(variable);
        if (value == null) {
            throw new IllegalStateException("route table names unknown variable " + variable);
        }
        return value;
    }

    private static String orNone(StringJoiner joiner) {
        return joiner.length() == 0 ? "none" : joiner.toString();
    }

    private static Map<String, Boolean> defaults() {
        Map<String, Boolean> defaults = new LinkedHashMap<>();
        for (String section : List.of("AUTH", "BUILD", "COMMIT", "CONFIGS", "CONTAINERS", "DISTRIBUTION", "EVENTS",
                "EXEC", "GRPC", "IMAGES", "INFO", "NETWORKS", "NODES", "PING", "PLUGINS", "SECRETS", "SERVICES",
                "SESSION", "SWARM", "SYSTEM", "TASKS", "VERSION", "VOLUMES")) {
            defaults.put(section, Set.of("EVENTS", "PING", "VERSION").contains(section));
        }
        for (String method : WRITE_METHODS) {
            defaults.put(method, false);
        }
        for (String action : List.of("ALLOW_START", "ALLOW_STOP", "ALLOW_RESTARTS", "ALLOW_PAUSE", "ALLOW_UNPAUSE",
                "ALLOW_EXEC", "ALLOW_KILL", "ALLOW_ATTACH", "ALLOW_ARCHIVE", "ALLOW_EXPORT", "ALLOW_LOGS")) {
            defaults.put(action, false);
        }
        return defaults;
    }
}
