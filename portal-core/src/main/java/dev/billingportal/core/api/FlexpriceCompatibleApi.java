package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.internal.ApiKeys;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.QueryString;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Flexprice's host endpoint for portal sessions, so clients written for Flexprice work unchanged:
 * {@code GET /v1/customers/portal/{external_id}} (also at {@code /v1/portal/{external_id}}, the path of Flexprice's
 * own SDKs) with {@code x-api-key: <api key>} answers
 * {@code 200 {"url":"…","token":"…","expires_at":"2026-12-02T22:00:00Z"}} ({@code expires_at} in RFC 3339, UTC).
 *
 * <p>Errors are {@code {"code":…,"message":…,"http_status_code":N}}, always {@code application/json}:
 * <table>
 * <caption>Error answers</caption>
 * <tr><th>status</th><th>code</th><th>when</th></tr>
 * <tr><td>400</td><td>{@code validation_error}</td><td>an empty, malformed or impossible external id</td></tr>
 * <tr><td>401</td><td>{@code permission_denied}</td><td>no {@code x-api-key}, several, or an unknown one</td></tr>
 * <tr><td>404</td><td>{@code not_found}</td><td>no such customer in the key's tenant; an unknown path</td></tr>
 * <tr><td>405</td><td>{@code method_not_allowed}</td><td>anything but {@code GET} (with {@code Allow: GET})</td></tr>
 * <tr><td>503</td><td>{@code service_unavailable}</td><td>storage or the audit trail is down; retry later</td></tr>
 * <tr><td>500</td><td>{@code internal_error}</td><td>a bug or a broken adapter (logged, never described)</td></tr>
 * </table>
 * A {@code HEAD} answer never has a body. Each API key belongs to one tenant; keys are kept only as SHA-256 digests
 * and compared in constant time. Messages never echo the request. Thread-safe.
 */
public final class FlexpriceCompatibleApi {
    /** Where Flexprice's API lives. */
    public static final String DEFAULT_BASE_PATH = "/v1";
    /** Shortest API key accepted, in characters. */
    public static final int MIN_API_KEY_LENGTH = 16;
    /** The header carrying the API key. */
    public static final String API_KEY_HEADER = "x-api-key";

    private static final Logger LOG = LoggerFactory.getLogger(FlexpriceCompatibleApi.class);

    private final PortalService portal;
    private final String basePath;
    private final ApiKeys apiKeys;

    private FlexpriceCompatibleApi(Builder builder) {
        this.portal = builder.portal;
        this.basePath = builder.basePath;
        this.apiKeys = builder.apiKeys;
    }

    /**
     * A builder over {@code portal}.
     *
     * @param portal the portal that creates the sessions
     * @return the builder
     */
    public static Builder builder(PortalService portal) {
        return new Builder(portal);
    }

    /**
     * The path the API is mounted at.
     *
     * @return the base path, e.g. {@code /v1}
     */
    public String basePath() {
        return basePath;
    }

    /**
     * Answers one request; never throws for anything the client sent.
     *
     * @param request the request
     * @return the answer
     */
    public PortalResponse handle(PortalRequest request) {
        return Http.guarded(request, LOG, "Flexprice-compatible API", this::route, FlexpriceCompatibleApi::error,
                () -> error(500, "internal_error", "internal error"));
    }

