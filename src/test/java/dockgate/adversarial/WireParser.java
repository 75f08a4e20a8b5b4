package dockgate.adversarial;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A strict reader of what the gateway wrote to the daemon: HTTP/1.1 requests, CRLF line ends, one framing
 * per message. Anything looser than what a well-behaved client library would write is reported as a
 * problem, because a daemon might read such bytes differently from how the gateway meant them.
 */
final class WireParser {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** One request as it crossed the wire; {@code complete} is false when the bytes ended inside it. */
    record WireRequest(String method, String target, String version, List<String[]> headers, int bodyLength,
                       boolean complete) {

        List<String> values(String name) {
            List<String> values = new ArrayList<>();
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    values.add(header[1]);
                }
            }
            return values;
        }

        String line() {
            return method + " " + target;
        }
    }

    record Result(List<WireRequest> requests, List<String> problems) {
        long completeCount() {
            return requests.stream().filter(WireRequest::complete).count();
        }
    }

    private final byte[] bytes;
    private int pos;
    private final List<WireRequest> requests = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private WireParser(byte[] bytes) {
        this.bytes = bytes;
    }

    static Result parse(byte[] bytes) {
        WireParser parser = new WireParser(bytes);
        parser.run();
        return new Result(List.copyOf(parser.requests), List.copyOf(parser.problems));
    }

    private void run() {
        while (pos < bytes.length) {
            if (!request()) {
                return;
            }
        }
    }

    /** Reads one request; false when parsing cannot go on (end of bytes, or bytes that cannot be framed). */
    private boolean request() {
        String requestLine = line();
        if (requestLine == null) {
            problems.add("bytes end inside a request line: " + printable(rest()));
            return false;
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || parts[1].isEmpty()) {
            problems.add("malformed request line: " + printable(requestLine));
            return false;
        }
        if (!parts[2].equals("HTTP/1.1")) {
            problems.add("request line not HTTP/1.1: " + printable(requestLine));
        }
        List<String[]> headers = new ArrayList<>();
        String line;
        while (true) {
            line = line();
            if (line == null) {
                requests.add(new WireRequest(parts[0], parts[1], parts[2], headers, 0, false));
                return false;
            }
            if (line.isEmpty()) {
                break;
            }
            if (line.startsWith(" ") || line.startsWith("\t")) {
                problems.add("folded header line: " + printable(line));
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                problems.add("header line without a name: " + printable(line));
                continue;
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            if (!TOKEN.matcher(name).matches()) {
                problems.add("header name is not a token: " + printable(name));
            }
            for (char c : value.toCharArray()) {
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    problems.add("control character in the value of " + name + ": " + printable(value));
                    break;
                }
            }
            headers.add(new String[] {name, value});
        }
        WireRequest head = new WireRequest(parts[0], parts[1], parts[2], headers, 0, true);
        List<String> lengths = head.values("Content-Length");
        List<String> encodings = head.values("Transfer-Encoding");
        if (lengths.size() > 1) {
            problems.add(head.line() + ": " + lengths.size() + " Content-Length headers");
        }
        if (!encodings.isEmpty() && !lengths.isEmpty()) {
            problems.add(head.line() + ": both Transfer-Encoding and Content-Length");
        }
        int bodyStart = pos;
        boolean complete;
        if (!encodings.isEmpty()) {
            if (encodings.size() != 1 || !encodings.get(0).equals("chunked")) {
                problems.add(head.line() + ": Transfer-Encoding " + encodings);
                requests.add(head);
                return false;
            }
            complete = chunks();
        } else if (!lengths.isEmpty()) {
            long length;
            try {
                length = Long.parseLong(lengths.get(0));
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0 || !lengths.get(0).matches("[0-9]+")) {
                problems.add(head.line() + ": Content-Length " + printable(lengths.get(0)));
                requests.add(head);
                return false;
            }
            complete = bytes.length - pos >= length;
            pos = (int) Math.min(bytes.length, pos + length);
        } else {
            complete = true;
        }
        requests.add(new WireRequest(head.method(), head.target(), head.version(), headers, pos - bodyStart, complete));
        return complete;
    }

    private boolean chunks() {
        while (true) {
            String size = line();
            if (size == null) {
                return false;
            }
            if (!size.matches("[0-9a-fA-F]{1,8}")) {
                problems.add("malformed chunk size line: " + printable(size));
                pos = bytes.length;
                return false;
            }
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                String trailer;
                while ((trailer = line()) != null && !trailer.isEmpty()) {
                    problems.add("trailer sent to the daemon: " + printable(trailer));
                }
                return trailer != null;
            }
            if (bytes.length - pos < n + 2) {
                pos = bytes.length;
                return false;
            }
            pos += n;
            if (bytes[pos] != '\r' || bytes[pos + 1] != '\n') {
                problems.add("chunk data not followed by CRLF");
                pos = bytes.length;
                return false;
            }
            pos += 2;
        }
    }

    /** The next CRLF-terminated line, or null when the bytes end first. A bare CR or LF is a problem. */
    private String line() {
        for (int i = pos; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                boolean crlf = i > pos && bytes[i - 1] == '\r';
                if (!crlf) {
                    problems.add("bare LF line end at byte " + i);
                }
                String line = new String(bytes, pos, (crlf ? i - 1 : i) - pos, StandardCharsets.ISO_8859_1);
                pos = i + 1;
                if (line.indexOf('\r') >= 0) {
                    problems.add("bare CR inside a line: " + printable(line));
                }
                return line;
            }
        }
        return null;
    }

    private String rest() {
        return new String(bytes, pos, bytes.length - pos, StandardCharsets.ISO_8859_1);
    }

    /** Shows control and non-ASCII characters as escapes; long strings are cut. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < s.length() && out.length() < 160; i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                out.append("\\r");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c >= 0x7f) {
                out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else if (c == '|') {
                out.append("\\|");
            } else {
                out.append(c);
            }
        }
        if (i < s.length()) {
            out.append("...(").append(s.length()).append(" chars)");
        }
        return out.toString();
    }
}
