package dockgate;

import dockgate.server.Limits;
import dockgate.access.AllowedClients;
import dockgate.access.TlsFiles;
import dockgate.policy.Rulebook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
record CommandLine(Action action, List<ListenSpec> listeners, Path socket, Path rules, boolean watchRules,
                   Duration daemonTimeout, Limits limits, AllowedClients allowFrom, TlsFiles tls, ListenAddress admin,
                   String compat, Path auditRules) {

    enum Action { RUN, HELP, VERSION, PRINT_RULES }

    /** The one compatibility mode: the environment variables of the Tecnativa docker-socket-proxy. */
    static final String TECNATIVA = "tecnativa";

    static final String USAGE = """
            Usage: dockgate [OPTIONS]
                   dockgate check FILE...
                   dockgate explain [--rules FILE] [--client ADDRESS | --profile NAME] METHOD PATH

            A filtering gateway for the Docker Engine API: calls allowed by the rules go to the daemon's
            socket, everything else is refused with a Docker-style error.

            Commands:
              check FILE...             validate rules files: "FILE: OK, N rules in M profiles" and exit 0,
                                        or each error as FILE:LINE: problem and exit 2
              explain METHOD PATH       how the rules decide one call, e.g. explain GET '/v1.41/containers/json?all=1':
                                        the canonical path, the profile used, and the rule that decides
                                        (exit 0 allowed, 1 denied, 2 usage error); --rules as below,
                                        --client picks the profile by address, --profile by name

            Options (each also as an environment variable DOCKGATE_<NAME>, e.g. DOCKGATE_LISTEN; flags win):
              --listen HOST:PORT        where to serve the API (default 127.0.0.1:2375; [::1]:2375 for IPv6)
              --listen unix:PATH        ... or on a Unix socket file; add ,mode=0660 (default 0600) and
                                        ,group=NAME|GID to set who may connect. Repeat --listen to serve on
                                        several (DOCKGATE_LISTEN: separated by spaces); ,profile=NAME on any
                                        listener names the rules profile it serves
              --socket PATH             the Docker daemon's socket (default the path in DOCKER_HOST=unix://...,
                                        else /var/run/docker.sock)
              --rules FILE              the rules file (default the shipped conf/rules, built into the jar);
                                        reloaded on SIGHUP, and when it changes unless --watch-rules no
              --watch-rules yes|no      reload the rules file when it changes (default yes)
              --compat tecnativa        build the rules from Tecnativa docker-socket-proxy variables
                                        (CONTAINERS=1, POST=1, ALLOW_START=1, ...) instead of a rules file
              --print-rules             print the rules that would be enforced and exit
              --upstream-timeout TIME   how long the daemon may take to start answering a call before the
                                        client gets 504 (default 60s); streams such as /events never time out
              --allow-from CIDR[,...]   client addresses that may connect to TCP listeners; others are refused
                                        before their request is read (default 127.0.0.0/8,::1/128 when
                                        listening on loopback, anyone otherwise). A unix: socket's access is
                                        its file mode and group
              --tls-cert FILE           serve HTTPS on TCP listeners with this PEM certificate chain ...
              --tls-key FILE            ... and this PEM private key (PKCS#8, or PKCS#1 RSA)
              --tls-client-ca FILE      require client certificates signed by this PEM CA (mutual TLS)
              --admin HOST:PORT         also serve /health, /metrics (Prometheus) and a status page at / on
                                        this separate address (default off); plain HTTP, no --allow-from
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

    /** The options that take a value, each also read from DOCKGATE_<NAME>; FlagReferenceTest keeps USAGE and the docs in step. */
    static final List<String> OPTIONS = List.of("listen", "socket", "rules", "watch-rules", "compat",
            "upstream-timeout", "allow-from", "tls-cert", "tls-key", "tls-client-ca", "admin", "mode", "audit-rules",
            "max-target-length", "max-header-bytes",
            "max-headers", "max-body-bytes", "head-timeout", "idle-timeout", "max-connections", "max-streams");

    private static final String DEFAULT_LISTEN = "127.0.0.1:2375";

    static final String DEFAULT_AUDIT_RULES = "dockgate-audit.rules";
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)?");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([km]?)");

    static CommandLine parse(String[] args, Map<String, String> env) throws UsageException {
        Map<String, String> given = new HashMap<>();
        Action action = Action.RUN;
        List<String> listenFlags = new ArrayList<>();
        for (String option : OPTIONS) {
            String value = env.get("DOCKGATE_" + option.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (value != null) {
                given.put(option, value);
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new CommandLine(Action.HELP, null, null, null, false, null, null, null, null, null, null, null);
            }
            if (arg.equals("--version")) {
                return new CommandLine(Action.VERSION, null, null, null, false, null, null, null, null, null, null, null);
            }
            if (arg.equals("--print-rules")) {
                action = Action.PRINT_RULES;
                continue;
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
            if (name.equals("listen")) {
                listenFlags.add(value);
            }
        }
        List<String> listen = !listenFlags.isEmpty() ? listenFlags
                : given.containsKey("listen") ? List.of(given.get("listen").strip().split("\\s+"))
                : List.of(DEFAULT_LISTEN);
        return from(action, ListenSpecs.parse(listen), given, env);
    }

    private static CommandLine from(Action action, List<ListenSpec> listeners, Map<String, String> given,
                                    Map<String, String> env) throws UsageException {
        ListenAddress admin = given.containsKey("admin") ? ListenAddress.parse("admin", given.get("admin"), "HOST:PORT", given.get("admin")) : null;
        for (ListenSpec listener : listeners) {
            if (admin != null && !listener.isUnix() && admin.sameAs(new ListenAddress(listener.host(), listener.port()))) {
                throw new UsageException("--admin: " + given.get("admin") + " is the API's --listen address; "
                        + "the admin listener needs an address of its own");
            }
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

        boolean tcp = listeners.stream().anyMatch(listener -> !listener.isUnix());
        if (!tcp && given.containsKey("allow-from")) {
            throw new UsageException("--allow-from applies to TCP listeners only; a unix: socket's access is its mode and group");
        }
        if (!tcp && given.containsKey("tls-cert")) {
            throw new UsageException("--tls-cert applies to TCP listeners only; a unix: socket is served as plain HTTP");
        }
        AllowedClients allowFrom;
        try {
            allowFrom = given.containsKey("allow-from")
                    ? AllowedClients.parse(given.get("allow-from"))
                    : Config.defaultAllowFrom(listeners);
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
        String watch = given.getOrDefault("watch-rules", "yes");
        if (!watch.equals("yes") && !watch.equals("no")) {
            throw new UsageException("--watch-rules: expected yes or no, got '" + watch + "'");
        }
        String compat = given.get("compat");
        if (compat != null && !compat.equals(TECNATIVA)) {
            throw new UsageException("--compat: the only compatibility mode is '" + TECNATIVA + "', got '" + compat + "'");
        }
        if (compat != null && rules != null) {
            throw new UsageException("--compat and --rules cannot be used together: --compat builds the rules"
                    + " from the environment");
        }
        Path rulesFile = rules == null ? null : path(rules, "rules");
        return new CommandLine(action, listeners, path(socket, "socket"), rulesFile, watch.equals("yes"),
                duration(given, "upstream-timeout", Config.DEFAULT_DAEMON_TIMEOUT), limits, allowFrom, tls, admin,
                compat, auditRules(given, rulesFile));
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
    Config config(Rulebook rules) {
        return new Config(listeners, socket, rules, daemonTimeout, limits, allowFrom, tls, admin, auditRules);
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
