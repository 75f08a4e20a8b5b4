/**
 * {@code --compat tecnativa}: rules text generated from docker-socket-proxy's environment variables, with each
 * route's methods and hijack mark taken from the Engine API table ({@code api}) and parsed as any rules file ({@code policy}).
 * Runs once, at start-up, on the main thread.
 */
package dockgate.compat;
