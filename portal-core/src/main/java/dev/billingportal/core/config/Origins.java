package dev.billingportal.core.config;



import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Origins ({@code scheme://host[:port]}) as the Content-Security-Policy's {@code frame-ancestors} and
 * {@code postMessage} need them: validated, in their normal form, so that nothing that could close the directive or
 * widen it ({@code ;}, {@code ,}, blanks, quotes, wildcards) ever reaches a header.
 */
public final class Origins {
    // Host labels of letters, digits and hyphens (or a dotted IPv4 address), optionally a port: nothing that
    // could close the directive (';', ',', blanks, quotes) can pass.
    private static final Pattern ORIGIN = Pattern.compile(
            "(https?)://([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)(?::([0-9]{1,5}))?");

    private Origins() {
    }

    /**
     * Parses a comma-separated list of origins, as found in an environment variable or a properties file;
     * blank entries are ignored.
     *
     * @throws IllegalArgumentException naming the first entry that is not a valid origin
     */
    public static List<String> parseOrigins(String commaSeparated) {
        List<String> origins = new ArrayList<>();
        if (commaSeparated == null) {
            return origins;
        }
        for (String part : commaSeparated.split(",", -1)) {
            if (!part.isBlank()) {
                origins.add(normaliseOrigin(part.strip()));
            }
        }
        return origins;
    }

    /**
     * The origin in its normal form: lower case, without the default port of its scheme.
     *
     * @throws IllegalArgumentException when it is not {@code http(s)://host[:port]}
     */
    public static String normaliseOrigin(String origin) {
        if (origin == null) {
            throw new IllegalArgumentException("a frame ancestor origin must not be null");
        }
        var matcher = ORIGIN.matcher(origin.toLowerCase(Locale.ROOT));
        int port = -1;
        if (origin.length() <= 300 && matcher.matches() && matcher.group(3) != null) {
            port = Integer.parseInt(matcher.group(3));
        }
        if (origin.length() > 300 || !matcher.matches() || port == 0 || port > 65_535) {
            throw new IllegalArgumentException("frame ancestor '" + printable(origin)
                    + "' must be an origin like https://app.example.com or http://localhost:3000:"
                    + " scheme, host and optional port (1-65535), without path, wildcard or quotes");
        }
        String scheme = matcher.group(1);
        String host = matcher.group(2);
        if (port == ("https".equals(scheme) ? 443 : 80)) {
            port = -1;
        }
        try {
            return new URI(scheme, null, host, port, null, null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("frame ancestor '" + printable(origin) + "' is not a valid origin", e);
        }
    }

    private static String printable(String value) {
        String shortened = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
