package dockgate.json;

import java.nio.charset.StandardCharsets;

/**
 * The bytes of a JSON body and the place reached in them, and the reading of its tokens: strings with
 * their escapes and UTF-8 (well-formed only), numbers as the grammar has them, the three words, white
 * space. What the structure around them is, and so where a refusal happens, is the reader's to say.
 */
abstract class JsonScanner {

    final byte[] in;
    int pos;
    /**
     * Whether every byte passed so far is the one {@link JsonWriter} writes for what was read: so it is while
     * no white space and no escape has been met (the writer writes the rest as it stands, UTF-8 included).
     */
    boolean asWritten = true;

    JsonScanner(byte[] in) {
        this.in = in;
    }

    /** Where the reader is in the document, for a refusal: " in HostConfig.Binds," or "". */
    abstract String where();

    void literal(String word) throws JsonBodyException {
        int start = pos - 1;
        for (int i = 1; i < word.length(); i++) {
            if (pos >= in.length || in[pos] != word.charAt(i)) {
                pos = start;
                throw fail("a word that is not true, false or null");
            }
            pos++;
        }
    }

    JsonNumber number() throws JsonBodyException {
        int start = pos;
        skipNumber();
        // Only ASCII was consumed, so the bytes are the literal's characters.
        return new JsonNumber(new String(in, start, pos - start, StandardCharsets.US_ASCII));
    }

