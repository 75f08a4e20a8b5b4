package dockgate.guard;

import dockgate.json.JsonObject;

/**
 * The checks of a container update body (its resources and restart policy): the host access it can
 * change, and the limits the check set requires, which an update must not lift.
 */
final class ResourceChecks {

    private final CheckSet set;

    ResourceChecks(CheckSet set) {
        this.set = set;
    }

    void check(JsonObject body) throws Refused {
        new HostAccess(set).resources(body, "");
        CheckSet.Requirements require = set.require();
        // In an update, 0 leaves a limit as it is; what is given must stay within what is required.
        if (require.maxMemory() != null) {
            long memory = Fields.integer(body, "Memory", "");
            if (memory < 0 || memory > require.maxMemory()) {
                throw new Refused("memory", "Memory " + memory + " lifts the limit of at most " + require.maxMemory()
                        + " bytes");
            }
        }
        if (require.maxNanoCpus() != null) {
            long nanos = Fields.integer(body, "NanoCpus", "");
            long quota = Fields.integer(body, "CpuQuota", "");
            if (nanos < 0 || nanos > require.maxNanoCpus() || quota < 0 || Fields.present(body, "CpuPeriod")
                    || quota > 0) {
                throw new Refused("cpus", "the update changes the CPU limit other than by NanoCpus within "
                        + (double) require.maxNanoCpus() / 1_000_000_000L + " CPUs");
            }
        }
        if (require.maxPids() != null && Fields.present(body, "PidsLimit")) {
            long pids = Fields.integer(body, "PidsLimit", "");
            if (pids <= 0 || pids > require.maxPids()) {
                throw new Refused("pids", "PidsLimit " + pids + " lifts the limit of at most " + require.maxPids());
            }
        }
    }
}
