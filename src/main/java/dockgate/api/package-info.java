/**
 * What dockgate knows of the Docker Engine API itself, apart from any rules: its routes and the request
 * body each one reads, and whether it may hijack. Uses only {@code dockgate.policy}: its matcher, and its
 * reading of the route table. Immutable, so any thread may use it.
 */
package dockgate.api;
