package dockgate.policy;

/**
 * What is wrong with one piece of a rule line. The parser knows the file and line and turns it into
 * a {@link RulesException}; the pieces that find the problem do not need to know either.
 */
final class RuleSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    RuleSyntaxException(String problem) {
        super(problem, null, false, false);
    }
}
