package dockgate.server;

import dockgate.json.Json;
import dockgate.json.JsonBodyException;
import dockgate.json.JsonObject;
import dockgate.json.JsonString;
import dockgate.json.StrictJsonReader;
import dockgate.proxy.DaemonProxy;
import dockgate.proxy.LookupAnswer;
import dockgate.scope.Kind;
import dockgate.scope.ObjectLabels;

import java.util.concurrent.CompletableFuture;

/**
 * Asks the daemon about one object for a scope's decision, and says what a client is told when the answer
 * decides nothing: the daemon's own not-found, or a 502 that says what went wrong.
 */
final class ObjectLookup {

    /** A lookup's result: the object's id and labels, or what the client is told instead. */
    record Found(ObjectLabels.Found labels, Refusal refusal) {
    }

    private final DaemonProxy proxy;

    ObjectLookup(DaemonProxy proxy) {
        this.proxy = proxy;
    }

    /** The daemon's answer to a GET, as it came. */
    CompletableFuture<LookupAnswer> ask(String path) {
        return proxy.lookup(path);
    }

    /** The object's id and labels, from its inspect. */
    CompletableFuture<Found> find(Kind kind, String object) {
        return proxy.lookup(kind.inspectPath(object)).thenApply(answer -> found(kind, object, answer));
    }

    static Found found(Kind kind, String object, LookupAnswer answer) {
        if (answer.status() != 200) {
            return new Found(null, failed(answer, kind.singular() + " " + object, kind.notFound(object)));
        }
        try {
            return new Found(ObjectLabels.read(kind, answer.body()), null);
        } catch (JsonBodyException e) {
            return new Found(null, unreadable(kind.singular() + " " + object, e));
        }
    }

    /** A lookup the daemon did not answer 200: its own not-found, or a 502 that says what went wrong. */
    static Refusal failed(LookupAnswer answer, String what, String notFound) {
        if (answer.status() == 404) {
            return new Refusal(404, daemonMessage(answer.body(), notFound), what + ": the daemon has none");
        }
        if (answer.status() >= 400 && answer.status() < 500) {
            // The daemon's own refusal of the name (an id prefix that fits two objects, say): the client's to hear.
            return new Refusal(400, "the daemon refused to look up " + what + ": " + daemonMessage(answer.body(), "(no message)"));
        }
        String problem = answer.problem() != null ? answer.problem()
                : "it answered " + answer.status() + ": " + daemonMessage(answer.body(), "(no message)");
        return new Refusal(502, "cannot ask the daemon about " + what + " to keep the call within its scope: " + problem);
    }

    static Refusal unreadable(String what, JsonBodyException e) {
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
