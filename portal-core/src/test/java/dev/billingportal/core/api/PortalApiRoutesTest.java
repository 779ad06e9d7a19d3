package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.TestPortal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PortalApi#API_ROUTES} and {@link PortalApi#PAGE_ROUTES} tell the truth: every listed route is served, and
 * paths next to them are not. The isolation matrix of portal-testkit relies on these lists to know every route.
 */
class PortalApiRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PortalApi api = PortalApi.of(new TestPortal().service);

    @Test
    void everyListedApiRouteIsServed() throws Exception {
        assertThat(PortalApi.API_ROUTES).hasSizeGreaterThanOrEqualTo(7).doesNotHaveDuplicates()
                .allMatch(route -> route.matches("(GET|POST|PUT|PATCH|DELETE) (/[a-z_]+|/\\{id})+"));
        for (String route : PortalApi.API_ROUTES) {
            String[] parts = route.split(" ");
            String path = api.basePath() + parts[1].replace("{id}", "inv-1");
            PortalResponse response = api.handle(PortalRequest.of(parts[0], path, null, Map.of()));
            assertThat(response.status()).as(route).isIn(200, 401);
            if (response.status() != 200) {
                assertThat(JSON.readTree(response.bodyAsString()).get("code").asText()).as(route)
                        .isNotEqualTo("route_not_found");
            }
        }
    }

    @Test
    void everyListedPageRouteIsServed() {
        assertThat(PortalApi.PAGE_ROUTES).contains("GET", "GET /", "GET /index.html", "GET /assets/portal.js",
                "GET /assets/portal.css");
        for (String route : PortalApi.PAGE_ROUTES) {
            String[] parts = route.split(" ");
            String path = api.uiPath() + (parts.length > 1 ? parts[1] : "");
            PortalResponse response = api.handle(PortalRequest.of(parts[0], path, null, Map.of()));
            assertThat(response.status()).as(route).isIn(200, 302);
        }
    }

    @Test
    void headAnswersCarryNoBodyEvenForErrors() {
        LagoCompatibleApi lago = LagoCompatibleApi.builder(new TestPortal().service).apiKey("k".repeat(20)).build();
        List<PortalResponse> responses = List.of(
                api.handle(PortalRequest.of("HEAD", api.basePath() + "/customer", null, Map.of())),
                api.handle(PortalRequest.of("HEAD", api.basePath() + "/nothing", null, Map.of())),
                api.handle(PortalRequest.of("HEAD", api.basePath() + "/invoices", "limit=0", Map.of())),
                api.handle(PortalRequest.of("HEAD", api.uiPath() + "/nothing", null, Map.of())),
                lago.handle(PortalRequest.of("HEAD", "/api/v1/customers/x/portal_url", null,
                        Map.of("Authorization", List.of("Bearer " + "k".repeat(20))))),
                lago.handle(PortalRequest.of("HEAD", "/api/v1/customers/x/portal_url", null, Map.of())));
        for (PortalResponse response : responses) {
            assertThat(response.status()).isGreaterThanOrEqualTo(400);
            assertThat(response.header("Content-Type")).contains("application/json");
            assertThat(response.body().length()).isZero();
            assertThat(response.body().toByteArray()).isEmpty();
        }
        PortalResponse get = api.handle(PortalRequest.of("GET", api.basePath() + "/customer", null, Map.of()));
        assertThat(get.body().toByteArray()).as("GET keeps its error body").isNotEmpty();
    }

    @Test
    void pathsBesideTheRoutesAreNotFound() throws Exception {
        for (String path : List.of("/customers", "/invoice", "/invoices/inv-1/downloads", "/invoices//download",
                "/invoices/inv-1/download/x", "/", "", "/overview/x", "/CONFIG")) {
            PortalResponse response = api.handle(PortalRequest.of("GET", api.basePath() + path, null, Map.of()));
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(JSON.readTree(response.bodyAsString()).get("code").asText()).as(path).isEqualTo("route_not_found");
        }
        for (String path : List.of("/assets/other.js", "/assets/", "/index.htm", "/x")) {
            PortalResponse response = api.handle(PortalRequest.of("GET", api.uiPath() + path, null, Map.of()));
            assertThat(response.status()).as(path).isEqualTo(404);
        }
    }
}
