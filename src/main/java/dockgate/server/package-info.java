/**
 * The front end's handlers, on Undertow's IO threads: the screen of each request ({@code RequestScreen}),
 * the answers to what Undertow's own parser refuses ({@code ParserRefusals}), the decision ({@code
 * GatewayHandler}: canonical path and query, the rules, the request body), the recording of every refusal
 * ({@code RefusalRecorder}), the limits, the access log and shutdown. Uses {@code proxy} to forward, {@code policy}, {@code api}, {@code guard} (the checks of write bodies) and {@code audit} to decide, {@code
 * admin} to count and {@code http} for errors.
 */
package dockgate.server;
