package dockgate.guard;

import dockgate.json.JsonBodyException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Learns, in audit mode, the smallest set of checks that allows every body seen: each body is judged by
 * the set learned so far, and each refusal adds the line that allows what it found ({@code allow binds
 * /srv/data}, {@code images docker.io/library/busybox:latest}), until the body passes. What no line can
 * allow (a body that cannot be read, a value that cannot be written) is counted, not learned.
 *
 * <p>Not thread-safe: the caller holds its own lock.
 */
public final class CheckSetLearner {

    /** The name of the learned set in the rules file audit mode writes. */
    public static final String NAME = "learned";

    /** Matches no image, so that every image used is learned by name, and the set allows those alone. */
    private static final ImagePattern NO_IMAGE = new ImagePattern("(none yet)", Pattern.compile("(?!)"));
    /** Lines one body can add; far more than any body asks for, it bounds the work a hostile one can cause. */
    private static final int MAX_STEPS = 64;
    static final int MAX_LINES = 512;

    private final Set<String> lines = new LinkedHashSet<>();
    /** The set as learned; {@link #current} is the same with {@link #NO_IMAGE} while no image was learned. */
    private CheckSet learned;
    private CheckSet current = build();
    private long unlearnable;
    private long judged;

    /** Learns from one body of a checked route. */
    public void body(Inspection inspection, byte[] body) {
        judged++;
        relax(set -> inspection.inspect(body, set));
    }

    /** Learns from one image create's query. */
    public void pull(String fromImage, String tag, String fromSrc) {
        judged++;
        relax(set -> ImagePulls.check(fromImage, tag, fromSrc, set));
    }

    private interface Judgement {
        void judge(CheckSet set) throws JsonBodyException, Refused;
    }

    private void relax(Judgement judgement) {
        for (int step = 0; step < MAX_STEPS; step++) {
            try {
                judgement.judge(current);
                return;
            } catch (JsonBodyException e) {
                break;
            } catch (Refused e) {
                String line = e.allowance();
                if (line == null || lines.size() >= MAX_LINES || !lines.add(line)) {
                    break;
                }
                try {
                    current = build();
                } catch (IllegalArgumentException unwritable) {
                    // A value the rules syntax cannot hold after all (a bind source with a ':'): not learned.
                    lines.remove(line);
                    break;
                }
            }
        }
        unlearnable++;
    }

    private CheckSet build() {
        CheckSetBuilder builder = new CheckSetBuilder(NAME, "audit mode");
        for (String line : lines) {
            builder.line(List.of(line.split(" ")));
        }
        CheckSet built = builder.build();
        learned = built;
        if (!built.images().isEmpty()) {
            return built;
        }
        return built.withImages(List.of(NO_IMAGE));
    }

    /** The learned set as the lines of its checks section; empty when nothing asked for anything. */
    public List<String> lines() {
        return learned.lines();
    }

    /** Bodies judged, learnable or not. */
    public long judged() {
        return judged;
    }

    /** Bodies that asked for something no line can allow: an unreadable body, or a value no line can hold. */
    public long unlearnable() {
        return unlearnable;
    }
}
