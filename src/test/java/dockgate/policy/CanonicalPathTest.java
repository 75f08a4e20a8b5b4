package dockgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CanonicalPathTest {

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("/v1.41/containers/json", "/v1.41/containers/json"),
                Arguments.of("/_ping", "/_ping"),
                Arguments.of("/", "/"),
                Arguments.of("/v1.41", "/v1.41"),
                Arguments.of("/containers/%6Aabc/json", "/containers/jabc/json"),
                Arguments.of("/%5f%70ing", "/_ping"),
                Arguments.of("/%5F%50ING", "/_PING"),
                Arguments.of("/%5F%70ING", "/_pING"),
                Arguments.of("/%5f%50ing", "/_Ping"),
                Arguments.of("/images/localhost:5000/team/app:1.2/json", "/images/localhost:5000/team/app:1.2/json"),
                Arguments.of("/images/localhost%3A5000/team/app%3a1.2/json", "/images/localhost:5000/team/app:1.2/json"),
                Arguments.of("/images/app@sha256:abc/json", "/images/app@sha256:abc/json"),
                Arguments.of("/images/app%40sha256:abc/json", "/images/app@sha256:abc/json"),
                Arguments.of("/containers/a-b_c.d~e/json", "/containers/a-b_c.d~e/json"),
                Arguments.of("/x/!$&'()*+,=:@", "/x/!$&'()*+,=:@"),
                Arguments.of("/x/%21%24%26%27%28%29%2a%2B%2c%3D", "/x/!$&'()*+,="),
                Arguments.of("/a%7eb", "/a~b"),
                Arguments.of("/a%2db", "/a-b"),
                Arguments.of("/a..b/c", "/a..b/c"),
                Arguments.of("/.hidden/..x/x..", "/.hidden/..x/x.."),
                Arguments.of("/...", "/..."),
                Arguments.of("/%41%42%43", "/ABC"),
                // docker-java encodes the '/' of image names; the daemon's router decodes it too.
                Arguments.of("/images/local%2Fbusybox:test/json", "/images/local/busybox:test/json"),
                Arguments.of("/images/localhost:5000%2fteam%2Fapp:1.2/json", "/images/localhost:5000/team/app:1.2/json"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("accepted")
    void acceptsAndCanonicalises(String raw, String canonical) throws BadPathException {
        assertEquals(canonical, CanonicalPath.of(raw));
    }

    @ParameterizedTest(name = "{1} is a fixed point")
    @MethodSource("accepted")
    void canonicalFormIsStable(String raw, String canonical) throws BadPathException {
        // The canonical form is forwarded verbatim, so reading it again must give the same path.
        assertEquals(canonical, CanonicalPath.of(canonical));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                // form of the request target
                Arguments.of("", "empty path"),
                Arguments.of("*", "asterisk-form"),
                Arguments.of("http://localhost/_ping", "absolute-form"),
                Arguments.of("HTTP://localhost/_ping", "absolute-form"),
                Arguments.of("unix:/var/run/docker.sock", "absolute-form"),
                Arguments.of("_ping", "must start with '/'"),
                Arguments.of("v1.41/_ping", "must start with '/'"),
                Arguments.of(" /_ping", "must start with '/'"),
                // ';' in any place
                Arguments.of("/_ping;x", "';' in path"),
                Arguments.of("/containers;/json", "';' in path"),
                Arguments.of("/a/..;/b", "';' in path"),
                Arguments.of("/a%3bb", "U+003B"),
                Arguments.of("/a%3Bb", "U+003B"),
                // backslash, raw and encoded
                Arguments.of("/a\\b", "backslash"),
                Arguments.of("/\\_ping", "backslash"),
                Arguments.of("/a/..\\b", "backslash"),
                Arguments.of("/a%5cb", "encoded '\\'"),
                Arguments.of("/a%5Cb", "encoded '\\'"),
                // control characters, raw and encoded
                Arguments.of("/a\u0000b", "control character"),
                Arguments.of("/a\tb", "control character"),
                Arguments.of("/a\nb", "control character"),
                Arguments.of("/a\rb", "control character"),
                Arguments.of("/a\u001fb", "control character"),
                Arguments.of("/a\u007fb", "control character"),
                Arguments.of("/a%00b", "U+0000"),
                Arguments.of("/a%0ab", "U+000A"),
                Arguments.of("/a%0D%0Ab", "U+000D"),
                Arguments.of("/a%7fb", "U+007F"),
                // non-ASCII, raw and encoded, including look-alike dots
                Arguments.of("/caf\u00e9", "non-ASCII"),
                Arguments.of("/a\u2024b", "non-ASCII"),
                Arguments.of("/\uff0e\uff0e/x", "non-ASCII"),
                Arguments.of("/a\u0085b", "non-ASCII"),
                Arguments.of("/caf%c3%a9", "U+00E9"),
                Arguments.of("/%e2%80%a4%e2%80%a4/x", "U+2024"),
                Arguments.of("/%ef%bc%8e%ef%bc%8e/x", "U+FF0E"),
                Arguments.of("/%c0%ae%c0%ae/x", "U+FFFD"),
                Arguments.of("/%C0%AE/x", "U+FFFD"),
                Arguments.of("/a%ffb", "U+FFFD"),
                // encoded separators and dots, any case, and double encoding
                Arguments.of("/a%2f%2fb", "empty segment"),
                Arguments.of("/a%2F", "empty segment"),
                Arguments.of("/containers%2F..%2Fcreate", "'..' segment"),
                Arguments.of("/a%2F.%2Fb", "'.' segment"),
                Arguments.of("/%2e%2e/x", "encoded '.'"),
                Arguments.of("/containers/%2e%2e/create", "encoded '.'"),
                Arguments.of("/containers/%2E%2E/create", "encoded '.'"),
                Arguments.of("/v1.41/.%2e/containers/create", "encoded '.'"),
                Arguments.of("/a/%2e", "encoded '.'"),
                Arguments.of("/a.%2ejson", "encoded '.'"),
                Arguments.of("/a%25b", "encoded '%'"),
                Arguments.of("/%252e%252e/x", "encoded '%'"),
                Arguments.of("/a%252Fb", "encoded '%'"),
                Arguments.of("/a%255Cb", "encoded '%'"),
                // malformed escapes
                Arguments.of("/a%zz", "malformed percent escape"),
                Arguments.of("/a%4", "malformed percent escape"),
                Arguments.of("/a%", "malformed percent escape"),
                Arguments.of("/a%g1", "malformed percent escape"),
                Arguments.of("/a%1g/b", "malformed percent escape"),
                Arguments.of("/a%%41", "malformed percent escape"),
                Arguments.of("/a%+1", "malformed percent escape"),
                Arguments.of("/a%-1", "malformed percent escape"),
                Arguments.of("/a% 1", "malformed percent escape"),
                // characters outside the safe set, raw and encoded
                Arguments.of("/a b", "character ' '"),
                Arguments.of("/a%20b", "U+0020"),
                Arguments.of("/a+b%20", "U+0020"),
                Arguments.of("/a?b", "character '?'"),
                Arguments.of("/a%3fb", "U+003F"),
                Arguments.of("/a%3Fb", "U+003F"),
                Arguments.of("/a#b", "character '#'"),
                Arguments.of("/a%23b", "U+0023"),
                Arguments.of("/a\"b", "character '\"'"),
                Arguments.of("/a%22b", "U+0022"),
                Arguments.of("/a<b>", "character '<'"),
                Arguments.of("/a%3cb", "U+003C"),
                Arguments.of("/a{id}", "character '{'"),
                Arguments.of("/a%7bid%7d", "U+007B"),
                Arguments.of("/a|b", "character '|'"),
                Arguments.of("/a%7cb", "U+007C"),
                Arguments.of("/a[0]", "character '['"),
                Arguments.of("/a^b", "character '^'"),
                Arguments.of("/a`b", "character '`'"),
                // segments
                Arguments.of("/_ping/", "empty segment"),
                Arguments.of("/v1.41/_ping/", "empty segment"),
                Arguments.of("/containers//json", "empty segment"),
                Arguments.of("//_ping", "empty segment"),
                Arguments.of("//evil.example/_ping", "empty segment"),
                Arguments.of("///", "empty segment"),
                Arguments.of("/v1.41/../containers/create", "'..' segment"),
                Arguments.of("/..", "'..' segment"),
                Arguments.of("/.", "'.' segment"),
                Arguments.of("/./_ping", "'.' segment"),
                Arguments.of("/a/./b", "'.' segment"),
                Arguments.of("/a/..", "'..' segment"),
                Arguments.of("/images/../../etc/json", "'..' segment"));
    }

    @ParameterizedTest(name = "[{index}] reject \"{0}\" ({1})")
    @MethodSource("rejected")
    void rejectsHostileForms(String raw, String reasonPart) {
        BadPathException e = assertThrows(BadPathException.class, () -> CanonicalPath.of(raw));
        assertTrue(e.getMessage().contains(reasonPart),
                () -> "reason for \"" + raw + "\" was \"" + e.getMessage() + "\", expected it to contain \"" + reasonPart + "\"");
    }

    @Test
    void rejectsNull() {
        BadPathException e = assertThrows(BadPathException.class, () -> CanonicalPath.of(null));
        assertEquals("empty path", e.getMessage());
    }

    @Test
    void reasonsAreShortHumanTexts() {
        BadPathException e = assertThrows(BadPathException.class, () -> CanonicalPath.of("/a%2eb"));
        assertEquals("encoded '.' in path", e.getMessage());
    }

    @Test
    void everyPrintableAsciiCharacterIsEitherSafeOrRejected() throws BadPathException {
        String safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@";
        for (char c = 0x20; c < 0x7f; c++) {
            String raw = "/a" + c + "b";
            String encoded = String.format("/a%%%02Xb", (int) c);
            if (safe.indexOf(c) >= 0) {
                assertEquals(raw, CanonicalPath.of(raw));
                if (c != '.') {
                    assertEquals(raw, CanonicalPath.of(encoded));
                }
            } else if (c == '/') {
                assertEquals(raw, CanonicalPath.of(encoded));
            } else if (c != '%') {
                assertThrows(BadPathException.class, () -> CanonicalPath.of(raw), raw);
                assertThrows(BadPathException.class, () -> CanonicalPath.of(encoded), encoded);
            }
        }
    }
}
