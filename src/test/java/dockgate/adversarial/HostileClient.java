package dockgate.adversarial;

import dockgate.testing.RawClient;
import dockgate.testing.RawClient.Response;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends exact bytes over TCP and reads back whatever comes: responses, a close, a reset, or nothing. It reads
 * through the strict {@link RawClient}, but never throws on odd answers; every outcome is data for the test to
 * judge, and an answer that is not HTTP is {@link End#GARBLED}.
 */
final class HostileClient implements AutoCloseable {

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

    private final RawClient client;
    private volatile IOException writeFailure;
    private Thread writer;

    HostileClient(int port, int timeoutMillis) throws IOException {
        client = new RawClient(port).timeout(timeoutMillis);
    }

    /**
     * Writes on a thread of its own, so that a server which stops reading a huge head (and answers or closes)
     * cannot block the test in write() before it gets to read the answer.
     */
    HostileClient send(byte[] bytes, boolean halfClose) {
        writer = new Thread(() -> {
            try {
                client.send(bytes);
                if (halfClose) {
                    client.shutdownOutput();
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
                Response response = client.read(heads != null && seen < heads.length && heads[seen]);
                responses.add(response);
                if (response.status() >= 200) {
                    seen++;
                }
            }
            return new Outcome(responses, null, null);
        } catch (RawClient.NoResponse e) {
            return new Outcome(responses, End.CLOSED, null);
        } catch (SocketTimeoutException e) {
            return new Outcome(responses, End.TIMEOUT, e.getMessage());
        } catch (RawClient.Malformed e) {
            return new Outcome(responses, End.GARBLED, e.getMessage());
        } catch (IOException e) {
            return new Outcome(responses, End.RESET, e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
