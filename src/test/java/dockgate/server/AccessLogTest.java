package dockgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A hostile target must not be able to forge a log line or reach the terminal reading the log. */
class AccessLogTest {

    @Test
    void printableTextIsLoggedAsItIs() {
        String text = "/v1.41/containers/json?all=1&filters=%7B%7D";
        assertSame(text, AccessLog.printable(text));
    }

    @Test
    void lineEndsQuotesAndEscapesAreWrittenAsHex() {
        assertEquals("/x\\x0d\\x0a2026 INFO access - forged", AccessLog.printable("/x\r\n2026 INFO access - forged"));
        assertEquals("a\\x22b", AccessLog.printable("a\"b"));
        assertEquals("\\x1b[31mred", AccessLog.printable("\u001b[31mred"));
        assertEquals("\\x7f\\x00", AccessLog.printable("\u007f\u0000"));
    }

    @Test
    void bytesAboveAsciiAreWrittenAsHexToo() {
        // Undertow hands over a request line one char per byte: é in UTF-8 is two of them.
        assertEquals("caf\\xc3\\xa9", AccessLog.printable("caf\u00c3\u00a9"));
    }
}
