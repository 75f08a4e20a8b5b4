package dockgate;

/**
 * One command-line flag as its user reads about it. {@link Flags} holds them all, and the usage text, the
 * parser's list and the reference table in docs/configuration.md are all made from it, so they cannot
 * disagree. Text may quote with backticks, which the usage text leaves out.
 *
 * @param name        the flag without its dashes; also the environment variable {@code DOCKGATE_NAME}
 * @param argument    what follows the flag ({@code HOST:PORT}), or null for a switch
 * @param defaultText what applies when it is not given, or null when that needs no words
 * @param meaning     what it does
 * @param whenHit     for a limit, what the client gets when it is passed; null otherwise
 * @param see         where the documentation says more, as a Markdown link (docs only), or null
 */
record Flag(String name, String argument, String defaultText, String meaning, String whenHit, String see) {

    static Flag option(String name, String argument, String defaultText, String meaning) {
        return new Flag(name, argument, defaultText, meaning, null, null);
    }

    static Flag limit(String name, String argument, String defaultText, String meaning, String whenHit) {
        return new Flag(name, argument, defaultText, meaning, whenHit, null);
    }

    static Flag onlyFlag(String name, String meaning) {
        return new Flag(name, null, null, meaning, null, null);
    }

    Flag seeAlso(String link) {
        return new Flag(name, argument, defaultText, meaning, whenHit, link);
    }

    boolean takesValue() {
        return argument != null;
    }

    /** How it is written in the usage text and the docs: {@code --listen HOST:PORT}. */
    String synopsis() {
        return "--" + name + (argument == null ? "" : " " + argument);
    }

    /** Its environment variable: {@code DOCKGATE_ALLOW_FROM} for {@code allow-from}. */
    String variable() {
        return CommandLine.variable(name);
    }
}
