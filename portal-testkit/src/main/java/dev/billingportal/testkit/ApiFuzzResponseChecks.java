package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.testkit.ApiFuzzGenerator.Generated;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks {@link PortalApiFuzzContract} makes of every response, whatever the request: a status below 500, a
 * {@code Content-Type} with any body and a {@code Cache-Control} always, HEAD without a body, a {@code Location} on a
 * redirect, errors in Lago's shape (with {@code WWW-Authenticate} on a 401, {@code Allow} on a 405), and nothing of
 * the other customers' in what a token's customer is shown. Each response is counted in the fuzz's
 * {@link ApiFuzzStats} on the way.
 */
final class ApiFuzzResponseChecks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, String> PHRASES = phrases();

    private ApiFuzzResponseChecks() {
    }

    static void check(PortalWorld world, Generated generated, PortalResponse response, ApiFuzzStats stats)
            throws IOException {
        PortalRequest request = generated.request();
        int status = response.status();
        stats.count(generated, response);
        assertThat(status).as("status").isBetween(200, 499);
        byte[] body = response.body().toByteArray();
        assertThat(response.body().length()).as("declared body length").isIn(-1L, (long) body.length);
        if (body.length > 0) {
            assertThat(response.header("Content-Type")).as("Content-Type of a body").isPresent();
        }
        assertThat(response.header("Cache-Control")).as("Cache-Control").isPresent();
        if ("HEAD".equals(request.method())) {
            assertThat(body).as("HEAD body").isEmpty();
        }
        if (status >= 300 && status < 400) {
            if (status != 304) {
                assertThat(response.header("Location")).as("Location of a redirect").isPresent();
            }
            return;
        }
        if (status >= 400) {
            assertThat(response.header("Content-Type")).as("Content-Type of an error").contains("application/json");
            if (status == 401) {
                assertThat(response.header("WWW-Authenticate")).as("WWW-Authenticate of a 401").isPresent();
            }
            if (status == 405) {
                assertThat(response.header("Allow")).as("Allow of a 405").isPresent();
            }
            if (body.length > 0) {
                assertErrorShape(status, JSON.readTree(body));
            }
            return;
        }
        // 2xx
        String contentType = response.header("Content-Type").orElse("");
        if (contentType.startsWith("application/json") && body.length > 0) {
            JsonNode json = JSON.readTree(body);
            assertThat(json.isObject()).as("a JSON object").isTrue();
        }
        if (body.length > 0 && (contentType.startsWith("application/json") || contentType.startsWith("application/pdf"))) {
            String text = new String(body, StandardCharsets.UTF_8);
            Set<String> forbidden = generated.owner() == null ? world.allMarkers() : world.foreignMarkers(generated.owner());
            for (String marker : forbidden) {
                assertThat(text).as("a response for %s", generated.owner() == null ? "no valid token" : generated.owner())
                        .doesNotContain(marker);
            }
        }
    }

    private static void assertErrorShape(int status, JsonNode error) {
        assertThat(error.isObject()).as("error body is a JSON object").isTrue();
        List<String> fields = new ArrayList<>();
        error.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("error fields").containsExactlyElementsOf(status == 422
                ? List.of("status", "error", "code", "error_details") : List.of("status", "error", "code"));
        assertThat(error.get("status").isInt()).as("status is a number").isTrue();
        assertThat(error.get("status").intValue()).as("status field").isEqualTo(status);
        assertThat(error.get("error").isTextual()).as("error is a string").isTrue();
        assertThat(error.get("error").textValue()).as("error phrase").isEqualTo(PHRASES.get(status));
        assertThat(error.get("code").isTextual()).as("code is a string").isTrue();
        assertThat(error.get("code").textValue()).as("code").matches("[a-z][a-z_]*[a-z]");
        if (status == 422) {
            JsonNode details = error.get("error_details");
            assertThat(details.isObject()).as("error_details is an object").isTrue();
            assertThat(details.size()).as("error_details fields").isPositive();
            for (Map.Entry<String, JsonNode> field : details.properties()) {
                assertThat(field.getValue().isArray()).as("error_details.%s is an array", field.getKey()).isTrue();
                assertThat(field.getValue().size()).as("error_details.%s", field.getKey()).isPositive();
                field.getValue().forEach(reason -> assertThat(reason.isTextual())
                        .as("error_details.%s holds strings", field.getKey()).isTrue());
            }
        }
    }

    private static Map<Integer, String> phrases() {
        Map<Integer, String> phrases = new TreeMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            phrases.put(code.httpStatus(), code.httpPhrase());
        }
        phrases.put(405, "Method Not Allowed");
        return phrases;
    }
}
