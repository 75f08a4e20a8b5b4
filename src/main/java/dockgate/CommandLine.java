package dockgate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line and its environment variables, checked. Flags win over {@code DOCKGATE_*} variables,
 * which win over defaults; the default socket follows {@code DOCKER_HOST=unix://...} as docker itself does.
 */
record CommandLine(Action action, String listenHost, int listenPort, Path socket, Path rules, Duration upstreamTimeout) {

    enum Action { RUN, HELP, VERSION }

    static final String USAGE = """
            Usage: dockgate [OPTIONS]

            A filtering gateway for the Docker Engine API: calls allowed by the rules go to the daemon's
            socket, everything else is refused with a Docker-style error.

            Options (each also as an environment variable; flags win):
              --listen HOST:PORT        where to serve the API (DOCKGATE_LISTEN, default 127.0.0.1:2375)
              --socket PATH             the Docker daemon's socket (DOCKGATE_SOCKET, default the path in
                                        DOCKER_HOST=unix://..., else /var/run/docker.sock)
              --rules FILE              the rules file (DOCKGATE_RULES, default the shipped conf/rules,
                                        built into the jar)
              --upstream-timeout TIME   how long the daemon may take to start answering a call before the
                                        client gets 504, e.g. 60s, 500ms, 2m (DOCKGATE_UPSTREAM_TIMEOUT,
                                        default 60s); streams such as /events never time out
              --help                    show this and exit
              --version                 print the version and exit
            """;

    private static final Pattern LISTEN = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+):([0-9]{1,5})");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)?");

    static CommandLine parse(String[] args, Map<String, String> env) throws UsageException {
        String listen = env.get("DOCKGATE_LISTEN");
        String socket = env.get("DOCKGATE_SOCKET");
        String rules = env.get("DOCKGATE_RULES");
        String timeout = env.get("DOCKGATE_UPSTREAM_TIMEOUT");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            switch (name) {
                case "--help", "-h" -> {
                    return new CommandLine(Action.HELP, null, 0, null, null, null);
                }
                case "--version" -> {
                    return new CommandLine(Action.VERSION, null, 0, null, null, null);
                }
                case "--listen", "--socket", "--rules", "--upstream-timeout" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(name + " needs a value (see --help)");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--listen" -> listen = value;
                        case "--socket" -> socket = value;
                        case "--rules" -> rules = value;
                        default -> timeout = value;
                    }
                }
                default -> throw new UsageException("unknown option '" + arg + "' (see --help)");
            }
        }

        if (listen == null) {
            listen = "127.0.0.1:2375";
        }
        Matcher address = LISTEN.matcher(listen);
        if (!address.matches()) {
            throw new UsageException("--listen: expected HOST:PORT, got '" + listen + "'");
        }
        int port = Integer.parseInt(address.group(2));
        if (port > 65535) {
            throw new UsageException("--listen: port " + port + " is out of range");
        }
        String host = address.group(1);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }

        if (socket == null) {
            String dockerHost = env.get("DOCKER_HOST");
            socket = dockerHost != null && dockerHost.startsWith("unix://")
                    ? dockerHost.substring("unix://".length())
                    : "/var/run/docker.sock";
        }
        if (socket.isEmpty()) {
            throw new UsageException("--socket: the path is empty");
        }
        if (rules != null && rules.isEmpty()) {
            throw new UsageException("--rules: the path is empty");
        }
        return new CommandLine(Action.RUN, host, port, Path.of(socket), rules == null ? null : Path.of(rules),
                timeout == null ? Config.DEFAULT_UPSTREAM_TIMEOUT : duration(timeout));
    }

    private static Duration duration(String text) throws UsageException {
        Matcher m = DURATION.matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException("--upstream-timeout: expected a positive time such as 60s, 500ms or 2m, got '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
    }
}
