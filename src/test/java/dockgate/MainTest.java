package dockgate;

import dockgate.testing.CapturedStderr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Main.run's answer to a start it refuses: exit code 2 and what it says. */
class MainTest {

    @TempDir
    Path dir;

    @Test
    void theSameAddressForApiAndAdminIsAUsageErrorWithExitCode2() {
        assertEquals(2, Main.run(new String[]{"--listen", "127.0.0.1:2382", "--admin", "127.0.0.1:2382"}));
    }

    @Test
    void aListenerBoundToAProfileTheRulesDoNotHaveStopsTheStart() throws IOException {
        Path file = Files.writeString(dir.resolve("rules"), "GET /_ping\nprofile proxy from 127.0.0.2\nGET /containers/json\n"
                + "profile logs from 127.0.0.3\nGET /containers/{id}/logs\n");
        try (CapturedStderr captured = CapturedStderr.start()) {
            assertEquals(2, Main.run(new String[]{"--rules", file.toString(), "--socket", dir.resolve("d.sock").toString(),
                    "--listen", "127.0.0.1:0,profile=nope"}));
            assertEquals("dockgate: --listen 127.0.0.1:0: no profile named 'nope' in " + file
                    + " (it has: default, proxy, logs)\n", captured.text());
        }
    }
}
