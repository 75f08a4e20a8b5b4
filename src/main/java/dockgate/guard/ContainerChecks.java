package dockgate.guard;

import dockgate.json.JsonObject;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks of a container create body ({@code Config} at the top, with {@code HostConfig} and
 * {@code NetworkingConfig}), its keys already canonical: the image, host access, the networks joined, and
 * what the check set requires.
 */
final class ContainerChecks {

    /** Go's strconv.Atoi reads these as 0: root, whatever the spelling. */
    private static final Pattern UID_ZERO = Pattern.compile("[+-]?0+");
    private static final long NANOS_PER_CPU = 1_000_000_000L;
    private static final long DEFAULT_CPU_PERIOD = 100_000L;

    private final CheckSet set;

    ContainerChecks(CheckSet set) {
        this.set = set;
    }

    void check(JsonObject body) throws Refused {
        image(Fields.string(body, "Image", ""));
        JsonObject hostConfig = Fields.object(body, "HostConfig", "");
        new HostAccess(set).check(hostConfig);
        networks(hostConfig, Fields.object(body, "NetworkingConfig", ""));
        CheckSet.Requirements require = set.require();
        if (require.nonRoot()) {
            nonRoot(Fields.string(body, "User", ""), "User");
        }
        if (require.readOnlyRootfs() && !Fields.bool(hostConfig, "ReadonlyRootfs", "HostConfig.")) {
            throw new Refused("read-only-rootfs", "HostConfig.ReadonlyRootfs is not true");
        }
        if (require.noNewPrivileges()) {
            noNewPrivileges(Fields.strings(hostConfig, "SecurityOpt", "HostConfig."), "HostConfig.SecurityOpt");
        }
        limits(hostConfig);
        new LabelChecks(set).required(body, "");
    }

    void image(String image) throws Refused {
        if (set.images().isEmpty()) {
            return;
        }
        String normal = ImageReference.normalise(image);
        if (normal == null) {
            throw new Refused("images", "Image '" + (image == null ? "" : image) + "' is not an image name the checks"
                    + " can read (an image id, or malformed); name the image by repository and tag");
        }
        for (ImagePattern pattern : set.images()) {
            if (pattern.matches(normal)) {
                return;
            }
        }
        throw new Refused("images", "Image " + image + " (" + normal + ") matches none of the allowed images",
                Refused.line("images", normal));
    }

    private void networks(JsonObject hostConfig, JsonObject networking) throws Refused {
        String mode = Fields.string(hostConfig, "NetworkMode", "HostConfig.");
        if (set.networks() != null && mode != null && !mode.equals("host") && !mode.startsWith("container:")) {
            String name = mode.isEmpty() ? "default" : mode;
            if (!set.networks().contains(name)) {
                throw new Refused("networks", "HostConfig.NetworkMode joins network " + name);
            }
        }
        JsonObject endpoints = Fields.object(networking, "EndpointsConfig", "NetworkingConfig.");
        if (endpoints == null) {
            return;
        }
        NetworkChecks network = new NetworkChecks(set);
        for (JsonObject.Member endpoint : endpoints.members()) {
            network.endpoint(endpoint.value() instanceof JsonObject o ? o : null,
                    "NetworkingConfig.EndpointsConfig." + endpoint.key());
            network.joins(endpoint.key(), "NetworkingConfig.EndpointsConfig");
        }
    }

    /** A user the daemon's runtime would not run as root: named, not {@code root}, not uid 0. */
    static void nonRoot(String user, String where) throws Refused {
        String name = user == null ? "" : user.split(":", -1)[0];
        if (name.isEmpty()) {
            throw new Refused("non-root", where + " is not set, so the image's own user runs, which may be root");
        }
        if (name.equals("root") || UID_ZERO.matcher(name).matches()) {
            throw new Refused("non-root", where + " '" + user + "' is root");
        }
    }

    static void noNewPrivileges(List<String> options, String where) throws Refused {
        Boolean last = null;
        for (String option : options) {
            Boolean said = HostAccess.noNewPrivileges(option);
            last = said == null ? last : said;
        }
        if (!Boolean.TRUE.equals(last)) {
            throw new Refused("no-new-privileges", where + " does not have no-new-privileges");
        }
    }

    private void limits(JsonObject hostConfig) throws Refused {
        CheckSet.Requirements require = set.require();
        String at = "HostConfig.";
        if (require.maxMemory() != null) {
            long memory = Fields.integer(hostConfig, "Memory", at);
            if (memory <= 0 || memory > require.maxMemory()) {
                throw new Refused("memory", "HostConfig.Memory is " + (memory <= 0 ? "not set" : memory + " bytes")
                        + "; at most " + require.maxMemory() + " bytes are required");
            }
        }
        if (require.maxNanoCpus() != null) {
            long nanos = Fields.integer(hostConfig, "NanoCpus", at);
            long quota = Fields.integer(hostConfig, "CpuQuota", at);
            long period = Fields.integer(hostConfig, "CpuPeriod", at);
            boolean byNanos = nanos > 0 && nanos <= require.maxNanoCpus();
            long effectivePeriod = period > 0 ? period : DEFAULT_CPU_PERIOD;
            boolean byQuota = quota > 0 && (double) quota / effectivePeriod * NANOS_PER_CPU <= require.maxNanoCpus();
            if (!(byNanos || byQuota && nanos == 0)) {
                throw new Refused("cpus", "HostConfig has no CPU limit of at most "
                        + (double) require.maxNanoCpus() / NANOS_PER_CPU + " CPUs (NanoCpus, or CpuQuota and CpuPeriod)");
            }
        }
        if (require.maxPids() != null) {
            long pids = Fields.integer(hostConfig, "PidsLimit", at);
            if (pids <= 0 || pids > require.maxPids()) {
                throw new Refused("pids", "HostConfig.PidsLimit is " + (pids <= 0 ? "not set" : pids)
                        + "; at most " + require.maxPids() + " is required");
            }
        }
    }

}
