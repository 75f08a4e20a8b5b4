package dockgate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A HOST:PORT to listen on, as given: the host unresolved, IPv6 without its brackets. */
public record ListenAddress(String host, int port) {

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+):([0-9]{1,5})");

    /**
     * Reads {@code HOST:PORT} ({@code [::1]:2375} for IPv6) as given to {@code --OPTION}.
     *
     * @param expected what the option takes, for the message when the text is of another form
     * @param shown    the text to quote in that message (the whole value, options and all)
     */
    static ListenAddress parse(String option, String text, String expected, String shown) throws UsageException {
        Matcher address = HOST_PORT.matcher(text);
        if (!address.matches()) {
            throw new UsageException("--" + option + ": expected " + expected + ", got '" + shown + "'");
        }
        int port = Integer.parseInt(address.group(2));
        if (port > 65535) {
            throw new UsageException("--" + option + ": port " + port + " is out of range");
        }
        String host = address.group(1);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new ListenAddress(host, port);
    }

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
