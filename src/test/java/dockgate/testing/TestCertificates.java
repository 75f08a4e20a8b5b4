package dockgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway PKI made with openssl at test time: a CA, a server certificate for 127.0.0.1 and localhost,
 * and a client certificate, laid out the way the docker CLI expects ({@code ca.pem}, {@code cert.pem},
 * {@code key.pem} in a client folder).
 */
public final class TestCertificates {

    public final Path ca;
    public final Path serverCert;
    public final Path serverKey;
    public final Path clientDir;
    public final Path clientCert;
    public final Path clientKey;

    private TestCertificates(Path dir) {
        this.ca = dir.resolve("ca.pem");
        this.serverCert = dir.resolve("server-cert.pem");
        this.serverKey = dir.resolve("server-key.pem");
        this.clientDir = dir.resolve("client");
        this.clientCert = clientDir.resolve("cert.pem");
        this.clientKey = clientDir.resolve("key.pem");
    }

    /** Makes a CA named {@code caName} and a server and a client certificate signed by it, in {@code dir}. */
    public static TestCertificates make(Path dir, String caName) throws IOException, InterruptedException {
        TestCertificates certs = new TestCertificates(dir);
        Files.createDirectories(certs.clientDir);
        Path caKey = dir.resolve("ca-key.pem");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(),
                "-out", certs.ca.toString(), "-days", "2", "-subj", "/CN=" + caName);
        Files.copy(certs.ca, certs.clientDir.resolve("ca.pem"));
        sign(dir, caKey, certs.ca, certs.serverKey, certs.serverCert, "/CN=localhost",
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        sign(dir, caKey, certs.ca, certs.clientKey, certs.clientCert, "/CN=dockgate-test-client",
                "extendedKeyUsage=clientAuth\n");
        return certs;
    }

    /** A client's TLS context that trusts this CA and presents no certificate of its own. */
    public SSLContext trustingClient() throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            store.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void sign(Path dir, Path caKey, Path ca, Path key, Path cert, String subject, String extensions)
            throws IOException, InterruptedException {
        Path csr = Files.createTempFile(dir, "req", ".csr");
        Path ext = Files.createTempFile(dir, "ext", ".cnf");
        Files.writeString(ext, extensions);
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", subject);
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
    }

    public static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }
}
