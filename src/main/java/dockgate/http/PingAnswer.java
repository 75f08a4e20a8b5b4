package dockgate.http;

/**
 * What the daemon said to {@code GET /_ping}.
 *
 * @param apiVersion its Api-Version header when it answered 200, else null
 * @param problem    why it did not answer properly, else null
 */
public record PingAnswer(String apiVersion, String problem) {

    public boolean answered() {
        return problem == null;
    }

    public static PingAnswer failed(String problem) {
        return new PingAnswer(null, problem);
    }
}
