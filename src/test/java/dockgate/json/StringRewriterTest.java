package dockgate.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strings replaced at their places and nowhere else, every other byte kept; keys found however a Go client
 * would spell them; and what the strict reader refuses, refused here too.
 */
class StringRewriterTest {

    private static final UnaryOperator<String> HIDE = s -> s.indexOf('=') < 0 ? null : s.substring(0, s.indexOf('=') + 1) + "X";
    private static final JsonPlace ENV = JsonPlace.of(Map.of("Config.Env[]", HIDE, "Mounts[].Source", s -> "S"));

    private static String rewrite(String document) throws JsonBodyException {
        return new String(StringRewriter.rewrite(document.getBytes(StandardCharsets.UTF_8), ENV, 8), StandardCharsets.UTF_8);
    }

    @Test
    void onlyThePlacedStringsChangeAndEveryOtherByteIsKept() throws JsonBodyException {
        String in = "{ \"Id\" : \"c\\u00e9\",\n \"N\":-1.5e+3,\"Config\":{\"Env\":[\"A=1\", \"NOEQ\", 7, null],"
                + "\"Labels\":{\"Env\":[\"B=2\"]}},\"Mounts\":[{\"Source\":\"/x\"},{\"Source\":{}}], \"Env\":[\"C=3\"] }";
        assertEquals("{ \"Id\" : \"c\\u00e9\",\n \"N\":-1.5e+3,\"Config\":{\"Env\":[\"A=X\", \"NOEQ\", 7, null],"
                + "\"Labels\":{\"Env\":[\"B=2\"]}},\"Mounts\":[{\"Source\":\"S\"},{\"Source\":{}}], \"Env\":[\"C=3\"] }", rewrite(in));
    }

    @Test
    void aDocumentWithNothingToEditIsReturnedAsItIs() throws JsonBodyException {
        byte[] in = "{\"Config\":{\"Env\":[\"NOEQ\"]},\"Other\":[1,2]}".getBytes(StandardCharsets.UTF_8);
        assertSame(in, StringRewriter.rewrite(in, ENV, 8));
    }

    @Test
    void keysAreFoundAsGoMatchesThemAndEveryCopyIsEdited() throws JsonBodyException {
        assertEquals("{\"config\":{\"ENV\":[\"A=X\"]}}", rewrite("{\"config\":{\"ENV\":[\"A=1\"]}}"));
        assertEquals("{\"C\\u006fnfig\":{\"Env\":[\"A=X\"]}}", rewrite("{\"C\\u006fnfig\":{\"Env\":[\"A=1\"]}}"));
        assertEquals("{\"Mount\u017f\":[{\"\u017fource\":\"S\"}]}", rewrite("{\"Mount\u017f\":[{\"\u017fource\":\"/h\"}]}"));
        assertEquals("{\"Config\":{\"Env\":[\"A=X\"],\"Env\":[\"B=X\"]},\"Config\":{\"env\":[\"C=X\"]}}",
                rewrite("{\"Config\":{\"Env\":[\"A=1\"],\"Env\":[\"B=2\"]},\"Config\":{\"env\":[\"C=3\"]}}"));
        JsonPlace kelvin = JsonPlace.of(Map.of("TaskTemplate", s -> "T"));
        assertEquals("{\"Tas\u212aTemplate\":\"T\"}", new String(StringRewriter.rewrite(
                "{\"Tas\u212aTemplate\":\"t\"}".getBytes(StandardCharsets.UTF_8), kelvin, 8), StandardCharsets.UTF_8));
    }

    @Test
    void anEditedStringIsReadDecodedAndWrittenEscaped() throws JsonBodyException {
        // An '=' escaped is still the end of the name for a client that decodes it.
        assertEquals("{\"Config\":{\"Env\":[\"A=X\"]}}", rewrite("{\"Config\":{\"Env\":[\"A\\u003dsecret\"]}}"));
        assertEquals("{\"Config\":{\"Env\":[\"\\\"\u00e9\\n=X\"]}}", rewrite("{\"Config\":{\"Env\":[\"\\\"\\u00e9\\n=s\\\"\"]}}"));
    }

    @Test
    void whatTheStrictReaderRefusesIsRefused() {
        String[] bad = {"", " ", "{", "{\"Config\":{\"Env\":[\"A=1\"]}", "{}x", "{} {}", "\ufeff{}", "{\"a\":01}",
            "{\"a\":\"\u0001\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\x\"}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "{a:1}",
            "{\"a\":tru}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":1e}", "[[[[[[[[[1]]]]]]]]]", "{\"Config\":{\"Env\":[\"A=\\ud800\"]}}"};
        for (String document : bad) {
            assertThrows(JsonBodyException.class, () -> rewrite(document), document);
        }
        byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'};
        assertThrows(JsonBodyException.class, () -> StringRewriter.rewrite(invalidUtf8, ENV, 8));
    }

    @Test
    void itAcceptsExactlyWhatTheStrictReaderAcceptsOnMangledDocuments() throws JsonBodyException {
        String base = "{\"Id\":\"abc\",\"Config\":{\"Env\":[\"A=1\",\"B=\\u00e9\"],\"Cmd\":[\"sh\",\"-c\"],\"Tty\":false,"
                + "\"Labels\":{\"k\":\"v\"}},\"Mounts\":[{\"Source\":\"/h\",\"RW\":true}],\"Size\":-12.5e3,\"X\":null}";
        byte[] bytes = base.getBytes(StandardCharsets.UTF_8);
        byte[] alphabet = "{}[]\",:\\ 0-1.eE+tfnu\u00e9".getBytes(StandardCharsets.UTF_8);
        Random random = new Random(42);
        int accepted = 0;
        for (int i = 0; i < 20000; i++) {
            byte[] mangled = mangle(bytes, alphabet, random);
            boolean strict = accepts(() -> StrictJsonReader.read(mangled, 8));
            boolean duplicate = !strict && refusalOf(mangled).contains("duplicate key");
            boolean rewriter = accepts(() -> StringRewriter.rewrite(mangled, ENV, 8));
            if (!duplicate) {
                assertEquals(strict, rewriter, new String(mangled, StandardCharsets.UTF_8));
            }
            if (rewriter) {
                accepted++;
                StrictJsonReader.read(StringRewriter.rewrite(mangled, ENV, 8), 8);
            }
        }
        assertTrue(accepted > 100, "too few mangled documents were well-formed to test: " + accepted);
    }

    @Test
    void aPathInsideAnotherIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> JsonPlace.of(Map.of("A", HIDE, "A.B", HIDE)));
        assertThrows(IllegalArgumentException.class, () -> JsonPlace.of(Map.of("A..B", HIDE)));
    }

    private static byte[] mangle(byte[] in, byte[] alphabet, Random random) {
        byte[] out = in.clone();
        int edits = 1 + random.nextInt(2);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(out.length);
            byte b = alphabet[random.nextInt(alphabet.length)];
            switch (random.nextInt(3)) {
                case 0 -> out[at] = b;
                case 1 -> {
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                    out = shorter;
                }
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = b;
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    private interface Read {
        Object run() throws JsonBodyException;
    }

    private static boolean accepts(Read read) {
        try {
            read.run();
            return true;
        } catch (JsonBodyException e) {
            return false;
        }
    }

    private static String refusalOf(byte[] document) {
        try {
            StrictJsonReader.read(document, 8);
            return "";
        } catch (JsonBodyException e) {
            return e.getMessage();
        }
    }
}
