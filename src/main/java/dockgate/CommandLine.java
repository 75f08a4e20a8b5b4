package dockgate;

import dockgate.server.Limits;
import dockgate.access.AllowedClients;
import dockgate.access.TlsFiles;
import dockgate.policy.Presets;
import dockgate.policy.Rulebook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The command line and its environment variables, checked. Every option {@code --name} can also be set as
 * {@code DOCKGATE_NAME}; flags win over the environment, which wins over defaults. The default socket
 * follows {@code DOCKER_HOST=unix://...} as docker itself does.
 */
record CommandLine(Action action, List<ListenSpec> listeners, Path socket, Path rules, boolean watchRules,
                   Duration daemonTimeout, Limits limits, AllowedClients allowFrom, TlsFiles tls, ListenAddress admin,
                   String compat, Path auditRules, String preset) {

    enum Action { RUN, HELP, VERSION, PRINT_RULES }

    /** The one compatibility mode: the environment variables of the Tecnativa docker-socket-proxy. */
    static final String TECNATIVA = "tecnativa";

    /** The options that take a value, each also read from DOCKGATE_<NAME>. */
    static final List<String> OPTIONS = Flags.valued();

    private static final FlagReader READER = new FlagReader(
            Stream.concat(Flags.OPTIONS.stream(), Flags.LIMITS.stream()).toList(),
            List.of("help", "version"), "");

    private static final String DEFAULT_LISTEN = "127.0.0.1:2375";

    static final String DEFAULT_AUDIT_RULES = "dockgate-audit.rules";
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)?");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([km]?)");

    static CommandLine parse(String[] args, Map<String, String> env) throws UsageException {
        FlagReader.Given read = READER.read(List.of(args), false);
        if (read.stoppedAt() != null) {
            Action stop = read.stoppedAt().equals("help") ? Action.HELP : Action.VERSION;
            return new CommandLine(stop, null, null, null, false, null, null, null, null, null, null, null, null);
        }
        Map<String, String> given = new HashMap<>();
        for (String option : OPTIONS) {
            String value = read.last(option) != null ? read.last(option) : env.get(variable(option));
            if (value != null) {
                given.put(option, value);
            }
        }
        List<String> listen = read.values().containsKey("listen") ? read.values().get("listen")
                : given.containsKey("listen") ? List.of(given.get("listen").strip().split("\\s+"))
                : List.of(DEFAULT_LISTEN);
        Action action = read.switches().contains("print-rules") ? Action.PRINT_RULES : Action.RUN;
        return from(action, ListenSpecs.parse(listen), given, env);
    }

    /** The environment variable that sets a flag: {@code DOCKGATE_ALLOW_FROM} for {@code allow-from}. */
    static String variable(String flag) {
        return "DOCKGATE_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
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
                (int) size(given, "max-streams", defaults.maxStreams(), Integer.MAX_VALUE),
                size(given, "max-json-body-bytes", defaults.maxJsonBodyBytes(), Integer.MAX_VALUE - 8));

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
        String preset = preset(given.get("preset"), rules, compat);
        Path rulesFile = rules == null ? null : path(rules, "rules");
        return new CommandLine(action, listeners, path(socket, "socket"), rulesFile, watch.equals("yes"),
                duration(given, "upstream-timeout", Config.DEFAULT_DAEMON_TIMEOUT), limits, allowFrom, tls, admin,
                compat, auditRules(given, rulesFile), preset);
    }

    /**
     * A --preset checked against the other ways of giving rules, for serving and for explain alike.
     *
     * @param compat the --compat mode, or null
     * @return the preset's name, or null when none was given
     */
    static String preset(String preset, String rules, String compat) throws UsageException {
        if (preset == null) {
            return null;
        }
        if (rules != null || compat != null) {
            throw new UsageException("--preset and " + (rules != null ? "--rules" : "--compat") + " cannot be used"
                    + " together: a preset is a rules file built into dockgate");
        }
        if (!Presets.names().contains(preset)) {
            throw new UsageException("--preset: no preset named '" + preset + "' (presets: "
                    + String.join(", ", Presets.names()) + ")");
        }
        return preset;
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
