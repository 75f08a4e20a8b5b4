package dockgate.policy;

import java.util.regex.Pattern;

/** One {@code NAME=~REGEX} of a rule: the decoded value of query parameter NAME must match REGEX in full. */
record QueryConstraint(String name, Pattern pattern) {

    boolean accepts(String value) {
        return pattern.matcher(value).matches();
    }

    String describe() {
        return name + "=~" + pattern.pattern();
    }
}
