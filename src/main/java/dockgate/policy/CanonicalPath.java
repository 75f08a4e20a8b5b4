package dockgate.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Turns the path of a request target into the one form that the policy matches and the gateway
 * forwards.
 *
 * <p>The policy and the daemon's router must read a path the same way. Instead of predicting how
 * Go would clean an odd path, every odd path is refused. What is left decodes to characters that
 * need no escaping, so the checked string can be forwarded byte for byte.
 */
public final class CanonicalPath {

    /** Characters allowed in a decoded path: unreserved and sub-delims of RFC 3986 minus ';', plus ':' '@' '/'. */
    private static final boolean[] SAFE = AsciiTable.of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@/");

    private static final Pattern ABSOLUTE_FORM = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");

    private CanonicalPath() {
    }

    /**
     * @param rawPath the request target's path exactly as the client sent it: no query string, still
     *                percent-encoded
     * @return the path decoded once; it contains only safe characters and no empty, "." or ".." segment
     * @throws BadPathException when the path is not in a form dockgate is willing to interpret
     */
    public static String of(String rawPath) throws BadPathException {
        checkForm(rawPath);
        checkRaw(rawPath);
        // Most paths have nothing to decode, and checkRaw has already admitted only safe characters.
        String decoded = rawPath.indexOf('%') < 0 ? rawPath : decodeOnce(rawPath);
        checkDecoded(decoded);
        checkSegments(decoded);
        return decoded;
    }

    private static void checkForm(String rawPath) throws BadPathException {
        if (rawPath == null || rawPath.isEmpty()) {
            throw new BadPathException("empty path");
        }
        if (rawPath.equals("*")) {
            throw new BadPathException("asterisk-form request target not allowed");
        }
        if (rawPath.charAt(0) != '/') {
            if (ABSOLUTE_FORM.matcher(rawPath).lookingAt()) {
                throw new BadPathException("absolute-form request target not allowed");
            }
            throw new BadPathException("path must start with '/'");
        }
    }

    /**
     * Encoded '.', '%' and '\' are refused before decoding: they would turn into dot segments after
     * decoding, or decode a second time somewhere else. An encoded '/' is decoded like any other
     * character, as the daemon's router does: docker-java sends image names as {@code local%2Fbusybox},
     * and the decoded path, checked for empty and dot segments like any other, is what the daemon gets.
     */
    private static void checkRaw(String rawPath) throws BadPathException {
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new BadPathException("control character in path");
            }
            if (c > 0x7f) {
                throw new BadPathException("non-ASCII character in path");
            }
            if (c == ';') {
                // Undertow and Go disagree on ";param": Undertow strips it, the daemon keeps it.
                throw new BadPathException("';' in path");
            }
            if (c == '\\') {
                throw new BadPathException("backslash in path");
            }
            if (c == '%') {
                checkEscape(rawPath, i);
                i += 2;
            } else if (!SAFE[c]) {
                throw new BadPathException("character '" + c + "' not allowed in path");
            }
        }
    }

    private static void checkEscape(String rawPath, int percent) throws BadPathException {
        int value = AsciiTable.escapedByte(rawPath, percent);
        if (value < 0) {
            throw new BadPathException("malformed percent escape in path");
        }
        switch (value) {
            case '.' -> throw new BadPathException("encoded '.' in path");
            case '%' -> throw new BadPathException("encoded '%' in path");
            case '\\' -> throw new BadPathException("encoded '\\' in path");
            default -> { }
        }
    }

    private static String decodeOnce(String rawPath) throws BadPathException {
        try {
            // The fixed scheme and host keep URI from reading a leading "//x" as an authority.
            return new URI("http://dockgate" + rawPath).getPath();
        } catch (URISyntaxException e) {
            // checkRaw admits only characters URI accepts, so this means the two checks drifted apart.
            throw new BadPathException("unparsable path");
        }
    }

    /** Decoding may produce anything, including invalid UTF-8 (as U+FFFD): only safe characters survive. */
    private static void checkDecoded(String decoded) throws BadPathException {
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c >= SAFE.length || !SAFE[c]) {
                throw new BadPathException(String.format("encoded character U+%04X not allowed in path", (int) c));
            }
        }
    }

    private static void checkSegments(String decoded) throws BadPathException {
        if (decoded.equals("/")) {
            return;
        }
        String[] segments = decoded.split("/", -1);
        // segments[0] is the empty string before the leading '/'.
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty()) {
                throw new BadPathException("empty segment in path ('//' or trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new BadPathException("'" + segment + "' segment in path");
            }
        }
    }
}
