package dockgate.guard;

import java.util.regex.Pattern;

/**
 * An image pattern of a check set: a reference normalised as images are, in which {@code *} stands for any
 * run of characters but {@code /} and {@code **} for any run at all. A pattern without a tag or digest
 * matches every tag and digest of its repositories: {@code busybox} matches {@code busybox:1.36}.
 */
public record ImagePattern(String text, Pattern pattern) {

    private static final Pattern PATTERN_TEXT = Pattern.compile("[a-zA-Z0-9.:_@*/-]+");

    public static ImagePattern parse(String text) {
        if (!PATTERN_TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("image pattern '" + text + "' is not an image reference"
                    + " (with * or ** for any characters)");
        }
        String[] parts = ImageReference.split(text);
        String name = parts[0];
        String version = parts[1];
        String repository = ImageReference.repository(name);
        if (repository == null) {
            throw new IllegalArgumentException("image pattern '" + text + "': repository names are lower case");
        }
        String normal = repository + version;
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < normal.length(); i++) {
            char c = normal.charAt(i);
            if (c == '*' && i + 1 < normal.length() && normal.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (version.isEmpty()) {
            regex.append("[:@].*");
        }
        return new ImagePattern(text, Pattern.compile(regex.toString()));
    }

    /** Whether a normalised reference matches. */
    public boolean matches(String normalised) {
        return pattern.matcher(normalised).matches();
    }
}
