package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.testkit.ApiFuzzGenerator.Generated;
import dev.billingportal.testkit.PortalWorld.Who;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counts per outcome, so that a fuzz which stopped reaching the code it means to reach fails: the bookkeeping of
 * {@link PortalApiFuzzContract}, per status, credentials, route and error code, and the coverage floors it asserts
 * at the end of the fuzz; and which route a request's method and path name, for {@link ApiFuzzGenerator} too.
 */
final class ApiFuzzStats {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<Integer, Integer> statuses = new TreeMap<>();
    final Map<String, Integer> kinds = new TreeMap<>();
    final Map<String, Integer> okRoutes = new TreeMap<>();
    final Map<String, Integer> codes = new TreeMap<>();
    int heads;
    int total;

    void count(Generated generated, PortalResponse response) throws IOException {
        total++;
        statuses.merge(response.status(), 1, Integer::sum);
        kinds.merge(generated.kind(), 1, Integer::sum);
        if ("HEAD".equals(generated.request().method())) {
            heads++;
        }
        if (response.status() < 400) {
            String route = route(generated.request().method(), generated.request().rawPath());
            if (route != null) {
                okRoutes.merge(route, 1, Integer::sum);
            }
        }
        byte[] body = response.body().toByteArray();
        if (response.status() >= 400 && body.length > 0) {
            JsonNode code = JSON.readTree(body).get("code");
            if (code != null) {
                codes.merge(code.asText(), 1, Integer::sum);
            }
        }
    }

    static String route(String method, String path) {
        String base = PortalApi.DEFAULT_BASE_PATH;
        String ui = PortalApi.DEFAULT_UI_PATH;
        String wanted = "HEAD".equals(method) ? "GET" : method;
        if (path.startsWith(base + "/")) {
            String rest = path.substring(base.length());
            for (String route : PortalApi.API_ROUTES) {
                String pattern = route.substring(route.indexOf(' ') + 1).replace("{id}", "[^/]+");
                if (route.startsWith(wanted + " ") && rest.matches(pattern + "/?")) {
                    return route;
                }
            }
        } else if (path.equals(ui) || path.startsWith(ui + "/")) {
            String rest = path.substring(ui.length());
            for (String route : PortalApi.PAGE_ROUTES) {
                if (rest.equals(route.contains(" ") ? route.substring(route.indexOf(' ') + 1) : "")) {
                    return "page " + route;
                }
            }
        }
        return null;
    }

    void assertCovered(int requests, long reads) {
        assertThat(total).as("requests sent").isEqualTo(requests);
        double share = requests / 20_000.0; // half the rate of the default seed's run, for other seeds and sizes
        assertThat(reads).as("repository reads during the fuzz").isGreaterThan((long) (3000 * share));
        for (int status : List.of(200, 400, 401, 404, 405, 422)) {
            assertThat(statuses.getOrDefault(status, 0)).as("responses with status %d", status)
                    .isGreaterThan((int) (50 * share));
        }
        assertThat(statuses.getOrDefault(302, 0) + statuses.getOrDefault(304, 0)).as("redirects and 304s")
                .isGreaterThan((int) (10 * share));
        assertThat(heads).as("HEAD requests").isGreaterThan((int) (500 * share));
        for (Who who : Who.values()) {
            assertThat(kinds.getOrDefault("valid token of " + who, 0)).as("requests with a valid token of %s", who)
                    .isGreaterThan((int) (1000 * share));
        }
        // With thirty routes, each gets a thirtieth of the requests; most fail on purpose (bad ids, bodies, states):
        // a handful of successes per route per 10,000 requests shows the route's happy path is still reached.
        for (String route : PortalApi.API_ROUTES) {
            assertThat(okRoutes.getOrDefault(route, 0)).as("successful requests of %s", route)
                    .isGreaterThan((int) (8 * share));
        }
        for (String route : PortalApi.PAGE_ROUTES) {
            assertThat(okRoutes.getOrDefault("page " + route, 0)).as("successful requests of the page's %s", route)
                    .isGreaterThan((int) (5 * share));
        }
        for (String code : List.of("invalid_token", "token_expired", "session_revoked", "missing_authorization",
                "link_already_used", "exchange_required",
                "invalid_authorization", "invalid_cursor", "invalid_query", "invalid_path", "validation_errors",
                "invoice_not_found", "route_not_found", "method_not_allowed", "invalid_json", "unsupported_media_type",
                "body_too_large", "invalid_idempotency_key", "idempotency_key_reused")) {
            assertThat(codes.getOrDefault(code, 0)).as("errors with code %s", code).isGreaterThan((int) (5 * share));
        }
    }

    @Override
    public String toString() {
        return total + " requests; statuses " + statuses + "; " + heads + " HEAD; by credentials " + kinds
                + "; successes per route " + okRoutes + "; error codes " + codes;
    }
}
