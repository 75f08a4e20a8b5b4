package dockgate.server;

import dockgate.api.EngineApi;
import dockgate.json.Json;
import dockgate.json.JsonBodyException;
import dockgate.json.JsonObject;
import dockgate.json.JsonString;
import dockgate.json.StrictJsonReader;
import dockgate.policy.Query;
import dockgate.policy.UnreadableQueryException;
import dockgate.proxy.DaemonProxy;
import dockgate.proxy.LookupAnswer;
import dockgate.scope.Kind;
import dockgate.scope.ListFilters;
import dockgate.scope.ObjectLabels;
import dockgate.scope.Scope;
import dockgate.scope.References;
import dockgate.scope.ScopedRoutes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps an allowed call of a scoped profile within its scope: a list gets the scope's labels in its
 * filters; a call on one object is sent only once the daemon, asked afresh for this very call, shows the
 * object within the scope, and is then sent by the object's id, so that a name re-pointed meanwhile cannot
 * reach another object; an object outside the scope is answered as the daemon answers a missing one.
 */
final class ScopeGate {

    /**
     * What the scope made of a call: the path and query to send the daemon, or why it is refused.
     */
    record Verdict(String path, Query query, Refusal refusal) {
        static Verdict refused(Refusal refusal) {
            return new Verdict(null, null, refusal);
        }
    }

    private static final Pattern VERSION = Pattern.compile("^(/v[0-9]+\\.[0-9]+)(/.*)$");
    private static final List<String> FILTERS = List.of("filters");
    private static final List<String> TAG = List.of("repo", "tag");
    private static final List<String> PULL = List.of("fromImage", "tag", "fromSrc", "repo");
    /** A repository and tag as the daemon's reference grammar allows them, no more: what a lookup may name. */
    private static final Pattern REFERENCE = Pattern.compile("[a-z0-9][a-z0-9._/:-]*(@sha256:[a-f0-9]{64})?");

    /** What container, network and volume names and ids are made of. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final DaemonProxy proxy;

    ScopeGate(DaemonProxy proxy) {
        this.proxy = proxy;
    }

    /**
     * @param path  the canonical path, with any version prefix
     * @param route the call's route, or null when it is none
     * @return the verdict; already complete unless the daemon must be asked
     */
    CompletableFuture<Verdict> judge(Scope scope, String profile, String method, String path, Query query,
                                     EngineApi.Route route) {
        String template = route == null ? null : route.path();
        ScopedRoutes.Treatment treatment = ScopedRoutes.of(method, template, scope);
        Call call = new Call(scope, profile, method, path, query, template, treatment.kind());
        return switch (treatment.way()) {
            case FREE -> done(new Verdict(path, query, null));
            case LIST, FILTERED -> done(call.filtered());
            case REFUSED -> done(Verdict.refused(new Refusal(403, method + " " + template + " reaches objects a scope"
                    + " cannot hold, so profile " + profile + " (scope " + scope.describe() + ") may not call it")));
            case OBJECT -> call.object();
            case EXEC -> call.exec();
            case TAG -> call.tag();
            case PULL -> call.pull();
            case IMAGE_REMOVE -> call.imageRemove();
        };
    }

    /**
     * Whether the objects a write body names (the volumes a create mounts, the container a connect moves)
     * are within the scope: null when they are, else what the client is told.
     *
     * @param body the body as the daemon reads it
     */
    CompletableFuture<Refusal> references(Scope scope, String profile, String template, byte[] body) {
        List<References.Reference> named;
        try {
            named = References.of(template, body);
        } catch (JsonBodyException e) {
            return done(new Refusal(400, "the body cannot be read one way only: " + e.getMessage()));
        }
        Call call = new Call(scope, profile, "POST", template, Query.EMPTY, template, null);
        List<CompletableFuture<Refusal>> checks = new ArrayList<>();
        for (References.Reference reference : named) {
            if (scope.holds(reference.kind())) {
                checks.add(call.named(reference));
            }
        }
        CompletableFuture<Refusal> first = CompletableFuture.completedFuture(null);
        for (CompletableFuture<Refusal> check : checks) {
            first = first.thenCombine(check, (earlier, next) -> earlier != null ? earlier : next);
        }
        return first;
    }

    private static <T> CompletableFuture<T> done(T verdict) {
        return CompletableFuture.completedFuture(verdict);
    }

    /** One call being judged. */
    private final class Call {
        private final Scope scope;
        private final String profile;
        private final String method;
        private final String path;
        private final Query query;
        private final String template;
        private final Kind kind;
        /** The version prefix ("/v1.41" or "") and the path after it. */
        private final String version;
        private final String bare;

