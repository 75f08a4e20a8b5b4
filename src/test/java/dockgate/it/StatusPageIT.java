package dockgate.it;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.ListenAddress;
import dockgate.policy.Profile;
import dockgate.policy.Rule;
import dockgate.testing.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The admin listener in front of the real daemon: /health, and the status page as headless Chromium renders
 * it after known traffic. The screenshot is left at target/admin/status-page.png for people to look at.
 */
class StatusPageIT {

    private static final Path OUT = Path.of("target", "admin");
    private static final Pattern ROW = Pattern.compile("<tr[^>]*>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL);

    private Gateway gateway;
    private final Profile rules = Profile.builtIn();

    @BeforeEach
    void start() throws Exception {
        gateway = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), rules)
                .withAdmin(new ListenAddress("127.0.0.1", 0)));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void healthIsOkWithTheRealDaemon() throws IOException {
        try (RawClient client = new RawClient(gateway.adminPort())) {
            RawClient.Response health = client.timeout(10_000).get("/health");
            assertEquals(200, health.status(), health.body());
            assertTrue(health.body().matches("\\{\"status\":\"ok\",\"daemon\":\\{\"reachable\":true,\"socket\":\""
                    + Pattern.quote(It.socket().toString()) + "\",\"apiVersion\":\"1\\.[0-9]+\",.*\n"), health.body());
        }
    }

    @Test
    void theStatusPageRendersTheRulesAndTheRefusedRequestsInABrowser() throws Exception {
        try (RawClient client = new RawClient(gateway.port())) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, client.timeout(10_000).get("/_ping").status());
            }
            assertEquals(200, client.get("/v1.41/containers/json").status());
        }
        for (int i = 0; i < 2; i++) {
            try (RawClient client = new RawClient(gateway.port())) {
                assertEquals(403, client.timeout(10_000).send("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").read().status());
            }
        }
        try (RawClient client = new RawClient(gateway.port())) {
            // Logs, not inspect: a denied inspect is answered as a missing object (404), which is not the point here.
            assertEquals(403, client.timeout(10_000).get("/v1.41/containers/x'&y/logs?q=%3Cscript%3Ealert(1)%3C/script%3E").status());
        }

        Files.createDirectories(OUT);
        String url = "http://127.0.0.1:" + gateway.adminPort() + "/";
        String dom = chromium("--dump-dom", url);

        List<List<String>> ruleRows = rows(table(dom, "rules"));
        assertEquals(rules.size() + 2, ruleRows.size(), dom);
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.rules().get(i);
            assertEquals(rule.location(), ruleRows.get(i).get(0), "rules in file order");
        }
        assertEquals(List.of(location("/_ping"), "<code>GET,HEAD  /_ping</code>", "3", "0"), ruleRows.get(0));
        assertEquals("1", rowOf(ruleRows, location("/containers/json")).get(2));
        assertEquals(List.of("—", "no rule matched", "", "3"), ruleRows.get(rules.size()));

        List<List<String>> denied = rows(table(dom, "denied"));
        assertEquals(3, denied.size(), dom);
        assertEquals(List.of("GET", "<code>/v1.41/containers/x'&amp;y/logs?q=%3Cscript%3Ealert(1)%3C/script%3E</code>", "403",
                "no rule allows GET /v1.41/containers/x'&amp;y/logs"), denied.get(0).subList(2, 6));
        for (List<String> row : denied.subList(1, 3)) {
            assertEquals(List.of("POST", "<code>/v1.41/containers/create</code>", "403",
                    "no rule allows POST /v1.41/containers/create"), row.subList(2, 6));
            assertTrue(row.get(1).startsWith("127.0.0.1:"), row.get(1));
        }
        assertTrue(!dom.contains("<script"), "a script element in the rendered page");

        Path png = OUT.resolve("status-page.png").toAbsolutePath();
        Files.deleteIfExists(png);
        chromium("--screenshot=" + png, "--window-size=1200,900", url);
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 10_000, "a suspiciously small screenshot: " + head.length + " bytes");
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(head, 4));
    }

    private String location(String path) {
        return rules.rules().stream().filter(r -> r.path().equals(path)).map(Rule::location).findFirst().orElseThrow();
    }

    private static List<String> rowOf(List<List<String>> rows, String first) {
        return rows.stream().filter(r -> r.get(0).equals(first)).findFirst().orElseThrow();
    }

    private static String table(String dom, String id) {
        int start = dom.indexOf("<table id=\"" + id + "\">");
        assertTrue(start >= 0, "no table #" + id + " in\n" + dom);
        return dom.substring(dom.indexOf("<tbody>", start), dom.indexOf("</tbody>", start));
    }

    private static List<List<String>> rows(String tbody) {
        List<List<String>> rows = new ArrayList<>();
        Matcher row = ROW.matcher(tbody);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = CELL.matcher(row.group(1));
            while (cell.find()) {
                cells.add(cell.group(1));
            }
            rows.add(cells);
        }
        return rows;
    }

    /** Runs headless Chromium (Debian's, as root: hence no sandbox) on a fresh profile; its stdout. */
    private static String chromium(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("dg-chromium");
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Path stderr = OUT.resolve("chromium.log");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            fail("cannot run chromium (scripts/test installs it: apt-get install chromium): " + e.getMessage());
            return null;
        }
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("chromium did not finish within 60 s");
            }
            assertEquals(0, process.exitValue(), "chromium failed: " + Files.readString(stderr));
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }
}
