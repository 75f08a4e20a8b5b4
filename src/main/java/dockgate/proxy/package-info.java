/**
 * The daemon side: pooled Netty epoll connections to the daemon's Unix socket ({@code DaemonPool}),
 * one {@code Relay} per allowed call, and the writing of its response back to the client ({@code
 * ResponseWriter}) with backpressure, streams and hijacked tunnels. Uses only {@code http}. {@code Relay}
 * runs on its connection's event loop; {@code ResponseWriter} and {@code RequestBodyPump} on the exchange's
 * Undertow IO thread; each class says where it crosses between them.
 */
package dockgate.proxy;
