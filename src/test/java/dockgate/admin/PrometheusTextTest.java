package dockgate.admin;

import dockgate.testing.Scrape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrometheusTextTest {

    @Test
    void labelValuesAndHelpAreEscapedAsTheFormatDemands() {
        String text = new PrometheusText()
                .family("t_total", "counter", "a \\ backslash\nand a newline")
                .sample("t_total", 3, "rule", "C:\\rules \"x\"\nline:2", "decision", "deny")
                .toString();
        assertEquals("""
                # HELP t_total a \\\\ backslash\\nand a newline
                # TYPE t_total counter
                t_total{rule="C:\\\\rules \\"x\\"\\nline:2",decision="deny"} 3
                """, text);
        assertEquals(3, Scrape.of(text).value("t_total{rule=\"C:\\\\rules \\\"x\\\"\\nline:2\",decision=\"deny\"}"));
    }

    @Test
    void numbersArePlainAndInfinityIsSpelledAsPrometheusReadsIt() {
        String text = new PrometheusText().family("g", "gauge", "h")
                .sample("g", 1795813047.665, "a", "1")
                .sample("g", 0.0, "a", "2")
                .sample("g", Double.POSITIVE_INFINITY, "a", "3")
                .toString();
        assertEquals("""
                # HELP g h
                # TYPE g gauge
                g{a="1"} 1795813047.665
                g{a="2"} 0
                g{a="3"} +Inf
                """, text);
    }
}
