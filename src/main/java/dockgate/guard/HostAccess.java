package dockgate.guard;

import dockgate.json.Json;
import dockgate.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The checks every kind of host access must pass that a container can ask for in its create body's
 * {@code HostConfig}, and that a service's container spec or a volume shares with it: each denied unless
 * its check set allows it.
 */
final class HostAccess {

    private static final Pattern CAPABILITY = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    /** The values Go's strconv.ParseBool takes as true. */
    private static final List<String> GO_TRUE = List.of("1", "t", "T", "TRUE", "true", "True");
    private static final List<String> GO_FALSE = List.of("0", "f", "F", "FALSE", "false", "False");

    private final CheckSet set;

    HostAccess(CheckSet set) {
        this.set = set;
    }

    void check(JsonObject hostConfig) throws Refused {
        if (hostConfig == null) {
            return;
        }
        String at = "HostConfig.";
        if (Fields.bool(hostConfig, "Privileged", at)) {
            whole(CheckSet.PRIVILEGED, "HostConfig.Privileged is true");
        }
        capabilities(Fields.strings(hostConfig, "CapAdd", at), "HostConfig.CapAdd");
        resources(hostConfig, at);
        List<String> binds = Fields.strings(hostConfig, "Binds", at);
        for (int i = 0; i < binds.size(); i++) {
            bind(binds.get(i), "HostConfig.Binds[" + i + "]");
        }
        List<Json> mounts = Fields.array(hostConfig, "Mounts", at);
        for (int i = 0; i < mounts.size(); i++) {
            mount(mounts.get(i) instanceof JsonObject o ? o : null, "HostConfig.Mounts[" + i + "]");
        }
        volumeDriver(Fields.string(hostConfig, "VolumeDriver", at), "HostConfig.VolumeDriver");
        if (!Fields.strings(hostConfig, "VolumesFrom", at).isEmpty()) {
            whole(CheckSet.VOLUMES_FROM, "HostConfig.VolumesFrom mounts another container's volumes");
        }
        namespace("network", Fields.string(hostConfig, "NetworkMode", at), "HostConfig.NetworkMode");
        namespace("pid", Fields.string(hostConfig, "PidMode", at), "HostConfig.PidMode");
        namespace("ipc", Fields.string(hostConfig, "IpcMode", at), "HostConfig.IpcMode");
        namespace("uts", Fields.string(hostConfig, "UTSMode", at), "HostConfig.UTSMode");
        namespace("userns", Fields.string(hostConfig, "UsernsMode", at), "HostConfig.UsernsMode");
        namespace("cgroupns", Fields.string(hostConfig, "CgroupnsMode", at), "HostConfig.CgroupnsMode");
        for (String option : Fields.strings(hostConfig, "SecurityOpt", at)) {
            securityOpt(option, "HostConfig.SecurityOpt");
        }
        sysctls(Fields.object(hostConfig, "Sysctls", at), "HostConfig.Sysctls");
        String runtime = Fields.string(hostConfig, "Runtime", at);
        if (runtime != null && !runtime.isEmpty() && !set.runtimes().contains(runtime)) {
            throw new Refused("runtimes", "HostConfig.Runtime asks for runtime " + runtime,
                    Refused.line("allow runtimes", runtime));
        }
        // An empty list unmasks /proc and /sys paths (--security-opt systempaths=unconfined); only null is the default.
        for (String field : List.of("MaskedPaths", "ReadonlyPaths")) {
            if (Fields.present(hostConfig, field)) {
                whole(CheckSet.SYSTEM_PATHS, "HostConfig." + field + " replaces the paths masked from the container");
            }
        }
    }

