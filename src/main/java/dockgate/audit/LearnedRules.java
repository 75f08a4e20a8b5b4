package dockgate.audit;

import dockgate.guard.CheckSetLearner;
import dockgate.guard.Inspection;
import dockgate.policy.Profile;
import dockgate.policy.Query;
import dockgate.policy.UnreadableQueryException;
import dockgate.policy.Rule;
import dockgate.policy.RulesException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The calls audit mode has forwarded, grouped by the Docker API route each belongs to, and the rules file
 * that allows exactly those routes: one line per route, its methods merged, in the order of the route
 * table. The only query constraints written are those of image tagging, which re-points tags: there the
 * file allows exactly the repo and tag values seen, so it is no looser than the traffic.
 *
 * <p>Thread-safe: calls are recorded from every IO thread.
 */
public final class LearnedRules {

    /** The methods a rule may name, in the order they are written. */
    private static final List<String> METHODS = Rule.METHODS;
    private static final String TAG_ROUTE = "/images/{name}/tag";
    private static final List<String> TAG_PARAMETERS = List.of("repo", "tag");

    /** Bounds on what a client can make the gateway remember: literal paths, values per parameter, clients listed. */
    static final int MAX_LITERAL_PATHS = 1000;
    static final int MAX_VALUES = 256;
    private static final int MAX_CLIENTS = 16;
    private static final int MAX_UNWRITABLE = 100;

    private final Map<String, Line> lines = new HashMap<>();
    private final Map<String, Long> unwritable = new TreeMap<>();
    private final Set<String> clients = new LinkedHashSet<>();
    /** Calls recorded, learnable or not. */
    private long calls;
    private int literalPaths;
    private long literalPathsDropped;
    private long changes;
    private final CheckSetLearner checks = new CheckSetLearner();

    /**
     * Remembers one forwarded call.
     *
     * @param client        the client's address, without its port
     * @param method        the method as sent
     * @param canonicalPath the output of {@code CanonicalPath.of}, as the rules matched it
     * @param rawQuery      the query as sent, or null
     * @param deniedByRules whether the rules in use would have refused it
     * @return whether a rule can allow the call; if not, it is only listed, and audit mode must refuse it:
     *         forwarding teaches nothing, and such methods include CONNECT, which a 2xx turns into a tunnel
     */
    public synchronized boolean record(String client, String method, String canonicalPath, String rawQuery,
                                       boolean deniedByRules) {
        calls++;
        changes++;
        if (clients.size() < MAX_CLIENTS) {
            clients.add(client);
        }
        DockerApiRoutes.Route route = DockerApiRoutes.of(method, canonicalPath);
        Line line = lines.get(route.path());
        // A literal path already written is writable; only the method can still be one no rule can name.
        if (!route.known() && !(line != null ? METHODS.contains(method) : writable(method, route.path()))) {
            String call = method + " " + canonicalPath;
            if (unwritable.size() < MAX_UNWRITABLE || unwritable.containsKey(call)) {
                unwritable.merge(call, 1L, Long::sum);
            }
            return false;
        }
        if (line == null) {
            if (!route.known() && literalPaths >= MAX_LITERAL_PATHS) {
                literalPathsDropped++;
                return true;
            }
            literalPaths += route.known() ? 0 : 1;
            line = new Line(route, method + " " + canonicalPath);
            lines.put(route.path(), line);
        }
        line.add(client, method, rawQuery, deniedByRules);
        return true;
    }

    /** Learns from the body of a call on a route whose bodies are checked, once the call itself was recorded. */
    public synchronized void recordBody(Inspection inspection, byte[] body) {
        checks.body(inspection, body);
        changes++;
    }

    /** Learns from the query of an image create. */
    public synchronized void recordPull(String fromImage, String tag, String fromSrc) {
        checks.pull(fromImage, tag, fromSrc);
        changes++;
    }

    /** Grows with every recorded call: the file needs writing again when it has moved on. */
    public synchronized long changes() {
        return changes;
    }

    public synchronized long calls() {
        return calls;
    }

    /** The number of rules the file would hold. */
    public synchronized int size() {
        return lines.size();
    }

