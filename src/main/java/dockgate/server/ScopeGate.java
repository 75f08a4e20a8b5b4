package dockgate.server;

import dockgate.api.EngineApi;
import dockgate.json.JsonBodyException;
import dockgate.policy.Query;
import dockgate.policy.UnreadableQueryException;
import dockgate.proxy.DaemonProxy;
import dockgate.scope.Kind;
import dockgate.scope.ListFilters;
import dockgate.scope.ObjectLabels;
import dockgate.scope.References;
import dockgate.scope.Scope;
import dockgate.scope.ScopedRoutes;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Keeps an allowed call of a scoped profile within its scope: a list gets the scope's labels in its
 * filters; a call on one object is sent only once the daemon, asked afresh for this very call, shows the
 * object within the scope, and is then sent by the object's id, so that a name re-pointed meanwhile cannot
 * reach another object; an object outside the scope is answered as the daemon answers a missing one.
 */
final class ScopeGate {

    /**
     * What the scope made of a call: the path and query to send the daemon, or why it is refused; and,
     * for an inspect, the check of the daemon's answer (null for none).
     */
    record Verdict(String path, Query query, Refusal refusal, ScopedAnswer answer) {
        Verdict(String path, Query query, Refusal refusal) {
            this(path, query, refusal, null);
        }

        static Verdict refused(Refusal refusal) {
            return new Verdict(null, null, refusal);
        }
    }

    private static final List<String> FILTERS = List.of("filters");
    /** What container, network and volume names and ids are made of. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final ObjectLookup lookup;
    private final OwnerImages images;

    ScopeGate(DaemonProxy proxy) {
        this.lookup = new ObjectLookup(proxy);
        this.images = new OwnerImages(lookup);
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
        ScopedCall call = ScopedCall.of(scope, profile, path, query, template);
        return switch (treatment.way()) {
            case FREE -> done(call.pass());
            case LIST, FILTERED -> done(filtered(call));
            case REFUSED -> done(Verdict.refused(new Refusal(403, method + " " + template + " reaches objects a scope"
                    + " cannot hold, so profile " + profile + " (scope " + scope.describe() + ") may not call it")));
            case OBJECT -> treatment.kind() == Kind.TASKS ? task(call)
                    // An inspect is judged on its own answer: one call to the daemon, and what is shown is what was checked.
                    : method.equals("GET") && template.equals(treatment.kind().inspectTemplate())
                    ? done(new Verdict(path, query, null, new ScopedAnswer(call, treatment.kind())))
                    : object(call, treatment.kind());
            case EXEC -> exec(call);
            case TAG -> images.tag(call);
            case PULL -> images.pull(call);
            case IMAGE_REMOVE -> images.remove(call);
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
        ScopedCall call = ScopedCall.of(scope, profile, template, Query.EMPTY, template);
        CompletableFuture<Refusal> first = done(null);
        for (References.Reference reference : named) {
            if (scope.holds(reference.kind())) {
                first = first.thenCombine(named(call, reference), (earlier, next) -> earlier != null ? earlier : next);
            }
        }
        return first;
    }

    private static Verdict filtered(ScopedCall call) {
        try {
            String clients = call.query().valuesOnce(FILTERS).get(0);
            return new Verdict(call.path(), call.query().with("filters",
                    ListFilters.merged(clients, call.scope().filters())), null);
        } catch (UnreadableQueryException | IllegalArgumentException e) {
            return Verdict.refused(new Refusal(400, "bad filters: " + e.getMessage()));
        }
    }

    private CompletableFuture<Verdict> object(ScopedCall call, Kind kind) {
        String object = call.object();
        return lookup.find(kind, object).thenApply(found -> {
            if (found.refusal() != null) {
                return Verdict.refused(found.refusal());
            }
            if (!call.scope().contains(found.labels().labels())) {
                return Verdict.refused(outside(call, kind, object));
            }
            // An image goes by the name given: removing a tag and removing an image by its id differ.
            return kind == Kind.IMAGES ? call.pass() : call.byId(found.labels().id());
        });
    }

    /** A task is within the scope when its service is: the daemon's task list filters by the service's labels. */
    private CompletableFuture<Verdict> task(ScopedCall call) {
        String task = call.object();
        return byHolder(call, "task " + task, Kind.TASKS.inspectPath(task), Kind.TASKS.notFound(task),
                Kind.SERVICES, ObjectLabels::taskService, answer -> call.byId(ObjectLabels.read(Kind.TASKS, answer).id()));
    }

