package dockgate;

import dockgate.unix.UnixSocketFile;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The values of {@code --listen}: {@code HOST:PORT} or {@code unix:PATH}, each optionally followed by
 * {@code ,mode=0660}, {@code ,group=docker} (Unix sockets only) and {@code ,profile=NAME}.
 */
final class ListenSpecs {

    private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private ListenSpecs() {
    }

    static List<ListenSpec> parse(List<String> specs) throws UsageException {
        List<ListenSpec> listeners = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String spec : specs) {
            ListenSpec listener = parse(spec);
            // Port 0 asks for any free port, so two of them are two different listeners.
            if ((listener.isUnix() || listener.port() != 0) && !seen.add(identity(listener))) {
                throw new UsageException("--listen: " + listener + " is given twice");
            }
            listeners.add(listener);
        }
        return listeners;
    }

    private static String identity(ListenSpec listener) {
        return listener.isUnix() ? "unix:" + listener.path().normalize() : listener.toString();
    }

    private static ListenSpec parse(String spec) throws UsageException {
        String[] parts = spec.split(",", -1);
        String address = parts[0];
        String mode = null;
        String group = null;
        String profile = null;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int equals = part.indexOf('=');
            String key = equals > 0 ? part.substring(0, equals) : part;
            String value = equals > 0 ? part.substring(equals + 1) : null;
            if (value == null || value.isEmpty()) {
                throw new UsageException("--listen " + address + ": expected KEY=VALUE after the comma, got '" + part + "'");
            }
            String previous = switch (key) {
                case "mode" -> mode;
                case "group" -> group;
                case "profile" -> profile;
                default -> throw new UsageException("--listen " + address + ": unknown option '" + key
                        + "' (mode=, group= and profile= are known)");
            };
            if (previous != null) {
                throw new UsageException("--listen " + address + ": " + key + "= is given twice");
            }
            switch (key) {
                case "mode" -> mode = value;
                case "group" -> group = value;
                default -> profile = value;
            }
        }
        ListenSpec listener = address.startsWith("unix:")
                ? unix(address, mode, group)
                : tcp(address, spec, mode, group);
        if (profile != null) {
            if (!NAME.matcher(profile).matches()) {
                throw new UsageException("--listen " + address + ": profile name '" + profile
                        + "' must be letters, digits, '_', '.' or '-'");
            }
            listener = listener.withProfile(profile);
        }
        return listener;
    }

    private static ListenSpec tcp(String address, String spec, String mode, String group) throws UsageException {
        ListenAddress parsed = ListenAddress.parse("listen", address, "HOST:PORT or unix:PATH", spec);
        if (mode != null || group != null) {
            throw new UsageException("--listen " + address + ": " + (mode != null ? "mode=" : "group=")
                    + " applies to unix: listeners only");
        }
        return ListenSpec.tcp(parsed.host(), parsed.port());
    }

    private static ListenSpec unix(String address, String mode, String group) throws UsageException {
        String text = address.substring("unix:".length());
        if (text.isEmpty()) {
            throw new UsageException("--listen " + address + ": the path is empty");
        }
        Path path = Path.of(text);
        if (!path.isAbsolute()) {
            throw new UsageException("--listen " + address + ": the path must be absolute");
        }
        String tooLong = UnixSocketFile.checkLength(path);
        if (tooLong != null) {
            throw new UsageException("--listen " + address + ": " + tooLong);
        }
        if (mode != null && !MODE.matcher(mode).matches()) {
            throw new UsageException("--listen " + address + ": mode must be octal 0000 to 0777, got '" + mode + "'");
        }
        if (group != null) {
            try {
                // A numeric gid is taken as it is: it needs no name in /etc/group (common in containers).
                FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            } catch (IOException e) {
                throw new UsageException("--listen " + address + ": no group '" + group + "' on this system");
            }
        }
        return ListenSpec.unix(path, mode == null ? ListenSpec.DEFAULT_MODE : Integer.parseInt(mode, 8), group);
    }
}
