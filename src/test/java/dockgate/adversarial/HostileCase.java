package dockgate.adversarial;

import dockgate.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One hostile request (or several in one write) and what must come of it: what the client gets, response by
 * response, and which requests, if any, the daemon may see.
 *
 * @param category  the kind of trick, for grouping and counting
 * @param name      unique, human-readable
 * @param bytes     exactly what the client writes
 * @param halfClose whether the client shuts its sending side after writing (for requests that end early)
 * @param slots     one expectation per response the client reads, in order
 * @param daemon    the acceptable sequences of "METHOD target" the daemon may record; the generic oracle
 *                  applies to every recorded request in any case
 * @param bodies    when not null, the bodies the daemon must have received, request by request
 * @param headers   headers every recorded request must carry with exactly this value (null: must be absent)
 * @param why       a note for the results table: why this outcome is the right one
 */
record HostileCase(String category, String name, byte[] bytes, boolean halfClose, List<Slot> slots,
                   List<List<String>> daemon, List<String> bodies, Map<String, String> headers, String why) {

    /** What one response must be: one of these statuses with a body of this kind, or (if allowed) no response. */
    record Slot(Set<Integer> statuses, boolean closeOk, Body body, boolean head, String label) {

        Slot toHead() {
            return new Slot(statuses, closeOk, Body.ANY, true, label + " (HEAD)");
        }
    }

    /** What the body of an expected response must look like. */
    enum Body {
        ANY,
        /** The stand-in daemon's own answer. */
        DAEMON,
        /** dockgate's JSON error: {"message":"dockgate: ..."}. */
        DOCKGATE,
        /** dockgate's policy denial: {"message":"dockgate: M P is not allowed by the rules"}, naming a refused query parameter. */
        DENIED,
        /** dockgate's refusal of an upgrade. */
        UPGRADE,
        /** A denied inspect, answered in the daemon's words for a missing object ("No such container: x"). */
        NOT_FOUND;

        private static final Pattern DENIAL = Pattern.compile(
                "\\{\"message\":\"dockgate: \\S+ \\S+ is not allowed by the rules(: query parameter '[^']+' .*)?\"\\}");

        /** Null when the body fits, else what is wrong. */
        String check(RawClient.Response response) {
            String body = response.body() == null ? null : response.body().strip();
            switch (this) {
                case ANY:
                    return null;
                case DAEMON:
                    return "{\"ok\":true}".equals(body) ? null : "not the daemon's body";
                case DOCKGATE:
                    return body != null && body.startsWith("{\"message\":\"dockgate: ") && body.endsWith("\"}")
                            && String.valueOf(response.header("content-type")).startsWith("application/json")
                            ? null : "not a dockgate JSON error";
                case DENIED:
                    return body != null && DENIAL.matcher(body).matches() ? null : "not a dockgate policy denial";
                case NOT_FOUND:
                    return body != null && body.matches("\\{\"message\":\"[^\"]*([Nn]o such|not found)[^\"]*\"\\}")
                            && !body.contains("dockgate") ? null : "not the daemon's words for a missing object";
                case UPGRADE:
                    return body != null && body.startsWith("{\"message\":\"dockgate: ") && body.contains("upgrade")
                            ? null : "not dockgate's upgrade refusal";
                default:
                    throw new AssertionError(this);
            }
        }
    }

    // --- slots ---------------------------------------------------------------------------------------

    /** Forwarded, and the daemon's 200 relayed. */
    static Slot ok() {
        return new Slot(Set.of(200), false, Body.DAEMON, false, "200 daemon");
    }

    /** Refused by the rules. */
    static Slot denied() {
        return new Slot(Set.of(403), false, Body.DENIED, false, "403 denied");
    }

    /** Refused by dockgate as malformed (path, target form, framing). */
    /** Refused by the rules, and answered as the daemon answers a missing object: a single-object read. */
    static Slot deniedAsMissing() {
        return new Slot(Set.of(404), false, Body.NOT_FOUND, false, "404 denied as missing");
    }

    static Slot bad() {
        return new Slot(Set.of(400), false, Body.DOCKGATE, false, "400 json");
    }

    /** Refused as an upgrade. */
    static Slot upgrade() {
        return new Slot(Set.of(403), false, Body.UPGRADE, false, "403 upgrade");
    }

    /** Refused by the HTTP parser or by dockgate: 400 with any body, or the connection closed. */
    static Slot rejected() {
        return new Slot(Set.of(400), true, Body.ANY, false, "400 or closed");
    }

    /** Any 4xx, or the connection closed: for limits whose exact status is not pinned. */
    static Slot refused() {
        return new Slot(Set.of(400, 403, 404, 405, 408, 413, 414, 431), true, Body.ANY, false, "4xx or closed");
    }

    /** The connection ends without a (further) response. */
    static Slot closed() {
        return new Slot(Set.of(), true, Body.ANY, false, "closed");
    }

    /** One of these statuses, any body, and optionally a close instead. */
    static Slot status(boolean closeOk, Integer... statuses) {
        return new Slot(Set.of(statuses), closeOk, Body.ANY, false, Arrays.toString(statuses) + (closeOk ? " or closed" : ""));
    }

    // --- building ------------------------------------------------------------------------------------

    static Builder of(String category, String name, String latin1) {
        return new Builder(category, name, latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Builder of(String category, String name, byte[] bytes) {
        return new Builder(category, name, bytes);
    }

    static final class Builder {
        private final String category;
        private final String name;
        private final byte[] bytes;
        private boolean halfClose;
        private List<Slot> slots = List.of();
        private final List<List<String>> daemon = new ArrayList<>();
        private List<String> bodies;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String why = "";

        private Builder(String category, String name, byte[] bytes) {
            this.category = category;
            this.name = name;
            this.bytes = bytes;
        }

        Builder halfClose() {
            halfClose = true;
            return this;
        }

        Builder expect(Slot... expected) {
            slots = List.of(expected);
            return this;
        }

        /** An acceptable sequence of daemon-side requests; call again for alternatives. */
        Builder daemon(String... lines) {
            daemon.add(List.of(lines));
            return this;
        }

        /** The bodies the daemon must receive, one per recorded request. */
        Builder bodies(String... expected) {
            bodies = List.of(expected);
            return this;
        }

        /** Every recorded request must carry this header with this value; a null value means absent. */
        Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Builder why(String text) {
            why = text;
            return this;
        }

        HostileCase build() {
            if (slots.isEmpty()) {
                throw new IllegalStateException(name + ": no expectation");
            }
            List<List<String>> acceptable = daemon.isEmpty() ? List.of(List.of()) : List.copyOf(daemon);
            return new HostileCase(category, name, bytes, halfClose, slots, acceptable, bodies,
                    Collections.unmodifiableMap(new LinkedHashMap<>(headers)), why);
        }
    }

    String printableRequest() {
        return WireParser.printable(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Override
    public String toString() {
        return category + ": " + name;
    }
}
