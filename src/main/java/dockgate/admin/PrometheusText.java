package dockgate.admin;

import java.math.BigDecimal;

/** Builds Prometheus text exposition format 0.0.4. */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(8192);

    /** Starts a metric family: its HELP and TYPE lines. */
    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; labels come in name, value pairs. */
    PrometheusText sample(String name, long value, String... labels) {
        start(name, labels).append(value).append('\n');
        return this;
    }

    PrometheusText sample(String name, double value, String... labels) {
        StringBuilder line = start(name, labels);
        if (Double.isInfinite(value)) {
            line.append(value > 0 ? "+Inf" : "-Inf");
        } else if (Double.isNaN(value)) {
            line.append("NaN");
        } else {
            // Plain digits rather than Java's 1.7E9: the format allows both, people read this one.
            line.append(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
        }
        line.append('\n');
        return this;
    }

    private StringBuilder start(String name, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                appendLabelValue(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        return out.append(' ');
    }

    private void appendLabelValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
