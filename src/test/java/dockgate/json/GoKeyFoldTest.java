package dockgate.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GoKeyFoldTest {

    @Test
    void caseDoesNotMatter() {
        assertTrue(GoKeyFold.sameField("privileged", "PRIVILEGED"));
        assertTrue(GoKeyFold.sameField("Privileged", "privileged"));
        assertTrue(GoKeyFold.sameField("pRiViLeGeD", "Privileged"));
    }

    @Test
    void longSAndKelvinSignFoldInEveryGo() {
        // Go 1.19's equalFoldRight takes U+017F for s and U+212A for k; Go 1.21's foldName reaches the same
        // through Unicode simple folding (the orbits S s ſ and K k K).
        assertTrue(GoKeyFold.sameField("Binds", "Bind\u017f"));
        assertTrue(GoKeyFold.sameField("Binds", "BIND\u017f"));
        assertTrue(GoKeyFold.sameField("NetworkMode", "Networ\u212aMode"));
        assertEquals("BINDS", GoKeyFold.fold("Bind\u017f"));
        assertEquals("BINDS", GoKeyFold.foldUnicode("Bind\u017f"));
        assertEquals("NETWORKMODE", GoKeyFold.fold("networ\u212amode"));
        assertEquals("NETWORKMODE", GoKeyFold.foldUnicode("networ\u212amode"));
    }

    @Test
    void differentFieldsStayDifferent() {
        assertFalse(GoKeyFold.sameField("Bind", "Binds"));
        assertFalse(GoKeyFold.sameField("Privileged", "Privileged "));
        assertFalse(GoKeyFold.sameField("CapAdd", "Cap_Add"));
        assertFalse(GoKeyFold.sameField("Cmd", "C\u0000md"));
    }

    @Test
    void dotlessAndDottedIDoNotFoldOntoI() {
        // Neither Go 1.19 (only ſ and the Kelvin sign stand for ASCII letters) nor Go 1.21+ (unicode.SimpleFold
        // gives U+0130 and U+0131 orbits of their own, in the caseOrbit table) takes them for an i:
        // "Pr\u0131vileged" and "Pr\u0130vileged" reach no field.
        assertFalse(GoKeyFold.sameField("Privileged", "Pr\u0131vileged"));
        assertFalse(GoKeyFold.sameField("Privileged", "Pr\u0130vileged"));
        assertFalse(GoKeyFold.sameField("Pr\u0131vileged", "Pr\u0130vileged"));
    }

    @Test
    void newerGoFoldsNonAsciiKeysTooWhichOldGoDoesNotForAsciiNames() {
        // Only a non-ASCII field name could be reached this way, and the old Go then used bytes.EqualFold,
        // Unicode folding as well: same field either way.
        assertFalse(GoKeyFold.fold("\u00e9").equals(GoKeyFold.fold("\u00c9")));
        assertTrue(GoKeyFold.sameField("\u00e9", "\u00c9"));
        assertTrue(GoKeyFold.sameField("\u03c3", "\u03c2")); // σ and final ς, one orbit with Σ
        assertFalse(GoKeyFold.sameField("\u00e9", "e"));
        assertFalse(GoKeyFold.sameField("\u212b", "A")); // the Angstrom sign folds with Å, not A
    }
}
