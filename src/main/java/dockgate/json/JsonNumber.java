package dockgate.json;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A JSON number kept as the literal that was read (already checked against the JSON grammar), so the daemon
 * gets the very digits that were checked, and no precision is lost on the way. Made outside the reader, a
 * literal that is not a JSON number is an IllegalArgumentException.
 */
public record JsonNumber(String text) implements Json {
    public JsonNumber {
        WellFormed.number(Objects.requireNonNull(text, "text"));
    }

    /** The value; throws NumberFormatException for an exponent beyond what BigDecimal holds (1e3000000000). */
    public BigDecimal decimal() {
        return new BigDecimal(text);
    }

    /** True when Go would decode the literal into an int at all: no fraction and no exponent. */
    public boolean isInteger() {
        // One pass: three indexOf calls cost more than the short literals they search.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                return false;
            }
        }
        return true;
    }
}
