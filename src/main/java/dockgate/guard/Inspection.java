package dockgate.guard;

import dockgate.json.Json;
import dockgate.json.JsonBodyException;
import dockgate.json.JsonObject;
import dockgate.json.JsonWriter;
import dockgate.json.StrictJsonReader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The routes whose JSON bodies are checked, and the checking of one body: read strictly, keys made
 * canonical, checked against a {@link CheckSet}, stamped, and written again. The bytes it returns are what
 * the daemon is sent, so the daemon reads exactly the value that was checked.
 */
public enum Inspection {

    CONTAINER_CREATE("POST", "/containers/create", "container create", "container-create"),
    CONTAINER_UPDATE("POST", "/containers/{id}/update", "container update", "container-update"),
    EXEC_CREATE("POST", "/containers/{id}/exec", "exec create", "exec-create"),
    EXEC_START("POST", "/exec/{id}/start", "exec start", "exec-start"),
    VOLUME_CREATE("POST", "/volumes/create", "volume create", "volume-create"),
    NETWORK_CREATE("POST", "/networks/create", "network create", "network-create"),
    NETWORK_CONNECT("POST", "/networks/{id}/connect", "network connect", "network-connect"),
    SERVICE_CREATE("POST", "/services/create", "service create", "service-spec"),
    SERVICE_UPDATE("POST", "/services/{id}/update", "service update", "service-spec");

    /** Deeper than any Engine API body nests (a service spec reaches about eight). */
    public static final int MAX_DEPTH = 32;

    /** {@code application/json}, with nothing but a UTF-8 charset after it; the case of ASCII letters aside. */
    private static final Pattern JSON_TYPE = Pattern.compile(
            "application/json([ \t]*;[ \t]*charset=(\"utf-8\"|utf-8))?", Pattern.CASE_INSENSITIVE);

    private final String method;
    private final String route;
    private final String what;
    private final String shape;

    Inspection(String method, String route, String what, String shape) {
        this.method = method;
        this.route = route;
        this.what = what;
        this.shape = shape;
    }

    /** The inspection of a route of the route table, by its method and template; null for routes not inspected. */
    public static Inspection of(String method, String routeTemplate) {
        for (Inspection inspection : values()) {
            if (inspection.method.equals(method) && inspection.route.equals(routeTemplate)) {
                return inspection;
            }
        }
        return null;
    }

    /** Whether a rule written for this path can take a {@code checks=} set: its body, or for a pull its query, is checked. */
    public static boolean inspects(String routeTemplate) {
        if (routeTemplate.equals(ImagePulls.ROUTE)) {
            return true;
        }
        for (Inspection inspection : values()) {
            if (inspection.route.equals(routeTemplate)) {
                return true;
            }
        }
        return false;
    }

    /** The routes whose calls checks judge, as "POST /containers/create". */
    public static List<String> routes() {
        List<String> routes = new ArrayList<>(Arrays.stream(values()).map(i -> i.method + " " + i.route).toList());
        routes.add("POST " + ImagePulls.ROUTE);
        return routes;
    }

    /** "container create": how messages name the call. */
    public String what() {
        return what;
    }

    /**
     * Why a body with these headers cannot be inspected, or null when it can: it must be JSON by the only
     * spelling that leaves no doubt, and not encoded.
     */
    public static String unreadableHeaders(String contentType, String contentEncoding) {
        if (contentEncoding != null) {
            return "a JSON body must not have a Content-Encoding (got '" + contentEncoding + "')";
        }
        if (contentType == null || !JSON_TYPE.matcher(contentType.strip()).matches()) {
            return "a JSON body needs Content-Type: application/json (got "
                    + (contentType == null ? "none" : "'" + contentType + "'") + ")";
        }
        return null;
    }

    /**
     * Checks one body and returns the bytes to send the daemon in its place: {@code body} itself (or its bytes
     * before the white space that ends it) when those are the bytes that would be written.
     *
     * @throws JsonBodyException when the body cannot be read one way only (a 400)
     * @throws Refused           when a check refuses what it asks for (a 403)
     */
    public byte[] inspect(byte[] body, CheckSet set) throws JsonBodyException, Refused {
        StrictJsonReader.Document document = StrictJsonReader.readDocument(body, MAX_DEPTH, Shapes.keys());
        Json parsed = document.value();
        Json canonical = Shapes.canonical(parsed, shape);
        if (!(canonical instanceof JsonObject object)) {
            throw new JsonBodyException("the " + what + " body is not a JSON object");
        }
        JsonObject checked = switch (this) {
            case CONTAINER_CREATE -> {
                Shapes.refuseTopLevelHostConfig(object);
                new ContainerChecks(set).check(object);
                yield new LabelChecks(set).stamped(object);
            }
            case CONTAINER_UPDATE -> {
                new ResourceChecks(set).check(object);
                yield object;
            }
            case EXEC_CREATE -> {
                if (Fields.bool(object, "Privileged", "") && !set.allowed().contains(CheckSet.PRIVILEGED)) {
                    throw new Refused(CheckSet.PRIVILEGED, "Privileged is true", "allow " + CheckSet.PRIVILEGED);
                }
                if (set.require().nonRoot()) {
                    ContainerChecks.nonRoot(Fields.string(object, "User", ""), "User");
                }
                List<String> command = Fields.strings(object, "Cmd", "");
                if (!set.execCommands().isEmpty() && (command.isEmpty() || !set.execCommands().contains(command.get(0)))) {
                    throw new Refused("exec-commands", "Cmd " + command + " is not an allowed command",
                            command.isEmpty() ? null : Refused.line("exec-commands", command.get(0)));
                }
                yield object;
            }
            case NETWORK_CREATE -> {
                new NetworkChecks(set).create(object);
                yield new LabelChecks(set).stamped(object);
            }
            case EXEC_START -> object;
            case NETWORK_CONNECT -> {
                new NetworkChecks(set).connect(object);
                yield object;
            }
            case SERVICE_CREATE, SERVICE_UPDATE -> {
                ServiceChecks checks = new ServiceChecks(set);
                checks.check(object);
                yield checks.stamped(object);
            }
            case VOLUME_CREATE -> {
                new VolumeChecks(set).check(object);
                yield new LabelChecks(set).stamped(object);
            }
        };
        if (checked == parsed && document.asWritten()) {
            // Nothing was made canonical or stamped, and the body is already the writer's bytes for it (as a
            // compact body from Go's encoder mostly is): writing it again would give the same bytes.
            return document.end() == body.length ? body : Arrays.copyOf(body, document.end());
        }
        // About as long as the body it came from: a buffer grown from the default size was a fifth of the write.
        return JsonWriter.write(checked, body.length + 64);
    }

    @Override
    public String toString() {
        return method + " " + route;
    }
}
