package dockgate;

import dockgate.policy.Policy;
import dockgate.policy.RulesException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The {@code dockgate} command: check the command line and the rules, then serve until stopped. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Returns the exit code; only returns once serving has ended, or at once for errors and --help. */
    static int run(String[] args) {
        CommandLine line;
        try {
            line = CommandLine.parse(args, System.getenv());
        } catch (UsageException e) {
            System.err.println("dockgate: " + e.getMessage());
            return 2;
        }
        switch (line.action()) {
            case HELP -> {
                System.out.print(CommandLine.USAGE);
                return 0;
            }
            case VERSION -> {
                System.out.println("dockgate " + version());
                return 0;
            }
            default -> {
            }
        }

        Policy policy;
        try {
            policy = line.rules() == null ? Policy.builtIn() : Policy.load(line.rules());
        } catch (RulesException e) {
            System.err.println("dockgate: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("dockgate: cannot read rules file " + line.rules() + ": " + e);
            return 2;
        }

        Logger log = LoggerFactory.getLogger(Main.class);
        Config config = line.config(policy);
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (IOException | RuntimeException e) {
            System.err.println("dockgate: cannot serve on " + line.listenHost() + ":" + line.listenPort() + ": " + e.getMessage());
            return 1;
        }
        gateway.probeDaemon();
        PrintStream stderr = BufferedStderr.install();
        log.info("dockgate {} listening on {}{}:{}, daemon socket {}, rules {} ({} rules), clients from {}", version(),
                config.tls() == null ? "" : "https://", line.listenHost(), gateway.port(), line.socket(),
                policy.source(), policy.size(), config.allowFrom());
        if (config.auditRules() != null) {
            warnAuditMode(log, config.auditRules());
        }
        if (config.allowFrom().toString().equals("anyone") && config.tls() == null) {
            log.warn("listening on {} without TLS and open to any client address: anyone who can reach it can "
                    + "use every call the rules allow (see --allow-from, --tls-cert)", line.listenHost());
        }

        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            log.info("dockgate stopped");
            stderr.flush();
            main.interrupt();
        }, "dockgate-shutdown"));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Loud on purpose: audit mode left on by mistake is a gateway that lets everything through. */
    private static void warnAuditMode(Logger log, Path learned) {
        String banner = "*".repeat(100);
        log.warn(banner);
        log.warn("AUDIT MODE: every call is forwarded, the rules are NOT enforced");
        log.warn("AUDIT MODE: calls the rules would deny are logged as \"would deny\" and reach the daemon all the same");
        log.warn("AUDIT MODE: still refused: non-canonical paths, ambiguous framing, connection upgrades, the limits");
        log.warn("AUDIT MODE: the rules that allow the traffic seen are written to {} (rewritten as new calls are seen, "
                + "and at exit)", learned.toAbsolutePath());
        log.warn(banner);
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/dockgate/version.txt")) {
            return in == null ? "dev" : new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "dev";
        }
    }
}
