package dockgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The helper behind the property tests: it must fail loudly, and the seed it names must bring the failure back. */
class RandomCasesTest {

    private static final Pattern REPORTED = Pattern.compile("try (\\d+) of 1000 failed: repeat with -Ddockgate\\.seed=(-?\\d+) \\(input (.*?)\\)");

    @Test
    void aFailureNamesTheSeedThatRepeatsItOnTheFirstTry() {
        // About one try in a hundred fails; from this seed the first failure comes well past the first try.
        AssertionError failure = assertThrows(AssertionError.class,
                () -> RandomCases.forAll(42L, 1000, draw -> draw.between(0, 99), n -> assertTrue(n != 7, "drew 7")));
        Matcher reported = REPORTED.matcher(failure.getMessage());
        assertTrue(reported.find(), failure.getMessage());
        assertTrue(Integer.parseInt(reported.group(1)) > 1, failure.getMessage());
        assertEquals("7", reported.group(3), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("drew 7 ==> expected: <true> but was: <false>"), failure.getMessage());
        assertTrue(failure.getCause() instanceof AssertionError, "the original failure is the cause");

        long seed = Long.parseLong(reported.group(2));
        AssertionError again = assertThrows(AssertionError.class,
                () -> RandomCases.forAll(seed, 1000, draw -> draw.between(0, 99), n -> assertTrue(n != 7, "drew 7")));
        assertTrue(again.getMessage().startsWith("try 1 of 1000 failed: repeat with -Ddockgate.seed=" + seed + " (input 7)"), again.getMessage());
    }

    @Test
    void aPassingPropertySeesEveryTryAndTheSameSeedDrawsTheSameInputs() {
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        RandomCases.forAll(7L, 500, draw -> draw.between(0, 1_000_000), first::add);
        RandomCases.forAll(7L, 500, draw -> draw.between(0, 1_000_000), second::add);
        assertEquals(500, first.size());
        assertEquals(first, second);
        assertTrue(new HashSet<>(first).size() > 450, "consecutive seeds must not draw alike: " + new HashSet<>(first).size() + " distinct");
    }

    @Test
    void aFailingGeneratorIsReportedWithItsSeed() {
        AssertionError failure = assertThrows(AssertionError.class, () -> RandomCases.forAll(5L, 10, draw -> {
            throw new IllegalStateException("broken generator");
        }, input -> { }));
        assertTrue(failure.getMessage().startsWith("try 1 of 10 failed: repeat with -Ddockgate.seed=5 (input none: the generator failed)"),
                failure.getMessage());
    }

    @Test
    void drawsStayWithinWhatWasAskedAndReachItsEnds() {
        Set<Integer> ends = new HashSet<>();
        Set<Integer> picked = new HashSet<>();
        RandomCases.forAll(11L, 2000, draw -> draw, draw -> {
            int n = draw.between(3, 5);
            assertTrue(n >= 3 && n <= 5, "between: " + n);
            ends.add(n);
            int index = draw.weighted(0, 2, 0, 1);
            assertTrue(index == 1 || index == 3, "weighted drew a zero weight: " + index);
            picked.add(index);
            String s = draw.string("xy", 2, 4);
            assertTrue(s.matches("[xy]{2,4}"), "string: " + s);
            List<String> list = draw.list(0, 2, () -> draw.oneOf("a", null));
            assertTrue(list.size() <= 2, "list: " + list);
        });
        assertEquals(Set.of(3, 4, 5), ends);
        assertEquals(Set.of(1, 3), picked);
    }

    @Test
    void reportedInputsShowControlAndNonAsciiCharactersAsEscapes() {
        assertEquals("/a\\u0000\\r\\n\\u2028\\\\b", RandomCases.printable("/a\u0000\r\n\u2028\\b"));
    }
}
