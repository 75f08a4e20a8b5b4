package dockgate.guard;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Set;

/**
 * A named set of checks for the bodies of write calls, as a rules file defines it with {@code checks NAME}.
 * Whatever it does not allow is denied: a set with nothing in it is the strictest, and is what a rule gets
 * that names no set.
 *
 * @param name          the set's name, as refusals cite it
 * @param location      where it is defined ({@code FILE:LINE}), or "built-in"
 * @param allowed       host access allowed as a whole: {@link #PRIVILEGED} and the other names below
 * @param hostModes     namespaces that may be shared with the host or another container, as
 *                      {@code "pid host"}, {@code "network container"}...
 * @param bindSources   host paths that may be bound, with what is below them, some read-only only
 * @param capabilities  capabilities that may be added, as {@code NET_ADMIN} (no {@code CAP_})
 * @param devices       host devices that may be passed in
 * @param securityOpts  security options allowed besides no-new-privileges, exactly as written
 * @param sysctls       sysctls that may be set
 * @param runtimes      runtimes that may be asked for
 * @param volumeDrivers volume drivers other than {@code local} that may be used
 * @param networkDrivers network (and IPAM) drivers other than {@code bridge} that networks may be made with
 * @param images        the images that may be run; empty for any
 * @param networks      the networks a container may join, by name; null for any but the host's
 * @param execCommands  the commands an exec may run (its first word, exactly); empty for any
 * @param require       what every body must carry
 * @param stampLabels   labels set on everything created, over whatever the client gave
 */
