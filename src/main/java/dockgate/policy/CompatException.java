package dockgate.policy;

/** A compatibility-mode variable with a value that mode does not accept; the message is one line for the user. */
public final class CompatException extends Exception {

    public CompatException(String message) {
        super(message);
    }
}
