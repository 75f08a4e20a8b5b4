package dockgate.guard;

import dockgate.json.JsonObject;

import java.util.List;

/**
 * The checks of a network create body and a network connect body: drivers that reach the host's own
 * interfaces (host, macvlan, ipvlan...), driver and IPAM options, subnets that could take over the host's
 * routes, and fixed addresses.
 */
final class NetworkChecks {

    /** What a network may be made with when nothing else is allowed: the daemon's default bridge driver. */
    private static final List<String> DEFAULT_DRIVERS = List.of("", "bridge");

    private final CheckSet set;

    NetworkChecks(CheckSet set) {
        this.set = set;
    }

    void create(JsonObject body) throws Refused {
        String driver = Fields.string(body, "Driver", "");
        if (driver != null && !DEFAULT_DRIVERS.contains(driver) && !set.networkDrivers().contains(driver)) {
            throw new Refused("network-drivers", "Driver " + driver + " is not an allowed network driver",
                    Refused.line("allow network-drivers", driver));
        }
        JsonObject options = Fields.object(body, "Options", "");
        if (options != null && !options.members().isEmpty() && !set.allowed().contains(CheckSet.NETWORK_OPTIONS)) {
            throw new Refused(CheckSet.NETWORK_OPTIONS, "Options sets driver option " + options.members().get(0).key(),
                    "allow " + CheckSet.NETWORK_OPTIONS);
        }
        if (Fields.bool(body, "Ingress", "") || Fields.bool(body, "ConfigOnly", "")
                || Fields.object(body, "ConfigFrom", "") != null) {
            if (!set.allowed().contains(CheckSet.NETWORK_OPTIONS)) {
                throw new Refused(CheckSet.NETWORK_OPTIONS, "the network is an ingress, config-only or config-from network",
                        "allow " + CheckSet.NETWORK_OPTIONS);
            }
        }
        JsonObject ipam = Fields.object(body, "IPAM", "");
        String ipamDriver = Fields.string(ipam, "Driver", "IPAM.");
        if (ipamDriver != null && !ipamDriver.isEmpty() && !ipamDriver.equals("default")
                && !set.networkDrivers().contains(ipamDriver)) {
            throw new Refused("network-drivers", "IPAM.Driver " + ipamDriver + " is not an allowed driver",
                    Refused.line("allow network-drivers", ipamDriver));
        }
        JsonObject ipamOptions = Fields.object(ipam, "Options", "IPAM.");
        if (ipamOptions != null && !ipamOptions.members().isEmpty() && !set.allowed().contains(CheckSet.NETWORK_OPTIONS)) {
            throw new Refused(CheckSet.NETWORK_OPTIONS, "IPAM.Options sets " + ipamOptions.members().get(0).key(),
                    "allow " + CheckSet.NETWORK_OPTIONS);
        }
        // A subnet of the client's choosing becomes a route on the host, and can take over traffic to it.
        if (!Fields.array(ipam, "Config", "IPAM.").isEmpty() && !set.allowed().contains(CheckSet.STATIC_ADDRESSES)) {
            throw new Refused(CheckSet.STATIC_ADDRESSES, "IPAM.Config chooses the network's subnets and addresses",
                    "allow " + CheckSet.STATIC_ADDRESSES);
        }
        new LabelChecks(set).required(body, "");
    }

    /** A network a container (or a service's task) joins by name: the host's needs its allowance, others the list. */
    void joins(String network, String where) throws Refused {
        if ("host".equals(network) && !set.hostModes().contains("network host")) {
            throw new Refused("network", where + " joins the host's network", "allow network host");
        }
        if (network != null && set.networks() != null && !set.networks().contains(network)) {
            throw new Refused("networks", where + " joins network " + network);
        }
    }

    void connect(JsonObject body) throws Refused {
        endpoint(Fields.object(body, "EndpointConfig", ""), "EndpointConfig");
    }

    /** An endpoint of a container on a network, in a create's EndpointsConfig or a connect. */
    void endpoint(JsonObject endpoint, String where) throws Refused {
        JsonObject ipam = Fields.object(endpoint, "IPAMConfig", where + ".");
        boolean fixed = ipam != null && (nonEmpty(Fields.string(ipam, "IPv4Address", where + ".IPAMConfig."))
                || nonEmpty(Fields.string(ipam, "IPv6Address", where + ".IPAMConfig."))
                || !Fields.array(ipam, "LinkLocalIPs", where + ".IPAMConfig.").isEmpty());
        if ((fixed || nonEmpty(Fields.string(endpoint, "MacAddress", where + ".")))
                && !set.allowed().contains(CheckSet.STATIC_ADDRESSES)) {
            throw new Refused(CheckSet.STATIC_ADDRESSES, where + " fixes the container's address",
                    "allow " + CheckSet.STATIC_ADDRESSES);
        }
    }

    private static boolean nonEmpty(String text) {
        return text != null && !text.isEmpty();
    }
}
