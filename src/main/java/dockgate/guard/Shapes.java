package dockgate.guard;

import dockgate.body.BodyShape;
import dockgate.body.BodyShapes;
import dockgate.body.CanonicalBody;
import dockgate.json.Json;
import dockgate.json.JsonBodyException;
import dockgate.json.JsonObject;
import dockgate.json.KnownKeys;

/**
 * The bridge to the shapes of the daemon's Go types: a body's keys made canonical by its shape, and the one
 * reading of a container create that the checks refuse outright.
 */
final class Shapes {

    private Shapes() {
    }

    static KnownKeys keys() {
        return BodyShapes.keys();
    }

    static Json canonical(Json parsed, String shape) throws JsonBodyException {
        return CanonicalBody.apply(parsed, BodyShapes.named(shape));
    }

    /**
     * Refuses host config fields at the top level of a container create. The daemon still reads them there
     * (a deprecated second HostConfig), takes them for the host config when "HostConfig" is missing, and
     * mixes some into it when it is not; one place for them leaves no doubt which value counts.
     */
    static void refuseTopLevelHostConfig(JsonObject body) throws JsonBodyException {
        BodyShape create = BodyShapes.named("container-create");
        for (JsonObject.Member member : body.members()) {
            BodyShape.Field field = create.field(member.key());
            if (field != null && field.deprecatedTopLevelHost()) {
                throw new JsonBodyException("\"" + member.key() + "\" belongs in HostConfig, not at the top level"
                        + " of the body");
            }
        }
    }
}
