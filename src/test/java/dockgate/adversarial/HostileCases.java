package dockgate.adversarial;

import static dockgate.adversarial.HostileCase.bad;
import static dockgate.adversarial.HostileCase.closed;
import static dockgate.adversarial.HostileCase.denied;
import static dockgate.adversarial.HostileCase.deniedAsMissing;
import static dockgate.adversarial.HostileCase.ok;
import static dockgate.adversarial.HostileCase.refused;
import static dockgate.adversarial.HostileCase.rejected;
import static dockgate.adversarial.HostileCase.status;
import static dockgate.adversarial.HostileCase.upgrade;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of hostile requests. Each is written as the exact bytes a client sends; helpers only save typing
 * for the parts that do not matter to the trick ("Host: x", the final blank line).
 */
final class HostileCases {

    private HostileCases() {
    }

    /** A request with a Host header and nothing else. */
    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    static String req(String method, String target, String... headerLines) {
        StringBuilder out = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String line : headerLines) {
            out.append(line).append("\r\n");
        }
        return out.append("\r\n").toString();
    }

    /** A request with a Content-Length body. */
    static String withBody(String method, String target, String body, String... headerLines) {
        StringBuilder out = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String line : headerLines) {
            out.append(line).append("\r\n");
        }
        return out.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n\r\n")
                .append(body).toString();
    }

    /** The allowed, constrained tagging call. */
    static final String TAG = "/images/a/tag?repo=b";

    /** A complete request a smuggler would like the daemon to run. */
    static final String SMUGGLED = "POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 17\r\n\r\n{\"Image\":\"evil\"}\n";

    static List<HostileCase> all() {
        List<HostileCase> all = new ArrayList<>();
        baseline(all);
        percent(all);
        dots(all);
        semicolons(all);
        backslashes(all);
        controls(all);
        nonAscii(all);
        versions(all);
        targetForms(all);
        methods(all);
        queries(all);
        overrides(all);
        upgrades(all);
        smuggling(all);
        pipelining(all);
        httpVersions(all);
        lineEnds(all);
        headerSyntax(all);
        sizes(all);
        return all;
    }

    /** Plain allowed calls: the oracle must let real traffic through, or it proves nothing. */
    private static void baseline(List<HostileCase> all) {
        String c = "baseline";
        all.add(HostileCase.of(c, "plain ping", get("/_ping")).expect(ok()).daemon("GET /_ping").build());
        all.add(HostileCase.of(c, "versioned list with query", get("/v1.41/containers/json?all=1&filters=%7B%7D"))
                .expect(ok()).daemon("GET /v1.41/containers/json?all=1&filters=%7B%7D").build());
        all.add(HostileCase.of(c, "image with registry, port and tag", get("/v1.41/images/localhost:5000/team/app:1.2/json"))
                .expect(ok()).daemon("GET /v1.41/images/localhost:5000/team/app:1.2/json").build());
        all.add(HostileCase.of(c, "HEAD ping", req("HEAD", "/_ping")).expect(ok().toHead()).daemon("HEAD /_ping").build());
        all.add(HostileCase.of(c, "constrained tag", withBody("POST", "/v1.41" + TAG + "&tag=v1", ""))
                .expect(ok()).daemon("POST /v1.41" + TAG + "&tag=v1").build());
    }

    private static void percent(List<HostileCase> all) {
        String c = "percent-encoding";
        all.add(HostileCase.of(c, "encoded underscore", get("/%5fping")).expect(ok()).daemon("GET /_ping")
                .why("decoded once; the daemon gets the decoded path").build());
        all.add(HostileCase.of(c, "encoded letter in id", get("/v1.41/containers/%6Aabc/json")).expect(ok())
                .daemon("GET /v1.41/containers/jabc/json").build());
        all.add(HostileCase.of(c, "whole literal segment encoded", get("/v1.41/containers/abc/%6A%73%6F%6E")).expect(ok())
                .daemon("GET /v1.41/containers/abc/json").build());
        all.add(HostileCase.of(c, "encoded dot-dot segment", get("/v1.41/containers/abc/%2e%2e/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded dot-dot after version", get("/v1.41/%2e%2e/_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "mixed-case encoded dots", get("/v1.41/containers/%2E%2e/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "single encoded dot segment", get("/v1.41/containers/%2e/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded dot-dot at root", get("/%2e%2e/v1.41/_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded dot inside a name", get("/images/a%2eb/json")).expect(bad())
                .why("any encoded '.' is refused, even one that would be harmless").build());
        all.add(HostileCase.of(c, "double-encoded dots %252e", get("/v1.41/containers/%252e%252e/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "double-encoded slash %252f", get("/v1.41/_ping%252f..%252f")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded percent alone", get("/_ping%25")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded slash in image name", get("/images/a%2Fb/json")).expect(ok())
                .daemon("GET /images/a/b/json").why("an encoded '/' is decoded and forwarded decoded").build());
        all.add(HostileCase.of(c, "lower-case encoded slash, docker-java style", get("/v1.41/images/local%2fbusybox:test/json"))
                .expect(ok()).daemon("GET /v1.41/images/local/busybox:test/json").build());
        all.add(HostileCase.of(c, "encoded slash hiding dot-dot", get("/images/a%2F..%2Fb/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded slashes making an empty segment", get("/images/a%2F%2Fb/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "route spelled with encoded slashes", get("/v1.41%2Fcontainers%2Fjson")).expect(ok())
                .daemon("GET /v1.41/containers/json").build());
        all.add(HostileCase.of(c, "encoded leading slash", get("/%2Fv1.41/_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded trailing slash", get("/containers/json%2F")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded traversal to create", withBody("POST", "/images/x%2F..%2F..%2Fcontainers%2Fcreate", "{}"))
                .expect(bad()).build());
        all.add(HostileCase.of(c, "encoded NUL at end", get("/_ping%00")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded NUL in id", get("/containers/abc%00/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "overlong UTF-8 dots %c0%ae", get("/images/%c0%ae%c0%ae/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "overlong UTF-8 slash %c0%af", get("/images/a%c0%afb/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "three-byte overlong dot", get("/images/%e0%80%ae%e0%80%ae/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded right-to-left override", get("/containers/%e2%80%ae/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "truncated escape at end", get("/_ping%")).expect(bad())
                .why("Undertow's parser refuses it; dockgate answers with its JSON 400").build());
        all.add(HostileCase.of(c, "one-digit escape", get("/_ping%2")).expect(bad())
                .why("Undertow's parser refuses it; dockgate answers with its JSON 400").build());
        all.add(HostileCase.of(c, "non-hex escape", get("/_ping%zz")).expect(bad())
                .why("Undertow's parser refuses it; dockgate answers with its JSON 400").build());
        all.add(HostileCase.of(c, "nested escape %%32%65", get("/%%32%65%%32%65/_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "IIS-style %u002e", get("/%u002e%u002e/_ping")).expect(bad())
                .why("Undertow's parser refuses it; dockgate answers with its JSON 400").build());
        all.add(HostileCase.of(c, "IIS-style %u0069 for a letter", get("/_p%u0069ng")).expect(bad()).build());
        all.add(HostileCase.of(c, "IIS-style escape in a query", get("/containers/json?all=%u0031")).expect(bad())
                .why("Undertow's parser refuses it; dockgate answers with its JSON 400").build());
        all.add(HostileCase.of(c, "non-hex escape in a GET query", get("/containers/json?all=%zz")).expect(bad())
                .why("the daemon answers 400 here too, with its own JSON").build());
        all.add(HostileCase.of(c, "lone percent ending a query", get("/containers/json?all=1%")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw quote in path", get("/containers/\"abc\"/json")).expect(bad())
                .why("must be %-encoded; Undertow's parser refuses it").build());
        all.add(HostileCase.of(c, "raw quote in query", get("/containers/json?all=\"1\"")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw brace in path", get("/containers/{id}/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw JSON filter in query", get("/containers/json?filters={\"status\":[\"running\"]}"))
                .expect(bad()).why("clients encode it as %7B...%7D, which passes").build());
        all.add(HostileCase.of(c, "encoded question mark", get("/containers/json%3Fall=1")).expect(bad())
                .why("decoded '?' would move the query boundary").build());
        all.add(HostileCase.of(c, "encoded hash", get("/containers/json%23x")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded space", get("/containers/json%20")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded dot in version prefix", get("/v1%2e41/_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded semicolon", get("/containers/abc%3Bx/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded denied route is judged decoded", withBody("POST", "/%63ontainers/%63reate", "{}"))
                .expect(denied()).build());
        all.add(HostileCase.of(c, "encoded DEL", get("/containers/abc%7f/json")).expect(bad()).build());
    }

    private static void dots(List<HostileCase> all) {
        String c = "dot-and-empty-segments";
        all.add(HostileCase.of(c, "dot segment at root", get("/./_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "dot segment after version", get("/v1.41/./_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "dot-dot at root", get("/../_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "dot-dot after version", get("/v1.41/../_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "traversal from allowed prefix to create",
                withBody("POST", "/images/abc/../../containers/create", "{}")).expect(bad()).build());
        all.add(HostileCase.of(c, "traversal to export", get("/containers/abc/json/../export")).expect(bad()).build());
        all.add(HostileCase.of(c, "double slash at root", get("//_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "double slash after version", get("/v1.41//containers/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "trailing slash", get("/_ping/")).expect(bad()).build());
        all.add(HostileCase.of(c, "trailing slash after version path", get("/v1.41/containers/json/")).expect(bad()).build());
        all.add(HostileCase.of(c, "trailing dot segment", get("/containers/json/.")).expect(bad()).build());
        all.add(HostileCase.of(c, "trailing dot-dot segment", get("/containers/json/..")).expect(bad()).build());
        all.add(HostileCase.of(c, "path is a dot", get("/.")).expect(bad()).build());
        all.add(HostileCase.of(c, "path is dot-dot", get("/..")).expect(bad()).build());
        all.add(HostileCase.of(c, "triple slash", get("///")).expect(bad()).build());
        all.add(HostileCase.of(c, "dot segment inside image name", get("/images/a/./b/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "three dots as an id is no route", get("/containers/.../json")).expect(deniedAsMissing())
                .why("'...' is a legal segment, but no {id} starts with '.'").build());
        all.add(HostileCase.of(c, "hidden-file image segment is no route", get("/images/.hidden/json")).expect(deniedAsMissing()).build());
        all.add(HostileCase.of(c, "bare root", get("/")).expect(denied()).build());
    }

    private static void semicolons(List<HostileCase> all) {
        String c = "semicolon-params";
        all.add(HostileCase.of(c, "param after list", get("/containers/json;x")).expect(bad()).build());
        all.add(HostileCase.of(c, "ping with .js param", get("/_ping;.js")).expect(bad()).build());
        all.add(HostileCase.of(c, "param on version", get("/v1.41;/_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "param in the middle", get("/containers;/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "param inside image name", get("/images/a;b/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "jsessionid", get("/_ping;jsessionid=1")).expect(bad()).build());
        all.add(HostileCase.of(c, "param hiding traversal", withBody("POST", "/containers/abc/json;/../../create", "{}"))
                .expect(bad()).build());
        all.add(HostileCase.of(c, "dot-dot-semicolon (Tomcat style)", get("/images/..;/containers/abc/export")).expect(bad()).build());
    }

    private static void backslashes(List<HostileCase> all) {
        String c = "backslash";
        all.add(HostileCase.of(c, "raw backslashes as separators", get("/v1.41\\containers\\json")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw trailing backslash", get("/_ping\\")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw backslash traversal", get("/images\\..\\containers/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "target starts with a backslash", get("\\_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded backslash %5c", get("/%5c_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded backslash traversal %5C", get("/images/a%5C..%5C..%5Ccontainers/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw backslash traversal to create",
                withBody("POST", "/containers/abc\\..\\..\\containers/create", "{}")).expect(bad()).build());
    }

    private static void controls(List<HostileCase> all) {
        String c = "control-bytes";
        all.add(HostileCase.of(c, "TAB in path", get("/_p\ting")).expect(bad()).build());
        all.add(HostileCase.of(c, "NUL in path", get("/_ping\0")).expect(bad()).build());
        all.add(HostileCase.of(c, "DEL in path", get("/_ping\u007f")).expect(bad()).build());
        all.add(HostileCase.of(c, "CR alone after path", "GET /_ping\r HTTP/1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "vertical tab in path", get("/containers/\u000bjson")).expect(bad()).build());
        all.add(HostileCase.of(c, "escape sequence in path", get("/containers/\u001b[31mjson")).expect(bad()).build());
        all.add(HostileCase.of(c, "NUL in method", "G\0T /_ping HTTP/1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "NUL in version", "GET /_ping HTTP/1.1\0\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "TAB in header name", req("GET", "/_ping", "X-A\tB: 1")).expect(bad()).build());
        all.add(HostileCase.of(c, "NUL in header name", req("GET", "/_ping", "X-A\0: 1")).expect(bad()).build());
        all.add(HostileCase.of(c, "DEL in header name", req("GET", "/_ping", "X-A\u007f: 1")).expect(bad()).build());
        all.add(HostileCase.of(c, "CR alone in header name", req("GET", "/_ping", "Upgrade\r: tcp")).expect(bad()).build());
        all.add(HostileCase.of(c, "CR alone before the colon of Transfer-Encoding", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding\r: chunked\r\nContent-Length: 5\r\n\r\nhello").expect(bad()).build());
        all.add(HostileCase.of(c, "NUL in header value", req("GET", "/_ping", "X-A: a\0b")).expect(bad()).build());
        all.add(HostileCase.of(c, "DEL in header value", req("GET", "/_ping", "X-A: a\u007fb")).expect(bad()).build());
        all.add(HostileCase.of(c, "bare CR hiding an Upgrade header", req("GET", "/_ping", "X-A: a\rUpgrade: tcp"))
                .expect(bad()).build());
        all.add(HostileCase.of(c, "escape in header value", req("GET", "/_ping", "User-Agent: \u001b]0;pwned\u0007")).expect(bad()).build());
        all.add(HostileCase.of(c, "TAB inside header value is legal", req("GET", "/_ping", "X-A: a\tb")).expect(ok())
                .daemon("GET /_ping").header("X-A", "a\tb").why("HTAB is allowed inside field values").build());
    }

    private static void nonAscii(List<HostileCase> all) {
        String c = "non-ascii";
        all.add(HostileCase.of(c, "raw UTF-8 in id", get("/containers/\u00c3\u00a9/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw Latin-1 in id", get("/containers/\u00e9/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw overlong UTF-8 dots", get("/images/\u00c0\u00ae\u00c0\u00ae/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw fullwidth solidus", get("/images/a\u00ef\u00bc\u008fb/json")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw 0xff after path", get("/_ping\u00ff")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw UTF-8 in query", get("/containers/json?filters=caf\u00c3\u00a9")).expect(bad()).build());
        all.add(HostileCase.of(c, "raw 0xff in query", get("/containers/json?all=\u00ff")).expect(bad()).build());
        all.add(HostileCase.of(c, "Arabic-Indic digit in version", get("/v\u00d9\u00a1.41/_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "UTF-8 in header value passes", req("GET", "/_ping", "X-Name: caf\u00c3\u00a9"))
                .expect(ok()).daemon("GET /_ping").why("obs-text is legal in values; harmless to the daemon").build());
        all.add(HostileCase.of(c, "Latin-1 in header value passes", req("GET", "/_ping", "X-Name: \u00e9t\u00e9"))
                .expect(ok()).daemon("GET /_ping").build());
        all.add(HostileCase.of(c, "non-ASCII in header name", req("GET", "/_ping", "X-\u00e9: 1")).expect(bad()).build());
        all.add(HostileCase.of(c, "non-ASCII method", "G\u00c9T /_ping HTTP/1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
    }

    private static void versions(List<HostileCase> all) {
        String c = "version-prefix";
        all.add(HostileCase.of(c, "doubled prefix", get("/v1.41/v1.41/_ping")).expect(denied()).build());
        all.add(HostileCase.of(c, "major only", get("/v1/_ping")).expect(denied()).build());
        all.add(HostileCase.of(c, "upper-case V", get("/V1.41/_ping")).expect(denied()).build());
        all.add(HostileCase.of(c, "trailing dot", get("/v1.41./_ping")).expect(denied()).build());
        all.add(HostileCase.of(c, "three-part version", get("/v1.41.0/_ping")).expect(denied()).build());
        all.add(HostileCase.of(c, "huge version number", get("/v999999999999.1/_ping")).expect(ok())
                .daemon("GET /v999999999999.1/_ping").why("allowed by the rule shape; the real daemon answers 400").build());
        all.add(HostileCase.of(c, "leading zeros", get("/v01.041/_ping")).expect(ok()).daemon("GET /v01.041/_ping").build());
        all.add(HostileCase.of(c, "bare prefix", get("/v1.41")).expect(denied()).build());
        all.add(HostileCase.of(c, "prefix with trailing slash", get("/v1.41/")).expect(bad()).build());
        all.add(HostileCase.of(c, "missing major", get("/v.41/_ping")).expect(denied()).build());
        all.add(HostileCase.of(c, "missing minor", get("/v1./_ping")).expect(denied()).build());
        all.add(HostileCase.of(c, "negative major", get("/v-1.41/_ping")).expect(denied()).build());
        all.add(HostileCase.of(c, "plus sign", get("/v+1.41/_ping")).expect(denied()).build());
        all.add(HostileCase.of(c, "doubled v", get("/vv1.41/_ping")).expect(denied()).build());
        all.add(HostileCase.of(c, "comma instead of dot", get("/v1,41/_ping")).expect(denied()).build());
        all.add(HostileCase.of(c, "prefix as suffix", get("/v1.41/_ping/v1.41")).expect(denied()).build());
        all.add(HostileCase.of(c, "doubled prefix on create", withBody("POST", "/v1.41/v1.41/containers/create", "{}"))
                .expect(denied()).build());
    }

    private static void targetForms(List<HostileCase> all) {
        String c = "target-form";
        all.add(HostileCase.of(c, "absolute-form, matching Host", "GET http://x/_ping HTTP/1.1\r\nHost: x\r\n\r\n")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "absolute-form, mismatched Host", "GET http://evil/v1.41/containers/json HTTP/1.1\r\nHost: x\r\n\r\n")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "absolute-form https", "GET https://x/_ping HTTP/1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "absolute-form upper-case scheme", "GET HTTP://X/_ping HTTP/1.1\r\nHost: X\r\n\r\n")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "absolute-form without path", "GET http://x HTTP/1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "scheme without authority", get("http:/_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "unix scheme", get("unix:///var/run/docker.sock/v1.41/_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "absolute-form to create", withBody("POST", "http://x:2375/v1.41/containers/create", "{}"))
                .expect(bad()).build());
        all.add(HostileCase.of(c, "network-path reference", get("//evil/_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "relative target", get("_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "relative path with a slash", get("x/_ping")).expect(bad()).build());
        all.add(HostileCase.of(c, "absolute-form with an IPv6 literal", "GET http://[::1]/_ping HTTP/1.1\r\nHost: x\r\n\r\n")
                .expect(bad()).why("Undertow's Host check refuses it first; dockgate answers with its JSON 400").build());
        all.add(HostileCase.of(c, "absolute-form with an IPv6 literal and port, matching Host",
                "GET http://[::1]:2375/_ping HTTP/1.1\r\nHost: [::1]:2375\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "OPTIONS asterisk", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "GET asterisk", get("*")).expect(bad()).build());
        all.add(HostileCase.of(c, "authority-form CONNECT", "CONNECT 127.0.0.1:2375 HTTP/1.1\r\nHost: 127.0.0.1:2375\r\n\r\n")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "fragment in target", get("/containers/json#/../../containers/create")).expect(bad()).build());
        all.add(HostileCase.of(c, "fragment after a query", get("/containers/json?all=1#x")).expect(bad()).build());
    }

    private static void methods(List<HostileCase> all) {
        String c = "method";
        all.add(HostileCase.of(c, "lower-case get", "get /_ping HTTP/1.1\r\nHost: x\r\n\r\n").expect(denied()).build());
        all.add(HostileCase.of(c, "mixed-case Get", "Get /_ping HTTP/1.1\r\nHost: x\r\n\r\n").expect(denied()).build());
        all.add(HostileCase.of(c, "GETT", "GETT /_ping HTTP/1.1\r\nHost: x\r\n\r\n").expect(denied()).build());
        all.add(HostileCase.of(c, "CONNECT with a path", "CONNECT /_ping HTTP/1.1\r\nHost: x\r\n\r\n").expect(denied()).build());
        all.add(HostileCase.of(c, "TRACE", "TRACE /_ping HTTP/1.1\r\nHost: x\r\n\r\n").expect(denied()).build());
        all.add(HostileCase.of(c, "OPTIONS on a route", "OPTIONS /containers/json HTTP/1.1\r\nHost: x\r\n\r\n").expect(denied()).build());
        all.add(HostileCase.of(c, "PROPFIND", "PROPFIND /containers/json HTTP/1.1\r\nHost: x\r\nDepth: 1\r\n\r\n").expect(denied()).build());
        all.add(HostileCase.of(c, "200-character method", "A".repeat(200) + " /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "DELETE a container", req("DELETE", "/v1.41/containers/abc?force=1")).expect(denied()).build());
        all.add(HostileCase.of(c, "create a container", withBody("POST", "/v1.41/containers/create", "{\"Image\":\"x\"}",
                "Content-Type: application/json")).expect(denied()).build());
        all.add(HostileCase.of(c, "PUT an archive", withBody("PUT", "/v1.41/containers/abc/archive?path=/", "tar")).expect(denied()).build());
        all.add(HostileCase.of(c, "HEAD on a GET-only route", req("HEAD", "/containers/json")).expect(denied().toHead()).build());
        all.add(HostileCase.of(c, "POST on ping", withBody("POST", "/_ping", "")).expect(denied()).build());
        all.add(HostileCase.of(c, "GET export", get("/v1.41/containers/abc/export")).expect(denied()).build());
        all.add(HostileCase.of(c, "GET image tarball", get("/v1.41/images/abc/get")).expect(denied()).build());
        all.add(HostileCase.of(c, "GET archive", get("/v1.41/containers/abc/archive?path=/etc/shadow")).expect(denied()).build());
        all.add(HostileCase.of(c, "GET logs (opt-in only)", get("/v1.41/containers/abc/logs?stdout=1")).expect(denied()).build());
        all.add(HostileCase.of(c, "pull (opt-in only)", withBody("POST", "/v1.41/images/create?fromImage=evil&tag=1", "")).expect(denied()).build());
        all.add(HostileCase.of(c, "exec create", withBody("POST", "/v1.41/containers/abc/exec", "{\"Cmd\":[\"sh\"]}")).expect(denied()).build());
        all.add(HostileCase.of(c, "exec start", withBody("POST", "/v1.41/exec/abc/start", "{}")).expect(denied()).build());
        all.add(HostileCase.of(c, "build", withBody("POST", "/v1.41/build", "tar")).expect(denied()).build());
        all.add(HostileCase.of(c, "TAB as request-line separator", "GET\t/_ping\tHTTP/1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "two spaces before target", "GET  /_ping HTTP/1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "leading space before method", " GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "separator in method", "GE(T /_ping HTTP/1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
    }

    private static void queries(List<HostileCase> all) {
        String c = "query-constraints";
        all.add(HostileCase.of(c, "repo with a tag inside", withBody("POST", "/images/a/tag?repo=evil:latest", "")).expect(denied()).build());
        all.add(HostileCase.of(c, "repo twice", withBody("POST", "/images/a/tag?repo=b&repo=traefik", "")).expect(denied()).build());
        all.add(HostileCase.of(c, "semicolon separator", withBody("POST", "/images/a/tag?repo=b;repo=traefik", "")).expect(bad()).build());
        all.add(HostileCase.of(c, "malformed escape", withBody("POST", "/images/a/tag?repo=b%ZZ", "")).expect(bad())
                .why("Undertow's parser refuses it; dockgate answers with its JSON 400").build());
        all.add(HostileCase.of(c, "encoded CRLF in tag", withBody("POST", "/images/a/tag?repo=b&tag=v1%0d%0aX", "")).expect(denied()).build());
        all.add(HostileCase.of(c, "upper-case repo", withBody("POST", "/images/a/tag?repo=Traefik", "")).expect(denied()).build());
        all.add(HostileCase.of(c, "encoded dots as tag", withBody("POST", "/images/a/tag?repo=b&tag=%2e%2e", "")).expect(denied()).build());
        all.add(HostileCase.of(c, "plus is a space", withBody("POST", "/images/a/tag?repo=b+c", "")).expect(denied()).build());
        all.add(HostileCase.of(c, "tag twice", withBody("POST", "/images/a/tag?repo=b&tag=x&tag=latest", "")).expect(denied()).build());
        all.add(HostileCase.of(c, "encoded NUL in repo", withBody("POST", "/images/a/tag?repo=b%00", "")).expect(denied()).build());
        all.add(HostileCase.of(c, "bad UTF-8 in repo", withBody("POST", "/images/a/tag?repo=b%c0%ae", "")).expect(bad()).build());
        all.add(HostileCase.of(c, "missing repo", withBody("POST", "/images/a/tag?REPO=traefik", "")).expect(denied()).build());
        all.add(HostileCase.of(c, "tag via GET", get(TAG)).expect(denied()).build());
        all.add(HostileCase.of(c, "query starting with '?'", get("/containers/json??all=1")).expect(bad())
                .why("Undertow drops that '?', Go reads the name '?all': two readings").build());
        all.add(HostileCase.of(c, "'?' inside a query", get("/containers/json?all=1?x")).expect(ok())
                .daemon("GET /containers/json?all=1%3Fx").why("one reading: re-encoded").build());
        all.add(HostileCase.of(c, "encoded repo name passes decoded check", withBody("POST", "/images/a/tag?repo=team%2Fapp&tag=v1", ""))
                .expect(ok()).daemon("POST /images/a/tag?repo=team%2Fapp&tag=v1")
                .why("the query is forwarded as sent; its decoded value was checked").build());
    }

    private static void overrides(List<HostileCase> all) {
        String c = "method-override";
        all.add(HostileCase.of(c, "X-HTTP-Method-Override: POST on a GET", req("GET", "/containers/json", "X-HTTP-Method-Override: POST"))
                .expect(ok()).daemon("GET /containers/json").header("X-HTTP-Method-Override", "POST").why("the daemon sees the GET it was allowed").build());
        all.add(HostileCase.of(c, "X-HTTP-Method-Override: DELETE on a GET", req("GET", "/v1.41/containers/abc/json",
                "X-HTTP-Method-Override: DELETE")).expect(ok()).daemon("GET /v1.41/containers/abc/json").build());
        all.add(HostileCase.of(c, "X-HTTP-Method: PUT on a GET", req("GET", "/containers/json", "X-HTTP-Method: PUT"))
                .expect(ok()).daemon("GET /containers/json").build());
        all.add(HostileCase.of(c, "X-Method-Override: POST on a GET", req("GET", "/containers/json", "X-Method-Override: POST"))
                .expect(ok()).daemon("GET /containers/json").build());
        all.add(HostileCase.of(c, "_method query parameter", get("/containers/json?_method=DELETE")).expect(ok())
                .daemon("GET /containers/json?_method=DELETE").build());
        all.add(HostileCase.of(c, "POST dressed as GET", withBody("POST", "/containers/create", "{}", "X-HTTP-Method-Override: GET"))
                .expect(denied()).build());
        all.add(HostileCase.of(c, "POST to a GET route with override", withBody("POST", "/containers/json", "",
                "X-HTTP-Method-Override: GET")).expect(denied()).build());
    }

    private static void upgrades(List<HostileCase> all) {
        String c = "upgrade";
        all.add(HostileCase.of(c, "Upgrade: tcp on ping", req("GET", "/_ping", "Connection: Upgrade", "Upgrade: tcp"))
                .expect(upgrade()).build());
        all.add(HostileCase.of(c, "h2c with HTTP2-Settings", req("GET", "/_ping", "Connection: Upgrade, HTTP2-Settings",
                "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA")).expect(upgrade()).build());
        all.add(HostileCase.of(c, "Connection: Upgrade without Upgrade", req("GET", "/v1.41/containers/json", "Connection: Upgrade"))
                .expect(upgrade()).build());
        all.add(HostileCase.of(c, "Upgrade without Connection", req("GET", "/_ping", "Upgrade: tcp")).expect(upgrade()).build());
        all.add(HostileCase.of(c, "websocket attach", req("GET", "/v1.41/containers/abc/attach/ws?stream=1&stdin=1",
                "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")).expect(upgrade()).build());
        all.add(HostileCase.of(c, "hijacked attach", withBody("POST", "/v1.41/containers/abc/attach?stream=1&stdin=1&stdout=1", "",
                "Connection: Upgrade", "Upgrade: tcp")).expect(upgrade()).build());
        all.add(HostileCase.of(c, "hijacked exec start", withBody("POST", "/v1.41/exec/abc/start", "{\"Detach\":false,\"Tty\":true}",
                "Connection: Upgrade", "Upgrade: tcp", "Content-Type: application/json")).expect(upgrade()).build());
        all.add(HostileCase.of(c, "session h2c", withBody("POST", "/session", "", "Connection: Upgrade", "Upgrade: h2c",
                "X-Docker-Expose-Session-Uuid: x")).expect(upgrade()).build());
        all.add(HostileCase.of(c, "upgrade listed second", req("GET", "/_ping", "Connection: keep-alive, Upgrade", "Upgrade: tcp"))
                .expect(upgrade()).build());
        all.add(HostileCase.of(c, "upper-case UPGRADE token", req("GET", "/_ping", "Connection: UPGRADE")).expect(upgrade()).build());
        all.add(HostileCase.of(c, "upgrade in a second Connection header", req("GET", "/_ping", "Connection: keep-alive",
                "Connection: upgrade", "Upgrade: tcp")).expect(upgrade()).build());
        all.add(HostileCase.of(c, "lower-case upgrade header", req("GET", "/_ping", "connection: upgrade", "upgrade: websocket"))
                .expect(upgrade()).build());
        all.add(HostileCase.of(c, "empty Upgrade header", req("GET", "/_ping", "Upgrade:")).expect(upgrade()).build());
        all.add(HostileCase.of(c, "no space after colon", req("GET", "/_ping", "Connection:upgrade", "Upgrade:tcp")).expect(upgrade()).build());
        all.add(HostileCase.of(c, "tabs around the token", req("GET", "/_ping", "Connection:\tupgrade\t", "Upgrade: tcp"))
                .expect(upgrade()).build());
        all.add(HostileCase.of(c, "close and upgrade", req("GET", "/_ping", "Connection: close, upgrade", "Upgrade: tcp"))
                .expect(upgrade()).build());
        all.add(HostileCase.of(c, "upgrade on a denied route", withBody("POST", "/containers/create", "{}", "Connection: Upgrade",
                "Upgrade: tcp")).expect(upgrade()).build());
        all.add(HostileCase.of(c, "x-upgrade token is not an upgrade", req("GET", "/_ping", "Connection: x-upgrade"))
                .expect(ok()).daemon("GET /_ping").why("negative control: a different token").build());
        all.add(HostileCase.of(c, "Proxy-Connection: Upgrade is dropped", req("GET", "/_ping", "Proxy-Connection: Upgrade"))
                .expect(ok()).daemon("GET /_ping").why("hop-by-hop, never forwarded").build());
        all.add(HostileCase.of(c, "Upgrade hidden by obs-fold", req("GET", "/_ping", "X-A: 1", " Upgrade: tcp"))
                .expect(ok()).daemon("GET /_ping").header("X-A", "1 Upgrade: tcp").header("Upgrade", null)
                .why("Undertow unfolds the line into X-A's value; no Upgrade header exists anywhere").build());
        all.add(HostileCase.of(c, "space before colon in Upgrade", req("GET", "/_ping", "Upgrade : tcp")).expect(bad()).build());
    }

    private static void smuggling(List<HostileCase> all) {
        String c = "smuggling";
        all.add(HostileCase.of(c, "CL.TE", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nX" + SMUGGLED).expect(bad()).build());
        all.add(HostileCase.of(c, "TE.CL", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
                + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "duplicate Content-Length, same", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Content-Length: 5\r\n\r\nhello").expect(bad()).build());
        all.add(HostileCase.of(c, "duplicate Content-Length, different", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                + "Content-Length: " + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED).expect(bad()).build());
        all.add(HostileCase.of(c, "Content-Length list 5, 5", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "Content-Length +5", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "Content-Length 0x5", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0x5\r\n\r\nhello")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "Content-Length -1", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\nhello")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "Content-Length overflow", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\nhello")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "empty Content-Length", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "Content-Length with leading zeros", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nContent-Length: 005\r\n\r\nhello")
                .expect(ok()).daemon("POST " + TAG).bodies("").why("005 is 5: the body is read as 5 bytes, then dropped: the tag route takes no body").build());
        all.add(HostileCase.of(c, "Transfer-Encoding: xchunked", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n"
                + "0\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "Transfer-Encoding with leading spaces", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:   chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n").expect(ok()).daemon("POST " + TAG).bodies("").why("optional whitespace; plain chunked").build());
        all.add(HostileCase.of(c, "Transfer-Encoding: chunked, identity", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "Transfer-Encoding after TAB", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\tchunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n").expect(ok()).daemon("POST " + TAG).bodies("").build());
        all.add(HostileCase.of(c, "space before the colon of Transfer-Encoding", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding : chunked\r\n\r\n" + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "two Transfer-Encoding headers", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "chunked then identity headers", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Transfer-Encoding: identity\r\n\r\n0\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "Transfer-Encoding by obs-fold", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n").expect(ok()).daemon("POST " + TAG).bodies("")
                .why("unfolded to 'chunked' by Undertow; the gateway re-frames the body it read").build());
        all.add(HostileCase.of(c, "upper-case CHUNKED", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: CHUNKED\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n").expect(ok()).daemon("POST " + TAG).bodies("").why("case-insensitive coding; forwarded as chunked").build());
        all.add(HostileCase.of(c, "Transfer-Encoding: identity", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "Transfer-Encoding: gzip, chunked", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "chunked GET", "GET /_ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "smuggled request inside an allowed CL body", withBody("POST", TAG, SMUGGLED) + get("/_ping"))
                .expect(ok(), ok()).daemon("POST " + TAG, "GET /_ping").bodies("", "").why("the body stays a body, read to its end and dropped: the tag route takes none").build());
        all.add(HostileCase.of(c, "smuggled request inside an allowed chunked body", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n"
                + get("/_ping")).expect(ok(), ok()).daemon("POST " + TAG, "GET /_ping").bodies("", "").build());
        all.add(HostileCase.of(c, "chunk extension", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=\"x\"\r\nhello\r\n0\r\n\r\n").expect(ok()).daemon("POST " + TAG).bodies("").build());
        all.add(HostileCase.of(c, "chunk size overflow", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "fffffffffffffffff1\r\nhello\r\n0\r\n\r\n" + SMUGGLED).expect(status(true, 400, 502)).build());
        all.add(HostileCase.of(c, "negative chunk size", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "-1\r\nhello\r\n0\r\n\r\n" + SMUGGLED).expect(status(true, 400, 502)).build());
        all.add(HostileCase.of(c, "chunk longer than its size", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhelloXX\r\n0\r\n\r\n" + SMUGGLED).expect(ok(), denied()).daemon("POST " + TAG).bodies("")
                .why("Undertow skips the junk after the chunk; the body is dropped (the tag route takes none); what follows is judged as a request").build());
        all.add(HostileCase.of(c, "request smuggled as a trailer", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n" + SMUGGLED).expect(rejected())
                .why("the request line is no trailer: the parser gives up and closes; the daemon records nothing").build());
        all.add(HostileCase.of(c, "request after the last chunk is a new request", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED).expect(ok(), denied()).daemon("POST " + TAG).build());
        all.add(HostileCase.of(c, "GET with a body holding a request", withBody("GET", "/_ping", req("DELETE", "/containers/abc")))
                .expect(bad(), closed()).why("refused, and the connection closed so the body is never read as a request").build());
        all.add(HostileCase.of(c, "HEAD with a body", withBody("HEAD", "/_ping", "hello")).expect(rejected().toHead(), closed()).build());
        all.add(HostileCase.of(c, "GET announcing a body it never sends", "GET /_ping HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "Expect 100-continue on a denied call", "POST /containers/create HTTP/1.1\r\nHost: x\r\n"
                + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n").expect(denied()).build());
        all.add(HostileCase.of(c, "body shorter than announced, then half-close", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 100\r\n\r\nhello").halfClose().expect(status(true, 400, 502)).build());
    }

    private static void pipelining(List<HostileCase> all) {
        String c = "pipelining";
        all.add(HostileCase.of(c, "allowed, denied, allowed", get("/_ping") + req("DELETE", "/v1.41/containers/abc") + get("/v1.41/version"))
                .expect(ok(), denied(), ok()).daemon("GET /_ping", "GET /v1.41/version").build());
        all.add(HostileCase.of(c, "denied with a body holding a request, then allowed",
                withBody("POST", "/containers/create", req("DELETE", "/containers/abc")) + get("/_ping"))
                .expect(denied(), closed())
                .why("the denied call's body is not read as a request: no 403 for DELETE appears").build());
        all.add(HostileCase.of(c, "denied chunked body holding a request, then allowed", "POST /containers/create HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n"
                + get("/_ping")).expect(denied(), closed())
                .why("a refused call's body is never read; the connection is closed instead").build());
        StringBuilder many = new StringBuilder();
        HostileCase.Slot[] slots = new HostileCase.Slot[30];
        String[] lines = new String[30];
        for (int i = 0; i < 30; i++) {
            many.append(get("/v1.41/containers/c" + i + "/json"));
            slots[i] = ok();
            lines[i] = "GET /v1.41/containers/c" + i + "/json";
        }
        all.add(HostileCase.of(c, "30 allowed calls in one write", many.toString()).expect(slots).daemon(lines).build());
        all.add(HostileCase.of(c, "allowed, non-canonical, allowed", get("/_ping") + get("/v1.41/../containers/create") + get("/_ping"))
                .expect(ok(), bad(), closed()).daemon("GET /_ping").build());
        all.add(HostileCase.of(c, "allowed, upgrade, allowed", get("/_ping") + req("GET", "/_ping", "Connection: Upgrade", "Upgrade: tcp")
                + get("/version")).expect(ok(), upgrade(), ok()).daemon("GET /_ping", "GET /version").build());
        all.add(HostileCase.of(c, "allowed, absolute-form, allowed", get("/_ping") + "GET http://x/containers/json HTTP/1.1\r\nHost: x\r\n\r\n"
                + get("/_ping")).expect(ok(), bad(), closed()).daemon("GET /_ping").build());
        all.add(HostileCase.of(c, "allowed tag with body, denied, allowed", withBody("POST", TAG, "hello") + withBody("POST",
                "/containers/create", "") + get("/info")).expect(ok(), denied(), ok()).daemon("POST " + TAG, "GET /info").build());
        all.add(HostileCase.of(c, "HTTP/1.1 then HTTP/1.0", get("/_ping") + "GET /version HTTP/1.0\r\n\r\n" + get("/info"))
                .expect(ok(), ok(), closed()).daemon("GET /_ping", "GET /version").why("HTTP/1.0 without keep-alive ends the connection").build());
        all.add(HostileCase.of(c, "blank lines between requests", get("/_ping") + "\r\n\r\n" + get("/info")).expect(ok(), bad())
                .daemon("GET /_ping").why("Undertow does not skip empty lines before a request line: 400 and close").build());
        all.add(HostileCase.of(c, "allowed then half a request", get("/_ping") + "GET /containers/json HTTP/1.1\r\nHo").halfClose()
                .expect(ok(), closed()).daemon("GET /_ping").build());
    }

    private static void httpVersions(List<HostileCase> all) {
        String c = "http-version";
        all.add(HostileCase.of(c, "HTTP/1.0 without Host", "GET /_ping HTTP/1.0\r\n\r\n").expect(ok()).daemon("GET /_ping").build());
        all.add(HostileCase.of(c, "HTTP/1.0 with Host", "GET /_ping HTTP/1.0\r\nHost: x\r\n\r\n").expect(ok()).daemon("GET /_ping").build());
        all.add(HostileCase.of(c, "HTTP/1.0 keep-alive", "GET /_ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").expect(ok())
                .daemon("GET /_ping").build());
        all.add(HostileCase.of(c, "HTTP/1.0 create", "POST /containers/create HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}").expect(denied()).build());
        all.add(HostileCase.of(c, "HTTP/1.0 chunked", "POST " + TAG + " HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                .expect(ok()).daemon("POST " + TAG).bodies("").build());
        all.add(HostileCase.of(c, "HTTP/0.9", "GET /_ping\r\n").halfClose().expect(bad()).build());
        all.add(HostileCase.of(c, "no version, blank line", "GET /_ping\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "HTTP/2 preface and SETTINGS frame",
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\u0006\u0004\0\0\0\0\0\0\u0003\0\0\0\u0064").expect(bad()).build());
        all.add(HostileCase.of(c, "HTTP/1.2", "GET /_ping HTTP/1.2\r\nHost: x\r\n\r\n").expect(ok()).daemon("GET /_ping")
                .why("Undertow reads an unknown 1.x version as HTTP/1.1; the daemon gets HTTP/1.1").build());
        all.add(HostileCase.of(c, "HTTP/2.0 request line", "GET /_ping HTTP/2.0\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "HTTP/1.1.1", "GET /_ping HTTP/1.1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "lower-case http/1.1", "GET /_ping http/1.1\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "HTTP/9.9", "GET /_ping HTTP/9.9\r\nHost: x\r\n\r\n").expect(ok()).daemon("GET /_ping")
                .why("as HTTP/1.2: read and forwarded as HTTP/1.1").build());
        all.add(HostileCase.of(c, "extra token after version", "GET /_ping HTTP/1.1 x\r\nHost: x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "HTTP/1.1 without Host", "GET /_ping HTTP/1.1\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "two Host headers", "GET /_ping HTTP/1.1\r\nHost: x\r\nHost: evil\r\n\r\n").expect(bad()).build());
    }

    private static void lineEnds(List<HostileCase> all) {
        String c = "line-ends-and-injection";
        all.add(HostileCase.of(c, "bare LF everywhere", "GET /_ping HTTP/1.1\nHost: x\n\n").expect(bad()).build());
        all.add(HostileCase.of(c, "bare LF before Upgrade", "GET /_ping HTTP/1.1\r\nHost: x\nUpgrade: tcp\r\n\r\n")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "bare LF before Transfer-Encoding", "GET /_ping HTTP/1.1\r\nX: a\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "bare LF before Content-Length", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nX: a\nContent-Length: "
                + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED).expect(bad()).build());
        all.add(HostileCase.of(c, "bare CR line ends", "GET /_ping HTTP/1.1\rHost: x\r\r").halfClose().expect(bad()).build());
        all.add(HostileCase.of(c, "encoded CRLF in path", get("/_ping%0d%0aUpgrade:%20tcp")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded LF in path", get("/_ping%0aX:%20y")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded CRLFCRLF and a second request in path",
                get("/_ping%0d%0a%0d%0aPOST%20/containers/create%20HTTP/1.1")).expect(bad()).build());
        all.add(HostileCase.of(c, "encoded CRLF in header value stays text", req("GET", "/_ping", "X-A: a%0d%0aUpgrade: tcp"))
                .expect(ok()).daemon("GET /_ping").why("header values are not decoded by anyone").build());
        all.add(HostileCase.of(c, "obs-fold continuation", req("GET", "/_ping", "X-A: a", "\tb")).expect(ok())
                .daemon("GET /_ping").header("X-A", "a b").why("unfolded with a space, as RFC 9112 allows").build());
    }

    private static void headerSyntax(List<HostileCase> all) {
        String c = "header-syntax";
        all.add(HostileCase.of(c, "space inside a header name", req("GET", "/_ping", "X A: b")).expect(bad()).build());
        all.add(HostileCase.of(c, "space before colon in Host", "GET /_ping HTTP/1.1\r\nHost : x\r\n\r\n").expect(bad()).build());
        all.add(HostileCase.of(c, "colon inside a value", req("GET", "/_ping", "X:A: b")).expect(ok()).daemon("GET /_ping")
                .why("the name is X, the value 'A: b'").build());
        all.add(HostileCase.of(c, "empty header name", req("GET", "/_ping", ": x")).expect(bad()).build());
        all.add(HostileCase.of(c, "header line without a colon", req("GET", "/_ping", "NoColonHere")).expect(bad()).build());
        all.add(HostileCase.of(c, "pseudo-header name", req("GET", "/_ping", ":authority: evil")).expect(bad()).build());
        all.add(HostileCase.of(c, "parenthesis in a header name", req("GET", "/_ping", "X(A): 1")).expect(bad()).build());
        all.add(HostileCase.of(c, "TAB before colon of Content-Length", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nContent-Length\t: 5\r\n\r\nhello")
                .expect(bad()).build());
        all.add(HostileCase.of(c, "Connection names Host", req("GET", "/_ping", "Connection: Host")).expect(ok()).daemon("GET /_ping")
                .header("Host", "api.moby.localhost")
                .why("the gateway still sends its own Host").build());
        all.add(HostileCase.of(c, "Connection names Content-Length", "POST " + TAG + " HTTP/1.1\r\nHost: x\r\nConnection: Content-Length\r\n"
                + "Content-Length: 5\r\n\r\nhello").expect(ok()).daemon("POST " + TAG).bodies("").build());
        all.add(HostileCase.of(c, "Connection names Authorization", req("GET", "/_ping", "Connection: Authorization",
                "Authorization: Basic eDp5")).expect(ok()).daemon("GET /_ping").header("Authorization", null)
                .why("a header the client names in Connection is hop-by-hop and dropped").build());
        all.add(HostileCase.of(c, "Host with NUL", req("GET", "/_ping", "X-Forwarded-Host: evil").replace("Host: x", "Host: x\0y"))
                .expect(bad()).build());
    }

    private static void sizes(List<HostileCase> all) {
        String c = "size";
        all.add(HostileCase.of(c, "100 KB path on an allowed route", get("/containers/" + "a".repeat(100 * 1024) + "/json"))
                .expect(refused()).build());
        all.add(HostileCase.of(c, "9 KB path on an allowed route", get("/containers/" + "a".repeat(9 * 1024) + "/json"))
                .expect(refused()).why("over the 8 KiB target limit").build());
        all.add(HostileCase.of(c, "100 KB query on an allowed route", get("/containers/json?filters=" + "a".repeat(100 * 1024)))
                .expect(refused()).build());
        all.add(HostileCase.of(c, "100 KB single header", req("GET", "/_ping", "X-Big: " + "b".repeat(100 * 1024))).expect(refused()).build());
        all.add(HostileCase.of(c, "17 KB single header", req("GET", "/_ping", "X-Big: " + "b".repeat(17 * 1024))).expect(refused())
                .why("over the 16 KiB header limit").build());
        all.add(HostileCase.of(c, "101 headers", req("GET", "/_ping", numbered(101, 1))).expect(refused()).build());
        all.add(HostileCase.of(c, "5000 small headers", req("GET", "/_ping", numbered(5000, 1))).expect(refused()).build());
        all.add(HostileCase.of(c, "head over 1 MB", req("GET", "/_ping", numbered(1100, 1000))).expect(refused()).build());
        all.add(HostileCase.of(c, "64 KB header name", req("GET", "/_ping", "X" + "n".repeat(64 * 1024) + ": 1")).expect(refused()).build());
        all.add(HostileCase.of(c, "2 MB without a line end", "GET /" + "z".repeat(2 * 1024 * 1024)).expect(refused()).build());
    }

    private static String[] numbered(int count, int valueLength) {
        String[] lines = new String[count];
        for (int i = 0; i < count; i++) {
            lines[i] = "X-H" + i + ": " + "v".repeat(valueLength);
        }
        return lines;
    }
}
