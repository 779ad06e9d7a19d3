package dev.billingportal.core.api.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.api.PortalRequest;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Reads a write's body strictly: {@code application/json}, at most {@value #MAX_BYTES} bytes, UTF-8, one JSON object,
 * no duplicate key, no trailing data, at most {@value #MAX_DEPTH} levels deep, numbers never read as floating point.
 * Not API.
 */
public final class JsonBody {
    /** Largest body accepted. */
    public static final int MAX_BYTES = 16 * 1024;
    /** Deepest nesting accepted. */
    public static final int MAX_DEPTH = 16;

    private static final ObjectMapper STRICT = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_BYTES).maxNumberLength(64).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            // "50.00" stays 50.00: a decimal's scale is part of what the client sent.
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private JsonBody() {
    }

    /**
     * The body as a JSON object; an empty body reads as {@code {}} when {@code optional}.
     *
     * @param request  the request
     * @param optional whether an empty body, with or without a content type, reads as {@code {}} (the route's
     *                 {@code Route.emptyBody}: its fields are all optional)
     * @return the object
     * @throws PortalException {@code PAYLOAD_TOO_LARGE body_too_large}, {@code UNSUPPORTED_MEDIA_TYPE
     *                         unsupported_media_type} (not JSON), {@code INVALID_REQUEST invalid_json} (not
     *                         well-formed, duplicate key, too deep), {@code VALIDATION_ERROR} (not an object)
     */
    public static ObjectNode read(PortalRequest request, boolean optional) {
        byte[] body = request.body();
        if (body.length > MAX_BYTES) {
            throw new PortalException(ErrorCode.PAYLOAD_TOO_LARGE, "body_too_large",
                    "the request body must be at most " + MAX_BYTES + " bytes");
        }
        if (body.length == 0 && optional) {
            return STRICT.createObjectNode();
        }
        if (!isJson(request.headers("Content-Type"))) {
            throw new PortalException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "send the body as Content-Type: application/json");
        }
        JsonNode node;
        try (JsonParser parser = STRICT.createParser(body)) {
            node = STRICT.readTree(parser);
        } catch (StreamConstraintsException e) {
            throw new PortalException(ErrorCode.INVALID_REQUEST, "invalid_json",
                    "the body nests too deep or holds a value too long");
        } catch (IOException | RuntimeException e) {
            throw new PortalException(ErrorCode.INVALID_REQUEST, "invalid_json",
                    "the body is not well-formed JSON (or repeats a key)");
        }
        if (node == null || node.isMissingNode()) {
            throw new PortalException(ErrorCode.INVALID_REQUEST, "invalid_json", "the body is empty");
        }
        if (!node.isObject()) {
            throw PortalException.invalid("body", "must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** {@code application/json}, optionally with {@code charset=utf-8}: one header, nothing else. */
    static boolean isJson(List<String> contentType) {
        if (contentType.size() != 1 || contentType.get(0) == null) {
            return false;
        }
        String[] parts = contentType.get(0).toLowerCase(Locale.ROOT).split(";");
        if (!parts[0].strip().equals("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().replace(" ", "");
            if (!parameter.equals("charset=utf-8") && !parameter.equals("charset=\"utf-8\"")) {
                return false;
            }
        }
        return true;
    }
}
