package dockgate.proxy;

/**
 * What went through a hijacked stream (attach, exec) once it has ended, for its access-log line.
 *
 * @param fromClient bytes the client sent (its stdin)
 * @param toClient   bytes written to the client (the stream's output)
 */
public record StreamBytes(long fromClient, long toClient) {
}
