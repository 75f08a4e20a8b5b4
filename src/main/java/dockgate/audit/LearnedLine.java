package dockgate.audit;

import dockgate.guard.CheckSetLearner;
import dockgate.guard.Inspection;
import dockgate.policy.Query;
import dockgate.policy.Rule;
import dockgate.policy.UnreadableQueryException;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** One rule of a learned file: a route and what was seen on it. Guarded by its {@link LearnedRules}. */
final class LearnedLine {

    private static final List<String> METHODS = Rule.METHODS;
    private static final String TAG_ROUTE = "/images/{name}/tag";
    static final List<String> TAG_PARAMETERS = List.of("repo", "tag");
    /**
     * Docker clients ask {@code /_ping} first, to agree on the API version: the CLI sends HEAD and then GET,
     * docker-py asks {@code /version} instead. A file without both stops the CLI with "client version ... is
     * too new", which never names dockgate; so a learned file allows both, seen or not.
     */
    static final String PING = "/_ping";
    private static final List<String> PING_METHODS = List.of("GET", "HEAD");

    final DockerApiRoutes.Route route;
    final int order;
    /** The first call seen, or null for the /_ping rule written without one. */
    private final String example;
    private final Map<String, Long> methods = new TreeMap<>(Comparator.comparingInt(METHODS::indexOf));
    private final Set<String> clients = new LinkedHashSet<>();
    private boolean moreClients;
    private long calls;
    private long denied;
    /** Whether a call was relayed as a raw stream (attach, exec start): the rule must say {@code hijack}. */
    private boolean hijacked;

    /** Tagging only: the values seen for repo and tag, and why a constraint had to be left out. */
    private final Map<String, TreeSet<String>> values = new LinkedHashMap<>();
    private String unconstrained;

    LearnedLine(DockerApiRoutes.Route route, String example) {
        this.route = route;
        this.order = route.known() ? DockerApiRoutes.order(route.path()) : Integer.MAX_VALUE;
        this.example = example;
        if (route.known() && route.path().equals(TAG_ROUTE)) {
            TAG_PARAMETERS.forEach(name -> values.put(name, new TreeSet<>()));
        }
    }

    /** The /_ping rule of a file that saw no call to it. */
    static LearnedLine unseenPing() {
        return new LearnedLine(DockerApiRoutes.of("GET", PING), null);
    }

    /** Whether the route's bodies (or a pull's query) are checked: its rule names the learned checks. */
    boolean checked() {
        return route.known() && methods.containsKey("POST") && Inspection.inspects(route.path());
    }

    private boolean ping() {
        return route.known() && route.path().equals(PING);
    }

    void add(String client, String method, String rawQuery, boolean deniedByRules, boolean hijack) {
        calls++;
        if (deniedByRules) {
            denied++;
        }
        hijacked |= hijack;
        methods.merge(method, 1L, Long::sum);
        if (!clients.contains(client)) {
            if (clients.size() < LearnedRules.MAX_CLIENTS) {
                clients.add(client);
            } else {
                moreClients = true;
            }
        }
        if (!values.isEmpty() && unconstrained == null) {
            constrain(rawQuery);
        }
    }

    private void constrain(String rawQuery) {
        List<String> seen;
        try {
            seen = Query.parse(rawQuery).valuesOnce(TAG_PARAMETERS);
        } catch (UnreadableQueryException e) {
            // Constraints would deny this call, and the file must allow every call seen.
            unconstrained = "a call whose query the constraints cannot read (" + e.getMessage() + ")";
            return;
        }
        for (int i = 0; i < seen.size(); i++) {
            TreeSet<String> known = values.get(TAG_PARAMETERS.get(i));
            known.add(seen.get(i));
            if (known.size() > LearnedRules.MAX_VALUES) {
                unconstrained = "more than " + LearnedRules.MAX_VALUES + " different values of " + TAG_PARAMETERS.get(i);
                return;
            }
        }
    }

    void appendTo(StringBuilder out) {
        Set<String> written = new TreeSet<>(Comparator.comparingInt(METHODS::indexOf));
        written.addAll(methods.keySet());
        if (ping()) {
            written.addAll(PING_METHODS);
        }
        if (calls == 0) {
            out.append("\n# No call used it; written all the same: docker clients call /_ping first, to agree on the API\n")
                    .append("# version, and the docker CLI fails without it (\"client version ... is too new\").\n");
        } else {
            appendSeen(out);
            if (written.size() > methods.size()) {
                out.append("# GET and HEAD both, whichever was seen: docker clients call /_ping first, to agree on the API version.\n");
            }
        }
        if (!values.isEmpty()) {
            out.append(unconstrained == null
                    ? "# Tagging re-points tags: repo and tag are limited to the values seen.\n"
                    : "# REVIEW: tagging re-points tags, but repo and tag are left open: the calls included " + unconstrained + ".\n");
        }
        if (hijacked) {
            out.append("# Relayed as a raw stream (Upgrade: tcp), which the rule allows with the word hijack.\n");
        }
        String methodList = String.join(",", written);
        out.append(methodList).append(" ".repeat(Math.max(1, 10 - methodList.length()))).append(route.path());
        if (!values.isEmpty() && unconstrained == null) {
            values.forEach((name, seen) -> out.append("   ").append(name).append("=~").append(LearnedRules.anyOf(seen)));
        }
        if (checked()) {
            out.append("   checks=").append(CheckSetLearner.NAME);
        }
        if (hijacked) {
            out.append("   ").append(Rule.HIJACK);
        }
        out.append('\n');
    }

    private void appendSeen(StringBuilder out) {
        out.append("\n# ").append(LearnedRules.count(calls, "call"));
        if (methods.size() > 1) {
            StringBuilder perMethod = new StringBuilder();
            methods.forEach((m, n) -> perMethod.append(perMethod.length() == 0 ? "" : ", ").append(m).append(' ').append(n));
            out.append(" (").append(perMethod).append(')');
        }
        out.append(" from ").append(String.join(", ", clients)).append(moreClients ? " and others" : "");
        if (denied > 0) {
            out.append(", ").append(denied == calls ? (calls == 1 ? "denied" : "all denied") : denied + " denied")
                    .append(" by the rules in use");
        }
        out.append("; e.g. ").append(example).append('\n');
    }
}
