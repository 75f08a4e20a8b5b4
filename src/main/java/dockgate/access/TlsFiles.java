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
import java.util.Arrays;
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

    /**
     * PKCS#8 ("BEGIN PRIVATE KEY", what OpenSSL 3 writes) of any algorithm, PKCS#1 RSA ("BEGIN RSA PRIVATE
     * KEY", older OpenSSL's genrsa) or SEC1 EC ("BEGIN EC PRIVATE KEY", ecparam -genkey, which may put an
     * "EC PARAMETERS" block first). The JDK reads only PKCS#8, so the other two are wrapped in it here:
     * a few bytes of DER, not worth BouncyCastle's 10 MB.
     */
    private static PrivateKey privateKey(Path file) throws IOException {
        Matcher pem = PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (pem.find()) {
            String type = pem.group(1);
            byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
            switch (type) {
                case "EC PARAMETERS":
                    continue;
                case "PRIVATE KEY":
                    return pkcs8(file, der);
                case "RSA PRIVATE KEY":
                    return pkcs8(file, wrapInPkcs8(RSA_ENCRYPTION, der));
                case "EC PRIVATE KEY":
                    return pkcs8(file, wrapInPkcs8(ecAlgorithm(file, der), der));
                default:
                    throw new IOException(file + ": '" + type + "' keys are not supported (expected PRIVATE KEY,"
                            + " RSA PRIVATE KEY or EC PRIVATE KEY, unencrypted); convert with"
                            + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
            }
        }
        throw new IOException(file + ": no PEM private key found");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        for (String algorithm : new String[]{"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": unreadable private key (RSA, EC or Ed25519 expected)");
    }

    /** AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ENCRYPTION = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** OBJECT IDENTIFIER id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    /**
     * AlgorithmIdentifier id-ecPublicKey with the curve a SEC1 ECPrivateKey names in its [0] parameters
     * (SEQUENCE { INTEGER 1, OCTET STRING key, [0] curve OID, [1] public key }).
     */
    private static byte[] ecAlgorithm(Path file, byte[] sec1) throws IOException {
        try {
            int at = contentStart(sec1, 0);
            while (at < sec1.length) {
                int content = contentStart(sec1, at);
                int end = content + contentLength(sec1, at);
                if (end < content || end > sec1.length) {
                    break;  // a length beyond the key: truncated or not DER
                }
                if ((sec1[at] & 0xff) == 0xa0) {
                    byte[] curve = Arrays.copyOfRange(sec1, content, end);
                    byte[] body = concat(EC_PUBLIC_KEY, curve);
                    return concat(derHeader(0x30, body.length), body);
                }
                at = end;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            // falls through to the message below
        }
        throw new IOException(file + ": EC private key without its curve (expected SEC1 with named-curve parameters)");
    }

    /** Where the content of the DER element at {@code at} starts. */
    private static int contentStart(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return at + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    private static int contentLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = length << 8 | der[at + 2 + i] & 0xff;
        }
        return length;
    }

    /** PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key }. */
    private static byte[] wrapInPkcs8(byte[] algorithm, byte[] key) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(derHeader(0x04, key.length), key);
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
