package dockgate.guard;

import dockgate.json.JsonBodyException;
import dockgate.policy.Rulebook;
import dockgate.policy.RulesException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What each check refuses in a container create, exec create, update and volume create body, and what it
 * lets through and how that is written for the daemon. The sets come from rules text, as users write them.
 */
class InspectionTest {

    private static final String RULES = """
            checks open
                allow privileged
                allow network host
                allow pid container
                allow capabilities net_admin CAP_SYS_TIME
                allow devices /dev/fuse
                allow binds /srv/data /etc/ssl/certs:ro
                allow security-opt apparmor=unconfined
                allow sysctls net.core.somaxconn
                allow runtimes runsc
                allow volume-drivers nfs-plugin
                allow volumes-from
                allow network-drivers macvlan
                allow static-addresses

            checks ci
                images local/* docker.io/library/busybox
                networks none ci-net
                require non-root
                require read-only-rootfs
                require no-new-privileges
                require memory 512m
                require cpus 1.5
                require pids 100
                require label team=ci
                stamp label dockgate.owner=ci
                exec-commands sh /bin/true

            POST /containers/create checks=open
            POST /volumes/create checks=ci
            """;

    private static CheckSet set(String name) throws RulesException {
        if (name.equals("strict")) {
            return CheckSet.STRICT;
        }
        return Rulebook.parse("r", RULES).checkSets().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static String inspect(Inspection inspection, String set, String body) throws Exception {
        return new String(inspection.inspect(body.getBytes(StandardCharsets.UTF_8), set(set)), StandardCharsets.UTF_8);
    }

    /** The check that refuses a create body under a set; "pass" when none does. */
    private static String verdict(Inspection inspection, String set, String body) throws Exception {
        try {
            inspect(inspection, set, body);
            return "pass";
        } catch (Refused e) {
            return e.check();
        }
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"Image":"x","HostConfig":{"Privileged":true}}                                  | strict | privileged
            {"Image":"x","HostConfig":{"Privileged":true}}                                  | open   | pass
            {"Image":"x","HostConfig":{"Privileged":false}}                                 | strict | pass
            {"Image":"x","HostConfig":{"CapAdd":["NET_ADMIN"]}}                              | strict | capabilities
            {"Image":"x","HostConfig":{"CapAdd":["net_admin","cap_sys_time"]}}              | open   | pass
            {"Image":"x","HostConfig":{"CapAdd":["SYS_ADMIN"]}}                              | open   | capabilities
            {"Image":"x","HostConfig":{"CapAdd":["ALL"]}}                                    | open   | capabilities
            {"Image":"x","HostConfig":{"CapAdd":["cap_\\u017fys_admin"]}}                    | open   | capabilities
            {"Image":"x","HostConfig":{"CapDrop":["ALL"]}}                                   | strict | pass
            {"Image":"x","HostConfig":{"Devices":[{"PathOnHost":"/dev/fuse"}]}}              | strict | devices
            {"Image":"x","HostConfig":{"Devices":[{"PathOnHost":"/dev/./fuse"}]}}            | open   | pass
            {"Image":"x","HostConfig":{"Devices":[{"PathOnHost":"/dev/sda"}]}}               | open   | devices
            {"Image":"x","HostConfig":{"DeviceRequests":[{"Count":-1}]}}                     | open   | device-requests
            {"Image":"x","HostConfig":{"DeviceCgroupRules":["a *:* rwm"]}}                   | open   | device-cgroup-rules
            {"Image":"x","HostConfig":{"Binds":["/:/host"]}}                                 | strict | binds
            {"Image":"x","HostConfig":{"Binds":["/srv/data/x:/x"]}}                          | open   | pass
            {"Image":"x","HostConfig":{"Binds":["/srv/data/../../etc:/x"]}}                  | open   | binds
            {"Image":"x","HostConfig":{"Binds":["/srv/database:/x"]}}                        | open   | binds
            {"Image":"x","HostConfig":{"Binds":["/etc/ssl/certs:/c:ro"]}}                    | open   | pass
            {"Image":"x","HostConfig":{"Binds":["/etc/ssl/certs:/c"]}}                       | open   | binds
            {"Image":"x","HostConfig":{"Binds":["/etc/ssl/certs:/c:rw"]}}                    | open   | binds
            {"Image":"x","HostConfig":{"Binds":["cache:/cache"]}}                            | strict | pass
            {"Image":"x","HostConfig":{"Binds":["/data"]}}                                   | strict | pass
            {"Image":"x","HostConfig":{"Binds":["../etc:/x"]}}                               | strict | binds
            {"Image":"x","HostConfig":{"Mounts":[{"Type":"bind","Source":"/","Target":"/h"}]}}  | strict | binds
            {"Image":"x","HostConfig":{"Mounts":[{"Type":"tmpfs","Target":"/t"}]}}           | strict | pass
            {"Image":"x","HostConfig":{"Mounts":[{"Type":"npipe","Source":"x","Target":"/t"}]}} | open | binds
            {"Image":"x","HostConfig":{"Mounts":[{"Type":"volume","Source":"v","Target":"/v","VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"type":"none","o":"bind","device":"/etc"}}}}]}} | strict | binds
            {"Image":"x","HostConfig":{"Mounts":[{"Type":"volume","Source":"v","Target":"/v","VolumeOptions":{"DriverConfig":{"Options":{"type":"tmpfs","device":"tmpfs"}}}}]}} | strict | pass
            {"Image":"x","HostConfig":{"Mounts":[{"Type":"volume","Source":"v","Target":"/v","VolumeOptions":{"DriverConfig":{"Name":"nfs-plugin"}}}]}} | strict | volume-drivers
            {"Image":"x","HostConfig":{"VolumesFrom":["other"]}}                            | strict | volumes-from
            {"Image":"x","HostConfig":{"NetworkMode":"host"}}                               | strict | network
            {"Image":"x","HostConfig":{"NetworkMode":"host"}}                               | open   | pass
            {"Image":"x","HostConfig":{"NetworkMode":"container:abc"}}                      | open   | network
            {"Image":"x","HostConfig":{"NetworkMode":"none"}}                               | strict | pass
            {"Image":"x","HostConfig":{"PidMode":"host"}}                                   | strict | pid
            {"Image":"x","HostConfig":{"PidMode":"container:abc"}}                          | open   | pass
            {"Image":"x","HostConfig":{"IpcMode":"host"}}                                   | strict | ipc
            {"Image":"x","HostConfig":{"IpcMode":"shareable"}}                              | strict | pass
            {"Image":"x","HostConfig":{"UTSMode":"host"}}                                   | strict | uts
            {"Image":"x","HostConfig":{"UsernsMode":"host"}}                                | strict | userns
            {"Image":"x","HostConfig":{"CgroupnsMode":"host"}}                              | strict | cgroupns
            {"Image":"x","HostConfig":{"SecurityOpt":["seccomp=unconfined"]}}               | strict | security-opt
            {"Image":"x","HostConfig":{"SecurityOpt":["seccomp:unconfined"]}}               | strict | security-opt
            {"Image":"x","HostConfig":{"SecurityOpt":["apparmor=unconfined"]}}              | open   | pass
            {"Image":"x","HostConfig":{"SecurityOpt":["label=disable"]}}                    | open   | security-opt
            {"Image":"x","HostConfig":{"SecurityOpt":["disable"]}}                          | open   | security-opt
            {"Image":"x","HostConfig":{"SecurityOpt":["no-new-privileges"]}}                | strict | pass
            {"Image":"x","HostConfig":{"SecurityOpt":["no-new-privileges:true"]}}           | strict | pass
            {"Image":"x","HostConfig":{"Sysctls":{"kernel.shm_rmid_forced":"1"}}}           | open   | sysctls
            {"Image":"x","HostConfig":{"Sysctls":{"net.core.somaxconn":"1024"}}}            | open   | pass
            {"Image":"x","HostConfig":{"Runtime":"runc"}}                                   | strict | runtimes
            {"Image":"x","HostConfig":{"Runtime":"runsc"}}                                  | open   | pass
            {"Image":"x","HostConfig":{"CgroupParent":"/"}}                                 | open   | cgroup-parent
            {"Image":"x","HostConfig":{"MaskedPaths":[]}}                                   | open   | system-paths
            {"Image":"x","HostConfig":{"ReadonlyPaths":null}}                               | strict | pass
            {"Image":"x","HostConfig":{"VolumeDriver":"nfs-plugin"}}                        | strict | volume-drivers
            {"Image":"x","NetworkingConfig":{"EndpointsConfig":{"host":{}}}}                | strict | network
            """)
    void containerCreateHostAccess(String body, String set, String expected) throws Exception {
        assertEquals(expected, verdict(Inspection.CONTAINER_CREATE, set, body));
    }

    private static final String CI_OK = "{\"Image\":\"local/busybox:test\",\"User\":\"1000\",\"Labels\":{\"team\":\"ci\"},"
            + "\"HostConfig\":{\"NetworkMode\":\"none\",\"ReadonlyRootfs\":true,\"SecurityOpt\":[\"no-new-privileges\"],"
            + "\"Memory\":268435456,\"NanoCpus\":1000000000,\"PidsLimit\":50}}";

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "Image":"local/busybox:test"      | "Image":"busybox"                    | pass
            "Image":"local/busybox:test"      | "Image":"docker.io/library/busybox:1" | pass
            "Image":"local/busybox:test"      | "Image":"alpine"                     | images
            "Image":"local/busybox:test"      | "Image":"0123abcd"                   | images
            "Image":"local/busybox:test"      | "Image":"sha256:0123abcd"            | images
            "Image":"local/busybox:test"      | "Image":"local/team/app"             | images
            "User":"1000"                     | "User":"root"                        | non-root
            "User":"1000"                     | "User":"0"                           | non-root
            "User":"1000"                     | "User":"00:1000"                     | non-root
            "User":"1000"                     | "User":"+0"                          | non-root
            "User":"1000"                     | "User":""                            | non-root
            "User":"1000"                     | "User":"nobody:0"                    | pass
            "ReadonlyRootfs":true             | "ReadonlyRootfs":false               | read-only-rootfs
            "SecurityOpt":["no-new-privileges"] | "SecurityOpt":["no-new-privileges=false"] | no-new-privileges
            "SecurityOpt":["no-new-privileges"] | "SecurityOpt":["no-new-privileges:1"] | pass
            "Memory":268435456                | "Memory":0                           | memory
            "Memory":268435456                | "Memory":536870913                   | memory
            "NanoCpus":1000000000             | "NanoCpus":2000000000                | cpus
            "NanoCpus":1000000000             | "CpuQuota":150000                    | pass
            "NanoCpus":1000000000             | "CpuQuota":150001                    | cpus
            "PidsLimit":50                    | "PidsLimit":-1                       | pids
            "NetworkMode":"none"              | "NetworkMode":"bridge"               | networks
            "NetworkMode":"none"              | "NetworkMode":"ci-net"               | pass
            "Labels":{"team":"ci"}            | "Labels":{"team":"cd"}               | label
            "Labels":{"team":"ci"}            | "Labels":{}                          | label
            """)
    void requirementsAndAllowlists(String from, String to, String expected) throws Exception {
        assertEquals(expected, verdict(Inspection.CONTAINER_CREATE, "ci", CI_OK.replace(from, to)));
    }

    @Test
    void theStampedLabelsGoOverTheClientsAndTheRestIsWrittenAsRead() throws Exception {
        String body = CI_OK.replace("\"team\":\"ci\"", "\"team\":\"ci\",\"dockgate.owner\":\"someone-else\"");
        assertEquals(CI_OK.replace("\"team\":\"ci\"", "\"team\":\"ci\",\"dockgate.owner\":\"ci\""),
                inspect(Inspection.CONTAINER_CREATE, "ci", body));
        assertEquals("{\"Labels\":{\"team\":\"ci\",\"dockgate.owner\":\"ci\"}}",
                inspect(Inspection.VOLUME_CREATE, "ci", "{\"Labels\":{\"team\":\"ci\"}}"));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"Driver":"local","DriverOpts":{"type":"none","o":"bind","device":"/etc"}}    | strict | binds
            {"DriverOpts":{"type":"ext4","device":"/dev/sda1"}}                           | strict | binds
            {"DriverOpts":{"type":"tmpfs","device":"tmpfs","o":"size=100m"}}              | strict | pass
            {"DriverOpts":{"o":"bind","device":"/srv/data/v"}}                            | open   | pass
            {"Driver":"nfs-plugin"}                                                       | strict | volume-drivers
            {"Name":"cache"}                                                              | strict | pass
            """)
    void volumeCreate(String body, String set, String expected) throws Exception {
        assertEquals(expected, verdict(Inspection.VOLUME_CREATE, set, body));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"Cmd":["sh"],"Privileged":true}                 | strict | privileged
            {"Cmd":["sh"],"Privileged":true}                 | open   | pass
            {"Cmd":["sh"],"User":"0"}                        | ci     | non-root
            {"Cmd":["sh"],"User":"1000"}                     | ci     | pass
            {"Cmd":["/bin/sh","-c","id"],"User":"1000"}      | ci     | exec-commands
            {"User":"1000"}                                  | ci     | exec-commands
            {"Cmd":["anything"]}                             | strict | pass
            """)
    void execCreate(String body, String set, String expected) throws Exception {
        assertEquals(expected, verdict(Inspection.EXEC_CREATE, set, body));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"Devices":[{"PathOnHost":"/dev/sda"}]}         | strict | devices
            {"CgroupParent":"/"}                             | strict | cgroup-parent
            {"Memory":1073741824}                            | ci     | memory
            {"Memory":0,"CpuShares":512}                     | ci     | pass
            {"PidsLimit":0}                                  | ci     | pids
            {"CpuQuota":-1}                                  | ci     | cpus
            {"RestartPolicy":{"Name":"always"}}              | strict | pass
            """)
    void containerUpdate(String body, String set, String expected) throws Exception {
        assertEquals(expected, verdict(Inspection.CONTAINER_UPDATE, set, body));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"Name":"n"}                                                     | strict | pass
            {"Name":"n","Driver":"bridge"}                                   | strict | pass
            {"Name":"n","Driver":"macvlan","Options":{"parent":"eth0"}}      | strict | network-drivers
            {"Name":"n","Driver":"host"}                                     | open   | network-drivers
            {"Name":"n","Driver":"macvlan"}                                  | open   | pass
            {"Name":"n","Options":{"com.docker.network.bridge.name":"eth0"}} | open   | network-options
            {"Name":"n","IPAM":{"Driver":"default","Config":[]}}             | strict | pass
            {"Name":"n","IPAM":{"Config":[{"Subnet":"10.0.0.0/8"}]}}         | strict | static-addresses
            {"Name":"n","IPAM":{"Config":[{"Subnet":"10.0.0.0/8"}]}}         | open   | pass
            {"Name":"n","Ingress":true}                                      | strict | network-options
            {"Name":"n","ConfigFrom":{"Network":"cfg"}}                      | strict | network-options
            """)
    void networkCreate(String body, String set, String expected) throws Exception {
        assertEquals(expected, verdict(Inspection.NETWORK_CREATE, set, body));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"Container":"c"}                                                        | strict | pass
            {"Container":"c","EndpointConfig":{"Aliases":["a"]}}                      | strict | pass
            {"Container":"c","EndpointConfig":{"IPAMConfig":{"IPv4Address":"172.17.0.9"}}} | strict | static-addresses
            {"Container":"c","EndpointConfig":{"MacAddress":"02:42:ac:11:00:09"}}    | strict | static-addresses
            {"Container":"c","EndpointConfig":{"IPAMConfig":{"IPv4Address":"172.17.0.9"}}} | open | pass
            """)
    void networkConnect(String body, String set, String expected) throws Exception {
        assertEquals(expected, verdict(Inspection.NETWORK_CONNECT, set, body));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"Name":"s","TaskTemplate":{"ContainerSpec":{"Image":"busybox"}}}                                          | strict | pass
            {"Name":"s","TaskTemplate":{"ContainerSpec":{"Image":"x","Mounts":[{"Type":"bind","Source":"/","Target":"/h"}]}}} | strict | binds
            {"Name":"s","TaskTemplate":{"ContainerSpec":{"Image":"x","CapabilityAdd":["SYS_ADMIN"]}}}                 | strict | capabilities
            {"Name":"s","TaskTemplate":{"ContainerSpec":{"Image":"x","Sysctls":{"kernel.x":"1"}}}}                     | strict | sysctls
            {"Name":"s","TaskTemplate":{"ContainerSpec":{"Image":"x","Privileges":{"SELinuxContext":{"Disable":true}}}}} | strict | security-opt
            {"Name":"s","TaskTemplate":{"Runtime":"plugin","PluginSpec":{"Name":"evil"}}}                             | strict | runtimes
            {"Name":"s","TaskTemplate":{"ContainerSpec":{"Image":"x"},"Networks":[{"Target":"host"}]}}                 | strict | network
            {"Name":"s","TaskTemplate":{"ContainerSpec":{"Image":"x"},"Resources":{"Reservations":{"GenericResources":[{"DiscreteResourceSpec":{"Kind":"gpu","Value":1}}]}}}} | strict | device-requests
            {"Name":"s","TaskTemplate":{"ContainerSpec":{"Image":"alpine","User":"1000","ReadOnly":true}}}             | ci     | images
            {"Name":"s","TaskTemplate":{"ContainerSpec":{"Image":"busybox","User":"0"}}}                               | ci     | non-root
            """)
    void serviceSpecs(String body, String set, String expected) throws Exception {
        assertEquals(expected, verdict(Inspection.SERVICE_CREATE, set, body));
        assertEquals(expected, verdict(Inspection.SERVICE_UPDATE, set, body));
    }

    @Test
    void aServiceAndItsContainersGetTheStampedLabels() throws Exception {
        assertEquals("{\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"x\",\"Labels\":{\"dockgate.owner\":\"ci\"}}},"
                        + "\"Labels\":{\"dockgate.owner\":\"ci\"}}",
                new String(Inspection.SERVICE_CREATE.inspect("{\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"x\"}}}"
                        .getBytes(StandardCharsets.UTF_8), stampOnly()), StandardCharsets.UTF_8));
    }

    private static CheckSet stampOnly() throws RulesException {
        return Rulebook.parse("r", "checks s\n    stamp label dockgate.owner=ci\n").checkSets().get(0);
    }

    @Test
    void aStaticAddressInACreateIsRefused() throws Exception {
        assertEquals("static-addresses", verdict(Inspection.CONTAINER_CREATE, "strict",
                "{\"Image\":\"x\",\"NetworkingConfig\":{\"EndpointsConfig\":{\"n\":{\"IPAMConfig\":{\"IPv4Address\":\"10.1.2.3\"}}}}}"));
    }

    @ParameterizedTest(name = "fromImage={0} tag={1} fromSrc={2} under {3}")
    @CsvSource(delimiter = '|', textBlock = """
            busybox                 | 1.36     |    | ci     | pass
            busybox:1.36            |          |    | ci     | pass
            busybox                 |          |    | ci     | pass
            docker.io/library/busybox | latest |    | ci     | pass
            local/app               | 1        |    | ci     | pass
            alpine                  | 3        |    | ci     | images
            evil.example/busybox    | 1        |    | ci     | images
            0123abcd                |          |    | ci     | images
            busybox                 | sha256:0123456789abcdef0123456789abcdef | | ci | pass
            alpine                  | 3        |    | strict | pass
            ''                      |          | -  | strict | import
            ''                      |          | -  | open   | import
            """)
    void imagePulls(String fromImage, String tag, String fromSrc, String set, String expected) throws Exception {
        try {
            ImagePulls.check(fromImage == null ? "" : fromImage, tag == null ? "" : tag, fromSrc == null ? "" : fromSrc,
                    set(set));
            assertEquals(expected, "pass");
        } catch (Refused e) {
            assertEquals(expected, e.check());
        }
    }

    @Test
    void aBodyThatIsNoObjectIsUnreadable() {
        assertThrows(JsonBodyException.class, () -> inspect(Inspection.CONTAINER_CREATE, "strict", "[]"));
    }

    @Test
    void theRefusalSaysWhatWasFound() {
        Refused refused = assertThrows(Refused.class, () -> inspect(Inspection.CONTAINER_CREATE, "open",
                "{\"Image\":\"x\",\"HostConfig\":{\"Binds\":[\"/srv/data/../../etc:/x\"]}}"));
        assertEquals("HostConfig.Binds[0] binds host path /srv/data/../../etc (/etc)", refused.detail());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            application/json                 | 
            Application/JSON                 | 
            application/json; charset=utf-8 | 
            application/json;charset=UTF-8  | 
            application/json; charset=latin1 | a JSON body needs Content-Type: application/json (got 'application/json; charset=latin1')
            text/plain                       | a JSON body needs Content-Type: application/json (got 'text/plain')
            application/json-patch+json      | a JSON body needs Content-Type: application/json (got 'application/json-patch+json')
            """)
    void contentTypes(String type, String problem) {
        assertEquals(problem, Inspection.unreadableHeaders(type, null));
    }

    @Test
    void aBodyAlreadyAsWrittenGoesAsItCameAndAnyOtherIsWrittenAnew() throws Exception {
        byte[] compact = "{\"Image\":\"x\",\"Cmd\":[\"sh\"],\"HostConfig\":{\"Binds\":[\"vol:/v\"]}}".getBytes(StandardCharsets.UTF_8);
        assertSame(compact, Inspection.CONTAINER_CREATE.inspect(compact, set("open")));
        // Go's encoder ends the body with a newline: the bytes before it are sent.
        assertEquals(new String(compact, StandardCharsets.UTF_8), inspect(Inspection.CONTAINER_CREATE, "open",
                new String(compact, StandardCharsets.UTF_8) + "\n"));
        // Spaced, escaped, spelled otherwise, a string for a strslice, or stamped: the same value, written anew.
        assertEquals(new String(compact, StandardCharsets.UTF_8), inspect(Inspection.CONTAINER_CREATE, "open",
                "{ \"Image\":\"x\",\"Cmd\":[\"sh\"],\"HostConfig\":{\"Binds\":[\"vol:/v\"]}}"));
        assertEquals(new String(compact, StandardCharsets.UTF_8), inspect(Inspection.CONTAINER_CREATE, "open",
                "{\"Image\":\"\\u0078\",\"Cmd\":[\"sh\"],\"HostConfig\":{\"Binds\":[\"vol:/v\"]}}"));
        assertEquals(new String(compact, StandardCharsets.UTF_8), inspect(Inspection.CONTAINER_CREATE, "open",
                "{\"image\":\"x\",\"Cmd\":[\"sh\"],\"HostConfig\":{\"Binds\":[\"vol:/v\"]}}"));
        assertEquals(new String(compact, StandardCharsets.UTF_8), inspect(Inspection.CONTAINER_CREATE, "open",
                "{\"Image\":\"x\",\"Cmd\":\"sh\",\"HostConfig\":{\"Binds\":[\"vol:/v\"]}}"));
        byte[] volume = "{\"Labels\":{\"team\":\"ci\"}}".getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"Labels\":{\"team\":\"ci\",\"dockgate.owner\":\"ci\"}}",
                new String(Inspection.VOLUME_CREATE.inspect(volume, set("ci")), StandardCharsets.UTF_8));
    }
}
