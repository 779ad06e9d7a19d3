package dev.billingportal.servlet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The proxies whose {@code X-Forwarded-For} a {@link PortalServlet} believes: IP addresses ({@code 10.0.0.7},
 * {@code ::1}) and CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}). Host names are refused, so that building
 * the set never waits on DNS and a DNS answer cannot widen it.
 *
 * <p>The client's address is the socket's peer unless that peer is trusted; then it is the right-most
 * {@code X-Forwarded-For} entry that is not itself a trusted proxy (every proxy appends the address it saw, so
 * entries left of the first untrusted one were written by the client and prove nothing). When every entry is
 * trusted, the left-most is the client. An entry that is not an IP address stops the walk: the address to its
 * right, the last one a trusted proxy vouched for, is taken. Immutable and thread-safe.
 */
public final class TrustedProxies {
    /** Trusts no proxy: the client's address is always the socket's peer. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * The proxies at these addresses or CIDR ranges.
     *
     * @param addressesOrRanges IP addresses or CIDR ranges, e.g. {@code 10.0.0.0/8}
     * @return the set
     * @throws IllegalArgumentException naming the entry that is neither an IP address nor a CIDR range
     */
    public static TrustedProxies of(String... addressesOrRanges) {
        return of(Arrays.asList(Objects.requireNonNull(addressesOrRanges, "trustedProxies")));
    }

    /**
     * The proxies at these addresses or CIDR ranges.
     *
     * @param addressesOrRanges IP addresses or CIDR ranges, e.g. {@code 10.0.0.0/8}
     * @return the set
     * @throws IllegalArgumentException naming the entry that is neither an IP address nor a CIDR range
     */
    public static TrustedProxies of(Collection<String> addressesOrRanges) {
        Objects.requireNonNull(addressesOrRanges, "trustedProxies");
        List<Range> ranges = new ArrayList<>();
        for (String entry : addressesOrRanges) {
            ranges.add(Range.parse(entry));
        }
        return new TrustedProxies(ranges);
    }

    /**
     * Whether {@code address} (an IP address as text) is one of the trusted proxies.
     *
     * @param address an IP address, e.g. {@code 127.0.0.1}
     * @return true when trusted; false for anything that is not an IP address
     */
    public boolean trusts(String address) {
        Optional<byte[]> bytes = parseAddress(address);
        return bytes.isPresent() && ranges.stream().anyMatch(range -> range.contains(bytes.get()));
    }

    /** Whether no proxy is trusted. */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * The client's address, from the socket's peer and the request's {@code X-Forwarded-For} values, by the rule
     * this class describes.
     *
     * @param peer           the socket's remote address ({@code HttpServletRequest.getRemoteAddr()})
     * @param forwardedFor   every {@code X-Forwarded-For} header value, in the order received
     * @return the client's address
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        if (ranges.isEmpty() || !trusts(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String part : value.split(",", -1)) {
                hops.add(part.strip());
            }
        }
        String vouched = peer; // the address the last trusted hop stands behind
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = withoutPort(hops.get(i));
            if (parseAddress(hop).isEmpty()) {
                return vouched;
            }
            if (!trusts(hop)) {
                return hop;
            }
            vouched = hop;
        }
        return vouched;
    }

    /** The entries, as given, for diagnostics. */
    @Override
    public String toString() {
        return "TrustedProxies" + ranges.stream().map(Range::text).toList();
    }

    /** {@code [::1]:8080} and {@code 10.0.0.1:8080} become their addresses; anything else is left as it is. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    /** {@code [::1]} as {@code ::1}; anything else as it is. */
    static String withoutBrackets(String address) {
        return address != null && address.length() > 2 && address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
    }

    /** The bytes of an IPv4 or IPv6 literal (bracketed or not); empty for anything else, never a DNS look-up. */
    static Optional<byte[]> parseAddress(String address) {
        String text = withoutBrackets(address);
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        boolean ipv4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
        if (!ipv4 && !ipv6) {
            return Optional.empty(); // a host name: InetAddress would resolve it
        }
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) comes back as 4 bytes already.
            return Optional.of(bytes);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private record Range(String text, byte[] network, int prefixBits) {
        static Range parse(String entry) {
            if (entry == null || entry.isBlank()) {
                throw new IllegalArgumentException("trustedProxies: an entry is blank; give IP addresses or CIDR ranges");
            }
            String value = entry.strip();
            int slash = value.indexOf('/');
            String address = slash < 0 ? value : value.substring(0, slash);
            byte[] bytes = parseAddress(address).orElseThrow(() -> new IllegalArgumentException(
                    "trustedProxies: " + entry + " is not an IP address or CIDR range (host names are not accepted)"));
            int bits = bytes.length * 8;
            if (slash >= 0) {
                String prefix = value.substring(slash + 1);
                if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
                    throw new IllegalArgumentException("trustedProxies: " + entry + " has a bad prefix length (0 to "
                            + bits + ")");
                }
                bits = Integer.parseInt(prefix);
            }
            return new Range(value, bytes, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefixBits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }
}
