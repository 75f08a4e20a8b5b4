/**
 * Unix-socket listeners: the socket file (mode, group, stale sockets), a Netty epoll server for it, and the
 * pipe that hands each accepted connection to the same Undertow handlers as a TCP one, naming the client by
 * its peer credentials. Uses {@code server}. Runs on the Unix listeners' Netty event loops and the XNIO
 * worker's IO threads.
 */
package dockgate.unix;
