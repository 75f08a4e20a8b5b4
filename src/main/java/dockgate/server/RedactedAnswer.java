package dockgate.server;

import dockgate.api.EngineApi;
import dockgate.policy.Rule;
import dockgate.proxy.AnswerRewrite;
import dockgate.redact.Redaction;

import java.util.Set;

/** An answer rewritten by its redaction, as the deciding rule asks, or by default when audit mode let it through. */
final class RedactedAnswer implements AnswerRewrite {

    /** The most of an answer read whole to be redacted: far above any inspect; a list of thousands of services fits. */
    static final int MAX_REDACTED_ANSWER = 16 * 1024 * 1024;

    private final Redaction redaction;
    private final Set<String> what;

    private RedactedAnswer(Redaction redaction, Set<String> what) {
        this.redaction = redaction;
        this.what = what;
    }

    /** @return how the call's answer is rewritten, or null when it goes as the daemon sends it */
    static AnswerRewrite of(String method, EngineApi.Route route, Rule rule) {
        Redaction redaction = route == null ? null : Redaction.of(method, route.path());
        Set<String> what = rule == null ? Rule.DEFAULT_REDACTIONS : rule.redactions();
        return redaction == null || what.isEmpty() ? null : new RedactedAnswer(redaction, what);
    }

    @Override
    public byte[] apply(byte[] body) throws Exception {
        return redaction.apply(body, what);
    }

    @Override
    public int limit() {
        return MAX_REDACTED_ANSWER;
    }
}
