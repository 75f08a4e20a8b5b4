package dockgate.it;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * A Testcontainers user, run by {@link ContainersIT} as a process of its own so that Testcontainers finds
 * the gateway as it finds any daemon, through DOCKER_HOST. It starts a container, prints its id, and then
 * asks for a privileged one, printing what Testcontainers reports. No registry is reachable here, so
 * nothing is pulled; Ryuk, which needs an image of its own, is off.
 */
public final class TestcontainersClient {

    private TestcontainersClient() {
    }

    /** Nothing to wait for: a container that sleeps is ready once it runs. */
    private static final class Running extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() {
        }
    }

    private static GenericContainer<?> container(String image) {
        ImagePullPolicy neverPull = name -> false;
        return new GenericContainer<>(DockerImageName.parse(image)).withImagePullPolicy(neverPull)
                .withNetworkMode("none").withCommand("sleep", "60").waitingFor(new Running());
    }

    public static void main(String[] args) {
        String image = args[0];
        try (GenericContainer<?> plain = container(image)) {
            plain.start();
            System.out.println("started " + plain.getContainerId());
            System.out.println("running " + plain.isRunning());
        }
        try (GenericContainer<?> privileged = container(image).withPrivilegedMode(true)) {
            privileged.start();
            System.out.println("privileged started " + privileged.getContainerId());
        } catch (RuntimeException e) {
            Throwable cause = e;
            StringBuilder causes = new StringBuilder();
            while (cause != null) {
                causes.append(cause.getMessage()).append(" | ");
                cause = cause.getCause();
            }
            System.out.println("privileged refused: " + causes);
        }
    }
}