    /**
     * The host access of the resources part, which a container update can change too: devices, device
     * requests and rules, and the cgroup parent. {@code at} is where they sit ("HostConfig." or "").
     */
    void resources(JsonObject resources, String at) throws Refused {
        List<Json> devices = Fields.array(resources, "Devices", at);
        for (int i = 0; i < devices.size(); i++) {
            JsonObject device = devices.get(i) instanceof JsonObject o ? o : null;
            device(Fields.string(device, "PathOnHost", at + "Devices[" + i + "]."), at + "Devices[" + i + "]");
        }
        if (!Fields.array(resources, "DeviceRequests", at).isEmpty()) {
            whole(CheckSet.DEVICE_REQUESTS, at + "DeviceRequests asks for host devices (GPUs)");
        }
        if (!Fields.array(resources, "DeviceCgroupRules", at).isEmpty()) {
            whole(CheckSet.DEVICE_CGROUP_RULES, at + "DeviceCgroupRules opens host devices to the container");
        }
        String parent = Fields.string(resources, "CgroupParent", at);
        String cgroup = Fields.string(resources, "Cgroup", at);
        if (parent != null && !parent.isEmpty() || cgroup != null && !cgroup.isEmpty()) {
            whole(CheckSet.CGROUP_PARENT, at + (parent != null && !parent.isEmpty() ? "CgroupParent" : "Cgroup")
                    + " places the container in a cgroup of its choosing");
        }
    }

    void sysctls(JsonObject sysctls, String where) throws Refused {
        if (sysctls == null) {
            return;
        }
        for (JsonObject.Member sysctl : sysctls.members()) {
            if (!set.sysctls().contains(sysctl.key())) {
                throw new Refused("sysctls", where + " sets " + sysctl.key(), Refused.line("allow sysctls", sysctl.key()));
            }
        }
    }

    void capabilities(List<String> added, String where) throws Refused {
        for (String capability : added) {
            if (!CAPABILITY.matcher(capability).matches()) {
                throw new Refused("capabilities", where + " names '" + capability + "', which is no capability name");
            }
            String name = capability.toUpperCase(Locale.ROOT);
            name = name.startsWith("CAP_") ? name.substring(4) : name;
            if (!set.capabilities().contains(name)) {
                throw new Refused("capabilities", where + " adds " + name, Refused.line("allow capabilities", name));
            }
        }
    }

    void device(String pathOnHost, String where) throws Refused {
        HostPath path = HostPath.of(pathOnHost);
        if (path == null || !set.devices().contains(path.path())) {
            throw new Refused("devices", where + " passes in host device " + pathOnHost,
                    path == null ? null : Refused.line("allow devices", path.path()));
        }
    }

    /** A {@code SOURCE:TARGET[:MODE]} entry of Binds, read as the daemon's Linux parser splits it. */
    void bind(String spec, String where) throws Refused {
        String[] parts = spec.split(":", -1);
        if (parts.length == 1) {
            return;
        }
        if (parts.length > 3) {
            throw new Refused("binds", where + " '" + spec + "' is not SOURCE:TARGET[:MODE]");
        }
        String source = parts[0];
        if (!source.startsWith("/")) {
            if (!VOLUME_NAME.matcher(source).matches()) {
                throw new Refused("binds", where + " '" + spec + "' names neither a host path nor a volume");
            }
            return;
        }
        boolean readOnly = parts.length == 3 && List.of(parts[2].split(",")).contains("ro");
        hostPath(source, readOnly, where + " binds host path " + source);
    }

    void mount(JsonObject mount, String where) throws Refused {
        String type = Fields.string(mount, "Type", where + ".");
        String source = Fields.string(mount, "Source", where + ".");
        switch (type == null ? "" : type) {
            case "bind" -> hostPath(source, Fields.bool(mount, "ReadOnly", where + "."), where + " binds host path " + source);
            case "volume" -> {
                JsonObject options = Fields.object(mount, "VolumeOptions", where + ".");
                JsonObject driver = Fields.object(options, "DriverConfig", where + ".VolumeOptions.");
                String name = Fields.string(driver, "Name", where + ".VolumeOptions.DriverConfig.");
                volumeDriver(name, where + ".VolumeOptions.DriverConfig.Name");
                volumeOptions(Fields.object(driver, "Options", where + ".VolumeOptions.DriverConfig."),
                        Fields.bool(mount, "ReadOnly", where + "."), where + ".VolumeOptions.DriverConfig.Options");
            }
            case "tmpfs" -> {
            }
            default -> throw new Refused("binds", where + " has mount type '" + type + "' (bind, volume and tmpfs are checked)");
        }
    }

