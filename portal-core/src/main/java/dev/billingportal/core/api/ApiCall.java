package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.internal.Params;
import dev.billingportal.core.config.Branding;
import dev.billingportal.core.internal.QueryString;
import dev.billingportal.core.session.PortalContext;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request on its way through {@link PortalApi}'s pipeline, as a {@link RouteHandler} sees it: the route it
 * matched, the session it authenticated to (null on a public route), its query parameters, its JSON body (an empty
 * object on a route without one) and the API's settings.
 */
public final class ApiCall {
    private final PortalApi api;
    private final PortalRequest request;
    private final Route route;
    private final List<String> pathParameters;
    private final Map<String, List<String>> params;
    private final PortalContext context;
    private final ObjectNode body;

    ApiCall(PortalApi api, PortalRequest request, Route route, List<String> pathParameters,
            Map<String, List<String>> params, PortalContext context, ObjectNode body) {
        this.api = api;
        this.request = request;
        this.route = route;
        this.pathParameters = pathParameters;
        this.params = params;
        this.context = context;
        this.body = body;
    }

    /** The portal. */
    public PortalService portal() {
        return api.portal();
    }

    /** The request as received. */
    public PortalRequest request() {
        return request;
    }

    /** The route it matched. */
    public Route route() {
        return route;
    }

    /** The authenticated session (null on a public route). */
    public PortalContext context() {
        return context;
    }

    /** The decoded {@code {id}} of the path (the first one). */
    public String id() {
        return QueryString.decodePathSegment(pathParameters.get(0));
    }

    /** The query parameters, decoded. */
    public Map<String, List<String>> params() {
        return params;
    }

    /** The JSON body (an empty object when the route reads none or it was empty). */
    public ObjectNode body() {
        return body;
    }

    /** Whether this is a HEAD request (the pipeline strips the body of the answer). */
    public boolean head() {
        return "HEAD".equals(request.method());
    }

    /**
     * The language of the answer: the {@code locale} parameter, else the session's.
     *
     * @throws dev.billingportal.core.PortalException {@code VALIDATION_ERROR} for a bad {@code locale}
     */
    public Locale locale() {
        return Params.requestedLocale(params).orElseGet(() -> context == null ? Locale.ENGLISH : context.locale());
    }

    /** Where the API is mounted. */
    public String basePath() {
        return api.basePath();
    }

    /** The branding of the session's configuration, else the API's. */
    public Branding branding() {
        if (context != null && context.configuration().branding() != null) {
            return context.configuration().branding();
        }
        return api.branding();
    }
}
