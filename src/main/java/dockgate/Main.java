package dockgate;

import dockgate.policy.Rulebook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The {@code dockgate} command: check the command line and the rules, then serve until stopped; or one of
 * the rules commands, {@code check} and {@code explain}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Netty's buffer allocators report to Flight Recorder when it is present, and registering their
        // events sets up JFR's machinery at the first allocation: about 120 ms of the time to the first
        // proxied call, and some 60 classes. JFR still records the JVM's own events when asked to.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        System.exit(run(args));
    }

    /** Returns the exit code; only returns once serving has ended, or at once for errors and --help. */
    static int run(String[] args) {
        if (args.length > 0 && args[0].equals("check")) {
            return CheckCommand.run(Arrays.asList(args).subList(1, args.length), System.out, System.err);
        }
        if (args.length > 0 && args[0].equals("explain")) {
            return ExplainCommand.run(Arrays.asList(args).subList(1, args.length), System.getenv(), System.out, System.err);
        }
        Map<String, String> env = System.getenv();
        CommandLine line;
        try {
            line = CommandLine.parse(args, env);
        } catch (UsageException e) {
            System.err.println("dockgate: " + e.getMessage());
            return 2;
        }
        switch (line.action()) {
            case HELP -> {
                System.out.print(Flags.usage());
                return 0;
            }
            case VERSION -> {
                System.out.println("dockgate " + version());
                return 0;
            }
            default -> {
            }
        }

        RulesToServe start;
        try {
            start = RulesToServe.load(line, env);
            if (line.action() == CommandLine.Action.PRINT_RULES) {
                System.out.print(start.text());
                return 0;
            }
            start.checkListenerProfiles(line.listeners());
        } catch (UsageException e) {
            System.err.println("dockgate: " + e.getMessage());
            return 2;
        }

        Logger log = LoggerFactory.getLogger(Main.class);
        if (start.compat() != null) {
            log.info("compat tecnativa: {}", start.compat().summary());
        }
        Rulebook rules = start.rules();
        Config config = line.config(rules);
        Gateway gateway;
        try {
            gateway = Gateway.startAndProbe(config);
        } catch (IOException | RuntimeException e) {
            System.err.println("dockgate: cannot serve " + e.getMessage());
            return 1;
        }
        PrintStream stderr = BufferedStderr.install();
        new StartupReport(log).log(config, gateway, rules);
        ServeUntilStopped.run(gateway, line.watchRules() ? rules.file() : null, log, stderr);
        return 0;
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/dockgate/version.txt")) {
            return in == null ? "dev" : new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "dev";
        }
    }
}
