package dockgate.adversarial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends exact bytes over TCP and reads back whatever comes: responses, a close, a reset, or nothing. Unlike a
 * normal client it never throws on odd answers; every outcome is data for the test to judge.
 */
final class HostileClient implements AutoCloseable {

    /** One response as the client saw it. */
    record Response(int status, String statusLine, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** How reading ended, when it ended before the responses asked for were read. */
    enum End { CLOSED, RESET, TIMEOUT, GARBLED }

    /** What came back: responses in order (interim 1xx ones included), then how reading stopped, if it did. */
    record Outcome(List<Response> responses, End end, String detail) {
        /** Final (non-1xx) responses only. */
        List<Response> finals() {
            return responses.stream().filter(r -> r.status() >= 200).toList();
        }

        String summary() {
            StringBuilder out = new StringBuilder();
            for (Response response : responses) {
                if (out.length() > 0) {
                    out.append(", ");
                }
                out.append(response.status());
                if (response.body() != null && response.body().startsWith("{\"message\":\"dockgate:")) {
                    out.append(" json");
                } else if (response.body() != null && response.body().isEmpty()) {
                    out.append(" empty");
                } else if (response.body() != null && response.body().equals("{\"ok\":true}")) {
                    out.append(" daemon");
                }
            }
            if (end != null) {
                out.append(out.length() > 0 ? ", then " : "").append(end.name().toLowerCase(Locale.ROOT));
            }
            return out.toString();
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private volatile IOException writeFailure;
    private Thread writer;

    HostileClient(int port, int timeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /**
     * Writes on a thread of its own, so that a server which stops reading a huge head (and answers or closes)
     * cannot block the test in write() before it gets to read the answer.
     */
    HostileClient send(byte[] bytes, boolean halfClose) {
        writer = new Thread(() -> {
            try {
                out.write(bytes);
                out.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                writeFailure = e;
            }
        }, "hostile-client-writer");
        writer.setDaemon(true);
        writer.start();
        return this;
    }

    IOException writeFailure() throws InterruptedException {
        if (writer != null) {
            writer.join(1000);
        }
        return writeFailure;
    }

    /** Sends the case's bytes (half-closing if it says so) and reads an answer for each of its slots. */
    Outcome play(HostileCase c) throws IOException {
        send(c.bytes(), c.halfClose());
        boolean[] heads = new boolean[c.slots().size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = c.slots().get(i).head();
        }
        return read(c.slots().size(), heads);
    }

    /**
     * Reads up to {@code finals} final responses; {@code heads[i]} says whether the i-th was to a HEAD request
     * (no body follows). Stops early on close, reset, timeout or bytes that are not HTTP.
     */
    Outcome read(int finals, boolean[] heads) {
        List<Response> responses = new ArrayList<>();
        int seen = 0;
        try {
            while (seen < finals) {
                Response response = readOne(heads != null && seen < heads.length && heads[seen]);
                if (response == null) {
                    return new Outcome(responses, End.CLOSED, null);
                }
                responses.add(response);
                if (response.status() >= 200) {
                    seen++;
                }
            }
            return new Outcome(responses, null, null);
        } catch (SocketTimeoutException e) {
            return new Outcome(responses, End.TIMEOUT, e.getMessage());
        } catch (Garbled e) {
            return new Outcome(responses, End.GARBLED, e.getMessage());
        } catch (IOException e) {
            return new Outcome(responses, End.RESET, e.getMessage());
        }
    }

    /** After the responses: true when the server closes the connection within the timeout. */
    boolean closesWithin(int millis) {
        try {
            socket.setSoTimeout(millis);
            byte[] scratch = new byte[4096];
            while (true) {
                if (in.read(scratch) == -1) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static final class Garbled extends IOException {
        private static final long serialVersionUID = 1L;

        Garbled(String message) {
            super(message);
        }
    }

    private Response readOne(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            return null;
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
            throw new Garbled("not a status line: " + WireParser.printable(statusLine));
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = line()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Garbled("not a header line: " + WireParser.printable(line));
            }
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        if (line == null) {
            throw new Garbled("connection closed inside a response head");
        }
        if (head || status < 200 || status == 204 || status == 304) {
            return new Response(status, statusLine, headers, head ? null : "");
        }
        String body;
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                if (size == null) {
                    throw new Garbled("connection closed inside a chunked body");
                }
                int n = Integer.parseInt(size.trim(), 16);
                if (n == 0) {
                    while ((line = line()) != null && !line.isEmpty()) {
                        // trailers: ignored
                    }
                    break;
                }
                all.write(in.readNBytes(n));
                line();
            }
            body = all.toString(StandardCharsets.UTF_8);
        } else if (length != null) {
            int n = Integer.parseInt(length);
            byte[] bytes = in.readNBytes(n);
            if (bytes.length < n) {
                throw new Garbled("connection closed inside a body");
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Response(status, statusLine, headers, body);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
