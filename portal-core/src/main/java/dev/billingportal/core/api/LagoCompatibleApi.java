package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.api.internal.ApiKeys;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;

/**
 * Lago's admin endpoint for portal links, so clients written for Lago work unchanged:
 * {@code GET /api/v1/customers/{external_customer_id}/portal_url} with {@code Authorization: Bearer <api key>}
 * answers {@code 200 {"customer":{"portal_url":"…"}}}, {@code 401 {"status":401,"error":"Unauthorized"}} or
 * {@code 404 {"status":404,"error":"Not Found","code":"customer_not_found"}}, always as
 * {@code application/json}. Each API key belongs to one tenant, as a Lago API key belongs to one organization.
 *
 * <p>API keys are kept only as SHA-256 digests and compared in constant time. Thread-safe.
 */
public final class LagoCompatibleApi {
    /** Where Lago's API lives. */
    public static final String DEFAULT_BASE_PATH = "/api/v1";
    /** Shortest API key accepted, in characters. */
    public static final int MIN_API_KEY_LENGTH = 16;

    private static final Logger LOG = LoggerFactory.getLogger(LagoCompatibleApi.class);

    private final PortalService portal;
    private final String basePath;
    private final ApiKeys apiKeys;

    private LagoCompatibleApi(Builder builder) {
        this.portal = builder.portal;
        this.basePath = builder.basePath;
        this.apiKeys = builder.apiKeys;
    }

    /** A builder over {@code portal}. */
    public static Builder builder(PortalService portal) {
        return new Builder(portal);
    }

    /** The path the API is mounted at. */
    public String basePath() {
        return basePath;
    }

    /** Answers one request; never throws for anything the client sent. */
    public PortalResponse handle(PortalRequest request) {
        return Http.guarded(request, LOG, "Lago-compatible API", this::route, e -> Http.json(e.code().httpStatus(), ApiJson.error(e)),
                Http::internalError);
    }

    private PortalResponse route(PortalRequest request) {
        String path = request.rawPath();
        if (!path.startsWith(basePath + "/")) {
            return notFound("route_not_found");
        }
        Optional<String> tenant = tenantOf(request);
        if (tenant.isEmpty()) {
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            body.put("status", 401);
            body.put("error", "Unauthorized");
            return Http.json(401, body);
        }
        String[] segments = path.substring(basePath.length() + 1).split("/", -1);
        if (segments.length != 3 || !segments[0].equals("customers") || segments[1].isEmpty()
                || !segments[2].equals("portal_url")) {
            return notFound("route_not_found");
        }
        if (!"GET".equals(request.method())) {
            return Http.methodNotAllowed("GET");
        }
        String externalId = dev.billingportal.core.internal.QueryString.decodePathSegment(segments[1]);
        CustomerRef ref;
        try {
            ref = CustomerRef.of(tenant.get(), externalId);
        } catch (PortalException e) {
            return notFound("customer_not_found"); // no customer can have an id that is not valid
        }
        PortalSession session = portal.createSession(SessionRequest.forCustomer(ref).client(request.client()));
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.putObject("customer").put("portal_url", session.url().toString());
        return Http.json(200, body);
    }

    private Optional<String> tenantOf(PortalRequest request) {
        return Http.bearer(request.headers("Authorization")).flatMap(apiKeys::tenantOf);
    }

    private static PortalResponse notFound(String code) {
        return Http.notFound(code);
    }

    /** Configures a {@link LagoCompatibleApi}; at least one API key is required. */
    public static final class Builder {
        private final PortalService portal;
        private final ApiKeys apiKeys = new ApiKeys(MIN_API_KEY_LENGTH, "LagoCompatibleApi",
                "the secret that Lago clients send as 'Authorization: Bearer <api key>' to mint portal links", "LAGO_API_KEY");
        private String basePath = DEFAULT_BASE_PATH;

        private Builder(PortalService portal) {
            this.portal = Objects.requireNonNull(portal, "portal");
        }

        /** An API key of the default tenant. */
        public Builder apiKey(String apiKey) {
            return apiKey(apiKey, CustomerRef.DEFAULT_TENANT);
        }

        /**
         * An API key whose calls act for {@code tenantId}; at least {@value LagoCompatibleApi#MIN_API_KEY_LENGTH}
         * characters.
         *
         * @throws NullPointerException     naming {@code apiKey} (and why it is needed) or {@code tenantId} when null
         * @throws IllegalArgumentException naming {@code apiKey} when it is too short or has surrounding blanks
         */
        public Builder apiKey(String apiKey, String tenantId) {
            apiKeys.add(apiKey, tenantId);
            return this;
        }

        /** Where the API is mounted (default {@value LagoCompatibleApi#DEFAULT_BASE_PATH}). */
        public Builder basePath(String basePath) {
            this.basePath = Checks.mountPath(basePath, "basePath", "/api/v1");
            return this;
        }

        /**
         * Builds the API.
         *
         * @throws IllegalStateException when no API key is configured
         */
        public LagoCompatibleApi build() {
            if (apiKeys.isEmpty()) {
                throw new IllegalStateException("LagoCompatibleApi needs at least one apiKey");
            }
            return new LagoCompatibleApi(this);
        }
    }
}
