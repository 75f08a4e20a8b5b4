/**
 * Small HTTP things that both sides of the gateway use: {@code JsonError}, the Docker-style error body, and
 * {@code ContinueThenRead}, the 100 Continue that goes out before a request body is read, and {@code PingAnswer},
 * what the daemon said to {@code /_ping} (asked by the proxy, shown by the admin listener). A leaf: it uses no
 * other dockgate package, so the handlers, the proxy and the admin listener can all use it without importing
 * each other. Stateless; called on the Undertow IO thread of the exchange.
 */
package dockgate.http;
