package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A Stripe-style "manage billing" link for the host's own pages: the host mounts it behind its sign-in (say at
 * {@code GET /billing/portal}) and gives a function from the request to the signed-in customer; each visit answers
 * {@code 302 Found} with {@code Location:} a fresh portal link for that customer (carrying the configured return URL,
 * configuration and locale), {@code Cache-Control: no-store} and {@code Referrer-Policy: no-referrer}, so a browser
 * button is just {@code <a href="/billing/portal">Manage billing</a>}.
 *
 * <p>Errors are {@code {"error":{"code":…,"message":…}}}, always {@code application/json}:
 * <table>
 * <caption>Error answers</caption>
 * <tr><th>status</th><th>code</th><th>when</th></tr>
 * <tr><td>401</td><td>{@code UNAUTHORIZED}</td><td>the sign-in function found no signed-in customer</td></tr>
 * <tr><td>400</td><td>{@code VALIDATION_ERROR}</td><td>the session cannot be made as asked (an unknown
 *     configuration, a bad return URL)</td></tr>
 * <tr><td>404</td><td>{@code NOT_FOUND}</td><td>the signed-in customer is unknown to the portal; an unknown path</td></tr>
 * <tr><td>405</td><td>{@code METHOD_NOT_ALLOWED}</td><td>anything but {@code GET} (with {@code Allow: GET})</td></tr>
 * <tr><td>503</td><td>{@code SERVICE_UNAVAILABLE}</td><td>storage or the audit trail is down; retry later</td></tr>
 * <tr><td>500</td><td>{@code INTERNAL_ERROR}</td><td>a bug, a broken adapter or a sign-in function that threw (logged)</td></tr>
 * </table>
 * A {@code HEAD} answer never has a body.
 *
 * <p>The endpoint trusts the sign-in function entirely: it is the host's session check (a cookie, a header set by
 * its gateway), and the tenant of the {@link CustomerRef} it returns is the tenant the link is for. Thread-safe when
 * the host's functions are.
 */
public final class PortalRedirectEndpoint {
    /** Where the endpoint answers unless configured. */
    public static final String DEFAULT_PATH = "/billing/portal";

    private static final Logger LOG = LoggerFactory.getLogger(PortalRedirectEndpoint.class);

    private final PortalService portal;
    private final String path;
    private final Function<PortalRequest, Optional<CustomerRef>> signedInCustomer;
    private final Function<PortalRequest, URI> returnUrl;
    private final Function<PortalRequest, Locale> locale;
    private final String configuration;

    private PortalRedirectEndpoint(Builder b) {
        this.portal = b.portal;
        this.path = b.path;
        this.signedInCustomer = b.signedInCustomer;
        this.returnUrl = b.returnUrl;
        this.locale = b.locale;
        this.configuration = b.configuration;
    }

    /**
     * A builder over {@code portal}; {@link Builder#signedInCustomer} is required.
     *
     * @param portal the portal that creates the sessions
     * @return the builder
     */
    public static Builder builder(PortalService portal) {
        return new Builder(portal);
    }

    /**
     * The path it answers at.
     *
     * @return the path, e.g. {@value #DEFAULT_PATH}
     */
    public String path() {
        return path;
    }

    /**
     * Answers one request; never throws for anything the client sent.
     *
     * @param request the request
     * @return a {@code 302} to a fresh portal link, or an error
     */
    public PortalResponse handle(PortalRequest request) {
        return Http.guarded(request, LOG, "portal redirect endpoint", this::route, PortalRedirectEndpoint::error,
                () -> error(500, "INTERNAL_ERROR", "Internal error while creating the portal session"));
    }

