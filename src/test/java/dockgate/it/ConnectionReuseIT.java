package dockgate.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dockgate.Gateway;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients (docker-java, the CLI, Traefik) send call after call on one keep-alive connection: every one of
 * them must be answered, promptly, on that connection.
 */
@Timeout(120)
class ConnectionReuseIT {
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        It.socket();
        gateway = It.startGateway();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
    }

    @Test
    void everyRequestOnAKeepAliveConnectionIsAnswered() throws Exception {
        String[] paths = {"/_ping", "/v1.41/containers/json?all=1", "/images/json", "/v1.41/networks", "/volumes"};
        Conn conn = Conn.open(gateway.port());
        try {
            for (int i = 1; i <= 300; i++) {
                String path = paths[i % paths.length];
                conn.out.write(("GET " + path + " HTTP/1.1\r\nHost: dockgate-it\r\n\r\n").getBytes(ISO_8859_1));
                Response r;
                try {
                    r = Response.read(conn.in);
                } catch (SocketTimeoutException e) {
                    fail("request #" + i + " (GET " + path + ") on a reused connection got no response within 5 s");
                    return;
                }
                assertEquals(200, r.status, "request #" + i + " GET " + path);
                if ("close".equalsIgnoreCase(r.headers.get("connection"))) { // allowed, if unusual
                    conn.socket.close();
                    conn = Conn.open(gateway.port());
                }
            }
        } finally {
            conn.socket.close();
        }
    }

    /** One TCP connection with a single buffered reader, so bytes read ahead stay with it. */
    record Conn(Socket socket, InputStream in, OutputStream out) {
        static Conn open(int port) throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(5000);
            s.setTcpNoDelay(true);
            return new Conn(s, new BufferedInputStream(s.getInputStream()), s.getOutputStream());
        }
    }

    /** A minimal HTTP/1.1 response reader: status, headers, and a Content-Length or chunked body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            Map<String, String> headers = new HashMap<>();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int n = Integer.parseInt(line(in).split(";")[0].trim(), 16); n > 0;
                        n = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes(n));
                    line(in);
                }
                while (!line(in).isEmpty()) {
                    // trailers
                }
            } else if (headers.containsKey("content-length")) {
                int n = Integer.parseInt(headers.get("content-length"));
                byte[] b = in.readNBytes(n);
                if (b.length < n) throw new EOFException("body cut short");
                body.write(b);
            } else {
                throw new IOException("a keep-alive response without Content-Length or chunked framing: " + headers);
            }
            return new Response(status, headers, body.toByteArray());
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) throw new EOFException("connection closed by the gateway after: " + sb);
                if (c != '\r') sb.append((char) c);
            }
            return sb.toString();
        }
    }
}
