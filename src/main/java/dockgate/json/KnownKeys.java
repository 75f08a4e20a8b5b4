package dockgate.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * Object keys known before any body is read (the field names of the daemon's types), so that a key spelled
 * exactly so is read as that very String: no copy of it is made, its hash is already computed, and comparing
 * it with the field's name finds the same object. Only keys of printable ASCII without a quote or backslash
 * are kept, as only those stand in a body as they are. Immutable, and fixed before a body is read, so a body
 * cannot lengthen a lookup.
 */
public final class KnownKeys {
    /** No keys known: every key is read as a String of its own. */
    public static final KnownKeys NONE = new KnownKeys(java.util.List.of());

    /** The keys by their hash, open addressing: at most half full. */
    private final String[] table;
    /** The bytes of each key in {@link #table}, to compare with a body's. */
    private final byte[][] spelled;
    private int count;

    public KnownKeys(Collection<String> keys) {
        table = new String[Integer.highestOneBit(Math.max(16, 4 * keys.size()))];
        spelled = new byte[table.length][];
        for (String key : keys) {
            if (plain(key)) {
                add(key);
            }
        }
    }

    private static boolean plain(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private void add(String key) {
        int mask = table.length - 1;
        int i = spread(key.hashCode()) & mask;
        while (table[i] != null) {
            if (table[i].equals(key)) {
                return;
            }
            i = (i + 1) & mask;
        }
        table[i] = key;
        spelled[i] = key.getBytes(StandardCharsets.US_ASCII);
        count++;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    /** The known key spelled by {@code in[from, to)}, bytes of printable ASCII; null when it is not known. */
    String find(byte[] in, int from, int to) {
        if (count == 0) {
            return null;
        }
        // The hash String.hashCode gives these (ASCII) characters.
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + in[i];
        }
        int mask = table.length - 1;
        for (int i = spread(hash) & mask; table[i] != null; i = (i + 1) & mask) {
            if (table[i].hashCode() == hash && Arrays.equals(spelled[i], 0, spelled[i].length, in, from, to)) {
                return table[i];
            }
        }
        return null;
    }
}
