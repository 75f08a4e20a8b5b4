package dockgate.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Property tests as plain JUnit tests: a generator draws an input from a seeded source, a property checks it,
 * and this repeats for a number of tries. Nothing is shrunk; instead every try has its own seed, and a failure
 * names it, so the failing input comes back first thing when the test is run again with that seed:
 *
 * <pre>{@code
 * record Query(String key, String value, int repeats) {}   // with format() and parse(String)
 *
 * @Test
 * void formattedQueriesParseBack() {
 *     RandomCases.forAll(1000,
 *             draw -> new Query(draw.oneOf("all", "filters", "x"), draw.string("ab=&%+", 0, 8), draw.between(1, 3)),
 *             query -> assertEquals(query, Query.parse(query.format())));
 * }
 * }</pre>
 *
 * A failure reads, for example, {@code try 17 of 1000 failed: repeat with -Ddockgate.seed=8071993 (input
 * Query[key=x, value=a%&, repeats=2]): org.opentest4j.AssertionFailedError: expected ...}, and
 * {@code mvn test -Dtest='QueryTest#formattedQueriesParseBack' -Ddockgate.seed=8071993} fails on its first try
 * with that same input. Without {@code dockgate.seed} each call starts from a fresh random seed.
 */
public final class RandomCases {

    /** The system property that fixes the seed of the first try; try {@code i} then uses that seed plus {@code i}. */
    public static final String SEED_PROPERTY = "dockgate.seed";

    private RandomCases() {
    }

    /** What is checked for each input: it returns normally when the input passes, throws when it fails. */
    @FunctionalInterface
    public interface Property<T> {
        void check(T input) throws Exception;
    }

    /**
     * Runs {@code tries} tries: each draws one input with {@code generator} from a source of its own seed and
     * passes it to {@code property}. The first failure, in the generator or the property, ends the run with an
     * {@link AssertionError} that names the try's seed and its input and carries the original failure as cause.
     */
    public static <T> void forAll(int tries, Function<Draw, T> generator, Property<T> property) {
        forAll(firstSeed(), tries, generator, property);
    }

    /** As {@link #forAll(int, Function, Property)}, from a seed given here: for this helper's own tests. */
    static <T> void forAll(long first, int tries, Function<Draw, T> generator, Property<T> property) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be at least 1, not " + tries);
        }
        for (int i = 0; i < tries; i++) {
            // Seeds of consecutive tries differ by one; SplittableRandom mixes its seed, so their draws do not
            // resemble each other, and one seed alone is enough to bring back one try.
            long seed = first + i;
            T input;
            try {
                input = generator.apply(new Draw(new SplittableRandom(seed)));
            } catch (Exception | AssertionError failure) {
                throw failed(i, tries, seed, "none: the generator failed", failure);
            }
            try {
                property.check(input);
            } catch (Exception | AssertionError failure) {
                throw failed(i, tries, seed, printable(String.valueOf(input)), failure);
            }
        }
    }

    private static AssertionError failed(int index, int tries, long seed, String input, Throwable failure) {
        return new AssertionError(String.format(Locale.ROOT, "try %d of %d failed: repeat with -D%s=%d (input %s): %s",
                index + 1, tries, SEED_PROPERTY, seed, input, failure), failure);
    }

    private static long firstSeed() {
        String given = System.getProperty(SEED_PROPERTY);
        if (given == null || given.isBlank()) {
            return ThreadLocalRandom.current().nextLong();
        }
        try {
            return Long.parseLong(given.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a whole number (a long), not '" + given + "'", e);
        }
    }

    /** Control and non-ASCII characters written as in a Java string literal, so a reported input can be read. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** The source a generator draws from: a few common choices over one seeded random generator. */
    public static final class Draw {

        private final RandomGenerator random;

        Draw(RandomGenerator random) {
            this.random = random;
        }

        /** A whole number from {@code min} to {@code max}, both included, each equally likely. */
        public int between(int min, int max) {
            if (min > max) {
                throw new IllegalArgumentException("empty range " + min + ".." + max);
            }
            return random.nextInt(min, max + 1);
        }

        /** One of the values, each equally likely; a value may be null. */
        @SafeVarargs
        public final <T> T oneOf(T... values) {
            return oneOf(Arrays.asList(values));
        }

        /** One element of the list, each equally likely. */
        public <T> T oneOf(List<? extends T> values) {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("nothing to choose from");
            }
            return values.get(random.nextInt(values.size()));
        }

        /**
         * An index into {@code weights}, index {@code i} drawn with probability {@code weights[i] / sum}: for
         * {@code weighted(3, 1)}, 0 three times in four. Meant for a {@code switch} over weighted alternatives.
         */
        public int weighted(int... weights) {
            int sum = 0;
            for (int weight : weights) {
                if (weight < 0) {
                    throw new IllegalArgumentException("negative weight in " + Arrays.toString(weights));
                }
                sum += weight;
            }
            if (sum == 0) {
                throw new IllegalArgumentException("no positive weight in " + Arrays.toString(weights));
            }
            int ticket = random.nextInt(sum);
            for (int i = 0; ; i++) {
                ticket -= weights[i];
                if (ticket < 0) {
                    return i;
                }
            }
        }

        /** A string of {@code min} to {@code max} characters (every length equally likely), each one of {@code alphabet}'s. */
        public String string(String alphabet, int min, int max) {
            if (alphabet.isEmpty()) {
                throw new IllegalArgumentException("empty alphabet");
            }
            int length = between(min, max);
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return out.toString();
        }

        /** A list of {@code min} to {@code max} elements (every size equally likely), each drawn by {@code element}. */
        public <T> List<T> list(int min, int max, Supplier<? extends T> element) {
            int size = between(min, max);
            List<T> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(element.get());
            }
            return out;
        }

        /** The generator itself, for any other draw. */
        public RandomGenerator random() {
            return random;
        }
    }
}
