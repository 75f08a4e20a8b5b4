package dockgate.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The client address ranges allowed to connect, as CIDR blocks ({@code 10.0.0.0/8}, {@code ::1/128}). */
public final class AllowedClients {

    /** What {@code --allow-from} defaults to when listening on loopback. */
    public static final String LOOPBACK = "127.0.0.0/8,::1/128";

    /**
     * Literal addresses only: a host name here would mean a DNS lookup deciding who gets in. IPv4 takes all
     * four parts, in decimal without leading zeros: the JDK reads {@code 10.1} as 10.0.0.1, where an
     * operator may mean 10.1.0.0/16, and other readers take {@code 010} as octal.
     */
    private static final Pattern ADDRESS = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(?!$)|$)){4}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Block(byte[] network, int prefix, String text) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private AllowedClients(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Everyone: for a listener on a public address whose operator chose not to restrict it. */
    public static AllowedClients anyone() {
        return new AllowedClients(null);
    }

    /** Parses {@code CIDR[,CIDR...]}; a bare address means that one address. */
    public static AllowedClients parse(String list) throws IllegalArgumentException {
        List<Block> blocks = new ArrayList<>();
        for (String item : list.split(",", -1)) {
            String cidr = item.trim();
            if (cidr.isEmpty()) {
                throw new IllegalArgumentException("empty entry in '" + list + "'");
            }
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            if (!ADDRESS.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + cidr + "' is not an address or CIDR block");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + cidr + "' is not an address or CIDR block");
            }
            int bits = network.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("'" + cidr + "' has a prefix length outside 0-" + bits);
                }
            }
            blocks.add(new Block(network, prefix, cidr));
        }
        return new AllowedClients(List.copyOf(blocks));
    }

    public boolean allows(InetAddress address) {
        if (blocks == null) {
            return true;
        }
        byte[] bytes = address.getAddress();
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        // An IPv4 client of a dual-stack listener arrives as ::ffff:a.b.c.d; judge it as the IPv4 address.
        if (bytes.length == 16 && isMappedIpv4(bytes)) {
            byte[] v4 = {bytes[12], bytes[13], bytes[14], bytes[15]};
            for (Block block : blocks) {
                if (block.contains(v4)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isMappedIpv4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    @Override
    public String toString() {
        return blocks == null ? "anyone" : blocks.stream().map(Block::text).collect(Collectors.joining(","));
    }
}
