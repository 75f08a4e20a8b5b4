/**
 * What dockgate knows of the Docker Engine API itself, apart from any rules: its routes and the request
 * body each one reads. Uses only {@code dockgate.policy}'s matcher; immutable, so any thread may use it.
 */
package dockgate.api;
