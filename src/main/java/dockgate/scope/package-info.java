/**
 * Label scopes: a profile that sees only the objects carrying given labels. {@code Scope} says which labels
 * and which kinds of object; {@code ScopedRoutes} says what each route of the API becomes under a scope (a
 * list whose {@code filters} gain the labels, a call on one object that is looked up first, a create that is
 * stamped, or a call no scope can contain); {@code ListFilters} merges the labels into a client's filters and
 * {@code ObjectLabels} reads them from the daemon's inspect answers. Nothing here talks to the daemon: the
 * server does the lookups and decides. Immutable throughout.
 */
package dockgate.scope;