    private PortalResponse route(PortalRequest request) {
        String path = request.rawPath();
        if (!path.startsWith(basePath + "/")) {
            return error(404, "not_found", "route not found");
        }
        List<String> keys = request.headers(API_KEY_HEADER);
        Optional<String> tenant = keys.size() == 1 ? apiKeys.tenantOf(keys.get(0)) : Optional.empty();
        if (tenant.isEmpty()) {
            return error(401, "permission_denied", "send a valid API key as " + API_KEY_HEADER);
        }
        String rest = path.substring(basePath.length() + 1);
        String rawId;
        if (rest.startsWith("customers/portal/")) {
            rawId = rest.substring("customers/portal/".length());
        } else if (rest.startsWith("portal/")) {
            rawId = rest.substring("portal/".length());
        } else {
            return error(404, "not_found", "route not found");
        }
        if (rawId.indexOf('/') >= 0) {
            return error(404, "not_found", "route not found");
        }
        if (!"GET".equals(request.method())) {
            return Http.withJsonHeaders(new PortalResponse.Builder(405).header("Allow", "GET"))
                    .body(ResponseBody.of(ApiJson.bytes(body(405, "method_not_allowed", "use GET")))).build();
        }
        if (rawId.isEmpty()) {
            return error(400, "validation_error", "external_id is required");
        }
        CustomerRef ref;
        try {
            ref = CustomerRef.of(tenant.get(), QueryString.decodePathSegment(rawId));
        } catch (PortalException e) {
            return error(400, "validation_error", "external_id must be 1 to " + Checks.MAX_ID_LENGTH
                    + " characters of valid percent-encoded UTF-8, without control characters or surrounding blanks");
        }
        PortalSession session = portal.createSession(SessionRequest.forCustomer(ref).client(request.client()));
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.put("url", session.url().toString());
        body.put("token", session.token());
        body.put("expires_at", session.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString());
        return Http.json(200, body);
    }

    private static PortalResponse error(PortalException e) {
        return switch (e.code()) {
            case NOT_FOUND -> error(404, "not_found", e.reason().equals("customer_not_found")
                    ? "customer not found" : "not found");
            case INVALID_REQUEST, VALIDATION_ERROR, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE ->
                    error(400, "validation_error", e.getMessage());
            case UNAUTHORIZED, TOKEN_EXPIRED, FORBIDDEN -> error(401, "permission_denied", "permission denied");
            case UNAVAILABLE -> error(503, "service_unavailable", "the portal is unavailable; retry later");
            case CONFLICT -> error(500, "internal_error", "internal error");
        };
    }

    private static PortalResponse error(int status, String code, String message) {
        return Http.json(status, body(status, code, message));
    }

    private static ObjectNode body(int status, String code, String message) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.put("code", code);
        body.put("message", message);
        body.put("http_status_code", status);
        return body;
    }

    /** Configures a {@link FlexpriceCompatibleApi}; at least one API key is required. */
    public static final class Builder {
        private final PortalService portal;
        private final ApiKeys apiKeys = new ApiKeys(MIN_API_KEY_LENGTH, "FlexpriceCompatibleApi",
                "the secret that Flexprice clients send as 'x-api-key' to mint portal sessions", "FLEXPRICE_API_KEY");
        private String basePath = DEFAULT_BASE_PATH;

        private Builder(PortalService portal) {
            this.portal = Objects.requireNonNull(portal, "portal");
        }

        /**
         * An API key of the default tenant.
         *
         * @param apiKey the key clients send as {@code x-api-key}
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            return apiKey(apiKey, CustomerRef.DEFAULT_TENANT);
        }

        /**
         * An API key whose calls act for {@code tenantId}; at least {@value FlexpriceCompatibleApi#MIN_API_KEY_LENGTH}
         * characters.
         *
         * @param apiKey   the key clients send as {@code x-api-key}
         * @param tenantId the tenant it acts for
         * @return this builder
         */
        public Builder apiKey(String apiKey, String tenantId) {
            apiKeys.add(apiKey, tenantId);
            return this;
        }

        /**
         * Where the API is mounted (default {@value FlexpriceCompatibleApi#DEFAULT_BASE_PATH}).
         *
         * @param basePath the base path
         * @return this builder
         */
        public Builder basePath(String basePath) {
            this.basePath = Checks.mountPath(basePath, "FlexpriceCompatibleApi.basePath", "/v1");
            return this;
        }

        /**
         * Builds the API.
         *
         * @return the API
         * @throws IllegalStateException when no API key is configured
         */
        public FlexpriceCompatibleApi build() {
            if (apiKeys.isEmpty()) {
                throw new IllegalStateException("FlexpriceCompatibleApi needs at least one apiKey");
            }
            return new FlexpriceCompatibleApi(this);
        }
    }
}
