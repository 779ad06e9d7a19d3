package dev.billingportal.core.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One endpoint of the portal's JSON API: method and path below the base path ({@code {id}} stands for any one
 * non-empty segment), the feature it belongs to (checked against the session's {@code SessionFeatures}: off is
 * {@code 403 feature_disabled}), whether it needs a portal token, whether it reads a JSON body, and its handler.
 *
 * @param method        {@code GET}, {@code POST}, {@code PATCH} or {@code DELETE} (HEAD is answered wherever GET is)
 * @param path          e.g. {@code /invoices/{id}/download}
 * @param feature       the feature name ({@code invoices}, {@code profile}, ...), or null for none to check
 * @param authenticated whether a portal token is required
 * @param body          whether the route reads a JSON object body (an empty body reads as {@code {}} otherwise)
 * @param emptyBody     whether an empty body (with or without a {@code Content-Type}) reads as {@code {}} too: a
 *                      write whose fields are all optional, which still reads a body sent, to refuse unknown fields
 *                      and card data (only with {@code body})
 * @param handler       what answers it
 */
public record Route(String method, String path, String feature, boolean authenticated, boolean body,
                    boolean emptyBody, RouteHandler handler) {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PATCH", "DELETE", "PUT");

    /** Validates the route. */
    public Route {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("unsupported method " + method);
        }
        Objects.requireNonNull(path, "path");
        if (!path.matches("(/[a-z_]+|/\\{id})+")) {
            throw new IllegalArgumentException("route path must be segments of [a-z_] or {id}: " + path);
        }
        Objects.requireNonNull(handler, "handler");
        if (emptyBody && !body) {
            throw new IllegalArgumentException("emptyBody needs body: a route that reads no body takes any: " + path);
        }
    }

    /**
     * A route whose body, if it reads one, must not be empty.
     *
     * @param method        as {@link #method()}
     * @param path          as {@link #path()}
     * @param feature       as {@link #feature()}
     * @param authenticated as {@link #authenticated()}
     * @param body          as {@link #body()}
     * @param handler       as {@link #handler()}
     */
    public Route(String method, String path, String feature, boolean authenticated, boolean body,
                 RouteHandler handler) {
        this(method, path, feature, authenticated, body, false, handler);
    }

    /** An authenticated GET of a feature. */
    public static Route get(String path, String feature, RouteHandler handler) {
        return new Route("GET", path, feature, true, false, handler);
    }

    /** An authenticated write of a feature that reads a JSON body. */
    public static Route write(String method, String path, String feature, RouteHandler handler) {
        return new Route(method, path, feature, true, true, handler);
    }

    /**
     * An authenticated write of a feature whose fields are all optional, or that takes none: an empty body reads as
     * {@code {}} (no {@code Content-Type} needed), and a body sent is read as {@link #write} reads it (so an unknown
     * field, or card data, is refused rather than ignored).
     */
    public static Route writeWithOptionalBody(String method, String path, String feature, RouteHandler handler) {
        return new Route(method, path, feature, true, true, true, handler);
    }

    /** The route as {@code METHOD /path}, as {@link PortalApi#API_ROUTES} lists it. */
    public String route() {
        return method + " " + path;
    }

    /** Whether it changes something ({@code POST}, {@code PATCH}, {@code PUT}, {@code DELETE}). */
    public boolean write() {
        return !"GET".equals(method);
    }

    /** The path's segments. */
    List<String> segments() {
        return List.of(path.substring(1).split("/"));
    }
}
