package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.SessionRequest;
import dev.billingportal.core.domain.PortalSession;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
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
    private static final String JSON = "application/json";

    private record ApiKey(byte[] digest, String tenantId) {
    }

    private final PortalService portal;
    private final String basePath;
    private final List<ApiKey> apiKeys;

    private LagoCompatibleApi(Builder builder) {
        this.portal = builder.portal;
        this.basePath = builder.basePath;
        this.apiKeys = List.copyOf(builder.apiKeys);
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
        Objects.requireNonNull(request, "request");
        PortalResponse response;
        try {
            response = route(request);
        } catch (PortalException e) {
            response = json(e.code().httpStatus(), ApiJson.error(e));
        } catch (RuntimeException e) {
            LOG.error("Lago-compatible API failed on {} {}", request.method(), request.rawPath(), e);
            response = json(500, ApiJson.error(500, "Internal Server Error", "internal_error", null));
        }
        return PortalApi.withoutBodyForHead(request, response);
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
            return json(401, body);
        }
        String[] segments = path.substring(basePath.length() + 1).split("/", -1);
        if (segments.length != 3 || !segments[0].equals("customers") || segments[1].isEmpty()
                || !segments[2].equals("portal_url")) {
            return notFound("route_not_found");
        }
        if (!"GET".equals(request.method())) {
            PortalResponse response = json(405, ApiJson.error(405, "Method Not Allowed", "method_not_allowed", null));
            return new PortalResponse.Builder(405).header("Allow", "GET").header("Content-Type", JSON)
                    .body(response.body()).build();
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
        return json(200, body);
    }

    private Optional<String> tenantOf(PortalRequest request) {
        List<String> values = request.headers("Authorization");
        if (values.size() != 1) {
            return Optional.empty();
        }
        String value = values.get(0);
        if (value == null || value.length() <= 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] presented = sha256(value.substring(7).strip());
        String tenant = null;
        for (ApiKey key : apiKeys) { // every key is compared, so timing tells nothing
            if (MessageDigest.isEqual(key.digest, presented)) {
                tenant = key.tenantId;
            }
        }
        return Optional.ofNullable(tenant);
    }

    private static PortalResponse notFound(String code) {
        return json(404, ApiJson.error(404, "Not Found", code, null));
    }

    private static PortalResponse json(int status, ObjectNode body) {
        return new PortalResponse.Builder(status).header("Content-Type", JSON).header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff").body(ResponseBody.of(ApiJson.bytes(body))).build();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Configures a {@link LagoCompatibleApi}; at least one API key is required. */
    public static final class Builder {
        private final PortalService portal;
        private final List<ApiKey> apiKeys = new ArrayList<>();
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
            if (apiKey == null) {
                // Usually an environment variable that is not set: say so, rather than a bare NPE.
                throw new NullPointerException("apiKey is null: LagoCompatibleApi needs the secret that Lago clients send"
                        + " as 'Authorization: Bearer <api key>' to mint portal links, at least " + MIN_API_KEY_LENGTH
                        + " characters (an environment variable that is not set, such as System.getenv(\"LAGO_API_KEY\"),"
                        + " reads as null)");
            }
            Objects.requireNonNull(tenantId, "tenantId: the tenant the apiKey's calls act for");
            if (apiKey.strip().length() < MIN_API_KEY_LENGTH || !apiKey.equals(apiKey.strip())) {
                throw new IllegalArgumentException("apiKey must be at least " + MIN_API_KEY_LENGTH
                        + " characters without surrounding blanks (was " + apiKey.length() + " characters)");
            }
            CustomerRef.of(tenantId, "x"); // validates the tenant id
            byte[] digest = sha256(apiKey);
            for (ApiKey existing : apiKeys) {
                if (MessageDigest.isEqual(existing.digest, digest)) {
                    throw new IllegalArgumentException("the same API key is configured twice");
                }
            }
            apiKeys.add(new ApiKey(digest, tenantId));
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
