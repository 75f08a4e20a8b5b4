package dockgate.scope;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One label a scope asks for: a key and a value, or a key with any value. It is sent to the daemon as a
 * {@code label} filter ({@code key=value} or {@code key}) and matched against the labels an inspect shows.
 *
 * @param key   the label's key
 * @param value the value it must have, or null when any value will do
 */
public record ScopeLabel(String key, String value) {

    /**
     * Keys as Docker's own tools write them: no '=', no space, no ',' (the rules' list separator), nothing
     * the daemon's filter parser reads specially ('!' starts "key!=value" in newer daemons).
     */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
    /** A value may hold more, but not ',' (the rules' separator) nor anything unprintable. */
    private static final Pattern VALUE = Pattern.compile("[\\x21-\\x2b\\x2d-\\x7e]+");

    public ScopeLabel {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("bad label key '" + key + "' (letters, digits, '.', '_', '/', '-';"
                    + " starting with a letter or digit)");
        }
        if (value != null && !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("bad value for label " + key + ": '" + value
                    + "' (printable ASCII without spaces or ',')");
        }
    }

    /** Reads {@code key=value} or {@code key}. */
    public static ScopeLabel parse(String text) {
        int equals = text.indexOf('=');
        return equals < 0 ? new ScopeLabel(text, null) : new ScopeLabel(text.substring(0, equals), text.substring(equals + 1));
    }

    /** Whether an object with these labels carries this one. */
    public boolean matches(Map<String, String> labels) {
        String found = labels.get(key);
        return found != null && (value == null || value.equals(found));
    }

    /** As the daemon's {@code label} filter and the rules write it. */
    @Override
    public String toString() {
        return value == null ? key : key + "=" + value;
    }
}
