/**
 * Guard rails on write calls: named sets of checks ({@code CheckSet}, read from a rules file's
 * {@code checks} sections by {@code CheckSetBuilder}), and the checking of the bodies of the routes that
 * can ask for host access ({@code Inspection}: container create, update and exec, volume and network
 * create, network connect, services) and of image pulls ({@code ImagePulls}). A body is read strictly,
 * its keys made canonical by the shape of the daemon's Go type, checked, stamped and written anew, so the
 * daemon acts on exactly what was checked. Also what audit mode learns of them ({@code CheckSetLearner}).
 * Uses {@code dockgate.json} and {@code dockgate.body} only. Immutable but for the learner, which its
 * caller locks; the checks run on the IO thread of the call.
 */
package dockgate.guard;
