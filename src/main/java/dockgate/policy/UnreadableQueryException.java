package dockgate.policy;

/** A query that cannot be read one way only; the message is the human reason. */
public final class UnreadableQueryException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableQueryException(String reason) {
        // No stack trace: odd queries are expected traffic, not a program error.
        super(reason, null, false, false);
    }
}
