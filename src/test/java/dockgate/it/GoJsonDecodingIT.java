package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dockgate.json.JsonBool;
import dockgate.json.JsonObject;
import dockgate.json.JsonString;
import dockgate.json.StrictJsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the real daemon (dockerd 20.10, Go 1.19) decodes a container create body, sent to it directly: the
 * facts the body shapes and the canonicaliser rest on. Each container is created, inspected and removed,
 * never started.
 */
@Timeout(120)
class GoJsonDecodingIT {
    private static final List<String> created = new ArrayList<>();

    @AfterAll
    static void removeCreated() throws IOException {
        for (String id : created) {
            call("DELETE", "/v1.41/containers/" + id + "?force=1", null);
        }
    }

    /** The HostConfig the daemon applied to a container created from the test image with these members. */
    private static JsonObject hostConfigOf(String members) throws Exception {
        String[] answer = call("POST", "/v1.41/containers/create", "{\"Image\":\"" + It.IMAGE + "\"," + members);
        assertEquals("201", answer[0], answer[1]);
        JsonObject made = (JsonObject) StrictJsonReader.read(answer[1].getBytes(StandardCharsets.UTF_8), 64);
        String id = ((JsonString) made.get("Id")).value();
        created.add(id);
        String[] inspect = call("GET", "/v1.41/containers/" + id + "/json", null);
        assertEquals("200", inspect[0], inspect[1]);
        JsonObject container = (JsonObject) StrictJsonReader.read(inspect[1].getBytes(StandardCharsets.UTF_8), 64);
        return (JsonObject) container.get("HostConfig");
    }

    @Test
    void aTopLevelHostFieldIsIgnoredBesideAHostConfigKey() throws Exception {
        JsonObject host = hostConfigOf("\"HostConfig\":{\"NetworkMode\":\"none\"},"
                + "\"Privileged\":true}");
        assertEquals(JsonBool.FALSE, host.get("Privileged"));
    }

    @Test
    void aTopLevelHostFieldIsTheHostConfigWithoutAHostConfigKey() throws Exception {
        JsonObject host = hostConfigOf("\"NetworkMode\":\"none\",\"Privileged\":true}");
        assertEquals(JsonBool.TRUE, host.get("Privileged"));
        assertEquals(new JsonString("none"), host.get("NetworkMode"));
    }

    @Test
    void aNullHostConfigCountsAsNoneAtAll() throws Exception {
        JsonObject host = hostConfigOf("\"HostConfig\":null,\"NetworkMode\":\"none\","
                + "\"Privileged\":true}");
        assertEquals(JsonBool.TRUE, host.get("Privileged"));
    }

    @Test
    void aTopLevelMemoryIsMergedIntoAHostConfigThatLeavesItZero() throws Exception {
        JsonObject host = hostConfigOf("\"HostConfig\":{\"NetworkMode\":\"none\"},"
                + "\"Memory\":67108864}");
        assertEquals("67108864", ((dockgate.json.JsonNumber) host.get("Memory")).text());
    }

    @Test
    void keysFoldOntoFieldsAndTheLastSpellingWins() throws Exception {
        JsonObject lower = hostConfigWith("\"privileged\":true");
        assertEquals(JsonBool.TRUE, lower.get("Privileged"));
        JsonObject last = hostConfigWith("\"Privileged\":false,\"PRIVILEGED\":true");
        assertEquals(JsonBool.TRUE, last.get("Privileged"));
        JsonObject longS = hostConfigWith("\"CapAdd\":[\"CHOWN\"],\"\\u0043ap\\u0041dd\":null,\"Bind\\u017f\":[\"/tmp:/h\"],"
                + "\"Networ\\u212aMode\":\"none\",\"Pr\\u0131vileged\":true");
        assertEquals("{\"Binds\":[\"/tmp:/h\"],\"CapAdd\":null,\"Privileged\":false}",
                "{\"Binds\":" + text(longS.get("Binds")) + ",\"CapAdd\":" + text(longS.get("CapAdd"))
                        + ",\"Privileged\":" + text(longS.get("Privileged")) + "}");
    }

    private static String text(dockgate.json.Json value) {
        return new String(dockgate.json.JsonWriter.write(value), StandardCharsets.UTF_8);
    }

    /** As {@link #hostConfigOf}, for a body whose HostConfig has network "none" and these members. */
    private static JsonObject hostConfigWith(String hostMembers) throws Exception {
        return hostConfigOf("\"HostConfig\":{\"NetworkMode\":\"none\"," + hostMembers + "}}");
    }

    /** One request on a connection of its own: the status code and the body, de-chunked. */
    private static String[] call(String method, String path, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\n")
                + "Content-Length: " + content.length + "\r\n\r\n";
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(It.socket()))) {
            channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            channel.write(ByteBuffer.wrap(content));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                all.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            String response = all.toString(StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            String headers = response.substring(0, split);
            String rest = response.substring(split + 4);
            if (headers.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                StringBuilder out = new StringBuilder();
                while (true) {
                    int eol = rest.indexOf("\r\n");
                    int size = Integer.parseInt(rest.substring(0, eol).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    out.append(rest, eol + 2, eol + 2 + size);
                    rest = rest.substring(eol + 2 + size + 2);
                }
                rest = out.toString();
            }
            assertTrue(headers.startsWith("HTTP/1.1 "), headers);
            return new String[] {headers.substring(9, 12), rest};
        }
    }
}