    /** An exec instance is within the scope when its container is. */
    private CompletableFuture<Verdict> exec(ScopedCall call) {
        String exec = call.object();
        return byHolder(call, "exec instance " + exec, "/exec/" + exec + "/json", "No such exec instance: " + exec,
                Kind.CONTAINERS, ObjectLabels::execContainer, answer -> call.pass());
    }

    /** What an answer about an object is read for; may fail as the reading of a daemon's answer does. */
    private interface AnswerReading<T> {
        T read(byte[] answer) throws JsonBodyException;
    }

    /**
     * A call on an object that carries no labels of its own, judged by the object that holds it (an exec
     * by its container, a task by its service): missing, as the daemon words it, when the holder is outside.
     *
     * @param holderOf which object holds it, read from its inspect answer
     * @param within   what is sent when the holder is within the scope, from the same answer
     */
    private CompletableFuture<Verdict> byHolder(ScopedCall call, String what, String inspect, String missing,
                                                Kind holderKind, AnswerReading<String> holderOf,
                                                AnswerReading<Verdict> within) {
        return lookup.ask(inspect).thenCompose(answer -> {
            if (answer.status() != 200) {
                return done(Verdict.refused(ObjectLookup.failed(answer, what, missing)));
            }
            String holder;
            Verdict sent;
            try {
                holder = holderOf.read(answer.body());
                sent = within.read(answer.body());
            } catch (JsonBodyException e) {
                return done(Verdict.refused(ObjectLookup.unreadable(what, e)));
            }
            return lookup.find(holderKind, holder).thenApply(found -> found.refusal() != null
                    ? Verdict.refused(found.refusal())
                    : call.scope().contains(found.labels().labels()) ? sent
                    : Verdict.refused(new Refusal(404, missing, what + " is held by " + holderKind.singular() + " "
                    + holder + ", outside " + call.where())));
        });
    }

    /** Null when the object a body names is within the scope, else the refusal of the call. */
    private CompletableFuture<Refusal> named(ScopedCall call, References.Reference reference) {
        Kind kind = reference.kind();
        String object = reference.name();
        if (!SEGMENT.matcher(object).matches()) {
            return done(new Refusal(400, "bad " + kind.singular() + " name '" + object + "' in the body"));
        }
        return lookup.ask(kind.inspectPath(object)).thenApply(answer -> {
            if (answer.status() == 404 && reference.created()) {
                return null;
            }
            if (answer.status() == 404 && kind == Kind.VOLUMES) {
                // The daemon would make it, with no one's labels: outside every scope from its first moment.
                return new Refusal(403, "volume " + object + " does not exist: within the scope of profile "
                        + call.profile() + ", create it first (docker volume create), so that it carries "
                        + call.scope().describe());
            }
            ObjectLookup.Found found = ObjectLookup.found(kind, object, answer);
            if (found.refusal() != null || call.scope().contains(found.labels().labels())) {
                return found.refusal();
            }
            // Not the daemon's 404: the docker CLI takes any 404 from a create for a missing image, and pulls.
            return new Refusal(403, "the " + kind.singular() + " " + object + " named in the body is outside " + call.where());
        });
    }

    private static Refusal outside(ScopedCall call, Kind kind, String object) {
        return new Refusal(404, kind.notFound(object), kind.singular() + " " + object + " is outside " + call.where()
                + "; answered as the daemon answers a missing object");
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
