package dockgate.json;

/**
 * A key or value quoted for a refusal message: as a JSON string, with every character outside printable ASCII
 * written as a {@code \}{@code uXXXX} escape, so {@code "Bind\u017f"} and {@code "Binds"} read differently
 * in a terminal and nothing in the message can move the cursor.
 */
public final class Printable {
    private Printable() {
    }

    public static String quoted(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }
}
