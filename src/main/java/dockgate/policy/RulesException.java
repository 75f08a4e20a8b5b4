package dockgate.policy;

/** A rules file that cannot be used; the message reads "FILE:LINE: what is wrong". */
public final class RulesException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    public RulesException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
