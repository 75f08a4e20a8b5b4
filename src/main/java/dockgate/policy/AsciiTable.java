package dockgate.policy;

/** What the path and query readers share: ASCII character sets as lookup tables, hex digits and %XX escapes. */
final class AsciiTable {

    private AsciiTable() {
    }

    /** A table of 128 entries, true for each of these characters. */
    static boolean[] of(String characters) {
        boolean[] table = new boolean[128];
        for (int i = 0; i < characters.length(); i++) {
            table[characters.charAt(i)] = true;
        }
        return table;
    }

    /**
     * The byte a %XX escape stands for, or -1 when there are not two hex digits after the '%' at
     * {@code percent} (also when the text ends first).
     */
    static int escapedByte(String text, int percent) {
        if (percent + 2 >= text.length()) {
            return -1;
        }
        int high = hexValue(text.charAt(percent + 1));
        int low = hexValue(text.charAt(percent + 2));
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    /** The value of an ASCII hex digit, or -1: other Unicode digits are no hex digits to Go. */
    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