    /** The rules file: a valid dockgate rules file that allows every call recorded (see the class comment). */
    public synchronized String text() {
        StringBuilder out = new StringBuilder(4096);
        out.append("# dockgate rules learned in audit mode (dockgate --mode audit): the smallest rules that allow\n")
                .append("# every call forwarded while it ran: ").append(count(calls, "call")).append(" from ")
                .append(clients.size() >= MAX_CLIENTS ? "at least " : "").append(count(clients.size(), "client"))
                .append(", ").append(count(lines.size(), "rule")).append(".\n")
                .append("# Use it with: dockgate --rules FILE. Review it first: it allows whatever the clients did.\n")
                .append("# Each rule follows a comment saying how many calls used it, from which clients, with an example.\n");
        List<Line> ordered = new ArrayList<>(lines.values());
        ordered.sort(Comparator.comparingInt((Line l) -> l.order).thenComparing(l -> l.route.path()));
        if (ordered.stream().anyMatch(Line::checked)) {
            out.append("\n# What the bodies of create, exec, volume, network and service calls and the image pulls asked\n")
                    .append("# for (").append(count(checks.judged(), "call")).append("): the rules below allow exactly that.")
                    .append(checks.unlearnable() == 0 ? "\n" : "\n# REVIEW: " + count(checks.unlearnable(), "call")
                            + " asked for what no line can allow; they will be refused.\n")
                    .append("checks ").append(CheckSetLearner.NAME).append('\n');
            checks.lines().forEach(line -> out.append("    ").append(line).append('\n'));
        }
        boolean literals = false;
        for (Line line : ordered) {
            if (!line.route.known() && !literals) {
                literals = true;
                out.append("\n# --- Calls that fit no route of the Docker Engine API 1.41, written as their literal path ---\n");
            }
            line.appendTo(out);
        }
        if (literalPathsDropped > 0) {
            out.append("\n# ").append(count(literalPathsDropped, "more call")).append(" to paths that fit no route")
                    .append(" were not written: more than ").append(MAX_LITERAL_PATHS).append(" such paths were seen.\n");
        }
        if (!unwritable.isEmpty()) {
            out.append("\n# Calls refused even in audit mode, since no rule can allow them (a method other than\n# ")
                    .append(String.join(" ", METHODS)).append(", the root path, a doubled version prefix):\n");
            unwritable.forEach((call, n) -> out.append("#   ").append(count(n, "call")).append(": ").append(call).append('\n'));
        }
        return out.toString();
    }

    /**
     * Whether a rule can name this method and literal path: not the root path, nor one that still starts
     * with a version once its prefix is gone. Parsing is the test, so it cannot drift from the parser.
     */
    private static boolean writable(String method, String path) {
        if (!METHODS.contains(method)) {
            return false;
        }
        try {
            Profile.parse("learned", method + " " + path);
            return true;
        } catch (RulesException e) {
            return false;
        }
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** One rule of the file: a route and what was seen on it. */
    private static final class Line {
        final DockerApiRoutes.Route route;
        final int order;
        final String example;
        final Map<String, Long> methods = new TreeMap<>(Comparator.comparingInt(METHODS::indexOf));
        final Set<String> clients = new LinkedHashSet<>();
        boolean moreClients;
        long calls;
        long denied;
        /** Whether the route's bodies (or a pull's query) are checked: its rule names the learned checks. */
        boolean checked() {
            return route.known() && methods.containsKey("POST") && Inspection.inspects(route.path());
        }

        /** Tagging only: the values seen for repo and tag, and why a constraint had to be left out. */
        final Map<String, TreeSet<String>> values = new LinkedHashMap<>();
        String unconstrained;

        Line(DockerApiRoutes.Route route, String example) {
            this.route = route;
            this.order = route.known() ? DockerApiRoutes.order(route.path()) : Integer.MAX_VALUE;
            this.example = example;
            if (route.known() && route.path().equals(TAG_ROUTE)) {
                TAG_PARAMETERS.forEach(name -> values.put(name, new TreeSet<>()));
            }
        }

        void add(String client, String method, String rawQuery, boolean deniedByRules) {
            calls++;
            if (deniedByRules) {
                denied++;
            }
            methods.merge(method, 1L, Long::sum);
            if (!clients.contains(client)) {
                if (clients.size() < MAX_CLIENTS) {
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
                if (known.size() > MAX_VALUES) {
                    unconstrained = "more than " + MAX_VALUES + " different values of " + TAG_PARAMETERS.get(i);
                    return;
                }
            }
        }

        void appendTo(StringBuilder out) {
            out.append("\n# ").append(count(calls, "call"));
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
            if (!values.isEmpty()) {
                out.append(unconstrained == null
                        ? "# Tagging re-points tags: repo and tag are limited to the values seen.\n"
                        : "# REVIEW: tagging re-points tags, but repo and tag are left open: the calls included " + unconstrained + ".\n");
            }
            String methodList = String.join(",", methods.keySet());
            out.append(methodList).append(" ".repeat(Math.max(1, 10 - methodList.length()))).append(route.path());
            if (!values.isEmpty() && unconstrained == null) {
                values.forEach((name, seen) -> out.append("   ").append(name).append("=~").append(anyOf(seen)));
            }
            if (checked()) {
                out.append("   checks=").append(CheckSetLearner.NAME);
            }
            out.append('\n');
        }
    }

    /** A regex matching exactly these values, written without whitespace so that it fits in a rule. */
    static String anyOf(Set<String> values) {
        if (values.size() == 1) {
            return quote(values.iterator().next());
        }
        StringJoiner regex = new StringJoiner("|", "(?:", ")");
        values.forEach(value -> regex.add(quote(value)));
        return regex.toString();
    }

    /** Letters, digits and a few plain characters as they are; other printable ASCII escaped; the rest as \x{...}. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        value.codePoints().forEach(c -> {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_/:@,=-".indexOf(c) >= 0) {
                out.appendCodePoint(c);
            } else if (c > 0x20 && c < 0x7f) {
                out.append('\\').appendCodePoint(c);
            } else {
                out.append("\\x{").append(Integer.toHexString(c)).append('}');
            }
        });
        return out.toString();
    }
}
