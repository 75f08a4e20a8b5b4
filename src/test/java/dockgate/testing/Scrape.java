package dockgate.testing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text-format scrape, checked as it is read: every sample belongs to a family announced by
 * {@code # HELP} and {@code # TYPE} lines before it, and every line is well-formed.
 */
public final class Scrape {

    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})? "
                    + "(-?[0-9.]+(?:[eE][-+]?[0-9]+)?|[+-]Inf|NaN)");

    private final Map<String, Double> series = new HashMap<>();

    private Scrape(String text) {
        Set<String> helped = new HashSet<>();
        Map<String, String> typed = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                helped.add(m.group(1));
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (!helped.contains(m.group(1)) || typed.put(m.group(1), m.group(2)) != null) {
                    throw new IllegalArgumentException("TYPE without HELP, or twice: " + line);
                }
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                String family = typed.containsKey(name) ? name : name.replaceFirst("_(bucket|sum|count)$", "");
                if (!typed.containsKey(family)) {
                    throw new IllegalArgumentException("sample before its family's TYPE: " + line);
                }
                String key = name + (m.group(2) == null ? "" : m.group(2));
                if (series.put(key, Double.parseDouble(m.group(3).replace("Inf", "Infinity"))) != null) {
                    throw new IllegalArgumentException("series twice: " + line);
                }
            } else {
                throw new IllegalArgumentException("not a valid exposition line: '" + line + "'");
            }
        }
    }

    public static Scrape of(String text) {
        return new Scrape(text);
    }

    /** The value of a series written exactly as exposed, e.g. {@code a_total{x="1"}}; 0 when absent. */
    public double value(String seriesText) {
        return series.getOrDefault(seriesText, 0.0);
    }

    public boolean has(String seriesText) {
        return series.containsKey(seriesText);
    }
}
