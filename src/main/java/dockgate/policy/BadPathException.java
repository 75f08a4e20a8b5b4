package dockgate.policy;

/** A request path that dockgate refuses to interpret; the message is the human reason. */
public final class BadPathException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadPathException(String reason) {
        // No stack trace: hostile paths are expected traffic, not a program error.
        super(reason, null, false, false);
    }
}
