package dockgate.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Engine API route table {@code dockgate/engine-api-routes} as written, read once from the jar: each
 * line's methods, path template, body word, and {@code hijack} and {@code document} marks. It lives here, below {@code api}, because
 * the rules parser needs the hijack marks (which routes a {@code hijack} rule may name) and the rules cannot
 * use {@code api}; {@code api.EngineApi} gives the lines their meaning.
 */
public final class RouteTable {

    /**
     * One line of the table.
     *
     * @param methods the methods as a rules file writes them, e.g. {@code GET,HEAD}
     * @param path    the path template, e.g. {@code /containers/{id}/json}
     * @param body    {@code json}, {@code data}, or null when the daemon reads no body there
     * @param hijack   whether the route may switch its connection to a raw stream (attach, exec start)
     * @param document whether the route's answer is always one JSON document, never a stream
     * @param number   its line number in the table
     */
    public record Line(String methods, String path, String body, boolean hijack, boolean document, int number) {
    }

    /** The mark of a route whose answer is one document. */
    private static final String DOCUMENT = "document";
    private static final String RESOURCE = "/dockgate/engine-api-routes";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final RouteTable SHIPPED = parse(read());

    private final List<Line> lines;
    /** "METHOD PATH" of every route marked {@code hijack}, one entry per method. */
    private final Set<String> hijacks;

    private RouteTable(List<Line> lines) {
        this.lines = List.copyOf(lines);
        List<String> hijacks = new ArrayList<>();
        for (Line line : lines) {
            if (line.hijack()) {
                for (String method : line.methods().split(",")) {
                    hijacks.add(method + " " + line.path());
                }
            }
        }
        this.hijacks = Set.copyOf(hijacks);
    }

    /** The table shipped in the jar. */
    public static RouteTable shipped() {
        return SHIPPED;
    }

    /** Every line, in table order. */
    public List<Line> lines() {
        return lines;
    }

    /** Whether the route of this method and path template is marked {@code hijack}. */
    public boolean hijacks(String method, String path) {
        return hijacks.contains(method + " " + path);
    }

    /** The routes marked {@code hijack}, in table order, as "POST /containers/{id}/attach", for messages. */
    public List<String> hijackRoutes() {
        List<String> routes = new ArrayList<>();
        for (Line line : lines) {
            if (line.hijack()) {
                routes.add(line.methods() + " " + line.path());
            }
        }
        return routes;
    }

    private static String read() {
        try (InputStream in = RouteTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the table's text: each line is METHODS and PATH, then an optional body word and the marks. */
    static RouteTable parse(String text) {
        List<Line> lines = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            String[] words = WHITESPACE.split(content);
            if (words.length < 2) {
                throw new IllegalStateException("engine-api-routes: not METHODS PATH [json|data] [hijack] [document]: "
                        + content);
            }
            String body = null;
            boolean hijack = false;
            boolean document = false;
            for (int i = 2; i < words.length; i++) {
                String word = words[i];
                if ((word.equals("json") || word.equals("data")) && body == null && i == 2) {
                    body = word;
                } else if (word.equals(Rule.HIJACK) && !hijack) {
                    hijack = true;
                } else if (word.equals(DOCUMENT) && !document) {
                    document = true;
                } else {
                    throw new IllegalStateException("engine-api-routes: unknown or repeated word " + word + ": " + content);
                }
            }
            lines.add(new Line(words[0], words[1], body, hijack, document, number));
        }
        return new RouteTable(lines);
    }
}
