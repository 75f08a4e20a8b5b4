/**
 * Small HTTP things that both sides of the gateway write: {@code JsonError}, the Docker-style error
 * body. A leaf: it uses no other dockgate package, so the handlers, the proxy and the admin listener can
 * all use it without importing each other. Stateless; called on the Undertow IO thread of the exchange.
 */
package dockgate.http;
