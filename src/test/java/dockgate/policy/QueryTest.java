package dockgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QueryTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "all=1                                   | all=1",
            "all=1&filters=%7b%22a%22:1%7D           | all=1&filters=%7B%22a%22%3A1%7D",
            "x=a+b%2Bc                               | x=a%20b%2Bc",
            "a=1&&b=2&                               | a=1&b=2",
            "force                                   | force=",
            "=v                                      | =v",
            "t=%C3%A9%e2%82%ac                       | t=%C3%A9%E2%82%AC",
            "repo=team/app&tag=v1                    | repo=team%2Fapp&tag=v1",
            "a=b=c                                   | a=b%3Dc",
            "x=1&x=2&x=1                             | x=1&x=2&x=1",
            "q=!$'()*,:@/?                           | q=%21%24%27%28%29%2A%2C%3A%40%2F%3F",
    })
    void isSentInOneSpelling(String raw, String canonical) throws UnreadableQueryException {
        assertEquals(canonical, Query.parse(raw).canonical());
        // The spelling is a fixed point: what the daemon is sent reads back as the same parameters.
        assertEquals(canonical, Query.parse(canonical).canonical());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "a=1;b=2      | ';' in query string",
            "a=%zz        | malformed %-escape in query string",
            "a=%          | malformed %-escape in query string",
            "a=%4         | malformed %-escape in query string",
            "a=%u0041     | malformed %-escape in query string",
            "a=%+1        | malformed %-escape in query string",
            "a=%C0%AE     | query string is not valid UTF-8",
            "a=%ff        | query string is not valid UTF-8",
            "a=%ED%A0%80  | query string is not valid UTF-8",
            "a={}         | character '{' not allowed in query string",
            "a=\"         | character '\"' not allowed in query string",
            "a=#b         | character '#' not allowed in query string",
            "a=[1]        | character '[' not allowed in query string",
            "a=b c        | character ' ' not allowed in query string",
            "a=\u00e9     | non-ASCII character in query string",
    })
    void refusesWhatCouldBeReadTwoWays(String raw, String reason) {
        UnreadableQueryException e = assertThrows(UnreadableQueryException.class, () -> Query.parse(raw));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void noQueryIsTheEmptyQuery() throws UnreadableQueryException {
        assertSame(Query.EMPTY, Query.parse(null));
        assertSame(Query.EMPTY, Query.parse(""));
        assertSame(Query.EMPTY, Query.parse("&&"));
        assertEquals("", Query.EMPTY.canonical());
    }

    @Test
    void keepsEveryParameterInOrderDecoded() throws UnreadableQueryException {
        Query query = Query.parse("b=2&a=x+y&b=%E2%82%AC");
        assertEquals(3, query.size());
        assertEquals("b", query.name(0));
        assertEquals("x y", query.value(1));
        assertEquals("\u20ac", query.value(2));
    }
}
