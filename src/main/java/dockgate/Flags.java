package dockgate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every flag dockgate takes, described once. The parsers take their lists from here, {@code --help} prints
 * {@link #usage()}, and docs/configuration.md carries {@link #optionsTable()} and {@link #limitsTable()}
 * (a test keeps it in step), so a new flag is one entry here.
 */
final class Flags {

    /** The options of {@code dockgate} itself. */
    static final List<Flag> OPTIONS = List.of(
            Flag.option("listen", "HOST:PORT", "`127.0.0.1:2375`",
                    "where to serve the API over TCP; `[::1]:2375` for IPv6. Repeatable; `DOCKGATE_LISTEN` holds"
                            + " several separated by spaces").seeAlso("[listeners.md](listeners.md)"),
            Flag.option("listen", "unix:PATH[,mode=0660][,group=G][,profile=P]", null,
                    "serve the API on a Unix socket file, with its permission bits (default `0600`) and group."
                            + " `,profile=P` (on any listener) names the rules profile that decides every call on it")
                    .seeAlso("[listeners.md](listeners.md#options)"),
            Flag.option("socket", "PATH", "the path in `DOCKER_HOST=unix://...`, else `/var/run/docker.sock`",
                    "the Docker daemon's socket. A `tcp://` `DOCKER_HOST` is ignored (it may well point at dockgate"
                            + " itself)"),
            Flag.option("rules", "FILE", "the shipped `conf/rules`, also built into the jar",
                    "the rules file. Reloaded on SIGHUP, and when it changes unless `--watch-rules no`")
                    .seeAlso("[rules.md](rules.md)"),
            Flag.option("preset", "NAME", "none",
                    "serve the rules built in for one consumer (`traefik`, `homepage`, `prometheus`, `compose`, `ci`,"
                            + " ...) instead of a rules file; not with `--rules` or `--compat`")
                    .seeAlso("[presets.md](presets.md)"),
            Flag.option("watch-rules", "yes|no", "`yes`",
                    "reload the `--rules` file when it changes (SIGHUP always reloads)"),
            Flag.option("compat", "tecnativa", "off",
                    "build the rules from docker-socket-proxy's variables (`CONTAINERS=1`, `POST=1`,"
                            + " `ALLOW_START=1`, ...) instead of a rules file")
                    .seeAlso("[compat-tecnativa.md](compat-tecnativa.md)"),
            Flag.onlyFlag("print-rules", "print the rules in force (every profile, or the generated compat rules) and exit"),
            Flag.option("upstream-timeout", "TIME", "`60s`",
                    "how long the daemon may take to start answering a call before the client gets 504. Streams"
                            + " such as `/events` never time out"),
            Flag.option("allow-from", "CIDR[,...]",
                    "`127.0.0.0/8,::1/128` when every TCP listener is on loopback, anyone otherwise",
                    "client addresses that may connect to TCP listeners; others are refused before their request"
                            + " is read. A `unix:` socket's access is its file mode and group")
                    .seeAlso("[listeners.md](listeners.md#who-may-connect---allow-from)"),
            Flag.option("tls-cert", "FILE", "plain HTTP",
                    "serve HTTPS on TCP listeners with this PEM certificate chain; needs `--tls-key`"),
            Flag.option("tls-key", "FILE", null,
                    "the PEM private key, unencrypted: PKCS#8 (`BEGIN PRIVATE KEY`), PKCS#1 RSA (`BEGIN RSA"
                            + " PRIVATE KEY`) or SEC1 EC (`BEGIN EC PRIVATE KEY`, an `EC PARAMETERS` block before it"
                            + " is skipped); needs `--tls-cert`"),
            Flag.option("tls-client-ca", "FILE", "none",
                    "require client certificates signed by this PEM CA (mutual TLS); needs `--tls-cert` and"
                            + " `--tls-key`").seeAlso("[listeners.md](listeners.md#tls)"),
            Flag.option("admin", "HOST:PORT", "off",
                    "serve `/health`, `/metrics` (Prometheus) and a status page at `/` on this separate address;"
                            + " plain HTTP, no `--allow-from`").seeAlso("[monitoring.md](monitoring.md)"),
            Flag.option("mode", "enforce|audit", "`enforce`",
                    "`audit` forwards every call, logs those the rules would deny as \"would deny\", and learns"
                            + " the rules the traffic needs. Not for production")
                    .seeAlso("[audit-mode.md](audit-mode.md)"),
            Flag.option("audit-rules", "FILE", "`dockgate-audit.rules` in the working directory",
                    "where audit mode writes the rules it learned, rewritten as new calls are seen and at exit"
                            + " (audit mode only)"),
            Flag.onlyFlag("help", "show the usage text and exit (also `-h`)"),
            Flag.onlyFlag("version", "print the version and exit"));

    /** The limits, options too, listed apart because each answers the client in its own way. */
    static final List<Flag> LIMITS = List.of(
            Flag.limit("max-target-length", "N", "`8192`", "bytes of path and query", "414"),
            Flag.limit("max-header-bytes", "N", "`16k`", "bytes of all request headers",
                    "431 (a head beyond about four times the limits is cut off unanswered)"),
            Flag.limit("max-headers", "N", "`100`", "number of request headers", "431"),
            Flag.limit("max-body-bytes", "N", "`16m`", "bytes of a request body",
                    "413 for a Content-Length over it; a chunked body is cut off when it passes it"),
            Flag.limit("max-json-body-bytes", "N", "`1m`",
                    "bytes of a JSON body (create, update, exec, volumes...), which is read whole to be checked"
                            + " before the daemon hears of the call", "413"),
            Flag.limit("head-timeout", "TIME", "`10s`", "time to receive a request head once begun",
                    "connection closed"),
            Flag.limit("idle-timeout", "TIME", "`120s`", "time a kept-alive connection may wait for its next request",
                    "connection closed (streams are not idle)"),
            Flag.limit("max-connections", "N", "`4096`", "client connections at once",
                    "503 on the first request of a connection beyond it"),
            Flag.limit("max-streams", "N", "`2048`",
                    "responses streaming at once (`/events`, logs that follow, hijacked exec and attach)", "503"));

    /** The options of {@code dockgate explain}. */
    static final List<Flag> EXPLAIN = List.of(
            Flag.option("rules", "FILE", "`DOCKGATE_RULES`, else the built-in rules", "the rules file to ask"),
            Flag.option("preset", "NAME", "`DOCKGATE_PRESET`", "ask a preset's rules instead of a file"),
            Flag.option("client", "ADDRESS", null, "pick the profile a client at this IP address gets"),
            Flag.option("profile", "NAME", null, "pick the profile by name"),
            Flag.option("body", "FILE", null, "judge this JSON body as the gateway would, on a route whose bodies"
                    + " are checked, and show what the daemon would be sent"));

    private static final int FLAG_COLUMN = 28;
    private static final int WIDTH = 108;

    private Flags() {
    }

    /** The names of the options of dockgate that take a value, each once, in order. */
    static List<String> valued() {
        Set<String> names = new LinkedHashSet<>();
        Stream.concat(OPTIONS.stream(), LIMITS.stream()).filter(Flag::takesValue).forEach(f -> names.add(f.name()));
        return List.copyOf(names);
    }

    static String usage() {
        StringBuilder out = new StringBuilder("""
                Usage: dockgate [OPTIONS]
                       dockgate check FILE...
                       dockgate explain [--rules FILE | --preset NAME] [--client ADDRESS | --profile NAME] [--body FILE] METHOD PATH

                A filtering gateway for the Docker Engine API: calls allowed by the rules go to the daemon's
                socket, everything else is refused with a Docker-style error.

                Commands:
                  check FILE...             validate rules files: "FILE: OK, N rules in M profiles" and exit 0,
                                            or each error as FILE:LINE: problem and exit 2
                  explain METHOD PATH       how the rules decide one call, e.g. explain GET '/v1.41/containers/json?all=1':
                                            the canonical path, the profile used, and the rule that decides
                                            (exit 0 allowed, 1 denied, 2 usage error)
                """);
        out.append("\nOptions of explain:\n");
        for (Flag flag : EXPLAIN) {
            entry(out, flag, flag.meaning() + defaultNote(flag));
        }
        out.append("\nOptions (each also as an environment variable DOCKGATE_<NAME>, e.g. DOCKGATE_LISTEN; flags win):\n");
        for (Flag flag : OPTIONS) {
            entry(out, flag, flag.meaning() + defaultNote(flag));
        }
        out.append("\nLimits (each answered with a clear status and a log line):\n");
        for (Flag flag : LIMITS) {
            entry(out, flag, flag.meaning() + defaultNote(flag) + ". Beyond it: " + flag.whenHit());
        }
        out.append("\nTIME is a number with ms, s or m (60s, 500ms, 2m); N may end in k or m (16k, 16m).\n");
        return out.toString();
    }

    /** The rows of the options table in docs/configuration.md. */
    static String optionsTable() {
        StringBuilder out = new StringBuilder("| flag | environment | default | meaning |\n|---|---|---|---|\n");
        for (Flag flag : OPTIONS) {
            out.append("| `").append(flag.synopsis().replace("|", "\\|")).append("` | ")
                    .append(flag.takesValue() ? "`" + flag.variable() + "`" : "").append(flag.takesValue() ? " | " : "| ")
                    .append(flag.defaultText() == null ? "" : flag.defaultText() + " ").append("| ")
                    .append(flag.meaning().replace("|", "\\|"))
                    .append(flag.see() == null ? "" : ". See " + flag.see()).append(" |\n");
        }
        return out.toString();
    }

    /** The rows of the limits table in docs/configuration.md. */
    static String limitsTable() {
        StringBuilder out = new StringBuilder("| flag | default | what it limits | when hit |\n|---|---|---|---|\n");
        for (Flag flag : LIMITS) {
            out.append("| `").append(flag.synopsis()).append("` | ").append(flag.defaultText()).append(" | ")
                    .append(flag.meaning()).append(" | ").append(flag.whenHit()).append(" |\n");
        }
        return out.toString();
    }

    private static String defaultNote(Flag flag) {
        return flag.defaultText() == null ? "" : ". Default: " + flag.defaultText();
    }

    /** One flag in the usage text: its synopsis, then its text wrapped beside it, without backticks. */
    private static void entry(StringBuilder out, Flag flag, String text) {
        String head = "  " + flag.synopsis();
        List<String> lines = wrap(text.replace("`", ""), WIDTH - FLAG_COLUMN);
        if (head.length() >= FLAG_COLUMN) {
            out.append(head).append('\n');
        } else {
            out.append(head).append(" ".repeat(FLAG_COLUMN - head.length())).append(lines.remove(0)).append('\n');
        }
        for (String line : lines) {
            out.append(" ".repeat(FLAG_COLUMN)).append(line).append('\n');
        }
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
