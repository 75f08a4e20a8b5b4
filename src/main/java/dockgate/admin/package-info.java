/**
 * The admin listener: {@code /health}, Prometheus {@code /metrics} and the status page, and the counters the
 * gateway records into ({@code Metrics}: lock-free, written on the IO threads, read by scrapes). Uses
 * {@code policy} for the rules in force and {@code http} for errors and the daemon's ping answer; the daemon
 * side's counts come as a {@code DaemonSideCounts} the composition root fills, so nothing here can reach the
 * daemon's API. Pages are built on the Undertow IO thread of their request.
 */
package dockgate.admin;
