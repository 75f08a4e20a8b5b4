package dockgate;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A HOST:PORT to listen on, as given: the host unresolved, IPv6 without its brackets. */
public record ListenAddress(String host, int port) {

    /**
     * Whether both would bind the same socket: same port and the same address, or a wildcard address
     * (which takes the port on every address). Port 0 asks for a free port and never collides.
     */
    boolean sameAs(ListenAddress other) {
        if (port != other.port || port == 0) {
            return false;
        }
        if (host.equalsIgnoreCase(other.host)) {
            return true;
        }
        InetAddress mine = literal(host);
        InetAddress theirs = literal(other.host);
        if (mine == null || theirs == null) {
            return false;
        }
        return mine.equals(theirs) || mine.isAnyLocalAddress() || theirs.isAnyLocalAddress();
    }

    /** The address if the host is an IP literal; names are not looked up here. */
    private static InetAddress literal(String host) {
        if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
