package dockgate;

import dockgate.access.AllowedClients;
import dockgate.api.EngineApi;
import dockgate.guard.CheckSet;
import dockgate.guard.Inspection;
import dockgate.guard.Refused;
import dockgate.json.JsonBodyException;
import dockgate.policy.BadPathException;
import dockgate.policy.CanonicalPath;
import dockgate.policy.Decision;
import dockgate.policy.Presets;
import dockgate.scope.ScopedRoutes;
import dockgate.policy.Profile;
import dockgate.policy.Query;
import dockgate.policy.UnreadableQueryException;
import dockgate.policy.Rule;
import dockgate.policy.Rulebook;
import dockgate.policy.RulesException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code dockgate explain [--rules FILE | --preset NAME] [--client ADDRESS | --profile NAME] [--body FILE] METHOD PATH}: how
 * the rules decide one call, worked out exactly as the gateway does (canonical path, profile, first matching
 * rule, and the checks of its body).
 */
final class ExplainCommand {

    static final int ALLOWED = 0;
    static final int DENIED = 1;
    static final int USAGE = 2;

    private static final FlagReader READER = new FlagReader(Flags.EXPLAIN, List.of(), " for explain");

    private ExplainCommand() {
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        FlagReader.Given read;
        try {
            read = READER.read(args, true);
        } catch (UsageException e) {
            err.println("dockgate: " + e.getMessage());
            return USAGE;
        }
        String rulesFile = read.last("rules") != null ? read.last("rules") : env.get(CommandLine.variable("rules"));
        String preset = read.last("preset") != null ? read.last("preset") : env.get(CommandLine.variable("preset"));
        String client = read.last("client");
        String profileName = read.last("profile");
        List<String> positional = read.positional();
        if (positional.size() != 2) {
            return usage(err, "explain needs METHOD and PATH, e.g. explain GET /v1.41/containers/json");
        }
        if (client != null && profileName != null) {
            return usage(err, "give --client or --profile, not both");
        }

        try {
            preset = CommandLine.preset(preset, rulesFile, null);
        } catch (UsageException e) {
            return usage(err, e.getMessage());
        }

        Rulebook rules;
        try {
            rules = preset != null ? Presets.load(preset)
                    : rulesFile == null ? Rulebook.builtIn() : Rulebook.load(Path.of(rulesFile));
        } catch (RulesException e) {
            err.println("dockgate: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("dockgate: cannot read rules file " + rulesFile + ": " + e);
            return USAGE;
        }

        Profile profile;
        String why;
        if (profileName != null) {
            try {
                profile = rules.profile(profileName);
            } catch (IllegalArgumentException e) {
                return usage(err, "--profile: " + e.getMessage());
            }
            why = "chosen with --profile";
        } else if (client != null) {
            InetAddress address;
            try {
                // parse() accepts literal addresses only, so getByName below never asks DNS.
                AllowedClients.parse(client);
                address = InetAddress.getByName(client.strip());
            } catch (IllegalArgumentException | UnknownHostException e) {
                return usage(err, "--client: expected an IP address, got '" + client + "'");
            }
            if (client.contains("/")) {
                return usage(err, "--client: expected one IP address, not a range: '" + client + "'");
            }
            profile = rules.profileFor(address);
            why = profile.name().equals(Rulebook.DEFAULT_PROFILE)
                    ? "client " + client + " is in no profile's 'from' ranges"
                    : "client " + client + " is in " + rules.rangesOf(profile.name());
        } else {
            profile = rules.profile(Rulebook.DEFAULT_PROFILE);
            why = "no --client given";
        }

        String method = positional.get(0);
        String target = positional.get(1);
        int mark = target.indexOf('?');
        String rawPath = mark < 0 ? target : target.substring(0, mark);
        String query = mark < 0 || mark == target.length() - 1 ? null : target.substring(mark + 1);

        out.println("request:   " + method + " " + target);
        out.println("rules:     " + rules.source());
        out.println("profile:   " + profile.name() + " (" + why + ")");
        String path;
        try {
            path = CanonicalPath.of(rawPath);
        } catch (BadPathException e) {
            out.println("decision:  reject: the gateway answers 400 and asks no rule: bad request path: " + e.getMessage());
            return DENIED;
        }
        Query parsed;
        try {
            parsed = Query.parse(query);
        } catch (UnreadableQueryException e) {
            out.println("decision:  reject: the gateway answers 400 and asks no rule: bad query: " + e.getMessage());
            return DENIED;
        }
        out.println("canonical: " + path + (parsed.isEmpty() ? "" : "?" + parsed.canonical()));
        Decision decision = profile.decide(method, path, parsed);
        Rule rule = decision.rule();
        if (decision.allowed()) {
            if (!bodyJudged(method, path, rule, read.last("body"), out, err)) {
                return DENIED;
            }
            out.println("decision:  allow, by " + rule.location() + ": " + rule.text());
            if (profile.scope() != null) {
                EngineApi.Route route = EngineApi.routes().route(method, path);
                ScopedRoutes.Treatment treatment = ScopedRoutes.of(method, route == null ? null : route.path(), profile.scope());
                out.println("scope:     " + treatment.explain(profile.scope()));
                if (treatment.way() == ScopedRoutes.Way.REFUSED) {
                    return DENIED;
                }
            }
            return ALLOWED;
        }
        if (rule == null) {
            out.println("decision:  deny: " + decision.reason() + " in profile " + profile.name()
                    + " (" + profile.size() + " rules; none matches)");
        } else {
            out.println("decision:  deny, by " + rule.location() + ": " + rule.text());
            out.println("reason:    " + decision.reason());
        }
        return DENIED;
    }

    /**
     * On a route whose bodies are checked, says which set checks them and, given a body, how it is judged
     * and what the daemon would be sent. False when the body is refused.
     */
    private static boolean bodyJudged(String method, String path, Rule rule, String bodyFile, PrintStream out,
                                      PrintStream err) {
        EngineApi.Route route = EngineApi.routes().route(method, path);
        Inspection inspection = route == null ? null : Inspection.of(method, route.path());
        if (inspection == null) {
            if (bodyFile != null) {
                out.println("body:      not checked on this route");
            }
            return true;
        }
        CheckSet checks = rule.checks();
        if (bodyFile == null) {
            out.println("body:      checked by " + checks.describe() + "; give --body FILE to judge one");
            return true;
        }
        byte[] body;
        try {
            body = Files.readAllBytes(Path.of(bodyFile));
        } catch (IOException e) {
            err.println("dockgate: cannot read --body " + bodyFile + ": " + e);
            out.println("decision:  none: the body could not be read");
            return false;
        }
        try {
            byte[] sent = inspection.inspect(body, checks);
            out.println("body:      passes " + checks.describe());
            out.println("sent:      " + new String(sent, StandardCharsets.UTF_8));
            return true;
        } catch (JsonBodyException e) {
            out.println("decision:  reject: the gateway answers 400: the " + inspection.what()
                    + " body cannot be read one way only: " + e.getMessage());
        } catch (Refused e) {
            out.println("decision:  deny: " + e.describe(inspection.what(), checks));
        }
        return false;
    }

    private static int usage(PrintStream err, String message) {
        err.println("dockgate: " + message + " (see --help)");
        return USAGE;
    }
}
