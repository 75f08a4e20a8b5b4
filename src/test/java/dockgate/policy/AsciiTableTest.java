package dockgate.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsciiTableTest {

    @Test
    void aTableHoldsExactlyItsCharacters() {
        boolean[] table = AsciiTable.of("a-~");
        assertEquals(128, table.length);
        assertTrue(table['a'] && table['-'] && table['~']);
        assertFalse(table['b'] || table['A'] || table[0]);
    }

    @Test
    void hexDigitsAreAsciiOnly() {
        assertEquals(0, AsciiTable.hexValue('0'));
        assertEquals(15, AsciiTable.hexValue('f'));
        assertEquals(15, AsciiTable.hexValue('F'));
        assertEquals(-1, AsciiTable.hexValue('g'));
        assertEquals(-1, AsciiTable.hexValue('\uff11')); // FULLWIDTH DIGIT ONE: a digit, not a hex digit to Go
        assertEquals(-1, AsciiTable.hexValue('\u0661')); // ARABIC-INDIC DIGIT ONE
    }

    @Test
    void anEscapeNeedsTwoHexDigits() {
        assertEquals(0x2f, AsciiTable.escapedByte("%2f", 0));
        assertEquals(0xAB, AsciiTable.escapedByte("x%aBy", 1));
        assertEquals(-1, AsciiTable.escapedByte("%2", 0));
        assertEquals(-1, AsciiTable.escapedByte("a%", 1));
        assertEquals(-1, AsciiTable.escapedByte("%zz", 0));
        assertEquals(-1, AsciiTable.escapedByte("%+1", 0));
    }
}
