package dockgate.policy;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commented-out opt-in rules of the shipped conf/rules still parse once uncommented. */
class OptInRulesTest {

    @Test
    void uncommentedOptInRulesParseAndExecAndAttachMayHijack() throws Exception {
        String text;
        try (InputStream in = Rulebook.class.getResourceAsStream(Rulebook.BUILT_IN_RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String uncommented = text.replaceAll("(?m)^#(GET|POST)", "$1");
        Profile policy = Profile.parse("uncommented", uncommented);
        assertTrue(policy.decide("POST", "/v1.41/exec/e1/start", Query.EMPTY).rule().hijack());
        assertTrue(policy.decide("POST", "/v1.41/containers/c1/attach", "stream=1").rule().hijack());
        assertTrue(policy.decide("POST", "/v1.41/containers/c1/exec", Query.EMPTY).allowed());
    }
}
