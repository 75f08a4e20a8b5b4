package dockgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * A hostile target must not be able to forge a log line or reach the terminal reading the log; the line's
 * time reads as the other log lines' do.
 */
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

    @Test
    void theTimeIsWrittenAsTheLoggersOwnInTheLocalZone() {
        TimeZone was = TimeZone.getDefault();
        try {
            for (String zone : new String[] {"Europe/Berlin", "America/St_Johns", "UTC"}) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                SimpleDateFormat logger = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
                // Winter and summer time, and the second after a change to summer time in Berlin.
                for (long millis : new long[] {1_765_000_000_123L, 1_780_000_000_007L, 1_774_746_000_999L}) {
                    StringBuilder line = new StringBuilder();
                    AccessLog.appendTime(line, millis);
                    assertEquals(logger.format(new Date(millis)), line.toString(), zone + " at " + millis);
                }
            }
        } finally {
            TimeZone.setDefault(was);
        }
    }
}
