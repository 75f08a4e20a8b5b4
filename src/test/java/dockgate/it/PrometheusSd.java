package dockgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's, from scripts/test) whose only work is docker_sd: one scrape job per Docker
 * host, refreshed every second, and what it discovered read back from its targets API. Every target is
 * dropped by relabelling, so nothing is scraped (a container without an address is the target ":80", which
 * is this machine) and every discovered target shows under droppedTargets with its discovered labels.
 */
final class PrometheusSd implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path stderr;
    private final URI targets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusSd(Process process, Path stderr, int port) {
        this.process = process;
        this.stderr = stderr;
        this.targets = URI.create("http://127.0.0.1:" + port + "/api/v1/targets?state=any");
    }

    /**
     * @param dir  a fresh directory for its config, data and log
     * @param jobs scrape job name to docker_sd host (unix:///... or tcp://...)
     */
    static PrometheusSd start(Path dir, Map<String, String> jobs) throws IOException {
        StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1h\nscrape_configs:\n");
        jobs.forEach((job, host) -> config.append("""
                  - job_name: JOB
                    docker_sd_configs:
                      - host: HOST
                        refresh_interval: 1s
                    relabel_configs:
                      - action: drop
                        source_labels: [__meta_docker_container_id]
                        regex: .+
                """.replace("JOB", job).replace("HOST", host)));
        Path file = Files.writeString(dir.resolve("prometheus.yml"), config.toString());
        int port = It.freePort();
        Path log = dir.resolve("prometheus.err");
        Process process = new ProcessBuilder("prometheus", "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectOutput(dir.resolve("prometheus.out").toFile()).redirectError(log.toFile()).start();
        return new PrometheusSd(process, log, port);
    }

    /** The discovered labels of each target of job, by container id; empty while Prometheus is not up yet. */
    Map<String, Map<String, String>> discovered(String job) {
        Map<String, Map<String, String>> byContainer = new LinkedHashMap<>();
        JsonNode data;
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(targets).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            data = JSON.readTree(answer.body()).path("data");
        } catch (IOException e) {
            return byContainer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return byContainer;
        }
        for (String state : List.of("activeTargets", "droppedTargets")) {
            for (JsonNode target : data.path(state)) {
                Map<String, String> labels = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> fields = target.path("discoveredLabels").fields();
                fields.forEachRemaining(field -> labels.put(field.getKey(), field.getValue().asText()));
                if (job.equals(labels.get("job"))) {
                    byContainer.put(labels.get("__meta_docker_container_id"), labels);
                }
            }
        }
        return byContainer;
    }

    /** Its log lines that are warnings or errors. */
    List<String> complaints() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(stderr)) {
            if (line.contains("level=error") || line.contains("level=warn")) lines.add(line);
        }
        return lines;
    }

    String log() throws IOException {
        return Files.readString(stderr);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
