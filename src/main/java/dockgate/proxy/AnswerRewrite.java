package dockgate.proxy;

/**
 * A rewrite of a successful answer's whole body before the client sees any of it (a redacted inspect). It
 * runs on the daemon connection's event loop, once the body is read in whole.
 */
public interface AnswerRewrite {

    /**
     * @return the body to send in place of the daemon's
     * @throws Exception when the body cannot be rewritten: the client then gets a 502, never the original
     */
    byte[] apply(byte[] body) throws Exception;

    /** The most of a body read to be rewritten; beyond it the client gets a 502. */
    int limit();

    /**
     * Thrown by {@link #apply} when the answer must not reach the client at all: it gets, in its place, a
     * JSON error of this status and message, with the daemon's other headers, as the daemon would send one.
     */
    final class Replaced extends Exception {
        private final int status;

        public Replaced(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
