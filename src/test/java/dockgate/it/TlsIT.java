package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.access.TlsFiles;
import dockgate.policy.Profile;
import dockgate.testing.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real docker CLI over mutual TLS, the way Docker's own port 2376 is used. */
@Timeout(120)
class TlsIT {

    @TempDir
    static Path dir;

    static TestCertificates certs;
    static TestCertificates strangers;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.make(dir.resolve("ours"), "dockgate test CA");
        strangers = TestCertificates.make(dir.resolve("theirs"), "another CA");
        gateway = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), Profile.builtIn())
                .withTls(new TlsFiles(certs.serverCert, certs.serverKey, certs.ca)));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static It.Result docker(TestCertificates client, String... args) throws Exception {
        String[] all = new String[args.length + 7];
        System.arraycopy(new String[]{"--tlsverify", "--tlscacert", certs.ca.toString(),
                "--tlscert", client.clientCert.toString(), "--tlskey", client.clientKey.toString()}, 0, all, 0, 7);
        System.arraycopy(args, 0, all, 7, args.length);
        return It.docker(gateway.port(), all);
    }

    @Test
    void theCliWithAValidClientCertificateIsServed() throws Exception {
        It.Result ps = docker(certs, "ps", "-a");
        assertEquals(0, ps.exit(), ps.toString());
        assertTrue(ps.out().startsWith("CONTAINER ID"), ps.toString());
        It.Result version = docker(certs, "version", "--format", "{{.Server.APIVersion}}");
        assertEquals("1.41", version.out().trim(), version.toString());
    }

    @Test
    void theCliConfiguredTheDockerWayWithDockerCertPathIsServed() throws Exception {
        // DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH holding ca.pem, cert.pem and key.pem, as for port 2376.
        ProcessBuilder cli = It.cli(gateway.port(), "ps", "-a");
        cli.environment().put("DOCKER_TLS_VERIFY", "1");
        cli.environment().put("DOCKER_CERT_PATH", certs.clientDir.toString());
        Process process = cli.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "docker ps did not finish");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.startsWith("CONTAINER ID"), output);
    }

    @Test
    void theRulesStillApplyOverTls() throws Exception {
        It.Result run = docker(certs, "create", It.IMAGE);
        assertNotEquals(0, run.exit(), run.toString());
        assertTrue(run.err().contains(It.REFUSED), run.toString());
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        It.Result ps = docker(strangers, "ps");
        assertNotEquals(0, ps.exit(), ps.toString());
        assertTrue(ps.err().toLowerCase().contains("tls") || ps.err().toLowerCase().contains("certificate"), ps.toString());
    }

    @Test
    void noClientCertificateIsRefused() throws Exception {
        It.Result ps = It.docker(gateway.port(), "--tlsverify", "--tlscacert", certs.ca.toString(), "ps");
        assertNotEquals(0, ps.exit(), ps.toString());
    }
}
