package dockgate.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import dockgate.Gateway;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The containers, tags and volumes a test class makes directly on the daemon (not through the gateway), so
 * that the calls under test have something of the class's own to list, inspect or be refused on, and the
 * gateway in front of the daemon. A JUnit extension: register it with {@code @RegisterExtension static
 * final MadeOnTheDaemon made = new MadeOnTheDaemon();}; after the class the gateway is closed, all that was
 * made is removed and the daemon client closed. Names carry a part unique to the run.
 */
final class MadeOnTheDaemon implements BeforeAllCallback, AfterAllCallback {

    private DockerClient daemon;
    private String u;
    private Gateway gateway;
    private final List<String> containers = new ArrayList<>();
    private final List<String> tags = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        daemon = It.daemon();
        u = It.unique();
    }

    /** docker-java on the daemon's own socket, bypassing the gateway: the ground truth. */
    DockerClient daemon() {
        return daemon;
    }

    /** This run's unique name part. */
    String u() {
        return u;
    }

    /** Starts the gateway in front of the daemon, with the default rules; closed after the class. */
    Gateway gateway() throws Exception {
        gateway = It.startGateway();
        return gateway;
    }

    /** A container of the test image named "dockgate-it-U-{@code purpose}", without a network; its id. */
    String container(String purpose, String... cmd) {
        String id = daemon.createContainerCmd(It.IMAGE).withName(name(purpose)).withCmd(cmd)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")).exec().getId();
        containers.add(id);
        return id;
    }

    /** Tags the test image as {@code repo:tag}; the reference. */
    String tag(String repo, String tag) {
        daemon.tagImageCmd(It.IMAGE, repo, tag).withForce().exec();
        return removeLater(repo + ":" + tag);
    }

    /** An image reference made some other way (through the gateway, say), removed at the end too. */
    String removeLater(String imageRef) {
        tags.add(imageRef);
        return imageRef;
    }

    /** A volume named "dockgate-it-U-{@code purpose}"; its name. */
    String volume(String purpose) {
        String name = name(purpose);
        daemon.createVolumeCmd().withName(name).exec();
        volumes.add(name);
        return name;
    }

    /** "dockgate-it-U-{@code purpose}", as the containers and volumes here are named. */
    String name(String purpose) {
        return "dockgate-it-" + u + "-" + purpose;
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (daemon == null) {
            return;
        }
        containers.forEach(id -> It.removeContainerQuietly(daemon, id));
        tags.forEach(ref -> It.removeQuietly(daemon, ref));
        for (String volume : volumes) {
            try {
                daemon.removeVolumeCmd(volume).exec();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        daemon.close();
    }
}
