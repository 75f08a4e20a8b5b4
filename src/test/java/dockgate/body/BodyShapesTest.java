package dockgate.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shapes file holds every field the checks read, each of the kind the daemon's Go type has. */
class BodyShapesTest {

    /** The shape at a dotted path of canonical field names; "[]" steps into an array or map element. */
    static BodyShape at(String shapeName, String path) {
        BodyShape shape = BodyShapes.named(shapeName);
        for (String step : path.split("\\.")) {
            if (step.equals("[]")) {
                shape = shape.element();
                assertNotNull(shape, shapeName + " " + path + ": no element");
                continue;
            }
            BodyShape.Field field = shape.field(step);
            assertNotNull(field, shapeName + " has no field " + path + " (at " + step + ")");
            shape = field.shape();
        }
        return shape;
    }

    static void kind(BodyShape.Kind kind, String shapeName, String... paths) {
        for (String path : paths) {
            assertEquals(kind, at(shapeName, path).kind(), shapeName + " " + path);
        }
    }

    @Test
    void containerCreateHasEveryCheckedField() {
        String c = "container-create";
        kind(BodyShape.Kind.BOOL, c, "HostConfig.Privileged", "HostConfig.ReadonlyRootfs", "HostConfig.Init",
                "HostConfig.Mounts.[].ReadOnly");
        kind(BodyShape.Kind.STRING_OR_ARRAY, c, "HostConfig.CapAdd", "HostConfig.CapDrop", "Cmd", "Entrypoint");
        kind(BodyShape.Kind.ARRAY, c, "HostConfig.Devices", "HostConfig.DeviceRequests", "HostConfig.DeviceCgroupRules",
                "HostConfig.Binds", "HostConfig.Mounts", "HostConfig.VolumesFrom", "HostConfig.SecurityOpt",
                "HostConfig.ExtraHosts", "HostConfig.Links", "Env", "HostConfig.DeviceRequests.[].Capabilities.[]");
        kind(BodyShape.Kind.STRING, c, "HostConfig.NetworkMode", "HostConfig.PidMode", "HostConfig.IpcMode",
                "HostConfig.UTSMode", "HostConfig.UsernsMode", "HostConfig.CgroupnsMode", "HostConfig.Runtime",
                "HostConfig.CgroupParent", "User", "Image", "HostConfig.Devices.[].PathOnHost",
                "HostConfig.Mounts.[].Type", "HostConfig.Mounts.[].Source", "HostConfig.Mounts.[].Target",
                "HostConfig.Mounts.[].VolumeOptions.DriverConfig.Name", "HostConfig.Mounts.[].BindOptions.Propagation",
                "NetworkingConfig.EndpointsConfig.[].IPAMConfig.IPv4Address");
        kind(BodyShape.Kind.MAP, c, "HostConfig.Sysctls", "Labels", "HostConfig.Tmpfs",
                "HostConfig.Mounts.[].VolumeOptions.DriverConfig.Options", "NetworkingConfig.EndpointsConfig",
                "HostConfig.PortBindings", "ExposedPorts", "Volumes");
        kind(BodyShape.Kind.INTEGER, c, "HostConfig.Memory", "HostConfig.NanoCpus", "HostConfig.CpuQuota",
                "HostConfig.CpuPeriod", "HostConfig.CpuShares", "HostConfig.PidsLimit");
        kind(BodyShape.Kind.STRUCT, c, "HostConfig.Mounts.[].BindOptions", "HostConfig.Mounts.[].VolumeOptions");
        assertTrue(at(c, "HostConfig.BlkioWeight").isUnsigned());
        assertEquals(65535, at(c, "HostConfig.BlkioWeight").max().intValue());
    }

    @Test
    void theDeprecatedTopLevelHostConfigIsMarkedFieldByField() {
        BodyShape create = BodyShapes.named("container-create");
        BodyShape host = create.field("HostConfig").shape();
        for (BodyShape.Field field : host.fields()) {
            BodyShape.Field top = create.field(field.name());
            assertNotNull(top, "top-level " + field.name());
            assertTrue(top.deprecatedTopLevelHost(), field.name());
            assertFalse(field.deprecatedTopLevelHost(), "HostConfig." + field.name());
        }
        assertTrue(create.field("Privileged").deprecatedTopLevelHost());
        assertTrue(create.field("Cpuset").deprecatedTopLevelHost());
        for (String own : List.of("Image", "User", "Cmd", "Env", "Labels", "HostConfig", "NetworkingConfig")) {
            assertFalse(create.field(own).deprecatedTopLevelHost(), own);
        }
        assertEquals(create.field("Privileged"), create.fieldFor("PRIVILEGED"));
        assertEquals(create.field("Binds"), create.fieldFor("Bind\u017f"));
    }