public record CheckSet(String name, String location, Set<String> allowed, Set<String> hostModes,
                       List<BindSource> bindSources, Set<String> capabilities, Set<String> devices,
                       Set<String> securityOpts, Set<String> sysctls, Set<String> runtimes, Set<String> volumeDrivers,
                       Set<String> networkDrivers, List<ImagePattern> images, Set<String> networks, Set<String> execCommands, Requirements require,
                       Map<String, String> stampLabels) {

    public static final String PRIVILEGED = "privileged";
    public static final String DEVICE_REQUESTS = "device-requests";
    public static final String DEVICE_CGROUP_RULES = "device-cgroup-rules";
    public static final String VOLUMES_FROM = "volumes-from";
    public static final String CGROUP_PARENT = "cgroup-parent";
    public static final String SYSTEM_PATHS = "system-paths";
    public static final String NETWORK_OPTIONS = "network-options";
    public static final String STATIC_ADDRESSES = "static-addresses";
    public static final String IMPORT = "import";

    /** The host access a set can allow with one word. */
    public static final List<String> WHOLE = List.of(PRIVILEGED, DEVICE_REQUESTS, DEVICE_CGROUP_RULES, VOLUMES_FROM,
            CGROUP_PARENT, SYSTEM_PATHS, NETWORK_OPTIONS, STATIC_ADDRESSES, IMPORT);

    /** The namespaces a set can allow to be shared, and with what. */
    public static final Map<String, List<String>> SHARABLE = Map.of(
            "network", List.of("host", "container"),
            "pid", List.of("host", "container"),
            "ipc", List.of("host", "container"),
            "uts", List.of("host"),
            "userns", List.of("host"),
            "cgroupns", List.of("host"));

    /** What a rule that names no set gets: every kind of host access denied, nothing else required. */
    public static final CheckSet STRICT = new CheckSet("strict", "built-in", Set.of(), Set.of(), List.of(), Set.of(),
            Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), List.of(), null, Set.of(), Requirements.NONE, Map.of());

    public CheckSet {
        allowed = Set.copyOf(allowed);
        hostModes = Set.copyOf(hostModes);
        bindSources = List.copyOf(bindSources);
        capabilities = Set.copyOf(capabilities);
        devices = Set.copyOf(devices);
        securityOpts = Set.copyOf(securityOpts);
        sysctls = Set.copyOf(sysctls);
        runtimes = Set.copyOf(runtimes);
        volumeDrivers = Set.copyOf(volumeDrivers);
        networkDrivers = Set.copyOf(networkDrivers);
        images = List.copyOf(images);
        networks = networks == null ? null : Set.copyOf(networks);
        execCommands = Set.copyOf(execCommands);
        stampLabels = Map.copyOf(stampLabels);
    }

    /** The set as the lines of a checks section, in a fixed order: what {@code --print-rules} shows. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (String what : WHOLE) {
            if (allowed.contains(what)) {
                out.add("allow " + what);
            }
        }
        hostModes.stream().sorted().forEach(mode -> out.add("allow " + mode));
        list(out, "allow capabilities", capabilities);
        list(out, "allow devices", devices);
        list(out, "allow binds", bindSources.stream().map(BindSource::toString).toList());
        list(out, "allow security-opt", securityOpts);
        list(out, "allow sysctls", sysctls);
        list(out, "allow runtimes", runtimes);
        list(out, "allow volume-drivers", volumeDrivers);
        list(out, "allow network-drivers", networkDrivers);
        list(out, "images", images.stream().map(ImagePattern::text).toList());
        if (networks != null) {
            list(out, "networks", networks);
        }
        list(out, "exec-commands", execCommands);
        if (require.nonRoot()) {
            out.add("require non-root");
        }
        if (require.readOnlyRootfs()) {
            out.add("require read-only-rootfs");
        }
        if (require.noNewPrivileges()) {
            out.add("require no-new-privileges");
        }
        if (require.maxMemory() != null) {
            out.add("require memory " + require.maxMemory());
        }
        if (require.maxNanoCpus() != null) {
            out.add("require cpus " + new BigDecimal(require.maxNanoCpus()).movePointLeft(9).stripTrailingZeros().toPlainString());
        }
        if (require.maxPids() != null) {
            out.add("require pids " + require.maxPids());
        }
        new TreeMap<>(require.labels()).forEach((key, value) ->
                out.add("require label " + key + (value.isEmpty() ? "" : "=" + value)));
        new TreeMap<>(stampLabels).forEach((key, value) -> out.add("stamp label " + key + "=" + value));
        return out;
    }

    private static void list(List<String> out, String directive, Collection<String> values) {
        if (!values.isEmpty()) {
            out.add(directive + " " + String.join(" ", values.stream().sorted().toList()));
        }
    }

    /** The same set allowing only these images. */
    public CheckSet withImages(List<ImagePattern> only) {
        return new CheckSet(name, location, allowed, hostModes, bindSources, capabilities, devices, securityOpts,
                sysctls, runtimes, volumeDrivers, networkDrivers, only, networks, execCommands, require, stampLabels);
    }

    /** The same set stamping one more label, over the client's and over a stamp of the same key. */
    public CheckSet withStamp(String key, String value) {
        Map<String, String> stamps = new java.util.HashMap<>(stampLabels);
        stamps.put(key, value);
        return new CheckSet(name, location, allowed, hostModes, bindSources, capabilities, devices, securityOpts,
                sysctls, runtimes, volumeDrivers, networkDrivers, images, networks, execCommands, require, stamps);
    }

    /** How refusals and listings name it: {@code checks ci (rules:12)}. */
    public String describe() {
        return "checks " + name + " (" + location + ")";
    }

    /** A host path that may be bound, with what is below it; {@code readOnly} when only read-only binds are. */
    public record BindSource(HostPath path, boolean readOnly) {
        @Override
        public String toString() {
            return path + (readOnly ? ":ro" : "");
        }
    }

    /**
     * What every body must carry, beyond what is denied.
     *
     * @param nonRoot        a user that is not root (not {@code root}, not uid 0 in any spelling)
     * @param readOnlyRootfs a read-only root filesystem
     * @param noNewPrivileges the no-new-privileges security option
     * @param maxMemory      a memory limit of at most this many bytes; null for none required
     * @param maxNanoCpus    a CPU limit of at most this many billionths of a CPU; null for none required
     * @param maxPids        a pids limit of at most this; null for none required
     * @param labels         labels that must be present, each with the value it must have, or "" for any
     */
    public record Requirements(boolean nonRoot, boolean readOnlyRootfs, boolean noNewPrivileges, Long maxMemory,
                               Long maxNanoCpus, Long maxPids, Map<String, String> labels) {

        public static final Requirements NONE = new Requirements(false, false, false, null, null, null, Map.of());

        public Requirements {
            labels = Map.copyOf(labels);
        }
    }
}
