package dockgate.proxy;

/**
 * What the daemon answered a GET the gateway asked it itself.
 *
 * @param status  its status, or 0 when it could not be asked
 * @param body       the answer's body; empty when there was none
 * @param apiVersion its Api-Version header, or null
 * @param problem    why there is no answer, else null
 */
public record LookupAnswer(int status, byte[] body, String apiVersion, String problem) {
}
