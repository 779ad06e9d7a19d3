package dev.billingportal.core.config;

import dev.billingportal.core.PortalService;

import dev.billingportal.core.i18n.PortalLocales;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What differs per tenant in how the portal is presented: which web origins may embed the portal page in a
 * frame, and the language for customers whose session and profile name none. Resolved per tenant by the
 * function given to {@link PortalService.Builder#tenantSettings(java.util.function.Function)}.
 *
 * <pre>{@code
 * TenantSettings.DEFAULT.withFrameAncestors("https://app.acme.example", "https://admin.acme.example")
 *     .withDefaultLocale(Locale.GERMAN);
 * }</pre>
 *
 * <p>Origins become the page's {@code Content-Security-Policy: frame-ancestors} directive, so they are
 * checked strictly: {@code http} or {@code https}, a host name or IPv4 address, an optional port, and nothing
 * else (no path, no query, no wildcard, no CSP keyword such as {@code 'self'} or {@code *}). Wildcards are not
 * supported on purpose: list every origin that frames the portal. They are stored normalised (lower case,
 * without a default port) and without duplicates.
 *
 * @param frameAncestors origins allowed to frame the portal page; empty (the default) means no one may
 * @param defaultLocale  the tenant's language, a supported one (see {@link PortalLocales#SUPPORTED} and
 *                       {@link PortalLocales#match(Locale)}), or null to use the service's default
 */
public record TenantSettings(List<String> frameAncestors, Locale defaultLocale) {

    /** No framing, the service's default language: what every tenant gets unless configured otherwise. */
    public static final TenantSettings DEFAULT = new TenantSettings(List.of(), null);
    /** Most origins one tenant may list; a longer list is almost certainly a configuration mistake. */
    public static final int MAX_FRAME_ANCESTORS = 32;

    // Host labels of letters, digits and hyphens (or a dotted IPv4 address), optionally a port: nothing that
    // could close the directive (';', ',', blanks, quotes) can pass.
    private static final Pattern ORIGIN = Pattern.compile(
            "(https?)://([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)(?::([0-9]{1,5}))?");

    /** Validates and normalises the origins; an unsupported language is refused. */
    public TenantSettings {
        Objects.requireNonNull(frameAncestors, "frameAncestors");
        if (frameAncestors.size() > MAX_FRAME_ANCESTORS) {
            throw new IllegalArgumentException("at most " + MAX_FRAME_ANCESTORS + " frame ancestors per tenant, were "
                    + frameAncestors.size());
        }
        LinkedHashSet<String> origins = new LinkedHashSet<>();
        for (String origin : frameAncestors) {
            origins.add(normaliseOrigin(origin));
        }
        frameAncestors = List.copyOf(origins);
        if (defaultLocale != null && PortalLocales.match(defaultLocale).isEmpty()) {
            throw new IllegalArgumentException("defaultLocale " + defaultLocale.toLanguageTag()
                    + " is not a supported portal language; supported: " + PortalLocales.SUPPORTED);
        }
    }

    /** A copy whose page may be framed by exactly these origins (none: not framable). */
    public TenantSettings withFrameAncestors(String... origins) {
        return withFrameAncestors(List.of(origins));
    }

    /** A copy whose page may be framed by exactly these origins (empty: not framable). */
    public TenantSettings withFrameAncestors(List<String> origins) {
        return new TenantSettings(origins, defaultLocale);
    }

    /** A copy with this default language (null: the service's default). */
    public TenantSettings withDefaultLocale(Locale locale) {
        return new TenantSettings(frameAncestors, locale);
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