    private PortalResponse route(PortalRequest request) {
        if (!request.rawPath().equals(path)) {
            return error(404, "NOT_FOUND", "Route not found");
        }
        if (!"GET".equals(request.method())) {
            return Http.withJsonHeaders(new PortalResponse.Builder(405).header("Allow", "GET"))
                    .body(ResponseBody.of(ApiJson.bytes(body("METHOD_NOT_ALLOWED", "Use GET")))).build();
        }
        Optional<CustomerRef> customer = signedInCustomer.apply(request);
        if (customer == null || customer.isEmpty()) {
            return error(401, "UNAUTHORIZED", "Authentication required");
        }
        SessionRequest session = SessionRequest.forCustomer(customer.get()).client(request.client())
                .configuration(configuration);
        URI back = returnUrl.apply(request);
        if (back != null) {
            session = session.returnUrl(back);
        }
        Locale language = locale.apply(request);
        if (language != null) {
            session = session.locale(language);
        }
        PortalSession created = portal.createSession(session);
        return new PortalResponse.Builder(302)
                .header("Location", created.url().toString())
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    private static PortalResponse error(PortalException e) {
        ErrorCode code = e.code();
        return switch (code) {
            case NOT_FOUND -> error(404, "NOT_FOUND", e.reason().equals("customer_not_found")
                    ? "Customer not found" : "Not found");
            case INVALID_REQUEST, VALIDATION_ERROR, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE ->
                    error(400, "VALIDATION_ERROR", e.getMessage());
            case UNAUTHORIZED, TOKEN_EXPIRED, FORBIDDEN -> error(401, "UNAUTHORIZED", "Authentication required");
            case UNAVAILABLE -> error(503, "SERVICE_UNAVAILABLE", "The portal is unavailable; retry later");
            case CONFLICT -> error(500, "INTERNAL_ERROR", "Internal error while creating the portal session");
        };
    }

    private static PortalResponse error(int status, String code, String message) {
        return Http.json(status, body(code, message));
    }

    private static ObjectNode body(String code, String message) {
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return root;
    }

    /** Configures a {@link PortalRedirectEndpoint}. */
    public static final class Builder {
        private final PortalService portal;
        private String path = DEFAULT_PATH;
        private Function<PortalRequest, Optional<CustomerRef>> signedInCustomer;
        private Function<PortalRequest, URI> returnUrl = request -> null;
        private Function<PortalRequest, Locale> locale = request -> null;
        private String configuration;

        private Builder(PortalService portal) {
            this.portal = Objects.requireNonNull(portal, "portal");
        }

        /**
         * The host's sign-in check (required): the customer signed in on this request, or empty when nobody is (the
         * answer is then {@code 401}). It may throw {@link PortalException} {@code UNAUTHORIZED} too; anything else it
         * throws is a {@code 500}.
         *
         * @param signedInCustomer from the request to the signed-in customer
         * @return this builder
         */
        public Builder signedInCustomer(Function<PortalRequest, Optional<CustomerRef>> signedInCustomer) {
            this.signedInCustomer = Objects.requireNonNull(signedInCustomer, "PortalRedirectEndpoint.signedInCustomer");
            return this;
        }

        /**
         * The portal's "back" link target for every session (default none, or the configuration's default).
         *
         * @param returnUrl an absolute http(s) URL
         * @return this builder
         */
        public Builder returnUrl(URI returnUrl) {
            Objects.requireNonNull(returnUrl, "PortalRedirectEndpoint.returnUrl");
            try {
                Checks.optionalHttpUrl(returnUrl, "return_url");
            } catch (PortalException e) {
                throw new IllegalArgumentException("PortalRedirectEndpoint.returnUrl must be an absolute http or "
                        + "https URL");
            }
            return returnUrl(request -> returnUrl);
        }

        /**
         * The "back" link target per request (say, the page the button was on), or null for none. An invalid URL is
         * a {@code 400 VALIDATION_ERROR}: never derive it from the request unchecked, or the portal's back link
         * becomes an open redirect.
         *
         * @param returnUrl from the request to the return URL
         * @return this builder
         */
        public Builder returnUrl(Function<PortalRequest, URI> returnUrl) {
            this.returnUrl = Objects.requireNonNull(returnUrl, "PortalRedirectEndpoint.returnUrl");
            return this;
        }

        /**
         * The portal configuration of every session (default: the tenant's default).
         *
         * @param configuration the configuration name
         * @return this builder
         */
        public Builder configuration(String configuration) {
            this.configuration = Objects.requireNonNull(configuration, "PortalRedirectEndpoint.configuration");
            return this;
        }

        /**
         * The language per request (the signed-in user's preference, say), or null for the customer's own.
         *
         * @param locale from the request to the language
         * @return this builder
         */
        public Builder locale(Function<PortalRequest, Locale> locale) {
            this.locale = Objects.requireNonNull(locale, "PortalRedirectEndpoint.locale");
            return this;
        }

        /**
         * Where it answers (default {@value PortalRedirectEndpoint#DEFAULT_PATH}); other paths are {@code 404}.
         *
         * @param path the path, e.g. {@code /billing/portal}
         * @return this builder
         */
        public Builder path(String path) {
            this.path = Checks.mountPath(path, "PortalRedirectEndpoint.path", DEFAULT_PATH);
            return this;
        }

        /**
         * Builds the endpoint.
         *
         * @return the endpoint
         * @throws IllegalStateException when no sign-in function is configured
         */
        public PortalRedirectEndpoint build() {
            if (signedInCustomer == null) {
                throw new IllegalStateException("PortalRedirectEndpoint.signedInCustomer is required: the host's "
                        + "function from a request to its signed-in customer");
            }
            return new PortalRedirectEndpoint(this);
        }
    }
}
