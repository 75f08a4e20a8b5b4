package dockgate;

/** A bad flag or value on the command line or in the environment: one line for the user, exit code 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