    @Test
    void containerUpdateHasResourcesAndRestartPolicy() {
        kind(BodyShape.Kind.INTEGER, "container-update", "Memory", "NanoCpus", "CpuQuota", "CpuPeriod", "CpuShares",
                "PidsLimit", "RestartPolicy.MaximumRetryCount");
        kind(BodyShape.Kind.ARRAY, "container-update", "Devices", "DeviceRequests", "DeviceCgroupRules");
        kind(BodyShape.Kind.STRING, "container-update", "CgroupParent", "RestartPolicy.Name");
        assertEquals(null, BodyShapes.named("container-update").field("Privileged"));
    }

    @Test
    void theOtherWriteRoutes() {
        kind(BodyShape.Kind.BOOL, "exec-create", "Privileged");
        kind(BodyShape.Kind.STRING, "exec-create", "User");
        kind(BodyShape.Kind.ARRAY, "exec-create", "Cmd", "Env");
        kind(BodyShape.Kind.BOOL, "exec-start", "Detach", "Tty");
        kind(BodyShape.Kind.STRING, "volume-create", "Driver", "Name");
        kind(BodyShape.Kind.MAP, "volume-create", "DriverOpts", "Labels");
        kind(BodyShape.Kind.STRING, "network-create", "Name", "Driver", "ConfigFrom.Network", "IPAM.Driver",
                "IPAM.Config.[].Subnet");
        kind(BodyShape.Kind.MAP, "network-create", "Options", "Labels", "IPAM.Options");
        kind(BodyShape.Kind.BOOL, "network-create", "Internal", "Attachable", "ConfigOnly", "Ingress");
        kind(BodyShape.Kind.STRING, "network-connect", "Container", "EndpointConfig.IPAMConfig.IPv4Address",
                "EndpointConfig.IPAMConfig.IPv6Address");
        String s = "service-spec";
        kind(BodyShape.Kind.STRING, s, "Name", "TaskTemplate.ContainerSpec.Image", "TaskTemplate.ContainerSpec.User",
                "TaskTemplate.Runtime", "TaskTemplate.ContainerSpec.Mounts.[].Source",
                "TaskTemplate.ContainerSpec.Mounts.[].VolumeOptions.DriverConfig.Name",
                "TaskTemplate.ContainerSpec.Privileges.SELinuxContext.Type",
                "TaskTemplate.ContainerSpec.Privileges.CredentialSpec.File");
        kind(BodyShape.Kind.ARRAY, s, "TaskTemplate.ContainerSpec.Mounts", "TaskTemplate.ContainerSpec.CapabilityAdd",
                "TaskTemplate.ContainerSpec.CapabilityDrop", "TaskTemplate.ContainerSpec.Command",
                "TaskTemplate.ContainerSpec.Env");
        kind(BodyShape.Kind.MAP, s, "Labels", "TaskTemplate.ContainerSpec.Sysctls", "TaskTemplate.ContainerSpec.Labels");
        kind(BodyShape.Kind.BOOL, s, "TaskTemplate.ContainerSpec.Init", "TaskTemplate.ContainerSpec.ReadOnly",
                "TaskTemplate.ContainerSpec.Privileges.SELinuxContext.Disable");
        kind(BodyShape.Kind.STRUCT, s, "Mode", "Mode.Replicated", "Mode.Global", "TaskTemplate.PluginSpec");
        kind(BodyShape.Kind.INTEGER, s, "Mode.Replicated.Replicas", "TaskTemplate.Resources.Limits.Pids");
    }

    @Test
    void anUnknownNameIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> BodyShapes.named("container-delete"));
    }

    @Test
    void theParserSaysWhereTheFileIsWrong() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new BodyShapes.Parser().parse(
                List.of("shape x A", "struct A", "    B Nope")));
        assertTrue(e.getMessage().endsWith(":3: unknown type Nope"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new BodyShapes.Parser().parse(
                List.of("shape x A", "struct A", "    Privileged bool", "    privileged string")));
        assertTrue(e.getMessage().contains("two fields that fold to privileged"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new BodyShapes.Parser().parse(
                List.of("shape x A", "struct A", "    embed A")));
        assertTrue(e.getMessage().contains("contains itself"), e.getMessage());
    }
}
