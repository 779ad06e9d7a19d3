package dev.billingportal.core;

/**
 * Who is on the other end of a request, as the host's web stack saw it: recorded in audit events, never used to
 * decide anything. The host fills it in; the library trusts it no more than the host does.
 *
 * <p>The address is whatever the host considers the client's address: the socket's remote address, or a value of
 * {@code X-Forwarded-For} / {@code Forwarded} <em>only</em> when the host sits behind a proxy it trusts to set that
 * header (anyone can send it otherwise). The library never reads forwarding headers itself.
 *
 * <p>Both values are made safe to store and show whatever the client sent: control, format and line-separator
 * characters (and broken surrogates) become {@code U+FFFD}, surrounding blanks are stripped, the address is cut to
 * {@value #MAX_ADDRESS_LENGTH} and the user agent to {@value #MAX_USER_AGENT_LENGTH} UTF-16 units (never inside a
 * surrogate pair), and a blank value becomes null. A hostile {@code User-Agent} therefore never fails a request.
 *
 * @param address   the client's address, e.g. {@code 203.0.113.7} or {@code 2001:db8::1}, or null when unknown
 * @param userAgent the client's {@code User-Agent}, or null when unknown
 */
public record ClientInfo(String address, String userAgent) {
    /** Longest address kept, in UTF-16 units: an IPv6 address with a zone fits with room to spare. */
    public static final int MAX_ADDRESS_LENGTH = 100;
    /** Longest user agent kept, in UTF-16 units; real browsers send about 150. */
    public static final int MAX_USER_AGENT_LENGTH = 512;
    /** Nothing known about the client: what calls without a {@code ClientInfo} record. */
    public static final ClientInfo UNKNOWN = new ClientInfo(null, null);

    /** What a user agent that looks like card data is stored as. */
    public static final String REDACTED = "[redacted: card-like data]";

    private static final char REPLACEMENT = '\uFFFD';

    /** Cleans both values, see the class documentation; never throws for any text. */
    public ClientInfo {
        address = clean(address, MAX_ADDRESS_LENGTH);
        userAgent = clean(userAgent, MAX_USER_AGENT_LENGTH);
        if (dev.billingportal.core.payments.CardData.looksLikeCardData(userAgent)) {
            userAgent = REDACTED; // never stored in an audit trail
        }
    }

    /**
     * Client information, cleaned.
     *
     * @param address   the client's address, or null
     * @param userAgent the client's user agent, or null
     * @return the cleaned information
     */
    public static ClientInfo of(String address, String userAgent) {
        return new ClientInfo(address, userAgent);
    }

    /**
     * {@code value} made safe to store and display: unsafe characters replaced by {@code U+FFFD}, stripped, cut to
     * {@code maxLength} UTF-16 units without splitting a surrogate pair; null when nothing is left.
     *
     * @param value     any text, or null
     * @param maxLength the longest result, at least 2
     * @return the clean text, or null
     */
    public static String clean(String value, int maxLength) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxLength));
        int i = 0;
        while (i < value.length() && out.length() < maxLength) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(i + 1));
                if (out.length() + 2 > maxLength) {
                    break; // never half a pair
                }
                if (unsafe(codePoint)) {
                    out.append(REPLACEMENT);
                } else {
                    out.append(c).append(value.charAt(i + 1));
                }
                i += 2;
                continue;
            }
            out.append(Character.isSurrogate(c) || unsafe(c) ? REPLACEMENT : c);
            i++;
        }
        String cleaned = out.toString().strip();
        return cleaned.isEmpty() ? null : cleaned;
    }

    /** Control (Cc), format (Cf: bidi overrides, zero-width characters), line and paragraph separators. */
    private static boolean unsafe(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE -> true;
            default -> false;
        };
    }
}
