package dockgate.json;

/**
 * A request body the gateway refuses to pass on, with a message for the docker user who sent it: what is
 * wrong and where. Thrown for a client's input, never for a fault of ours, so it carries no stack trace.
 */
public final class JsonBodyException extends Exception {
    private static final long serialVersionUID = 1L;

    public JsonBodyException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