        Call(Scope scope, String profile, String method, String path, Query query, String template, Kind kind) {
            this.scope = scope;
            this.profile = profile;
            this.method = method;
            this.path = path;
            this.query = query;
            this.template = template;
            this.kind = kind;
            Matcher versioned = VERSION.matcher(path);
            this.version = versioned.matches() ? versioned.group(1) : "";
            this.bare = versioned.matches() ? versioned.group(2) : path;
        }

        Verdict filtered() {
            try {
                String clients = query.valuesOnce(FILTERS).get(0);
                return new Verdict(path, query.with("filters", ListFilters.merged(clients, scope.filters())), null);
            } catch (UnreadableQueryException | IllegalArgumentException e) {
                return Verdict.refused(new Refusal(400, "bad filters: " + e.getMessage()));
            }
        }

        CompletableFuture<Verdict> object() {
            String object = ScopedRoutes.object(bare, template);
            return lookUp(kind, object).thenApply(found -> {
                if (found.refusal != null) {
                    return Verdict.refused(found.refusal);
                }
                if (!scope.contains(found.labels.labels())) {
                    return Verdict.refused(outside(kind, object));
                }
                // An image goes by the name given: removing a tag and removing an image by its id differ.
                String sent = kind == Kind.IMAGES ? path : version + bare.substring(0, template.indexOf('{'))
                        + found.labels.id() + template.substring(template.indexOf('}') + 1);
                return new Verdict(sent, query, null);
            });
        }

        CompletableFuture<Verdict> exec() {
            String exec = ScopedRoutes.object(bare, template);
            return proxy.lookup("/exec/" + exec + "/json").thenCompose(answer -> {
                if (answer.status() != 200) {
                    return done(Verdict.refused(failed(answer, "exec instance " + exec, "No such exec instance: " + exec)));
                }
                String container;
                try {
                    container = ObjectLabels.execContainer(answer.body());
                } catch (JsonBodyException e) {
                    return done(Verdict.refused(unreadable("exec instance " + exec, e)));
                }
                return lookUp(Kind.CONTAINERS, container).thenApply(found -> found.refusal != null
                        ? Verdict.refused(found.refusal)
                        : scope.contains(found.labels.labels()) ? new Verdict(path, query, null)
                        : Verdict.refused(new Refusal(404, "No such exec instance: " + exec,
                        "exec " + exec + " runs in container " + container + ", outside " + where())));
            });
        }

        CompletableFuture<Verdict> tag() {
            List<String> values;
            try {
                values = query.valuesOnce(TAG);
            } catch (UnreadableQueryException e) {
                return done(Verdict.refused(new Refusal(400, "bad query: " + e.getMessage())));
            }
            return heldOnlyByOwner(values.get(0), values.get(1), true);
        }

        CompletableFuture<Verdict> pull() {
            List<String> values;
            try {
                values = query.valuesOnce(PULL);
            } catch (UnreadableQueryException e) {
                return done(Verdict.refused(new Refusal(400, "bad query: " + e.getMessage())));
            }
            if (!values.get(2).isEmpty()) {
                // An import writes content of the client's own into the tag, as a tag does.
                return heldOnlyByOwner(values.get(3), values.get(1), true);
            }
            if (values.get(1).isEmpty() && !values.get(0).contains(":") && !values.get(0).contains("@")) {
                return done(Verdict.refused(new Refusal(403, "profile " + profile + " pulls one tag at a time: name"
                        + " the tag of " + values.get(0) + " (a pull without one takes every tag of the repository)")));
            }
            // A pull writes what the registry holds under that name: it refreshes a shared tag, and only
            // another owner's tag is refused.
            return heldOnlyByOwner(values.get(0), values.get(1), false);
        }

        CompletableFuture<Verdict> imageRemove() {
            String image = ScopedRoutes.object(bare, template);
            return lookUp(Kind.IMAGES, image).thenApply(found -> found.refusal != null ? Verdict.refused(found.refusal)
                    : scope.owner().matches(found.labels.labels()) ? new Verdict(path, query, null)
                    : Verdict.refused(new Refusal(403, "image " + image + " is not owned by profile " + profile
                    + " (" + scope.owner() + "): it may run it, not remove it")));
        }

