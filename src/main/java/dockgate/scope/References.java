package dockgate.scope;

import dockgate.json.GoKeyFold;
import dockgate.json.Json;
import dockgate.json.JsonArray;
import dockgate.json.JsonBodyException;
import dockgate.json.JsonObject;
import dockgate.json.JsonString;
import dockgate.json.StrictJsonReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The objects a write body names besides the one in its path: the volumes, networks and containers a
 * container create mounts, joins, links or shares namespaces with, the container a network connect or
 * disconnect moves, and the volume a volume create names. A scoped profile may name only objects within its scope; otherwise a create could mount
 * another owner's volume, or a connect pull another owner's container onto its network.
 */
public final class References {

    /**
     * @param kind    the kind of object named
     * @param name    its name or id, as the body gives it
     * @param created whether the call creates it: then it may be missing, but may not exist outside the scope
     */
    public record Reference(Kind kind, String name, boolean created) {
        Reference(Kind kind, String name) {
            this(kind, name, false);
        }
    }

    /** The networks every container may join: the daemon's own, which carry no one's labels. */
    private static final Set<String> BUILT_IN_NETWORKS = Set.of("", "default", "bridge", "none", "host");
    private static final int MAX_DEPTH = 32;

    private References() {
    }

    /**
     * @param template the route of the call, as the route table writes it
     * @param body     the body the daemon is sent: for a create and a connect, the checked one with canonical keys
     */
    public static List<Reference> of(String template, byte[] body) throws JsonBodyException {
        return switch (template) {
            case "/containers/create" -> create(object(body));
            case "/networks/{id}/connect" -> container(object(body).get("Container"));
            // The daemon answers a create of a volume that exists with that volume, whoever owns it.
            case "/volumes/create" -> object(body).get("Name") instanceof JsonString name && !name.value().isEmpty()
                    ? List.of(new Reference(Kind.VOLUMES, name.value(), true)) : List.of();
            // Not rewritten by the checks, so read as Go reads it: one key, in any case, names the container.
            case "/networks/{id}/disconnect" -> container(folded(object(body), "Container"));
            default -> List.of();
        };
    }

    private static List<Reference> create(JsonObject body) {
        List<Reference> found = new ArrayList<>();
        if (body.get("HostConfig") instanceof JsonObject host) {
            for (String bind : strings(host.get("Binds"))) {
                String source = bind.split(":", 2)[0];
                if (!source.isEmpty() && !source.startsWith("/")) {
                    found.add(new Reference(Kind.VOLUMES, source));
                }
            }
            if (host.get("Mounts") instanceof JsonArray mounts) {
                for (Json mount : mounts.items()) {
                    if (mount instanceof JsonObject one && one.get("Type") instanceof JsonString type
                            && type.value().equals("volume") && one.get("Source") instanceof JsonString source
                            && !source.value().isEmpty()) {
                        found.add(new Reference(Kind.VOLUMES, source.value()));
                    }
                }
            }
            if (host.get("NetworkMode") instanceof JsonString mode) {
                network(mode.value(), found);
            }
            for (String from : strings(host.get("VolumesFrom"))) {
                found.add(new Reference(Kind.CONTAINERS, from.split(":", 2)[0]));
            }
            for (String link : strings(host.get("Links"))) {
                String target = link.split(":", 2)[0];
                found.add(new Reference(Kind.CONTAINERS, target.startsWith("/") ? target.substring(1) : target));
            }
            for (String mode : List.of("PidMode", "IpcMode")) {
                if (host.get(mode) instanceof JsonString shared && shared.value().startsWith("container:")) {
                    found.add(new Reference(Kind.CONTAINERS, shared.value().substring("container:".length())));
                }
            }
        }
        if (body.get("NetworkingConfig") instanceof JsonObject networking
                && networking.get("EndpointsConfig") instanceof JsonObject endpoints) {
            for (JsonObject.Member endpoint : endpoints.members()) {
                network(endpoint.key(), found);
            }
        }
        return List.copyOf(found);
    }

    private static void network(String mode, List<Reference> found) {
        if (mode.startsWith("container:")) {
            found.add(new Reference(Kind.CONTAINERS, mode.substring("container:".length())));
        } else if (!BUILT_IN_NETWORKS.contains(mode)) {
            found.add(new Reference(Kind.NETWORKS, mode));
        }
    }

    private static List<Reference> container(Json named) {
        return named instanceof JsonString name && !name.value().isEmpty()
                ? List.of(new Reference(Kind.CONTAINERS, name.value())) : List.of();
    }

    /** The one member Go's decoder would read into the field {@code field}; two candidates are refused. */
    private static Json folded(JsonObject object, String field) throws JsonBodyException {
        Json found = null;
        for (JsonObject.Member member : object.members()) {
            if (GoKeyFold.sameField(member.key(), field)) {
                if (found != null) {
                    throw new JsonBodyException("two keys name the field " + field);
                }
                found = member.value();
            }
        }
        return found;
    }

    private static List<String> strings(Json value) {
        List<String> out = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (Json item : array.items()) {
                if (item instanceof JsonString text) {
                    out.add(text.value());
                }
            }
        }
        return out;
    }

    private static JsonObject object(byte[] body) throws JsonBodyException {
        if (body.length == 0) {
            return new JsonObject(List.of());
        }
        if (!(StrictJsonReader.read(body, MAX_DEPTH) instanceof JsonObject object)) {
            throw new JsonBodyException("the body is not a JSON object");
        }
        return object;
    }
}
