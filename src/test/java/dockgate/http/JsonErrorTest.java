package dockgate.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The error body the docker CLI prints: the daemon's shape, and no byte a terminal or a JSON reader could misread. */
class JsonErrorTest {

    @Test
    void isTheDaemonsShapeWithOneNewline() {
        assertEquals("{\"message\":\"no rule allows POST /containers/create\"}\n",
                JsonError.body("no rule allows POST /containers/create"));
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertEquals("{\"message\":\"a \\\"b\\\" c\\\\d\"}\n", JsonError.body("a \"b\" c\\d"));
    }

    @Test
    void controlAndNonAsciiCharactersAreEscaped() {
        assertEquals("{\"message\":\"x\\n\\r\\t\\u001b[31m\\u00e9\\u2028\"}\n", JsonError.body("x\n\r\t\u001b[31m\u00e9\u2028"));
    }

    @Test
    void deleteIsEscapedToo() {
        assertEquals("\"\\u007f\"", JsonError.appendString(new StringBuilder(), "\u007f").toString());
    }
}
