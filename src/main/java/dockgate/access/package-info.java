/**
 * Who may connect: client address ranges ({@code --allow-from}), the accept-time gate that turns others away
 * before a byte is read, and the TLS files. A leaf: it uses no other dockgate package. The gate
 * runs on the XNIO IO thread a new connection lands on; the rest is immutable configuration, for any thread.
 */
package dockgate.access;
