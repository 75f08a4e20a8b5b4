package dockgate.audit;

import dockgate.guard.CheckSetLearner;
import dockgate.guard.Inspection;
import dockgate.policy.Profile;
import dockgate.policy.Rule;
import dockgate.policy.RouteTable;
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

    /** Bounds on what a client can make the gateway remember: literal paths, values per parameter, clients listed. */
    static final int MAX_LITERAL_PATHS = 1000;
    static final int MAX_VALUES = 256;
    static final int MAX_CLIENTS = 16;
    private static final int MAX_UNWRITABLE = 100;

    private final Map<String, LearnedLine> lines = new HashMap<>();
    private final Map<String, Long> unwritable = new TreeMap<>();
    /** Upgrades refused, by method and route: the file says what the clients asked for and why it was refused. */
    private final Map<String, RefusedUpgrade> refusedUpgrades = new TreeMap<>();
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
     * @param hijack        whether it is relayed as a raw stream (attach, exec start): its rule says {@code hijack}
     * @return whether a rule can allow the call; if not, it is only listed, and audit mode must refuse it:
     *         forwarding teaches nothing, and such methods include CONNECT, which a 2xx turns into a tunnel
     */
    public synchronized boolean record(String client, String method, String canonicalPath, String rawQuery,
                                       boolean deniedByRules, boolean hijack) {
        calls++;
        changes++;
        if (clients.size() < MAX_CLIENTS) {
            clients.add(client);
        }
        DockerApiRoutes.Route route = DockerApiRoutes.of(method, canonicalPath);
        LearnedLine line = lines.get(route.path());
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
            line = new LearnedLine(route, method + " " + canonicalPath);
            lines.put(route.path(), line);
        }
        line.add(client, method, rawQuery, deniedByRules, hijack);
        return true;
    }

    /**
     * Remembers an upgrade refused even in audit mode, which relays one only where the rules in use allow it
     * with {@code hijack}: the file lists it, with why, so that a client's failing attach is not a mystery.
     *
     * @param why what refused it: the rules' reason, or that the rule allowing it lacks {@code hijack}
     */
    public synchronized void recordRefusedUpgrade(String method, String canonicalPath, String why) {
        calls++;
        changes++;
        DockerApiRoutes.Route route = DockerApiRoutes.of(method, canonicalPath);
        String key = method + " " + route.path();
        RefusedUpgrade refused = refusedUpgrades.get(key);
        if (refused == null && refusedUpgrades.size() < MAX_UNWRITABLE) {
            boolean hijackable = route.known() && RouteTable.shipped().hijacks(method, route.path());
            refused = new RefusedUpgrade(method + " " + canonicalPath, why, hijackable);
            refusedUpgrades.put(key, refused);
        }
        if (refused != null) {
            refused.calls++;
        }
    }

    /** The first upgrade refused on a route, and how many were. */
    private static final class RefusedUpgrade {
        final String example;
        final String why;
        /** Whether a hijack rule could allow it: attach and exec start. */
        final boolean hijackable;
        long calls;

        RefusedUpgrade(String example, String why, boolean hijackable) {
            this.example = example;
            this.why = why;
            this.hijackable = hijackable;
        }
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

    /** The number of rules the file would hold: those learned, and /_ping, which is always written. */
    public synchronized int size() {
        return lines.size() + (lines.containsKey(LearnedLine.PING) ? 0 : 1);
    }

    /** The rules file: a valid dockgate rules file that allows every call recorded (see the class comment). */
    public synchronized String text() {
        StringBuilder out = new StringBuilder(4096);
        out.append("# dockgate rules learned in audit mode (dockgate --mode audit): the smallest rules that allow\n")
                .append("# every call forwarded while it ran: ").append(count(calls, "call")).append(" from ")
                .append(clients.size() >= MAX_CLIENTS ? "at least " : "").append(count(clients.size(), "client"))
                .append(", ").append(count(size(), "rule")).append(".\n")
                .append("# Use it with: dockgate --rules FILE. Review it first: it allows whatever the clients did.\n")
                .append("# Each rule follows a comment saying how many calls used it, from which clients, with an example.\n");
        List<LearnedLine> ordered = new ArrayList<>(lines.values());
        if (!lines.containsKey(LearnedLine.PING)) {
            ordered.add(LearnedLine.unseenPing());
        }
        ordered.sort(Comparator.comparingInt((LearnedLine l) -> l.order).thenComparing(l -> l.route.path()));
        if (ordered.stream().anyMatch(LearnedLine::checked)) {
            out.append("\n# What the bodies of create, exec, volume, network and service calls and the image pulls asked\n")
                    .append("# for (").append(count(checks.judged(), "call")).append("): the rules below allow exactly that.")
                    .append(checks.unlearnable() == 0 ? "\n" : "\n# REVIEW: " + count(checks.unlearnable(), "call")
                            + " asked for what no line can allow; they will be refused.\n")
                    .append("checks ").append(CheckSetLearner.NAME).append('\n');
            checks.lines().forEach(line -> out.append("    ").append(line).append('\n'));
        }
        boolean literals = false;
        for (LearnedLine line : ordered) {
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
        if (!refusedUpgrades.isEmpty()) {
            out.append("\n# Connection upgrades refused even in audit mode, which relays one only where the rules in use\n")
                    .append("# allow it with the word hijack (see docs/attach-exec.md); they are not in the rules above:\n");
            refusedUpgrades.forEach((call, refused) -> {
                out.append("#   ").append(count(refused.calls, "call")).append(": ").append(call).append(", e.g. ")
                        .append(refused.example).append(": ").append(refused.why).append('\n');
                if (refused.hijackable) {
                    out.append("#     to allow it: ").append(call).append("   ").append(Rule.HIJACK).append('\n');
                }
            });
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

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
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
