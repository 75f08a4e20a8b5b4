package dockgate.server;

import dockgate.policy.BadPathException;
import dockgate.policy.CanonicalPath;
import dockgate.policy.Query;
import dockgate.policy.UnreadableQueryException;

import java.util.Map;

/**
 * What can be told about a request that Undertow's HTTP parser refused before dockgate saw it: its method and
 * target as far as they were read, and a reason in dockgate's words. Undertow says only "400 Bad Request"
 * (or, for a Host header it dislikes, a reason phrase), so the reason is worked out again from the request
 * line; it may name another flaw of the request than the one Undertow stopped at, never a flaw it lacks.
 *
 * @param method the method, or "-" when the line has none
 * @param target the request target, or "-" when the line has none
 * @param reason why the request is refused
 */
record UnparsedRequest(String method, String target, String reason) {

    /** The reasons for the refusals of Undertow's Host header check, by the reason phrase it answers with. */
    private static final Map<String, String> HOST_CHECKS = Map.of(
            "No Host Header", "an HTTP/1.1 request needs a Host header",
            "Only One Host Header Allowed", "more than one Host header",
            "Host Header Malformed Port", "malformed Host header",
            "Host Header Malformed IP-Literal", "malformed Host header",
            "Host Header Bad Characters", "malformed Host header",
            // Dockgate refuses every absolute-form target; this one only failed Undertow's check first.
            "URI Host Header NO MATCH", "absolute-form request targets are not accepted");

    /** Characters of a method (an HTTP token) besides letters and digits. */
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    /**
     * @param line           the request line as received, one char per byte, without its line end; null when
     *                       none of it was seen
     * @param cut            whether the line was longer than what was kept of it
     * @param undertowReason the reason phrase of Undertow's own 400 answer
     */
    static UnparsedRequest read(String line, boolean cut, String undertowReason) {
        if (line == null) {
            return new UnparsedRequest("-", "-", HOST_CHECKS.getOrDefault(undertowReason, "the request could not be parsed"));
        }
        int firstSpace = line.indexOf(' ');
        int secondSpace = firstSpace < 0 ? -1 : line.indexOf(' ', firstSpace + 1);
        String method = firstSpace > 0 ? line.substring(0, firstSpace) : "-";
        String target = firstSpace > 0 ? line.substring(firstSpace + 1, secondSpace < 0 ? line.length() : secondSpace) : "";
        String hostCheck = HOST_CHECKS.get(undertowReason);
        String reason = hostCheck != null ? hostCheck : lineReason(line, cut, method, target, secondSpace);
        return new UnparsedRequest(method, target.isEmpty() ? "-" : target, reason);
    }

    private static String lineReason(String line, boolean cut, String method, String target, int secondSpace) {
        if (line.isEmpty()) {
            return "an empty line where a request line belongs";
        }
        if (target.isEmpty()) {
            return "malformed request line";
        }
        if (!isToken(method)) {
            return "malformed method";
        }
        String problem = targetProblem(target);
        if (problem != null) {
            return problem;
        }
        if (cut) {
            return "the request line is too long";
        }
        if (secondSpace < 0) {
            return "the request line has no HTTP version";
        }
        String version = line.substring(secondSpace + 1);
        if (!version.startsWith("HTTP/1.")) {
            return "unsupported protocol version '" + version + "'";
        }
        // The line reads well: Undertow stopped at a header field, or at a head over its size limit.
        return "the request head could not be parsed";
    }

    private static boolean isToken(String method) {
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            boolean alphanumeric = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Null when neither dockgate's path check nor Undertow's query characters find fault with the target. */
    private static String targetProblem(String target) {
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        try {
            // The very check dockgate makes on every path, so that the reasons read the same.
            CanonicalPath.of(path);
        } catch (BadPathException e) {
            return "bad request path: " + e.getMessage();
        }
        return question < 0 ? null : queryProblem(target.substring(question + 1));
    }

    /** dockgate's own query reader, so that the reasons read as the gateway's "bad query" refusals do. */
    private static String queryProblem(String query) {
        try {
            Query.parse(query);
            return null;
        } catch (UnreadableQueryException e) {
            return "bad query: " + e.getMessage();
        }
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
