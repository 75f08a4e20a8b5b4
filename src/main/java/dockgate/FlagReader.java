package dockgate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a command's arguments against its flags in {@link Flags}: {@code --name VALUE}, {@code --name=VALUE}
 * and switches. It only splits; what the values mean is for the command to check.
 */
final class FlagReader {

    /**
     * What was given. {@code values} holds every value of each flag in order; {@code stoppedAt} is the
     * switch that ended the reading early ({@code help}, {@code version}), else null.
     */
    record Given(Map<String, List<String>> values, List<String> switches, List<String> positional, String stoppedAt) {

        /** The last value given for the flag, or null. */
        String last(String name) {
            List<String> all = values.get(name);
            return all == null ? null : all.get(all.size() - 1);
        }
    }

    private final List<Flag> flags;
    private final List<String> stopping;
    private final String context;

    /**
     * @param stopping the switches that end the reading at once, whatever follows
     * @param context  added to the complaint about an unknown option ("for explain"); "" for none
     */
    FlagReader(List<Flag> flags, List<String> stopping, String context) {
        this.flags = flags;
        this.stopping = stopping;
        this.context = context;
    }

    /** Reads the arguments; positional arguments are allowed only when {@code positional} is true. */
    Given read(List<String> args, boolean positional) throws UsageException {
        Map<String, List<String>> values = new HashMap<>();
        List<String> switches = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.equals("-h") ? "help" : arg.startsWith("--") ? arg.substring(2) : null;
            if (name == null && positional) {
                rest.add(arg);
                continue;
            }
            Flag flag = name == null ? null : find(name, false);
            if (flag != null) {
                if (stopping.contains(name)) {
                    return new Given(values, switches, rest, name);
                }
                switches.add(name);
                continue;
            }
            int equals = name == null ? -1 : name.indexOf('=');
            flag = name == null ? null : find(equals > 0 ? name.substring(0, equals) : name, true);
            if (flag == null) {
                throw new UsageException("unknown option '" + arg + "'" + context + " (see --help)");
            }
            String value;
            if (equals > 0) {
                value = name.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("--" + flag.name() + " needs a value (see --help)");
            }
            values.computeIfAbsent(flag.name(), k -> new ArrayList<>()).add(value);
        }
        return new Given(values, switches, rest, null);
    }

    private Flag find(String name, boolean valued) {
        for (Flag flag : flags) {
            if (flag.name().equals(name) && flag.takesValue() == valued) {
                return flag;
            }
        }
        return null;
    }
}
