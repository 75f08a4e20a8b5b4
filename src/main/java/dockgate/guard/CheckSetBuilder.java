package dockgate.guard;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects the lines of one {@code checks NAME} section of a rules file into a {@link CheckSet}. Each
 * {@link #line} takes one line's words; a line it cannot read is an {@link IllegalArgumentException}
 * whose message the rules parser reports with the file and line.
 */
public final class CheckSetBuilder {

    /** The first words of the lines of a checks section, as the rules file's comments list them. */
    public static final List<String> DIRECTIVES = List.of("allow", "images", "networks", "exec-commands", "require",
            "stamp");

    private static final List<String> LISTS = List.of("capabilities", "devices", "binds", "security-opt", "sysctls",
            "runtimes", "volume-drivers", "network-drivers");
    /** The one list whose values are not kept as written: bind sources are paths, some read-only. */
    private static final String BINDS = "binds";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern LABEL = Pattern.compile("([^=\\s]+)(?:=(.*))?");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([kmg]?)");
    private static final Pattern CPUS = Pattern.compile("[0-9]{1,4}(\\.[0-9]{1,9})?");

    private final String name;
    private final String location;
    private final Set<String> allowed = new LinkedHashSet<>();
    private final Set<String> hostModes = new LinkedHashSet<>();
    private final List<CheckSet.BindSource> binds = new ArrayList<>();
    private final Map<String, Set<String>> lists = new LinkedHashMap<>();
    private final List<ImagePattern> images = new ArrayList<>();
    private Set<String> networks;
    private final Set<String> execCommands = new LinkedHashSet<>();
    private boolean nonRoot;
    private boolean readOnlyRootfs;
    private boolean noNewPrivileges;
    private Long maxMemory;
    private Long maxNanoCpus;
    private Long maxPids;
    private final Map<String, String> requiredLabels = new LinkedHashMap<>();
    private final Map<String, String> stampLabels = new LinkedHashMap<>();

    public CheckSetBuilder(String name, String location) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad checks name '" + name + "' (letters, digits, '_', '.', '-';"
                    + " starting with a letter or digit)");
        }
        this.name = name;
        this.location = location;
        LISTS.stream().filter(list -> !list.equals(BINDS)).forEach(list -> lists.put(list, new LinkedHashSet<>()));
    }

    /** One line of the section, split into words; words[0] is one of {@link #DIRECTIVES}. */
    public void line(List<String> words) {
        String directive = words.get(0);
        List<String> args = words.subList(1, words.size());
        switch (directive) {
            case "allow" -> allow(args);
            case "images" -> {
                need(args, "images PATTERN...");
                args.forEach(pattern -> images.add(ImagePattern.parse(pattern)));
            }
            case "networks" -> {
                need(args, "networks NAME...");
                networks = networks == null ? new LinkedHashSet<>() : networks;
                networks.addAll(args);
            }
            case "exec-commands" -> {
                need(args, "exec-commands COMMAND...");
                execCommands.addAll(args);
            }
            case "require" -> require(args);
            case "stamp" -> stamp(args);
            default -> throw new IllegalArgumentException("unknown check line '" + directive + "' (expected "
                    + String.join(", ", DIRECTIVES) + ")");
        }
    }

    private void allow(List<String> args) {
        need(args, "allow WHAT [VALUE...]");
        String what = args.get(0);
        List<String> values = args.subList(1, args.size());
        if (CheckSet.WHOLE.contains(what)) {
            none(values, "allow " + what);
            allowed.add(what);
        } else if (CheckSet.SHARABLE.containsKey(what)) {
            List<String> kinds = CheckSet.SHARABLE.get(what);
            if (values.size() != 1 || !kinds.contains(values.get(0))) {
                throw new IllegalArgumentException("allow " + what + " takes " + String.join(" or ", kinds));
            }
            hostModes.add(what + " " + values.get(0));
        } else if (LISTS.contains(what)) {
            need(values, "allow " + what + " VALUE...");
            for (String value : values) {
                if (what.equals(BINDS)) {
                    binds.add(bindSource(value));
                } else {
                    lists.get(what).add(listValue(what, value));
                }
            }
        } else {
            throw new IllegalArgumentException("unknown 'allow " + what + "' (expected one of "
                    + String.join(" ", CheckSet.WHOLE) + " " + String.join(" ", CheckSet.SHARABLE.keySet().stream().sorted().toList())
                    + " " + String.join(" ", LISTS) + ")");
        }
    }

    private String listValue(String list, String value) {
        switch (list) {
            case "capabilities" -> {
                String upper = value.toUpperCase(Locale.ROOT);
                if (!upper.matches("[A-Z0-9_]+")) {
                    throw new IllegalArgumentException("bad capability '" + value + "'");
                }
                return upper.startsWith("CAP_") ? upper.substring(4) : upper;
            }
            case "devices" -> {
                HostPath path = HostPath.of(value);
                if (path == null) {
                    throw new IllegalArgumentException("device '" + value + "' is not an absolute path");
                }
                return path.path();
            }
            default -> {
                return value;
            }
        }
    }

    /** {@code PATH} or {@code PATH:ro}, an absolute host path. */
    private static CheckSet.BindSource bindSource(String value) {
        boolean readOnly = value.endsWith(":ro");
        String raw = readOnly ? value.substring(0, value.length() - 3) : value;
        HostPath path = HostPath.of(raw);
        if (path == null || raw.contains(":")) {
            throw new IllegalArgumentException("bind source '" + value + "' is not an absolute path"
                    + " (with :ro for read-only binds only)");
        }
        return new CheckSet.BindSource(path, readOnly);
    }

    private void require(List<String> args) {
        need(args, "require WHAT [VALUE]");
        String what = args.get(0);
        List<String> values = args.subList(1, args.size());
        switch (what) {
            case "non-root" -> {
                none(values, "require non-root");
                nonRoot = true;
            }
            case "read-only-rootfs" -> {
                none(values, "require read-only-rootfs");
                readOnlyRootfs = true;
            }
            case "no-new-privileges" -> {
                none(values, "require no-new-privileges");
                noNewPrivileges = true;
            }
            case "memory" -> maxMemory = size(one(values, "require memory SIZE (at most; 512m, 2g)"));
            case "cpus" -> maxNanoCpus = cpus(one(values, "require cpus N (at most; 0.5, 2)"));
            case "pids" -> maxPids = size(one(values, "require pids N (at most)"));
            case "label" -> {
                Matcher label = LABEL.matcher(one(values, "require label KEY[=VALUE]"));
                if (!label.matches()) {
                    throw new IllegalArgumentException("require label KEY[=VALUE]");
                }
                requiredLabels.put(label.group(1), label.group(2) == null ? "" : label.group(2));
            }
            default -> throw new IllegalArgumentException("unknown 'require " + what + "' (expected non-root,"
                    + " read-only-rootfs, no-new-privileges, memory, cpus, pids or label)");
        }
    }

    private void stamp(List<String> args) {
        if (args.size() != 2 || !args.get(0).equals("label")) {
            throw new IllegalArgumentException("stamp label KEY=VALUE");
        }
        Matcher label = LABEL.matcher(args.get(1));
        if (!label.matches() || label.group(2) == null) {
            throw new IllegalArgumentException("stamp label KEY=VALUE");
        }
        stampLabels.put(label.group(1), label.group(2));
    }

    public CheckSet build() {
        return new CheckSet(name, location, allowed, hostModes, binds, lists.get("capabilities"), lists.get("devices"),
                lists.get("security-opt"), lists.get("sysctls"), lists.get("runtimes"), lists.get("volume-drivers"), lists.get("network-drivers"),
                images, networks, execCommands,
                new CheckSet.Requirements(nonRoot, readOnlyRootfs, noNewPrivileges, maxMemory, maxNanoCpus, maxPids,
                        requiredLabels),
                stampLabels);
    }

    private static long size(String text) {
        Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("expected a positive number such as 256, 512m or 2g, got '" + text + "'");
        }
        long unit = switch (m.group(2)) {
            case "k" -> 1024L;
            case "m" -> 1024L * 1024;
            case "g" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    private static long cpus(String text) {
        if (!CPUS.matcher(text).matches() || new BigDecimal(text).signum() == 0) {
            throw new IllegalArgumentException("expected a positive number of CPUs such as 0.5 or 2, got '" + text + "'");
        }
        return new BigDecimal(text).movePointRight(9).longValueExact();
    }

    private static void need(List<String> args, String form) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("expected " + form);
        }
    }

    private static void none(List<String> args, String form) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("'" + form + "' takes no value, got '" + String.join(" ", args) + "'");
        }
    }

    private static String one(List<String> args, String form) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("expected " + form);
        }
        return args.get(0);
    }
}
