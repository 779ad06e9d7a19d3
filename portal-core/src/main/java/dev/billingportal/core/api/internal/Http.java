package dev.billingportal.core.api.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.ResponseBody;
import dev.billingportal.core.internal.ApiJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JSON answers, error bodies, security headers, bearer parsing and digests, written once. Not API. */
public final class Http {
    /** JSON is UTF-8 by definition (RFC 8259); Lago answers plain {@code application/json} too. */
    public static final String JSON = "application/json";

    private Http() {
    }

    /** A JSON answer with the headers every API answer carries (no caching, no sniffing, no referrer). */
    public static PortalResponse json(int status, ObjectNode body) {
        return jsonOwnedBytes(status, ApiJson.bytes(body)); // fresh bytes, held by nobody else: no copy
    }

    /** A JSON answer over bytes the caller made for it and no longer touches (no copy is made). */
    public static PortalResponse jsonOwnedBytes(int status, byte[] body) {
        return new PortalResponse(status, JSON_HEADERS, new OwnedBytes(body));
    }

    /** {@link #withJsonHeaders}'s headers, made once: a response's own headers are not copied again. */
    private static final Map<String, List<String>> JSON_HEADERS =
            withJsonHeaders(new PortalResponse.Builder(200)).build().headers();

    /** A body over bytes nobody else holds. */
    private record OwnedBytes(byte[] bytes) implements ResponseBody {
        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public void writeTo(java.io.OutputStream out) throws java.io.IOException {
            out.write(bytes);
        }
    }

    /** The headers of a JSON answer. */
    public static PortalResponse.Builder withJsonHeaders(PortalResponse.Builder builder) {
        return builder.header("Content-Type", JSON)
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
    }

    /** {@code {"name": node}}. */
    public static ObjectNode wrap(String name, ObjectNode node) {
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        root.set(name, node);
        return root;
    }

    /** The error answer of an exception, in Lago's shape; a {@code WWW-Authenticate} challenge on 401. */
    public static PortalResponse error(PortalException e) {
        PortalResponse.Builder builder = new PortalResponse.Builder(e.code().httpStatus());
        if (e.code() == ErrorCode.UNAUTHORIZED || e.code() == ErrorCode.TOKEN_EXPIRED) {
            builder.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        return withJsonHeaders(builder).body(new OwnedBytes(ApiJson.bytes(ApiJson.error(e)))).build();
    }

    /** A 500 in Lago's shape, for a bug or a broken adapter (the cause is logged by the caller, never sent). */
    public static PortalResponse internalError() {
        return json(500, ApiJson.error(500, "Internal Server Error", "internal_error", null));
    }

    /** A 404 with this code, in Lago's shape. */
    public static PortalResponse notFound(String code) {
        return json(404, ApiJson.error(404, "Not Found", code, null));
    }

    /** A 405 naming the methods the path allows. */
    public static PortalResponse methodNotAllowed(String allow) {
        return withJsonHeaders(new PortalResponse.Builder(405).header("Allow", allow))
                .body(ResponseBody.of(ApiJson.bytes(ApiJson.error(405, "Method Not Allowed", "method_not_allowed", null))))
                .build();
    }

    /**
     * The skeleton every endpoint of the library answers with: the route's answer; a refusal in the endpoint's own
     * error shape; for anything else (a bug, a broken adapter) a log line naming the request line only (never headers,
     * query or body: they may hold tokens) and the endpoint's 500; and never a body on HEAD.
     *
     * @param request       the request
     * @param log           where a failure is logged
     * @param what          the endpoint, for that log line
     * @param route         answers the request
     * @param refusal       the answer to a {@code PortalException}
     * @param internalError the answer to anything else
     * @return the answer
     */
    public static PortalResponse guarded(PortalRequest request, org.slf4j.Logger log, String what,
                                         java.util.function.Function<PortalRequest, PortalResponse> route,
                                         java.util.function.Function<PortalException, PortalResponse> refusal,
                                         java.util.function.Supplier<PortalResponse> internalError) {
        java.util.Objects.requireNonNull(request, "request");
        PortalResponse response;
        try {
            response = route.apply(request);
        } catch (PortalException e) {
            response = refusal.apply(e);
        } catch (RuntimeException e) {
            log.error("{} failed on {} {}", what, request.method(), request.rawPath(), e);
            response = internalError.get();
        }
        return withoutBodyForHead(request, response);
    }

    /**
     * A response to HEAD never has a body, errors included: a web stack that wrote one anyway would leave bytes on a
     * kept-alive connection that the client then reads as the start of the next response.
     */
    public static PortalResponse withoutBodyForHead(PortalRequest request, PortalResponse response) {
        return "HEAD".equals(request.method()) && response.body().length() != 0
                ? new PortalResponse(response.status(), response.headers(), ResponseBody.EMPTY)
                : response;
    }

    /**
     * The token of {@code Authorization: Bearer <token>}, strictly: exactly one header, the scheme, a token.
     *
     * @throws PortalException {@code UNAUTHORIZED missing_authorization} or {@code invalid_authorization}
     */
    public static String bearerToken(PortalRequest request) {
        List<String> values = request.headers("Authorization");
        if (values.isEmpty()) {
            throw new PortalException(ErrorCode.UNAUTHORIZED, "missing_authorization",
                    "send the portal token as Authorization: Bearer <token>");
        }
        return bearer(values).orElseThrow(() -> new PortalException(ErrorCode.UNAUTHORIZED, "invalid_authorization",
                "the Authorization header must be exactly: Bearer <token>"));
    }

    /** The token of exactly one {@code Authorization: Bearer <token>} header, or empty. */
    public static Optional<String> bearer(List<String> authorization) {
        if (authorization.size() != 1) {
            return Optional.empty();
        }
        String value = authorization.get(0);
        if (value == null || value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)
                || value.substring(7).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.substring(7).strip());
    }

    /** SHA-256 of the UTF-8 bytes of {@code value}. */
    public static byte[] sha256(String value) {
        return sha256(value.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of {@code bytes}. */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** SHA-256 of {@code bytes}, as lower-case hex. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }
}
