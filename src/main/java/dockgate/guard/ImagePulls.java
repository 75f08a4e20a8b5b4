package dockgate.guard;

/**
 * The checks of {@code POST /images/create}, which takes its orders from the query: a pull
 * ({@code fromImage}, with {@code tag}) must name an image the set allows, and an import ({@code fromSrc},
 * an archive turned into an image under any name) needs {@code allow import}.
 */
public final class ImagePulls {

    /** The route, as the route table writes it. */
    public static final String ROUTE = "/images/create";

    /** The query parameters judged here, in the order {@link #check} takes them. */
    public static final java.util.List<String> PARAMETERS = java.util.List.of("fromImage", "tag", "fromSrc");

    private ImagePulls() {
    }

    /**
     * @param fromImage the image to pull, "" when absent
     * @param tag       its tag or digest, "" when absent (then every tag of a name without one is pulled)
     * @param fromSrc   the source of an import, "" when absent
     */
    public static void check(String fromImage, String tag, String fromSrc, CheckSet set) throws Refused {
        if (!fromSrc.isEmpty()) {
            if (!set.allowed().contains(CheckSet.IMPORT)) {
                throw new Refused(CheckSet.IMPORT, "fromSrc imports an archive as an image", "allow " + CheckSet.IMPORT);
            }
            return;
        }
        if (fromImage.isEmpty() || set.images().isEmpty()) {
            return;
        }
        String normal = reference(fromImage, tag);
        if (normal == null) {
            throw new Refused("images", "fromImage '" + fromImage + "' (tag '" + tag + "') is not an image name the"
                    + " checks can read");
        }
        for (ImagePattern pattern : set.images()) {
            if (pattern.matches(normal)) {
                return;
            }
        }
        throw new Refused("images", "pulling " + normal + " matches none of the allowed images",
                Refused.line("images", normal.endsWith(":*") ? normal.substring(0, normal.length() - 2) : normal));
    }

    /**
     * The normalised reference a pull fetches. Without a tag in either parameter the daemon pulls every tag;
     * that is written {@code :*}, which only a pattern without a tag matches.
     */
    private static String reference(String fromImage, String tag) {
        if (!tag.isEmpty()) {
            return ImageReference.normalise(fromImage + (tag.contains(":") ? "@" : ":") + tag);
        }
        String normal = ImageReference.normalise(fromImage);
        boolean versioned = fromImage.contains("@") || fromImage.lastIndexOf(':') > fromImage.lastIndexOf('/');
        return normal == null || versioned ? normal : normal.substring(0, normal.length() - ":latest".length()) + ":*";
    }
}
