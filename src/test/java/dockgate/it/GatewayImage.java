package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The container image of conf/docker/Dockerfile, built on the real daemon from a base image made offline by
 * scripts/base-image: no registry is reachable here, so nothing may be pulled.
 */
final class GatewayImage {
    static final String BASE = "local/jre17:test";
    static final String IMAGE = "local/dockgate:it";
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    private GatewayImage() {}

    /** Builds BASE, then IMAGE from target/dockgate.jar, on the daemon at host; dir holds the build context. */
    static void build(String host, Path dir) throws Exception {
        ProcessBuilder base = new ProcessBuilder("scripts/base-image", BASE).redirectInput(new File("/dev/null"));
        base.environment().put("DOCKER_HOST", host);
        base.environment().remove("DOCKER_CONTEXT");
        It.Result made = It.run(base, BUILD_TIMEOUT);
        assertEquals(0, made.exit(), made.toString());

        // A build context holding only what the Dockerfile copies, laid out as in the repository, so the
        // legacy builder does not send target/ and the rest of the checkout.
        Path context = dir.resolve("context");
        for (String file : List.of("target/dockgate.jar",
                "target/native/META-INF/native/libnetty_transport_native_epoll_x86_64.so", "conf/rules",
                "conf/docker/Dockerfile", "conf/docker/socket-dir/.keep")) {
            Files.createDirectories(context.resolve(file).getParent());
            Files.copy(Path.of(file), context.resolve(file));
        }
        ProcessBuilder build = It.cliAt(host, "build", "--network", "none", "--build-arg", "BASE=" + BASE,
                "-f", context.resolve("conf/docker/Dockerfile").toString(), "-t", IMAGE, context.toString());
        build.environment().put("DOCKER_BUILDKIT", "0"); // no buildx plugin here; dockerd 20.10 builds itself
        It.Result built = It.run(build, BUILD_TIMEOUT);
        assertEquals(0, built.exit(), built.toString());
    }

    static void remove(String host) throws Exception {
        It.run(It.cliAt(host, "image", "rm", IMAGE, BASE), It.CLI_TIMEOUT);
    }
}
