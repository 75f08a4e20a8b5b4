package dockgate;

import dockgate.policy.Rulebook;
import org.slf4j.Logger;

import java.nio.file.Path;

/**
 * What the gateway says once it serves: the start-up line, the audit-mode banner, and the warnings and
 * notes an operator should see about how it is exposed. Logged under {@code Main}, the name operators
 * and scripts filter on.
 */
final class StartupReport {

    private final Logger log;

    StartupReport(Logger log) {
        this.log = log;
    }

    void log(Config config, Gateway gateway, Rulebook rules) {
        int profiles = rules.profiles().size();
        boolean tcp = config.listeners().stream().anyMatch(listener -> !listener.isUnix());
        log.info("dockgate {} listening on {}, daemon socket {}, rules {} ({} rules{}){}{}", Main.version(),
                String.join(" and ", gateway.addresses()), config.socket(),
                rules.source(), rules.size(), profiles == 1 ? "" : " in " + profiles + " profiles",
                tcp ? ", clients from " + config.allowFrom() : "",
                config.admin() == null ? "" : ", admin (/health, /metrics, status page) on http://"
                        + new ListenAddress(config.admin().host(), gateway.adminPort()));
        if (config.auditRules() != null) {
            warnAuditMode(config.auditRules());
        }
        for (String call : UncheckedWrites.allowedBy(rules)) {
            log.warn("rules allow a write whose body dockgate does not check, which gives the host or its secrets"
                    + " to whoever may call it: {}", call);
        }
        if (tcp && config.allowFrom().toString().equals("anyone") && config.tls() == null) {
            log.warn("listening on {} without TLS and open to any client address: anyone who can reach it can "
                    + "use every call the rules allow (see --allow-from, --tls-cert)",
                    String.join(" and ", gateway.addresses().stream().filter(a -> !a.startsWith("unix:")).toList()));
        }
        for (ListenSpec listener : config.listeners()) {
            if (listener.isUnix()) {
                log.info("{} is mode {} and group {}", listener, String.format("%04o", listener.mode()),
                        listener.group() == null ? "dockgate's own" : listener.group());
            }
            if (listener.profile() != null) {
                log.info("{} serves rules profile '{}' to every client", listener, listener.profile());
            }
        }
        if (config.admin() != null && Config.defaultAllowFrom(config.admin().host()).toString().equals("anyone")) {
            log.warn("the admin listener on {} is open to anyone who can reach that address, and its status page "
                    + "shows client addresses and refused requests: prefer loopback or a private network", config.admin());
        }
    }

    /** Loud on purpose: audit mode left on by mistake is a gateway that lets everything through. */
    private void warnAuditMode(Path learned) {
        String banner = "*".repeat(100);
        log.warn(banner);
        log.warn("AUDIT MODE: every call is forwarded, the rules are NOT enforced");
        log.warn("AUDIT MODE: calls the rules would deny are logged as \"would deny\" and reach the daemon all the same");
        log.warn("AUDIT MODE: still refused: non-canonical paths, ambiguous framing, upgrades no hijack rule allows, the limits");
        log.warn("AUDIT MODE: the rules that allow the traffic seen are written to {} (rewritten as new calls are seen, "
                + "and at exit)", learned.toAbsolutePath());
        log.warn(banner);
    }
}
