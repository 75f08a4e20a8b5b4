/**
 * What inspect answers must not show: environment values (redacted by default) and, where a rule asks,
 * the host paths of mounts. {@code Redaction} rewrites a whole answer, read with {@code dockgate.json};
 * it runs on the daemon connection's event loop, once per answer, and is immutable.
 */
package dockgate.redact;