    /** A number as the grammar has it, passed over. */
    void skipNumber() throws JsonBodyException {
        int start = pos;
        if (in[pos] == '-') {
            pos++;
        }
        if (pos >= in.length || !digit(in[pos])) {
            throw fail("a '-' not followed by a digit");
        }
        if (in[pos] == '0') {
            pos++;
            if (pos < in.length && digit(in[pos])) {
                pos = start;
                throw fail("a number with a leading zero");
            }
        } else {
            digits();
        }
        if (pos < in.length && in[pos] == '.') {
            pos++;
            if (pos >= in.length || !digit(in[pos])) {
                throw fail("a '.' not followed by a digit in a number");
            }
            digits();
        }
        if (pos < in.length && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            if (pos < in.length && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            if (pos >= in.length || !digit(in[pos])) {
                throw fail("an exponent without digits in a number");
            }
            digits();
        }
    }

    void digits() {
        while (pos < in.length && digit(in[pos])) {
            pos++;
        }
    }

    static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The rest of a string whose opening quote has been read. */
    String string() throws JsonBodyException {
        // Most strings are printable ASCII with nothing escaped: those are taken as they stand. A byte of
        // 0x80 or more is negative here, so UTF-8 goes the long way with escapes and control characters.
        int start = pos;
        plainRun();
        if (pos < in.length && in[pos] == '"') {
            pos++;
            return new String(in, start, pos - 1 - start, StandardCharsets.ISO_8859_1);
        }
        StringBuilder out = new StringBuilder(pos - start + 16);
        out.append(new String(in, start, pos - start, StandardCharsets.ISO_8859_1));
        while (true) {
            if (pos >= in.length) {
                throw fail("the body ends inside a string");
            }
            int b = in[pos] & 0xff;
            if (b == '"') {
                pos++;
                return out.toString();
            }
            if (b == '\\') {
                escape(out);
            } else if (b < 0x20) {
                throw fail(String.format("a control character (U+%04X) inside a string; it must be escaped", b));
            } else if (b < 0x80) {
                out.append((char) b);
                pos++;
            } else {
                out.appendCodePoint(utf8());
            }
        }
    }

    /** The rest of a key whose opening quote has been read, as {@link #string}; a known one as that very String. */
    String key(KnownKeys known) throws JsonBodyException {
        int start = pos;
        plainRun();
        if (pos < in.length && in[pos] == '"') {
            pos++;
            String key = known.find(in, start, pos - 1);
            return key != null ? key : new String(in, start, pos - 1 - start, StandardCharsets.ISO_8859_1);
        }
        pos = start;
        return string();
    }

    /** The rest of a string whose opening quote has been read, checked as {@link #string} checks it but not kept. */
    void skipString() throws JsonBodyException {
        int start = pos;
        plainRun();
        if (pos < in.length && in[pos] == '"') {
            pos++;
            return;
        }
        pos = start;
        string();
    }

    /** Past printable ASCII that needs no escape: a byte of 0x80 or more is negative here, and stops it too. */
    private void plainRun() {
        while (pos < in.length && in[pos] >= 0x20 && in[pos] != '"' && in[pos] != '\\') {
            pos++;
        }
    }

    void escape(StringBuilder out) throws JsonBodyException {
        asWritten = false;
        int start = pos;
        pos++;
        if (pos >= in.length) {
            throw fail("the body ends inside a string");
        }
        int c = in[pos++];
        switch (c) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '/' -> out.append('/');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
                char unit = hex4(start);
                if (Character.isLowSurrogate(unit)) {
                    pos = start;
                    throw fail(String.format("a lone surrogate escape \\u%04x (a low surrogate without a high one)", (int) unit));
                }
                if (Character.isHighSurrogate(unit)) {
                    int second = pos;
                    if (pos + 1 >= in.length || in[pos] != '\\' || in[pos + 1] != 'u') {
                        pos = start;
                        throw fail(String.format("a lone surrogate escape \\u%04x (a high surrogate not followed by a low one)", (int) unit));
                    }
                    pos += 2;
                    char low = hex4(second);
                    if (!Character.isLowSurrogate(low)) {
                        pos = start;
                        throw fail(String.format("a surrogate escape \\u%04x followed by \\u%04x, which is not a low surrogate",
                                (int) unit, (int) low));
                    }
                    out.append(unit).append(low);
                } else {
                    out.append(unit);
                }
            }
            default -> {
                pos = start;
                throw fail("a bad escape in a string (only \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX exist)");
            }
        }
    }

    char hex4(int escapeStart) throws JsonBodyException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int d = pos < in.length ? Character.digit(in[pos], 16) : -1;
            if (d < 0 || in[pos] >= 0x80) {
                pos = escapeStart;
                throw fail("a \\u escape without four hex digits");
            }
            value = value * 16 + d;
            pos++;
        }
        return (char) value;
    }

    /** One UTF-8 sequence of a well-formed code point (RFC 3629: no overlong form, no surrogate, at most U+10FFFF). */
    int utf8() throws JsonBodyException {
        int start = pos;
        int b = in[pos] & 0xff;
        int length;
        int min;
        int max = 0xbf;
        int cp;
        if (b >= 0xc2 && b <= 0xdf) {
            length = 2;
            cp = b & 0x1f;
            min = 0x80;
        } else if (b >= 0xe0 && b <= 0xef) {
            length = 3;
            cp = b & 0x0f;
            min = b == 0xe0 ? 0xa0 : 0x80;      // below: overlong
            max = b == 0xed ? 0x9f : 0xbf;      // above: an encoded surrogate
        } else if (b >= 0xf0 && b <= 0xf4) {
            length = 4;
            cp = b & 0x07;
            min = b == 0xf0 ? 0x90 : 0x80;      // below: overlong
            max = b == 0xf4 ? 0x8f : 0xbf;      // above: beyond U+10FFFF
        } else {
            throw fail(String.format("invalid UTF-8 (byte 0x%02X cannot start a character)", b));
        }
        for (int i = 1; i < length; i++) {
            if (start + i >= in.length) {
                throw fail("invalid UTF-8 (a character cut off by the end of the body)");
            }
            int next = in[start + i] & 0xff;
            int lo = i == 1 ? min : 0x80;
            int hi = i == 1 ? max : 0xbf;
            if (next < lo || next > hi) {
                throw fail(String.format("invalid UTF-8 (byte 0x%02X after 0x%02X: an overlong form, an encoded "
                        + "surrogate, a code point beyond U+10FFFF or a cut-off character)", next, b));
            }
            cp = (cp << 6) | (next & 0x3f);
        }
        pos = start + length;
        return cp;
    }

    void skipWhitespace() {
        while (pos < in.length) {
            byte b = in[pos];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return;
            }
            asWritten = false;
            pos++;
        }
    }

    int next(String expected) throws JsonBodyException {
        if (pos >= in.length) {
            throw fail("the body ends where " + expected + " belongs");
        }
        return in[pos++] & 0xff;
    }

    String unexpected() {
        int b = in[pos] & 0xff;
        return b >= 0x21 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02X", b);
    }

    JsonBodyException fail(String what) {
        return new JsonBodyException("body is not valid JSON:" + where() + " at byte " + pos + ": " + what);
    }
}
