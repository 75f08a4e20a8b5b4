package dockgate;

import dockgate.policy.Policy;
import dockgate.policy.RulesException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
            System.err.println("dockgate: cannot serve " + e.getMessage());
            return 1;
        }
        gateway.probeDaemon();
        PrintStream stderr = BufferedStderr.install();
        boolean tcp = config.listeners().stream().anyMatch(listener -> !listener.isUnix());
        log.info("dockgate {} listening on {}, daemon socket {}, rules {} ({} rules){}", version(),
                String.join(" and ", gateway.addresses()), line.socket(), policy.source(), policy.size(),
                tcp ? ", clients from " + config.allowFrom() : "");
        if (tcp && config.allowFrom().toString().equals("anyone") && config.tls() == null) {
            log.warn("listening on {} without TLS and open to any client address: anyone who can reach it can "
                    + "use every call the rules allow (see --allow-from, --tls-cert)",
                    String.join(" and ", gateway.addresses().stream().filter(a -> !a.startsWith("unix:")).toList()));
        }
        for (Listener listener : config.listeners()) {
            if (listener.isUnix()) {
                log.info("{} is mode {} and group {}", listener, String.format("%04o", listener.mode()),
                        listener.group() == null ? "dockgate's own" : listener.group());
            }
            if (listener.profile() != null) {
                // Named profiles are not bound to listeners yet: say plainly which rules this listener serves.
                log.warn("{} asks for rules profile '{}', which is not applied yet: it serves the rules above",
                        listener, listener.profile());
            }
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

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/dockgate/version.txt")) {
            return in == null ? "dev" : new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "dev";
        }
    }
}
