/**
 * dockgate itself: the command line ({@code Main}, {@code CommandLine}, {@code check} and {@code explain}), the
 * configuration it builds ({@code Config}, immutable), the composition root ({@code Gateway}) that wires
 * the handlers, the daemon side and the admin listener together, and the listeners it opens ({@code Listeners}). May use every other package; none uses it
 * (checked by PackageTreeTest). Runs on the main thread, and on the signal and shutdown threads.
 */
package dockgate;
