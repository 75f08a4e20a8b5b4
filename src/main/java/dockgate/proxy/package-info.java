/**
 * The daemon side: pooled Netty epoll connections to the daemon's Unix socket ({@code DaemonConnections}),
 * one {@code Relay} per allowed call, and the writing of its response back to the client ({@code
 * ClientResponse}) with backpressure, streams and hijacked tunnels. Uses only {@code http}. {@code Relay}
 * runs on its connection's event loop; {@code ClientResponse} and {@code RequestBodyPump} on the exchange's
 * Undertow IO thread; each class says where it crosses between them.
 */
package dockgate.proxy;
