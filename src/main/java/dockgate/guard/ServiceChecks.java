package dockgate.guard;

import dockgate.json.Json;
import dockgate.json.JsonObject;

import java.util.List;

/**
 * The checks of a swarm service spec, for a service create or update: the task's container spec gets the
 * checks a container create gets, as far as a service can ask for them (image, user, mounts, capabilities,
 * sysctls, confinement, networks, limits, labels), and a task that is a plugin, not a container, is refused.
 * Also stamps the set's labels on the service and on its containers.
 */
final class ServiceChecks {

    private static final String TASK = "TaskTemplate.";
    private static final String SPEC = TASK + "ContainerSpec.";

    private final CheckSet set;

    ServiceChecks(CheckSet set) {
        this.set = set;
    }

    void check(JsonObject body) throws Refused {
        JsonObject task = Fields.object(body, "TaskTemplate", "");
        String runtime = Fields.string(task, "Runtime", TASK);
        if (runtime != null && !runtime.isEmpty() && !runtime.equals("container")) {
            throw new Refused("runtimes", TASK + "Runtime is " + runtime + ": the task is not a container");
        }
        if (Fields.present(task, "PluginSpec") || Fields.present(task, "NetworkAttachmentSpec")) {
            throw new Refused("runtimes", TASK + " describes a plugin or network attachment, not a container");
        }
        JsonObject spec = Fields.object(task, "ContainerSpec", TASK);
        ContainerChecks container = new ContainerChecks(set);
        HostAccess host = new HostAccess(set);
        container.image(Fields.string(spec, "Image", SPEC));
        List<Json> mounts = Fields.array(spec, "Mounts", SPEC);
        for (int i = 0; i < mounts.size(); i++) {
            host.mount(mounts.get(i) instanceof JsonObject o ? o : null, SPEC + "Mounts[" + i + "]");
        }
        host.capabilities(Fields.strings(spec, "CapabilityAdd", SPEC), SPEC + "CapabilityAdd");
        host.sysctls(Fields.object(spec, "Sysctls", SPEC), SPEC + "Sysctls");
        privileges(Fields.object(spec, "Privileges", SPEC));
        networks(Fields.array(task, "Networks", TASK), TASK + "Networks");
        networks(Fields.array(body, "Networks", ""), "Networks");
        JsonObject resources = Fields.object(task, "Resources", TASK);
        if (!Fields.array(Fields.object(resources, "Reservations", TASK + "Resources."), "GenericResources",
                TASK + "Resources.Reservations.").isEmpty()) {
            if (!set.allowed().contains(CheckSet.DEVICE_REQUESTS)) {
                throw new Refused(CheckSet.DEVICE_REQUESTS, TASK + "Resources.Reservations.GenericResources asks for host devices",
                        "allow " + CheckSet.DEVICE_REQUESTS);
            }
        }
        requirements(spec, Fields.object(resources, "Limits", TASK + "Resources."));
        new LabelChecks(set).required(body, "");
    }

    /** Confinement a service can turn off: SELinux labels, and in newer APIs seccomp and AppArmor modes. */
    private void privileges(JsonObject privileges) throws Refused {
        if (privileges == null) {
            return;
        }
        String at = SPEC + "Privileges.";
        if (Fields.bool(Fields.object(privileges, "SELinuxContext", at), "Disable", at + "SELinuxContext.")
                && !set.securityOpts().contains("label=disable")) {
            throw new Refused("security-opt", at + "SELinuxContext.Disable is true", "allow security-opt label=disable");
        }
        for (String kind : List.of("Seccomp", "AppArmor")) {
            JsonObject mode = Fields.object(privileges, kind, at);
            String value = Fields.string(mode, "Mode", at + kind + ".");
            if (value != null && !value.isEmpty() && !value.equals("default")) {
                throw new Refused("security-opt", at + kind + ".Mode is " + value);
            }
        }
    }

    private void networks(List<Json> attachments, String where) throws Refused {
        for (int i = 0; i < attachments.size(); i++) {
            JsonObject attachment = attachments.get(i) instanceof JsonObject o ? o : null;
            new NetworkChecks(set).joins(Fields.string(attachment, "Target", where + "[" + i + "]."), where + "[" + i + "]");
        }
    }

    private void requirements(JsonObject spec, JsonObject limits) throws Refused {
        CheckSet.Requirements require = set.require();
        if (require.nonRoot()) {
            ContainerChecks.nonRoot(Fields.string(spec, "User", SPEC), SPEC + "User");
        }
        if (require.readOnlyRootfs() && !Fields.bool(spec, "ReadOnly", SPEC)) {
            throw new Refused("read-only-rootfs", SPEC + "ReadOnly is not true");
        }
        if (require.noNewPrivileges()) {
            throw new Refused("no-new-privileges", "a service in API 1.41 cannot ask for no-new-privileges");
        }
        String at = TASK + "Resources.Limits.";
        limit("memory", Fields.integer(limits, "MemoryBytes", at), require.maxMemory(), at + "MemoryBytes");
        limit("cpus", Fields.integer(limits, "NanoCPUs", at), require.maxNanoCpus(), at + "NanoCPUs");
        limit("pids", Fields.integer(limits, "Pids", at), require.maxPids(), at + "Pids");
    }

    private static void limit(String check, long value, Long max, String where) throws Refused {
        if (max != null && (value <= 0 || value > max)) {
            throw new Refused(check, where + " is " + (value <= 0 ? "not set" : String.valueOf(value))
                    + "; at most " + max + " is required");
        }
    }

    /** The spec with the set's labels on the service and on the containers of its tasks. */
    JsonObject stamped(JsonObject body) throws Refused {
        if (set.stampLabels().isEmpty()) {
            return body;
        }
        LabelChecks labels = new LabelChecks(set);
        JsonObject stamped = labels.stamped(body);
        JsonObject task = Fields.object(stamped, "TaskTemplate", "");
        JsonObject spec = Fields.object(task, "ContainerSpec", TASK);
        if (spec == null) {
            return stamped;
        }
        return stamped.with("TaskTemplate", task.with("ContainerSpec", labels.stamped(spec)));
    }
}
