package dockgate.guard;

import dockgate.json.JsonObject;

/**
 * The checks of a volume create body: its driver, and the local driver's options, which can bind a host
 * path or mount a host device under a volume's name, and the labels the set requires.
 */
final class VolumeChecks {

    private final CheckSet set;

    VolumeChecks(CheckSet set) {
        this.set = set;
    }

    void check(JsonObject body) throws Refused {
        HostAccess host = new HostAccess(set);
        host.volumeDriver(Fields.string(body, "Driver", ""), "Driver");
        host.volumeOptions(Fields.object(body, "DriverOpts", ""), false, "DriverOpts");
        new LabelChecks(set).required(body, "");
    }
}