        /**
         * Passes when the tag is free or held by an image of this owner's; with {@code strict}, a shared
         * image's tag is refused too (a tag or import could point it at anything).
         */
        private CompletableFuture<Verdict> heldOnlyByOwner(String repository, String tag, boolean strict) {
            String reference = tag.isEmpty() ? repository : repository + ":" + tag;
            if (repository.isEmpty()) {
                return done(new Verdict(path, query, null));
            }
            if (!REFERENCE.matcher(reference).matches()) {
                return done(Verdict.refused(new Refusal(400, "bad image reference '" + reference + "'")));
            }
            return proxy.lookup(Kind.IMAGES.inspectPath(reference)).thenApply(answer -> {
                if (answer.status() == 404) {
                    return new Verdict(path, query, null);
                }
                Found found = found(Kind.IMAGES, reference, answer);
                if (found.refusal != null) {
                    return Verdict.refused(found.refusal);
                }
                String holder = found.labels.labels().get(scope.owner().key());
                if (scope.owner().value().equals(holder) || holder == null && !strict) {
                    return new Verdict(path, query, null);
                }
                return Verdict.refused(new Refusal(403, "the tag " + reference + " is held by "
                        + (holder == null ? "a shared image" : "an image of another owner") + ": profile " + profile
                        + " may not re-point it"));
            });
        }

        /** Null when the object a body names is within the scope, else the refusal of the call. */
        CompletableFuture<Refusal> named(References.Reference reference) {
            Kind of = reference.kind();
            String object = reference.name();
            if (!SEGMENT.matcher(object).matches()) {
                return done(new Refusal(400, "bad " + of.singular() + " name '" + object + "' in the body"));
            }
            return proxy.lookup(of.inspectPath(object)).thenApply(answer -> {
                if (answer.status() == 404 && of == Kind.VOLUMES) {
                    // The daemon would make it, with no one's labels: outside every scope from its first moment.
                    return new Refusal(403, "volume " + object + " does not exist: within the scope of profile " + profile
                            + ", create it first (docker volume create), so that it carries " + scope.describe());
                }
                Found found = found(of, object, answer);
                if (found.refusal != null || scope.contains(found.labels.labels())) {
                    return found.refusal;
                }
                // Not the daemon's 404: the docker CLI takes any 404 from a create for a missing image, and pulls.
                return new Refusal(403, "the " + of.singular() + " " + object + " named in the body is outside "
                        + where());
            });
        }

        private CompletableFuture<Found> lookUp(Kind of, String object) {
            return proxy.lookup(of.inspectPath(object)).thenApply(answer -> found(of, object, answer));
        }

        private Found found(Kind of, String object, LookupAnswer answer) {
            if (answer.status() != 200) {
                return new Found(null, failed(answer, of.singular() + " " + object, of.notFound(object)));
            }
            try {
                return new Found(ObjectLabels.read(of, answer.body()), null);
            } catch (JsonBodyException e) {
                return new Found(null, unreadable(of.singular() + " " + object, e));
            }
        }

        private Refusal outside(Kind of, String object) {
            return new Refusal(404, of.notFound(object), of.singular() + " " + object + " is outside " + where()
                    + "; answered as the daemon answers a missing object");
        }

        private String where() {
            return "the scope of profile " + profile + " (" + scope.describe() + ")";
        }
    }

    /** A lookup's result: the object's labels, or what the client is told instead. */
    private record Found(ObjectLabels.Found labels, Refusal refusal) {
    }

    /** A lookup the daemon did not answer 200: its own not-found, or a 502 that says what went wrong. */
    private static Refusal failed(LookupAnswer answer, String what, String notFound) {
        if (answer.status() == 404) {
            return new Refusal(404, daemonMessage(answer.body(), notFound), what + ": the daemon has none");
        }
        String problem = answer.problem() != null ? answer.problem()
                : "it answered " + answer.status() + ": " + daemonMessage(answer.body(), "(no message)");
        return new Refusal(502, "cannot ask the daemon about " + what + " to keep the call within its scope: " + problem);
    }

    private static Refusal unreadable(String what, JsonBodyException e) {
        return new Refusal(502, "cannot read the daemon's answer about " + what + ": " + e.getMessage());
    }

    /** The {@code message} of the daemon's JSON error, or {@code otherwise}. */
    private static String daemonMessage(byte[] body, String otherwise) {
        try {
            Json read = StrictJsonReader.read(body, 2);
            if (read instanceof JsonObject object && object.get("message") instanceof JsonString message) {
                return message.value();
            }
        } catch (JsonBodyException e) {
            // Not the daemon's usual error: the caller's words will do.
        }
        return otherwise;
    }
}
