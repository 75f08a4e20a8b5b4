package dockgate.json;

import java.util.HashMap;
import java.util.Map;

/**
 * How Go's {@code encoding/json} matches an object key to a struct field name, which it does without regard
 * to case. Two generations of it matter, because a client cannot know which Go built the daemon:
 *
 * <ul>
 * <li>Go 1.20 and older (dockerd 20.10 is built with Go 1.19): a key matches an ASCII field name when, position
 * by position, ASCII letters are equal ignoring case, other ASCII characters are equal, and a non-ASCII
 * character stands only for an {@code s} or {@code S} of the name when it is U+017F {@code ſ}, or for a
 * {@code k} or {@code K} when it is U+212A (Kelvin sign). That is {@link #fold}.</li>
 * <li>Go 1.21 and newer ({@code foldName}): ASCII letters upper-cased, every other character replaced by the
 * smallest character of its Unicode simple case folding orbit, and keys compared after that. For an ASCII field
 * name this admits exactly the keys the old rule admits (the only non-ASCII characters whose orbit holds an
 * ASCII letter are {@code ſ} and the Kelvin sign); it differs for keys that reach no ASCII field, such as
 * {@code "é"} and {@code "É"}. That is {@link #foldUnicode}.</li>
 * </ul>
 *
 * Neither folds U+0130 {@code İ} or U+0131 {@code ı} onto {@code i}: Go's unicode tables give each of them
 * an orbit of its own. Java has no simple case folding table, so {@link #foldUnicode} builds the orbits from
 * Java's simple upper- and lower-case mappings (of Java 17's Unicode version): they agree with Go for every
 * character whose orbit holds an ASCII letter, which is all a Docker field name can reach; elsewhere they can
 * only join orbits Go keeps apart, which makes {@link #sameField} say true more often, never less.
 */
public final class GoKeyFold {
    private GoKeyFold() {
    }

    /** The key as Go 1.19 compares it to an ASCII field name: ASCII upper-cased, {@code ſ} as S, Kelvin as K. */
    public static String fold(String key) {
        char[] out = new char[key.length()];
        for (int i = 0; i < out.length; i++) {
            char c = key.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            } else if (c == '\u017f') {
                c = 'S';
            } else if (c == '\u212a') {
                c = 'K';
            }
            out[i] = c;
        }
        return new String(out);
    }

    /** The key as Go 1.21+ folds it: ASCII upper-cased, each other character the least of its fold orbit. */
    public static String foldUnicode(String key) {
        if (isAscii(key)) {
            // Both foldings agree on ASCII, and this one is built for every key of a checked body.
            return fold(key);
        }
        StringBuilder out = new StringBuilder(key.length());
        key.codePoints().forEach(c -> {
            if (c >= 'a' && c <= 'z') {
                out.append((char) (c - ('a' - 'A')));
            } else if (c < 0x80) {
                out.append((char) c);
            } else {
                out.appendCodePoint(Orbits.least(c));
            }
        });
        return out.toString();
    }

    private static boolean isAscii(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** True when Go 1.19 or a newer Go would send both keys to one struct field, could such a field exist. */
    public static boolean sameField(String a, String b) {
        return fold(a).equals(fold(b)) || foldUnicode(a).equals(foldUnicode(b));
    }

    /** The least member of each character's case orbit, built once on first use. */
    private static final class Orbits {
        private static final Map<Integer, Integer> LEAST = build();

        static int least(int c) {
            return LEAST.getOrDefault(c, c);
        }

        private static Map<Integer, Integer> build() {
            // Characters are in one orbit when their lower case of upper case is the same; İ and ı keep their
            // own, as in Go's caseOrbit table, where Java would put İ with i.
            Map<Integer, Integer> leastOfClass = new HashMap<>();
            Map<Integer, Integer> classOf = new HashMap<>();
            for (int c = 0x80; c <= Character.MAX_CODE_POINT; c++) {
                if (c == 0x130 || c == 0x131) {
                    continue;
                }
                int upper = Character.toUpperCase(c);
                int lower = Character.toLowerCase(c);
                if (upper == c && lower == c) {
                    continue;
                }
                int cls = Character.toLowerCase(upper);
                classOf.put(c, cls);
                leastOfClass.merge(cls, Math.min(c, Math.min(cls, upper)), Math::min);
            }
            Map<Integer, Integer> least = new HashMap<>();
            classOf.forEach((c, cls) -> {
                int min = leastOfClass.get(cls);
                if (min >= 'a' && min <= 'z') {
                    min -= 'a' - 'A'; // the orbit of ſ or the Kelvin sign: its least member is the ASCII capital
                }
                if (min != c) {
                    least.put(c, min);
                }
            });
            return least;
        }
    }
}