    /**
     * The options of the local volume driver, which mounts {@code device} on the host: with {@code o=bind} or
     * {@code type=none} that is a bind of a host path; any other device is a host disk or a network share.
     */
    void volumeOptions(JsonObject options, boolean readOnly, String where) throws Refused {
        if (options == null) {
            return;
        }
        String type = Fields.string(options, "type", where + ".");
        String device = Fields.string(options, "device", where + ".");
        String o = Fields.string(options, "o", where + ".");
        if (device == null || "tmpfs".equals(type)) {
            return;
        }
        List<String> mountOptions = o == null ? List.of() : List.of(o.split(","));
        if (mountOptions.contains("bind") || mountOptions.contains("rbind") || "none".equals(type)) {
            hostPath(device, readOnly || mountOptions.contains("ro"), where + " binds host path " + device);
            return;
        }
        throw new Refused("binds", where + " mounts host device " + device + (type == null ? "" : " of type " + type));
    }

    void volumeDriver(String driver, String where) throws Refused {
        if (driver != null && !driver.isEmpty() && !driver.equals("local") && !set.volumeDrivers().contains(driver)) {
            throw new Refused("volume-drivers", where + " asks for volume driver " + driver,
                    Refused.line("allow volume-drivers", driver));
        }
    }

    private void hostPath(String raw, boolean readOnly, String what) throws Refused {
        HostPath path = HostPath.of(raw);
        if (path == null) {
            throw new Refused("binds", what + ", which is not an absolute path");
        }
        for (CheckSet.BindSource allowed : set.bindSources()) {
            if (allowed.path().contains(path) && (readOnly || !allowed.readOnly())) {
                return;
            }
        }
        boolean onlyReadOnly = set.bindSources().stream().anyMatch(b -> b.path().contains(path));
        throw new Refused("binds", what + (onlyReadOnly ? " writable; it may be bound read-only only"
                : path.path().equals(raw) ? "" : " (" + path + ")"),
                Refused.line("allow binds", path.path() + (readOnly ? ":ro" : "")));
    }

    /** {@code host}, or {@code container:ID} where the namespace allows it, needs its allowance. */
    void namespace(String kind, String mode, String where) throws Refused {
        if (mode == null) {
            return;
        }
        String shared = mode.equals("host") ? "host"
                : mode.startsWith("container:") && CheckSet.SHARABLE.get(kind).contains("container") ? "container"
                : null;
        if (shared != null && !set.hostModes().contains(kind + " " + shared)) {
            throw new Refused(kind, where + " is " + mode + ": it shares the " + (shared.equals("host") ? "host's" : "other container's")
                    + " " + kind + " namespace", "allow " + kind + " " + shared);
        }
    }

    void securityOpt(String option, String where) throws Refused {
        if (noNewPrivileges(option) != null || set.securityOpts().contains(option)) {
            return;
        }
        throw new Refused("security-opt", where + " has '" + option + "'", Refused.line("allow security-opt", option));
    }

    /**
     * What a security option says of no-new-privileges as the daemon reads it: true or false, or null when
     * it is another option (or no value Go reads as a boolean).
     */
    static Boolean noNewPrivileges(String option) {
        if (option.equals("no-new-privileges")) {
            return true;
        }
        for (String separator : List.of("=", ":")) {
            String prefix = "no-new-privileges" + separator;
            if (option.startsWith(prefix)) {
                String value = option.substring(prefix.length());
                return GO_TRUE.contains(value) ? Boolean.TRUE : GO_FALSE.contains(value) ? Boolean.FALSE : null;
            }
        }
        return null;
    }

    private void whole(String what, String detail) throws Refused {
        if (!set.allowed().contains(what)) {
            throw new Refused(what, detail, "allow " + what);
        }
    }
}
