package dockgate.json;

/**
 * Checks on values made outside the reader, so the writer can never emit what Go would read another way:
 * a string with an unpaired surrogate (written as '?' by Java's UTF-8 encoder, read as U+FFFD by Go) or a
 * number literal outside the JSON grammar.
 */
final class WellFormed {
    private WellFormed() {
    }

    static String string(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("string with an unpaired surrogate at " + i + ": " + Printable.quoted(s));
            }
        }
        return s;
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}, as RFC 8259 has it. */
    static String number(String text) {
        int i = 0;
        int n = text.length();
        if (i < n && text.charAt(i) == '-') {
            i++;
        }
        int digits = digits(text, i);
        boolean ok = digits > 0 && (text.charAt(i) != '0' || digits == 1);
        i += digits;
        if (ok && i < n && text.charAt(i) == '.') {
            int fraction = digits(text, i + 1);
            ok = fraction > 0;
            i += 1 + fraction;
        }
        if (ok && i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponent = digits(text, i);
            ok = exponent > 0;
            i += exponent;
        }
        if (!ok || i != n) {
            throw new IllegalArgumentException("not a JSON number: " + Printable.quoted(text));
        }
        return text;
    }

    private static int digits(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }
}
