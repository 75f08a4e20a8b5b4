package dockgate.access;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The front end's TLS material as PEM files, the way Docker's own port 2376 is set up: a certificate chain,
 * its private key, and optionally the CA that client certificates must be signed by (mutual TLS).
 */
public record TlsFiles(Path certificate, Path privateKey, Path clientCa) {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    public boolean requiresClientCertificates() {
        return clientCa != null;
    }

    /** Reads the files; the message of any failure names the file and what is wrong with it. */
    public SSLContext context() throws IOException {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            Certificate[] chain = certificates(certificate).toArray(new Certificate[0]);
            if (chain.length == 0) {
                throw new IOException(certificate + ": no certificate found (expected PEM 'BEGIN CERTIFICATE')");
            }
            keys.setKeyEntry("dockgate", privateKey(privateKey), NO_PASSWORD, chain);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, NO_PASSWORD);

            TrustManagerFactory trustManagers = null;
            if (clientCa != null) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(clientCa)) {
                    trusted.setCertificateEntry("client-ca-" + i++, ca);
                }
                if (i == 0) {
                    throw new IOException(clientCa + ": no certificate found (expected PEM 'BEGIN CERTIFICATE')");
                }
                trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(trusted);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers == null ? null : trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS setup failed: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(file + ": not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** PKCS#8 ("BEGIN PRIVATE KEY", what OpenSSL 3 writes) of any algorithm, or PKCS#1 RSA. */
    private static PrivateKey privateKey(Path file) throws IOException {
        Matcher pem = PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        if (!pem.find()) {
            throw new IOException(file + ": no PEM private key found");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
        String type = pem.group(1);
        if (type.equals("RSA PRIVATE KEY")) {
            der = pkcs1ToPkcs8(der);
        } else if (!type.equals("PRIVATE KEY")) {
            throw new IOException(file + ": '" + type + "' keys are not supported; convert with"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
        }
        for (String algorithm : new String[]{"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": unreadable private key (RSA, EC or Ed25519 in PKCS#8 expected)");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in the PKCS#8 structure the JDK reads: version, rsaEncryption, octets. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(derHeader(0x04, pkcs1.length), pkcs1);
        byte[] body = concat(concat(version, algorithm), octets);
        return concat(derHeader(0x30, body.length), body);
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 0x80) {
            return new byte[]{(byte) tag, (byte) length};
        }
        if (length < 0x100) {
            return new byte[]{(byte) tag, (byte) 0x81, (byte) length};
        }
        if (length < 0x10000) {
            return new byte[]{(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return new byte[]{(byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
