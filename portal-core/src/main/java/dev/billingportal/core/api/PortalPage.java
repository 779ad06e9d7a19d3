package dev.billingportal.core.api;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.QueryString;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The ready-made portal page: {@code index.html}, {@code portal.css}, {@code portal.js} and one script per feature
 * section ({@code portal-payments.js}, {@code portal-usage.js}, {@code portal-wallets.js}) from the classpath
 * ({@value #ASSET_ROOT}), served under the UI path with strict headers. The page itself carries the portal token
 * in its query, so it is never cached and its Content-Security-Policy names the frame ancestors of the tenant the
 * token was genuinely signed for (none for any other token). Assets carry no data: they are revalidated by ETag.
 */
final class PortalPage {
    static final String ASSET_ROOT = "dev/billingportal/core/ui/";
    /** Placeholder in index.html replaced by the JSON API's base path. */
    static final String API_PLACEHOLDER = "{{api}}";
    /** The assets under {@code assets/}, by name, with their content types. */
    private static final Map<String, String> ASSET_TYPES = Map.of(
            "portal.css", "text/css; charset=utf-8",
            "portal.js", "text/javascript; charset=utf-8",
            // one script per feature section, registering with portal.js (see its "features" block)
            "portal-payments.js", "text/javascript; charset=utf-8",
            "portal-usage.js", "text/javascript; charset=utf-8",
            "portal-wallets.js", "text/javascript; charset=utf-8");
    /** Every route {@link #handle} answers, below the UI path, as {@link PortalApi#PAGE_ROUTES} documents them. */
    static final List<String> ROUTES = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("GET", "GET /", "GET /index.html"),
            ASSET_TYPES.keySet().stream().sorted().map(name -> "GET /assets/" + name)).toList();

    private record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final String uiPath;
    private final byte[] indexHtml;
    private final Map<String, Asset> assets;
    private final Function<String, List<String>> frameAncestorsForToken;
    private final String logoOrigin;

    PortalPage(String uiPath, String apiBasePath, URI logoUrl, Function<String, List<String>> frameAncestorsForToken) {
        this.uiPath = uiPath;
        // The base path is validated to URL-path characters, so it needs no HTML escaping in an attribute.
        this.indexHtml = new String(read("index.html"), StandardCharsets.UTF_8)
                .replace(API_PLACEHOLDER, apiBasePath).getBytes(StandardCharsets.UTF_8);
        Map<String, Asset> loaded = new java.util.HashMap<>();
        ASSET_TYPES.forEach((name, contentType) -> loaded.put(name, asset(name, contentType)));
        this.assets = Map.copyOf(loaded);
        this.frameAncestorsForToken = frameAncestorsForToken;
        this.logoOrigin = logoUrl == null ? null : origin(logoUrl);
    }

    /** Whether {@code path} is one of the page's: the UI path itself or anything under it. */
    boolean owns(String path) {
        return path.equals(uiPath) || path.startsWith(uiPath + "/");
    }

    /** Answers a GET or HEAD for a path this page {@link #owns}; null when there is no such page or asset. */
    PortalResponse handle(PortalRequest request) {
        String path = request.rawPath();
        boolean head = "HEAD".equals(request.method());
        PortalResponse response;
        if (path.equals(uiPath)) {
            response = redirectToSlash(request.rawQuery());
        } else if (path.equals(uiPath + "/") || path.equals(uiPath + "/index.html")) {
            response = page(request.rawQuery());
        } else if (path.startsWith(uiPath + "/assets/") && assets.containsKey(path.substring(uiPath.length() + 8))) {
            response = asset(assets.get(path.substring(uiPath.length() + 8)), request);
        } else {
            return null;
        }
        return head ? new PortalResponse(response.status(), response.headers(), ResponseBody.EMPTY) : response;
    }

    /**
     * {@code /portal} to {@code /portal/}, keeping the query (the token): the page's relative asset URLs need the
     * slash. The Location is relative to the request, so it also works behind a proxy that adds a path prefix.
     */
    private PortalResponse redirectToSlash(String rawQuery) {
        String lastSegment = uiPath.substring(uiPath.lastIndexOf('/') + 1);
        // Only a query of visible ASCII goes into the header: nothing a web stack let through can split it.
        boolean keepQuery = rawQuery != null && !rawQuery.isEmpty() && rawQuery.length() <= QueryString.MAX_QUERY_LENGTH
                && rawQuery.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        String location = lastSegment + "/" + (keepQuery ? "?" + rawQuery : "");
        return new PortalResponse.Builder(302).header("Location", location).header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer").build();
    }

    private PortalResponse page(String rawQuery) {
        List<String> frameAncestors = frameAncestorsForToken.apply(token(rawQuery).orElse(null));
        PortalResponse.Builder builder = new PortalResponse.Builder(200)
                .header("Content-Type", "text/html; charset=utf-8")
                .header("Content-Security-Policy", contentSecurityPolicy(frameAncestors, logoOrigin))
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                // The URL that loaded it carries a token: no cache may keep the response or reuse it.
                .header("Cache-Control", "no-store");
        if (frameAncestors.isEmpty()) {
            builder.header("X-Frame-Options", "DENY"); // for browsers that predate frame-ancestors
        }
        return builder.body(ResponseBody.of(indexHtml)).build();
    }

    private static PortalResponse asset(Asset asset, PortalRequest request) {
        boolean fresh = request.headers("If-None-Match").stream()
                .flatMap(value -> List.of(value.split(",")).stream())
                .map(String::strip)
                .anyMatch(tag -> tag.equals(asset.etag) || tag.equals("W/" + asset.etag));
        PortalResponse.Builder builder = new PortalResponse.Builder(fresh ? 304 : 200)
                .header("Content-Type", asset.contentType)
                .header("ETag", asset.etag)
                // Revalidate every time: a library upgrade must never pair a new page with an old script.
                .header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cross-Origin-Resource-Policy", "same-origin");
        return builder.body(fresh ? ResponseBody.EMPTY : ResponseBody.of(asset.bytes)).build();
    }

    /**
     * The page's policy: nothing but its own script, styles and API calls; images from itself, data URLs and the
     * branding logo's origin; no base or form targets; framed only by {@code frameAncestors} (already validated
     * origins, see {@link dev.billingportal.core.config.TenantSettings}).
     */
    static String contentSecurityPolicy(List<String> frameAncestors, String logoOrigin) {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:"
                + (logoOrigin == null ? "" : " " + logoOrigin)
                + "; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors "
                + (frameAncestors.isEmpty() ? "'none'" : String.join(" ", frameAncestors));
    }

    /** The single {@code token} parameter of the page's query, if the query is well formed and has exactly one. */
    private static Optional<String> token(String rawQuery) {
        try {
            List<String> tokens = QueryString.parse(rawQuery).getOrDefault("token", List.of());
            return tokens.size() == 1 && !tokens.get(0).isBlank() ? Optional.of(tokens.get(0)) : Optional.empty();
        } catch (PortalException e) {
            return Optional.empty(); // a mangled link still gets the page, which shows a friendly error
        }
    }

    private static String origin(URI url) {
        String scheme = url.getScheme().toLowerCase(java.util.Locale.ROOT);
        String host = url.getHost().toLowerCase(java.util.Locale.ROOT);
        if (!host.matches("[a-z0-9.-]+|\\[[0-9a-f:.]+\\]")) {
            throw new IllegalArgumentException("branding logo host cannot be put in a Content-Security-Policy: " + host);
        }
        return scheme + "://" + host + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    private static Asset asset(String name, String contentType) {
        byte[] bytes = read(name);
        return new Asset(bytes, contentType, "\"" + sha256(bytes).substring(0, 32) + "\"");
    }

    private static byte[] read(String name) {
        try (InputStream in = PortalPage.class.getClassLoader().getResourceAsStream(ASSET_ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("portal asset missing from the classpath: " + ASSET_ROOT + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
