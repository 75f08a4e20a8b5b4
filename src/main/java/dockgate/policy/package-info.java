/**
 * The rules: their file format and parser, profiles ({@code Rulebook}, a {@code Profile} per profile), the
 * canonical request path and query the rules judge ({@code CanonicalPath}, {@code Query}), decisions, and the
 * live rules that a reload replaces in one write ({@code RulesInForce}), and the Engine API route table as
 * written ({@code RouteTable}), read here because the parser takes from it which routes may hijack. Uses
 * {@code access} (address ranges) and {@code guard} (the checks sections a rule names). Everything but
 * {@code LiveRules} and its watcher is immutable, for any thread; the watcher has a thread of its own.
 */
package dockgate.policy;
