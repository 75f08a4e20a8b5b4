package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Rulebook;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * conf/presets/traefik-swarm.rules on a one-node swarm of the real daemon: the docker CLI's service and node
 * reads show what they show directly, Traefik's swarm provider's calls are answered, and nothing that would
 * change the swarm or hand out its join tokens gets through.
 */
@Timeout(300)
class SwarmIT {
    static final Path PRESET = Path.of("conf/presets/traefik-swarm.rules");
    static final String SECRET = "hunter2";

    static final OneNodeSwarm swarm = new OneNodeSwarm();
    static Gateway gateway;
    static String service;
    static String serviceId;

    @BeforeAll
    static void start() throws Exception {
        swarm.init();
        service = "dockgate-it-" + It.unique() + "-web";
        // No published port and no network: the service needs neither the ingress network nor a bridge,
        // which this daemon does not have. The image exists only here, so it is not looked up in a registry.
        serviceId = swarm.out("service", "create", "--detach", "--no-resolve-image", "--name", service,
                "--label", "traefik.enable=true", "--env", "PASSWORD=" + SECRET, It.IMAGE, "sleep", "3600");
        assertTrue(It.await(Duration.ofSeconds(60), () -> swarm.out("service", "ps", service, "--format",
                "{{.CurrentState}}").startsWith("Running")), () -> swarm.out("service", "ps", "--no-trunc", service));
        gateway = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), Rulebook.load(PRESET)));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (gateway != null) gateway.close();
        } finally {
            swarm.leave();
        }
    }

    @Test
    void serviceLsShowsWhatTheDaemonShows() throws Exception {
        String format = "{{.ID}} {{.Name}} {{.Mode}} {{.Replicas}} {{.Image}}";
        String direct = sameThroughTheGateway("service", "ls", "--format", format);
        assertTrue(direct.contains(service + " replicated 1/1 " + It.IMAGE), direct);
    }

    @Test
    void servicePsShowsTheRunningTask() throws Exception {
        String format = "{{.ID}} {{.Name}} {{.Image}} {{.Node}} {{.DesiredState}}";
        String direct = sameThroughTheGateway("service", "ps", service, "--format", format);
        assertTrue(direct.contains(" " + service + ".1 " + It.IMAGE + " "), direct);
    }

    @Test
    void nodeLsShowsTheManager() throws Exception {
        String format = "{{.ID}} {{.Self}} {{.Hostname}} {{.Status}} {{.ManagerStatus}}";
        String direct = sameThroughTheGateway("node", "ls", "--format", format);
        assertTrue(direct.contains(" true ") && direct.endsWith(" Ready Leader"), direct);
    }

    @Test
    void aServicesEnvironmentIsRedacted() throws Exception {
        String format = "{{json .Spec.TaskTemplate.ContainerSpec.Env}}";
        assertEquals("[\"PASSWORD=" + SECRET + "\"]", swarm.out("service", "inspect", "--format", format, service));
        It.Result through = It.docker(gateway.port(), "service", "inspect", "--format", format, service);
        assertEquals(0, through.exit(), through::toString);
        assertEquals("[\"PASSWORD=<redacted>\"]", through.out().strip());
    }

    /** The calls of pkg/provider/docker/pswarm.go, with its filters, as Traefik makes them. */
    @Test
    void traefiksSwarmProviderIsAnswered() throws Exception {
        assertEquals(200, get("/_ping", "HEAD").statusCode());
        assertEquals(200, get("/v1.41/version", "GET").statusCode());
        HttpResponse<String> services = get("/v1.41/services", "GET");
        assertEquals(200, services.statusCode());
        assertTrue(services.body().contains("\"ID\":\"" + serviceId + "\""), services.body());
        HttpResponse<String> networks = get("/v1.41/networks?filters="
                + encode("{\"scope\":{\"swarm\":true}}"), "GET");
        assertEquals(200, networks.statusCode());
        assertTrue(networks.body().contains("\"Name\":\"ingress\""), networks.body());
        HttpResponse<String> tasks = get("/v1.41/tasks?filters=" + encode("{\"service\":{\"" + serviceId
                + "\":true},\"desired-state\":{\"running\":true}}"), "GET");
        assertEquals(200, tasks.statusCode());
        String node = swarm.out("node", "ls", "--format", "{{.ID}}");
        assertTrue(tasks.body().contains("\"NodeID\":\"" + node + "\""), tasks.body());
        HttpResponse<String> inspect = get("/v1.41/nodes/" + node, "GET");
        assertEquals(200, inspect.statusCode());
        assertTrue(inspect.body().contains("\"Addr\":\"127.0.0.1\""), inspect.body());
    }

    @Test
    void theJoinTokensStayOnTheDaemon() throws Exception {
        assertTrue(swarm.out("swarm", "join-token", "-q", "manager").startsWith("SWMTKN-"));
        HttpResponse<String> inspect = get("/v1.41/swarm", "GET");
        assertEquals(403, inspect.statusCode());
        assertFalse(inspect.body().contains("SWMTKN-"), inspect.body());
        It.Result token = It.docker(gateway.port(), "swarm", "join-token", "manager");
        assertTrue(token.exit() != 0 && token.err().contains(It.REFUSED), token::toString);
    }

    @Test
    void aServiceCreateIsRefused() throws Exception {
        String before = swarm.out("service", "ls", "--format", "{{.ID}} {{.Name}}");
        String name = "dockgate-it-" + It.unique() + "-refused";
        It.Result create = It.docker(gateway.port(), "service", "create", "--detach", "--no-resolve-image",
                "--name", name, It.IMAGE, "sleep", "3600");
        assertTrue(create.exit() != 0, create::toString);
        assertTrue(create.err().contains("dockgate: POST /v1.41/services/create " + It.REFUSED), create::toString);
        assertEquals(before, swarm.out("service", "ls", "--format", "{{.ID}} {{.Name}}"), "nothing was created");
        It.Result scale = It.docker(gateway.port(), "service", "scale", "--detach", service + "=2");
        assertTrue(scale.exit() != 0 && scale.err().contains(It.REFUSED), scale::toString);
        assertEquals(service + " 1/1", swarm.out("service", "ls", "--format", "{{.Name}} {{.Replicas}}"));
    }

    /** Runs the docker CLI on the daemon and through the gateway: the same output; returns it. */
    private static String sameThroughTheGateway(String... args) throws Exception {
        String direct = swarm.out(args);
        It.Result through = It.docker(gateway.port(), args);
        assertEquals(0, through.exit(), through::toString);
        assertEquals(direct, through.out().strip());
        return direct;
    }

    private static HttpResponse<String> get(String path, String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
        // HTTP/1.1: Java's client otherwise asks to upgrade to h2c, which the gateway refuses.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
