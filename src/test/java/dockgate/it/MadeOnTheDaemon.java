package dockgate.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The containers, tags and volumes a test class makes directly on the daemon (not through the gateway), so
 * that the calls under test have something of the class's own to list, inspect or be refused on; all
 * removed, and the daemon client closed, when this closes. Names carry a part unique to the run.
 */
final class MadeOnTheDaemon implements AutoCloseable {

    /** docker-java on the daemon's own socket: the ground truth. */
    final DockerClient daemon = It.daemon();
    /** This run's unique name part. */
    final String u = It.unique();
    private final List<String> containers = new ArrayList<>();
    private final List<String> tags = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();

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
    public void close() throws IOException {
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
