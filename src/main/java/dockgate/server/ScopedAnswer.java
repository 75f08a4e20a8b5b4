package dockgate.server;

import dockgate.proxy.AnswerRewrite;
import dockgate.scope.Kind;
import dockgate.scope.ObjectLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inspect of one object by a scoped profile, judged on the daemon's own answer: no lookup first, and
 * no window between what was checked and what the client is shown. An object outside the scope is answered
 * as the daemon answers a missing one; one within goes on to its redaction, if any.
 */
final class ScopedAnswer implements AnswerRewrite {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);

    private final ScopedCall call;
    private final Kind kind;
    private AnswerRewrite next;

    ScopedAnswer(ScopedCall call, Kind kind) {
        this.call = call;
        this.kind = kind;
    }

    /** The same check, followed by this rewrite of the answer (null for none). */
    AnswerRewrite then(AnswerRewrite redaction) {
        ScopedAnswer both = new ScopedAnswer(call, kind);
        both.next = redaction;
        return both;
    }

    @Override
    public byte[] apply(byte[] body) throws Exception {
        String object = call.object();
        if (!call.scope().contains(ObjectLabels.read(kind, body).labels())) {
            log.warn("deny {} {}: {} {} is outside {}; answered as the daemon answers a missing object",
                    "GET", call.path(), kind.singular(), object, call.where());
            throw new Replaced(404, kind.notFound(object));
        }
        return next == null ? body : next.apply(body);
    }

    @Override
    public int limit() {
        return next == null ? RedactedAnswer.MAX_REDACTED_ANSWER : Math.max(next.limit(), RedactedAnswer.MAX_REDACTED_ANSWER);
    }
}
