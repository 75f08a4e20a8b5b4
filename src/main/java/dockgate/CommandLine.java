package dockgate;

import dockgate.access.AllowedClients;
import dockgate.access.TlsFiles;
import dockgate.policy.Policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line and its environment variables, checked. Every option {@code --name} can also be set as
 * {@code DOCKGATE_NAME}; flags win over the environment, which wins over defaults. The default socket
 * follows {@code DOCKER_HOST=unix://...} as docker itself does.
 */
record CommandLine(Action action, String listenHost, int listenPort, Path socket, Path rules, Duration upstreamTimeout,
                   Limits limits, AllowedClients allowFrom, TlsFiles tls, Path auditRules) {

    enum Action { RUN, HELP, VERSION }

    static final String USAGE = """
            Usage: dockgate [OPTIONS]

            A filtering gateway for the Docker Engine API: calls allowed by the rules go to the daemon's
            socket, everything else is refused with a Docker-style error.

            Options (each also as an environment variable DOCKGATE_<NAME>, e.g. DOCKGATE_LISTEN; flags win):
              --listen HOST:PORT        where to serve the API (default 127.0.0.1:2375; [::1]:2375 for IPv6)
              --socket PATH             the Docker daemon's socket (default the path in DOCKER_HOST=unix://...,
                                        else /var/run/docker.sock)
              --rules FILE              the rules file (default the shipped conf/rules, built into the jar)
              --upstream-timeout TIME   how long the daemon may take to start answering a call before the
                                        client gets 504 (default 60s); streams such as /events never time out
              --allow-from CIDR[,...]   client addresses that may connect; others are refused before their
                                        request is read (default 127.0.0.0/8,::1/128 when listening on
                                        loopback, anyone otherwise)
              --tls-cert FILE           serve HTTPS with this PEM certificate chain ...
              --tls-key FILE            ... and this PEM private key (PKCS#8, or PKCS#1 RSA)
              --tls-client-ca FILE      require client certificates signed by this PEM CA (mutual TLS)
              --mode enforce|audit      enforce the rules (default), or audit: forward every call, log those
                                        the rules would deny as "would deny", and learn the rules the
                                        traffic needs (a way to find out what a client uses; not for production)
              --audit-rules FILE        where audit mode writes the rules it learned, rewritten as new calls
                                        are seen and at exit (default dockgate-audit.rules in the working
                                        directory)

            Limits (each answered with a clear status and a log line):
              --max-target-length N     bytes of path and query (default 8192; 414 beyond)
              --max-header-bytes N      bytes of all request headers (default 16k; 431 beyond)
              --max-headers N           number of request headers (default 100; 431 beyond)
              --max-body-bytes N        bytes of a request body (default 16m; 413 beyond)
              --head-timeout TIME       time to receive a request head once begun (default 10s)
              --idle-timeout TIME       time a kept-alive connection may wait for its next request (default 120s)
              --max-connections N       client connections at once (default 4096; 503 beyond)
              --max-streams N           responses streaming at once, e.g. /events (default 2048; 503 beyond)

              --help                    show this and exit
              --version                 print the version and exit

            TIME is a number with ms, s or m (60s, 500ms, 2m); N may end in k or m (16k, 16m).
            """;

    private static final List<String> OPTIONS = List.of("listen", "socket", "rules", "upstream-timeout",
            "allow-from", "tls-cert", "tls-key", "tls-client-ca", "mode", "audit-rules", "max-target-length", "max-header-bytes",
            "max-headers", "max-body-bytes", "head-timeout", "idle-timeout", "max-connections", "max-streams");

    static final String DEFAULT_AUDIT_RULES = "dockgate-audit.rules";

    private static final Pattern LISTEN = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+):([0-9]{1,5})");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)?");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([km]?)");

    static CommandLine parse(String[] args, Map<String, String> env) throws UsageException {
        Map<String, String> given = new HashMap<>();
        for (String option : OPTIONS) {
            String value = env.get("DOCKGATE_" + option.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (value != null) {
                given.put(option, value);
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new CommandLine(Action.HELP, null, 0, null, null, null, null, null, null, null);
            }
            if (arg.equals("--version")) {
                return new CommandLine(Action.VERSION, null, 0, null, null, null, null, null, null, null);
            }
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") ? arg.substring(2, equals > 0 ? equals : arg.length()) : null;
            if (name == null || !OPTIONS.contains(name)) {
                throw new UsageException("unknown option '" + arg + "' (see --help)");
            }
            String value;
            if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("--" + name + " needs a value (see --help)");
            }
            given.put(name, value);
        }
        return from(given, env);
    }

    private static CommandLine from(Map<String, String> given, Map<String, String> env) throws UsageException {
        String listen = given.getOrDefault("listen", "127.0.0.1:2375");
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

        String socket = given.get("socket");
        if (socket == null) {
            String dockerHost = env.get("DOCKER_HOST");
            // A tcp:// DOCKER_HOST may well point at dockgate itself; the daemon is then at the usual place.
            socket = dockerHost != null && dockerHost.startsWith("unix://")
                    ? dockerHost.substring("unix://".length())
                    : "/var/run/docker.sock";
        }

        Limits defaults = Limits.DEFAULTS;
        Limits limits = new Limits(
                (int) size(given, "max-target-length", defaults.maxTargetLength(), Integer.MAX_VALUE),
                (int) size(given, "max-header-bytes", defaults.maxHeaderBytes(), Integer.MAX_VALUE),
                (int) size(given, "max-headers", defaults.maxHeaders(), Integer.MAX_VALUE),
                size(given, "max-body-bytes", defaults.maxBodyBytes(), Long.MAX_VALUE),
                duration(given, "head-timeout", defaults.headTimeout()),
                duration(given, "idle-timeout", defaults.idleTimeout()),
                (int) size(given, "max-connections", defaults.maxConnections(), Integer.MAX_VALUE),
                (int) size(given, "max-streams", defaults.maxStreams(), Integer.MAX_VALUE));

        AllowedClients allowFrom;
        try {
            allowFrom = given.containsKey("allow-from")
                    ? AllowedClients.parse(given.get("allow-from"))
                    : Config.defaultAllowFrom(host);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--allow-from: " + e.getMessage());
        }

        String cert = given.get("tls-cert");
        String key = given.get("tls-key");
        String clientCa = given.get("tls-client-ca");
        if ((cert == null) != (key == null)) {
            throw new UsageException(cert == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
        }
        if (clientCa != null && cert == null) {
            throw new UsageException("--tls-client-ca needs --tls-cert and --tls-key");
        }
        TlsFiles tls = cert == null ? null
                : new TlsFiles(path(cert, "tls-cert"), path(key, "tls-key"),
                clientCa == null ? null : path(clientCa, "tls-client-ca"));

        String rules = given.get("rules");
        Path rulesFile = rules == null ? null : path(rules, "rules");
        return new CommandLine(Action.RUN, host, port, path(socket, "socket"), rulesFile,
                duration(given, "upstream-timeout", Config.DEFAULT_UPSTREAM_TIMEOUT), limits, allowFrom, tls,
                auditRules(given, rulesFile));
    }

    /** The file audit mode learns into, or null when the rules are enforced. */
    private static Path auditRules(Map<String, String> given, Path rulesFile) throws UsageException {
        String mode = given.getOrDefault("mode", "enforce");
        if (!mode.equals("enforce") && !mode.equals("audit")) {
            throw new UsageException("--mode: expected enforce or audit, got '" + mode + "'");
        }
        String file = given.get("audit-rules");
        if (mode.equals("enforce")) {
            if (file != null) {
                throw new UsageException("--audit-rules needs --mode audit");
            }
            return null;
        }
        Path learned = file == null ? Path.of(DEFAULT_AUDIT_RULES) : path(file, "audit-rules");
        if (rulesFile != null && learned.toAbsolutePath().normalize().equals(rulesFile.toAbsolutePath().normalize())) {
            throw new UsageException("--audit-rules: " + learned + " is the --rules file; audit mode would overwrite it");
        }
        return learned;
    }

    /** The configuration this command line asks for, with the rules it names. */
    Config config(Policy policy) {
        return new Config(listenHost, listenPort, socket, policy, upstreamTimeout, limits, allowFrom, tls, auditRules);
    }

    private static Path path(String value, String option) throws UsageException {
        if (value.isEmpty()) {
            throw new UsageException("--" + option + ": the path is empty");
        }
        return Path.of(value);
    }

    private static Duration duration(Map<String, String> given, String option, Duration fallback) throws UsageException {
        String text = given.get(option);
        if (text == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException("--" + option + ": expected a positive time such as 60s, 500ms or 2m, got '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    private static long size(Map<String, String> given, String option, long fallback, long max) throws UsageException {
        String text = given.get(option);
        if (text == null) {
            return fallback;
        }
        Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        long value = m.matches() ? Long.parseLong(m.group(1)) * switch (m.group(2)) {
            case "k" -> 1024L;
            case "m" -> 1024L * 1024;
            default -> 1L;
        } : 0;
        if (value <= 0 || value > max) {
            throw new UsageException("--" + option + ": expected a positive number such as 100, 16k or 16m, got '" + text + "'");
        }
        return value;
    }
}
