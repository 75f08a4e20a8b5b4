package dockgate.server;

import dockgate.policy.UnreadableQueryException;
import dockgate.scope.Kind;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * An owner's writes to shared images: it may run any image, but may not take a tag another owner holds,
 * point a shared tag at content of its own, or remove an image that is not its own.
 */
final class OwnerImages {

    private static final List<String> TAG = List.of("repo", "tag");
    private static final List<String> PULL = List.of("fromImage", "tag", "fromSrc", "repo");
    /** A repository and tag as the daemon's reference grammar allows them, no more: what a lookup may name. */
    private static final Pattern REFERENCE = Pattern.compile("[a-z0-9][a-z0-9._/:-]*(@sha256:[a-f0-9]{64})?");

    private final ObjectLookup lookup;

    OwnerImages(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    /** {@code POST /images/{name}/tag?repo=&tag=}: its target may be a free tag or the owner's own. */
    CompletableFuture<ScopeGate.Verdict> tag(ScopedCall call) {
        List<String> values;
        try {
            values = call.query().valuesOnce(TAG);
        } catch (UnreadableQueryException e) {
            return done(refused(400, "bad query: " + e.getMessage()));
        }
        return heldOnlyByOwner(call, values.get(0), values.get(1), true);
    }

    /** {@code POST /images/create}: a pull or an import into a tag. */
    CompletableFuture<ScopeGate.Verdict> pull(ScopedCall call) {
        List<String> values;
        try {
            values = call.query().valuesOnce(PULL);
        } catch (UnreadableQueryException e) {
            return done(refused(400, "bad query: " + e.getMessage()));
        }
        if (!values.get(2).isEmpty()) {
            // An import writes content of the client's own into the tag, as a tag does.
            return heldOnlyByOwner(call, values.get(3), values.get(1), true);
        }
        if (values.get(1).isEmpty() && !values.get(0).contains(":") && !values.get(0).contains("@")) {
            return done(refused(403, "profile " + call.profile() + " pulls one tag at a time: name the tag of "
                    + values.get(0) + " (a pull without one takes every tag of the repository)"));
        }
        // A pull writes what the registry holds under that name: it refreshes a shared tag, and only
        // another owner's tag is refused.
        return heldOnlyByOwner(call, values.get(0), values.get(1), false);
    }

    /** {@code DELETE /images/{name}}: only an image that carries the owner's label. */
    CompletableFuture<ScopeGate.Verdict> remove(ScopedCall call) {
        String image = call.object();
        return lookup.find(Kind.IMAGES, image).thenApply(found -> found.refusal() != null
                ? ScopeGate.Verdict.refused(found.refusal())
                : call.scope().owner().matches(found.labels().labels()) ? call.pass()
                : ScopeGate.Verdict.refused(new Refusal(403, "image " + image + " is not owned by profile " + call.profile()
                + " (" + call.scope().owner() + "): it may run it, not remove it")));
    }

    /**
     * Passes when the tag is free or held by an image of this owner's; with {@code strict}, a shared
     * image's tag is refused too (a tag or import could point it at anything).
     */
    private CompletableFuture<ScopeGate.Verdict> heldOnlyByOwner(ScopedCall call, String repository, String tag,
                                                                 boolean strict) {
        String reference = tag.isEmpty() ? repository : repository + ":" + tag;
        if (repository.isEmpty()) {
            return done(call.pass());
        }
        if (!REFERENCE.matcher(reference).matches()) {
            return done(refused(400, "bad image reference '" + reference + "'"));
        }
        return lookup.ask(Kind.IMAGES.inspectPath(reference)).thenApply(answer -> {
            if (answer.status() == 404) {
                return call.pass();
            }
            ObjectLookup.Found found = ObjectLookup.found(Kind.IMAGES, reference, answer);
            if (found.refusal() != null) {
                return ScopeGate.Verdict.refused(found.refusal());
            }
            String holder = found.labels().labels().get(call.scope().owner().key());
            if (call.scope().owner().value().equals(holder) || holder == null && !strict) {
                return call.pass();
            }
            return refused(403, "the tag " + reference + " is held by "
                    + (holder == null ? "a shared image" : "an image of another owner") + ": profile " + call.profile()
                    + " may not re-point it");
        });
    }

    private static ScopeGate.Verdict refused(int status, String message) {
        return ScopeGate.Verdict.refused(new Refusal(status, message));
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
