package dockgate.it;

import static dockgate.it.It.IMAGE;
import static dockgate.it.It.REFUSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Network;
import dockgate.Gateway;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/** docker-java 3.4.2 (zerodep transport, no version prefix) through the gateway. */
@Timeout(120)
class DockerJavaIT {
    static final String DEEP = "localhost:5000/team/app:1.2";

    @RegisterExtension
    static final MadeOnTheDaemon made = new MadeOnTheDaemon();

    static DockerClient client;
    static Gateway gateway;
    static String imageId;
    static String containerId;
    static String volumeName;

    @BeforeAll
    static void start() throws Exception {
        imageId = made.daemon().inspectImageCmd(IMAGE).exec().getId();
        made.tag("localhost:5000/team/app", "1.2");
        containerId = made.container("java", "true");
        volumeName = made.volume("java");
        gateway = made.gateway();
        client = It.dockerJava("tcp://127.0.0.1:" + gateway.port());
    }

    @AfterAll
    static void stop() throws IOException {
        if (client != null) client.close();
    }

    @Test
    void ping() {
        client.pingCmd().exec();
    }

    @Test
    void version() {
        assertEquals("1.41", client.versionCmd().exec().getApiVersion());
    }

    @Test
    void listContainersShowsTheDaemonsContainers() {
        Set<String> ids = client.listContainersCmd().withShowAll(true).exec().stream().map(Container::getId)
                .collect(Collectors.toSet());
        assertTrue(ids.contains(containerId), ids::toString);
        assertEquals(made.daemon().listContainersCmd().withShowAll(true).exec().stream().map(Container::getId)
                .collect(Collectors.toSet()), ids);
    }

    @Test
    void listImagesShowsTheTestImage() {
        List<Image> images = client.listImagesCmd().exec();
        assertTrue(images.stream().anyMatch(i -> i.getRepoTags() != null
                && Arrays.asList(i.getRepoTags()).contains(IMAGE) && imageId.equals(i.getId())), images::toString);
    }

    @Test
    void inspectImage() {
        assertEquals(imageId, client.inspectImageCmd(IMAGE).exec().getId());
    }

    @Test
    void inspectImageOfANameWithRegistryPortAndPath() {
        assertEquals(imageId, client.inspectImageCmd(DEEP).exec().getId());
    }

    @Test
    void info() {
        Info viaGateway = client.infoCmd().exec(), direct = made.daemon().infoCmd().exec();
        assertEquals(direct.getId(), viaGateway.getId());
        assertEquals(direct.getServerVersion(), viaGateway.getServerVersion());
    }

    @Test
    void listNetworks() {
        assertEquals(made.daemon().listNetworksCmd().exec().stream().map(Network::getName).collect(Collectors.toSet()),
                client.listNetworksCmd().exec().stream().map(Network::getName).collect(Collectors.toSet()));
    }

    @Test
    void listVolumesShowsAVolumeOfTheDaemon() {
        Set<String> names = client.listVolumesCmd().exec().getVolumes().stream()
                .map(InspectVolumeResponse::getName).collect(Collectors.toSet());
        assertTrue(names.contains(volumeName), names::toString);
    }

    @Test
    void tagImageReachesTheDaemon() {
        String ref = made.removeLater("dockgate-it/jtag:" + made.u());
        client.tagImageCmd(IMAGE, "dockgate-it/jtag", made.u()).exec();
        assertEquals(imageId, made.daemon().inspectImageCmd(ref).exec().getId());
    }

    @Test
    void eventsDeliverATagMadeOnTheDaemon() throws Exception {
        String repo = "dockgate-it/jevents", ref = repo + ":" + made.u();
        CountDownLatch seen = new CountDownLatch(1);
        // --since covers a subscription that starts after the tag; the stream itself stays open.
        long since = Instant.now().getEpochSecond() - 1;
        ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event e) {
                if (e.getActor() != null && e.getActor().getAttributes() != null
                        && ref.equals(e.getActor().getAttributes().get("name"))) {
                    seen.countDown();
                }
            }
        };
        try (ResultCallback.Adapter<Event> cb = client.eventsCmd().withSince(Long.toString(since))
                .withEventTypeFilter(EventType.IMAGE).withEventFilter("tag").exec(callback)) {
            made.tag(repo, made.u());
            assertTrue(seen.await(30, TimeUnit.SECONDS), "no tag event for " + ref + " within 30 s");
        }
    }

    @Test
    void createContainerIsRefused() throws Exception {
        refused(() -> client.createContainerCmd(IMAGE).withCmd("true")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")).exec());
    }

    @Test
    void removeImageIsRefused() throws Exception {
        String ref = made.tag("dockgate-it/jrmi", made.u());
        refused(() -> client.removeImageCmd(ref).exec());
        assertEquals(imageId, made.daemon().inspectImageCmd(ref).exec().getId(), "tag still on the daemon");
    }

    static void refused(Executable call) {
        It.DaemonState before = It.DaemonState.read(made.daemon());
        DockerException e = assertThrows(DockerException.class, call);
        assertEquals(403, e.getHttpStatus(), e::toString);
        assertTrue(e.getMessage().contains(REFUSED), e::getMessage);
        assertEquals(before, It.DaemonState.read(made.daemon()), "the daemon changed");
    }
}
