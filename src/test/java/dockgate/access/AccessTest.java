package dockgate.access;

import dockgate.Config;
import dockgate.Gateway;

import dockgate.access.AllowedClients;
import dockgate.access.TlsFiles;
import dockgate.policy.Profile;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import dockgate.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may connect: --allow-from, TLS, and client certificates. */
class AccessTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private StandInDaemon daemon;
    private Gateway gateway;

    private Config config() throws IOException {
        daemon = fixture.daemon(fixture.socket(), StandInDaemon.OK);
        return Config.defaults("127.0.0.1", 0, fixture.socket(), Profile.builtIn());
    }

    @Test
    void aClientOutsideAllowFromIsRefusedBeforeItsRequestIsRead() throws IOException {
        gateway = fixture.gateway(config().withAllowFrom(AllowedClients.parse("10.0.0.0/8,fd00::/8")));
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            // Nothing is sent: the refusal must not depend on reading a request.
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 403 Forbidden\r\n"), answer);
            assertTrue(answer.endsWith("{\"message\":\"dockgate: this client address may not use the gateway\"}\n"), answer);
        }
        assertEquals(List.of(), daemon.requests());
    }

    @Test
    void aClientInsideAllowFromIsServed() throws IOException {
        gateway = fixture.gateway(config().withAllowFrom(AllowedClients.parse("10.0.0.0/8,127.0.0.1/32")));
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.get("/_ping").status());
        }
    }

    @Test
    void allowFromDefaultsToLoopbackOnLoopbackAndAnyoneElsewhere() throws IOException {
        assertTrue(Config.defaultAllowFrom("127.0.0.1").allows(InetAddress.getByName("127.0.0.5")));
        assertFalse(Config.defaultAllowFrom("127.0.0.1").allows(InetAddress.getByName("192.0.2.1")));
        assertTrue(Config.defaultAllowFrom("::1").allows(InetAddress.getByName("::1")));
        assertTrue(Config.defaultAllowFrom("0.0.0.0").allows(InetAddress.getByName("192.0.2.1")));
    }

    @Test
    void cidrBlocks() throws IOException {
        AllowedClients clients = AllowedClients.parse("192.0.2.0/25, 2001:db8::/32,198.51.100.7");
        assertTrue(clients.allows(InetAddress.getByName("192.0.2.127")));
        assertFalse(clients.allows(InetAddress.getByName("192.0.2.128")));
        assertTrue(clients.allows(InetAddress.getByName("2001:db8:1::1")));
        assertFalse(clients.allows(InetAddress.getByName("2001:db9::1")));
        assertTrue(clients.allows(InetAddress.getByName("198.51.100.7")));
        assertFalse(clients.allows(InetAddress.getByName("198.51.100.8")));
        // An IPv4 client seen through a dual-stack socket.
        assertTrue(clients.allows(InetAddress.getByAddress(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 1})));
        for (String bad : List.of("", "10.0.0.0/33", "::/129", "example.com", "10.0.0.0/x", "10.0.0.0,")) {
            assertThrows(IllegalArgumentException.class, () -> AllowedClients.parse(bad), bad);
        }
    }

    /** The key files Docker's TLS guides produce, with OpenSSL 3 and with older OpenSSL. */
    @Test
    void tlsKeysInEveryFormOpensslWrites() throws Exception {
        Path dir = fixture.dir();
        List<List<String>> generators = List.of(
                List.of("genrsa", "-out", "KEY", "2048"),                        // PKCS#8 "PRIVATE KEY"
                List.of("genrsa", "-traditional", "-out", "KEY", "2048"),        // PKCS#1 "RSA PRIVATE KEY"
                List.of("ecparam", "-genkey", "-name", "prime256v1", "-out", "KEY"), // "EC PARAMETERS" + SEC1
                List.of("ecparam", "-genkey", "-name", "secp384r1", "-noout", "-out", "KEY"));
        int n = 0;
        for (List<String> generator : generators) {
            Path key = dir.resolve("key" + n + ".pem");
            Path cert = dir.resolve("cert" + n++ + ".pem");
            TestCertificates.openssl(dir, generator.stream().map(a -> a.equals("KEY") ? key.toString() : a).toArray(String[]::new));
            TestCertificates.openssl(dir, "req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=x", "-days", "1",
                    "-out", cert.toString());
            assertTrue(new TlsFiles(cert, key, null).context() != null, String.join(" ", generator));
        }
        Path encrypted = dir.resolve("encrypted.pem");
        TestCertificates.openssl(dir, "genrsa", "-aes256", "-passout", "pass:x", "-out", encrypted.toString(), "2048");
        IOException refused = assertThrows(IOException.class,
                () -> new TlsFiles(dir.resolve("cert0.pem"), encrypted, null).context());
        assertTrue(refused.getMessage().startsWith(encrypted + ": 'ENCRYPTED PRIVATE KEY' keys are not supported"),
                refused.getMessage());
    }

    @Test
    void tlsServesHttpsAndRefusesPlainHttp() throws Exception {
        TestCertificates certs = TestCertificates.make(fixture.dir(), "dockgate test CA");
        gateway = fixture.gateway(config().withTls(new TlsFiles(certs.serverCert, certs.serverKey, null)));
        SSLContext client = trusting(certs, null);
        assertEquals("HTTP/1.1 200", statusLine(client, gateway.port()));
        try (Socket plain = new Socket("127.0.0.1", gateway.port())) {
            plain.setSoTimeout(5000);
            plain.getOutputStream().write("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = plain.getInputStream().readNBytes(5);
            assertFalse(new String(answer, StandardCharsets.US_ASCII).startsWith("HTTP/"), "plain HTTP was served");
        } catch (IOException e) {
            // A reset is as good a refusal as a TLS alert.
        }
        assertEquals(1, daemon.requests().size());
    }

    @Test
    void mutualTlsRequiresACertificateFromTheClientCa() throws Exception {
        TestCertificates certs = TestCertificates.make(fixture.dir().resolve("good"), "dockgate test CA");
        TestCertificates strangers = TestCertificates.make(fixture.dir().resolve("other"), "some other CA");
        gateway = fixture.gateway(config().withTls(new TlsFiles(certs.serverCert, certs.serverKey, certs.ca)));

        assertEquals("HTTP/1.1 200", statusLine(trusting(certs, certs), gateway.port()));
        assertThrows(IOException.class, () -> statusLine(trusting(certs, null), gateway.port()),
                "a client without a certificate was served");
        assertThrows(IOException.class, () -> statusLine(trusting(certs, strangers), gateway.port()),
                "a client with a certificate from another CA was served");
        assertEquals(1, daemon.requests().size());
    }

    @Test
    void unreadableTlsFilesAreReportedByName() throws Exception {
        TestCertificates certs = TestCertificates.make(fixture.dir(), "dockgate test CA");
        IOException e = assertThrows(IOException.class,
                () -> new TlsFiles(certs.serverCert, certs.ca, null).context());
        assertTrue(e.getMessage().startsWith(certs.ca.toString()), e.getMessage());
    }

    /** A client context that trusts the test CA and, if given, presents that PKI's client certificate. */
    private static SSLContext trusting(TestCertificates server, TestCertificates client) throws Exception {
        if (client == null) {
            return server.trustingClient();
        }
        // The client side needs exactly what a server with client CA needs: own chain and key, and a CA to trust.
        return new TlsFiles(client.clientCert, client.clientKey, server.ca).context();
    }

    private static String statusLine(SSLContext context, int port) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write("GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (answer.isEmpty()) {
                throw new IOException("connection closed without an answer");
            }
            return answer.substring(0, 12);
        }
    }
}
