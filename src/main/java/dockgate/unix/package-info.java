/**
 * Unix-socket listeners: the socket file (mode, group, stale sockets), a Netty epoll server for it, and the
 * XNIO connection over each accepted channel that the same Undertow handlers serve as a TCP one, naming the
 * client by its peer credentials. Uses {@code server}. Runs on the Unix listeners' Netty event loops and the XNIO
 * worker's IO threads.
 */
package dockgate.unix;
