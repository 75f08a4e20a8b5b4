package dockgate.guard;

/**
 * A body a check refused: which check, what in the body it found, in words a docker user reads, and the
 * line of a checks section that would allow it. Thrown from deep in a walk over the body so that the first
 * finding ends it.
 */
public final class Refused extends Exception {

    private final String check;
    private final String allowance;

    public Refused(String check, String detail) {
        this(check, detail, null);
    }

    /** @param allowance the line of a checks section that would allow what was found, or null when none can */
    public Refused(String check, String detail, String allowance) {
        super(detail, null, false, false);
        this.check = check;
        this.allowance = allowance;
    }

    /**
     * A checks line {@code directive value}, or null when the value cannot be written as one word of a rules
     * file (white space, '#', anything outside printable ASCII).
     */
    static String line(String directive, String value) {
        if (value == null || value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c > '~' || c == '#')) {
            return null;
        }
        return directive + " " + value;
    }

    /** The check's name as a rules file writes it: {@code binds}, {@code privileged}, {@code non-root}... */
    public String check() {
        return check;
    }

    public String detail() {
        return getMessage();
    }

    /**
     * The line of a checks section that would allow what this refused ({@code allow binds /etc},
     * {@code images docker.io/library/busybox:latest}), or null when no line can: how audit mode learns.
     */
    public String allowance() {
        return allowance;
    }

    /** What a client and the log are told: {@code container create refused by check 'binds' of checks ci (rules:3): ...}. */
    public String describe(String what, CheckSet checks) {
        return what + " refused by check '" + check + "' of " + checks.describe() + ": " + detail();
    }
}
