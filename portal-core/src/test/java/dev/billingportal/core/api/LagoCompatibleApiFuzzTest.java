package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated fuzz of Lago's admin endpoint, the only HTTP route that writes: 3,000 requests (seed printed,
 * {@code -Dportal.fuzz.seed} to change it) with random methods, paths, ids, API keys and bodies. Never a 5xx; always
 * {@code application/json} in Lago's shape ({@code 401} exactly {@code {"status":401,"error":"Unauthorized"}}); a
 * session is created for each 200 and for nothing else; and every link minted authenticates as the customer of the
 * API key's own tenant, never of another.
 */
class LagoCompatibleApiFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_KEY = "default_tenant_key_0123456789";
    private static final String ACME_KEY = "acme_tenant_key_0123456789";
    private static final int REQUESTS = 3_000;

    @Test
    void neverA5xxAndLinksOnlyForTheKeysTenant() throws Exception {
        long seed = Long.getLong("portal.fuzz.seed", 20_261_121L);
        System.out.println("LagoCompatibleApiFuzzTest: " + REQUESTS + " requests, seed " + seed);
        TestPortal t = new TestPortal();
        t.customer("cus_1");
        t.customer("a/b c");
        t.customer("acme", "cus_1", "UTC"); // the same external id in another tenant
        t.customer("acme", "only-acme", "UTC");
        AtomicInteger creates = new AtomicInteger();
        PortalService portal = t.service.toBuilder().sessions(counting(t.sessions, creates)).build();
        LagoCompatibleApi api = LagoCompatibleApi.builder(portal).apiKey(DEFAULT_KEY).apiKey(ACME_KEY, "acme").build();

        Random random = new Random(seed);
        Map<Integer, Integer> statuses = new TreeMap<>();
        int links = 0;
        Map<String, Integer> linksPerTenant = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            String method = random.nextInt(10) < 6 ? "GET"
                    : pick(random, List.of("HEAD", "POST", "PUT", "DELETE", "get", "OPTIONS", ""));
            String id = random.nextBoolean() ? pick(random, List.of("cus_1", "only-acme", "a%2Fb%20c", "cus%5F1"))
                    : pick(random, List.of("a/b c", "missing", "", "%", "%C3", "%00", "..", "%2E%2E%2Fcus_1", "😀",
                    "%F0%9F%98%80", "x".repeat(300), "cus_1%20", "CUS_1", "%20cus_1"));
            String path = switch (random.nextInt(16)) {
                case 0 -> "/api/v1/customers/" + id;
                case 1 -> "/api/v1/customers/" + id + "/portal_url/x";
                case 2 -> "/api/v1//customers/" + id + "/portal_url";
                case 3 -> "/api/v2/customers/" + id + "/portal_url";
                case 4 -> "/api/v1/" + id;
                default -> "/api/v1/customers/" + id + "/portal_url";
            };
            String key = pick(random, List.of(DEFAULT_KEY, DEFAULT_KEY, ACME_KEY, ACME_KEY, "wrong_key_0123456789abc", "",
                    DEFAULT_KEY.toUpperCase(), DEFAULT_KEY + " ", "x".repeat(100_000)));
            Map<String, List<String>> headers = new LinkedHashMap<>();
            int auth = random.nextInt(10);
            if (auth < 5) {
                headers.put("Authorization", List.of("Bearer " + (random.nextBoolean() ? DEFAULT_KEY : ACME_KEY)));
            } else if (auth < 8) {
                headers.put(pick(random, List.of("Authorization", "authorization", "AUTHORIZATION")),
                        List.of(pick(random, List.of("Bearer ", "bearer ", "BEARER ", "Bearer  ", "Basic ", "")) + key));
            } else if (auth < 9) {
                headers.put("Authorization", List.of("Bearer " + DEFAULT_KEY, "Bearer " + ACME_KEY));
            }
            byte[] body = random.nextInt(5) == 0 ? "{\"customer\":{\"external_id\":\"only-acme\"}}".getBytes(StandardCharsets.UTF_8) : null;
            String query = random.nextInt(4) == 0 ? "external_customer_id=" + URLEncoder.encode(id, StandardCharsets.UTF_8) : null;
            PortalRequest request = new PortalRequest(method, path, query, headers, body);
            PortalResponse response = api.handle(request);
            String described = "request #" + i + " of seed " + seed + ": " + method + " " + abbreviate(path) + " "
                    + headers.keySet() + " → " + response.status() + " " + abbreviate(response.bodyAsString());
            statuses.merge(response.status(), 1, Integer::sum);

            assertThat(response.status()).as(described).isBetween(200, 499);
            assertThat(response.header("Content-Type")).as(described).contains("application/json");
            byte[] bytes = response.body().toByteArray();
            if (method.equals("HEAD")) {
                assertThat(bytes).as(described).isEmpty();
                continue;
            }
            JsonNode json = JSON.readTree(bytes);
            if (response.status() == 200) {
                links++;
                String url = json.get("customer").get("portal_url").asText();
                String token = URI.create(url).getRawQuery().substring("token=".length());
                PortalContext ctx = t.service.authenticate(token);
                String tenant = headers.values().iterator().next().get(0).contains(ACME_KEY) ? "acme" : CustomerRef.DEFAULT_TENANT;
                assertThat(ctx.customer().tenantId()).as(described).isEqualTo(tenant);
                linksPerTenant.merge(tenant, 1, Integer::sum);
            } else if (response.status() == 401) {
                assertThat(json).as(described).isEqualTo(JSON.readTree("{\"status\":401,\"error\":\"Unauthorized\"}"));
            } else {
                assertThat(json.get("status").asInt()).as(described).isEqualTo(response.status());
                assertThat(json.get("error").asText()).as(described).isNotBlank();
                assertThat(json.get("code").asText()).as(described).matches("[a-z][a-z_]*[a-z]");
                assertThat(json.has("error_details")).as(described).isEqualTo(response.status() == 422);
            }
        }
        System.out.println("LagoCompatibleApiFuzzTest: statuses " + statuses);
        assertThat(creates).as("sessions created: one per link handed out").hasValue(links);
        assertThat(links).as("links handed out").isGreaterThan(150);
        assertThat(linksPerTenant).as("links per tenant").containsOnlyKeys(CustomerRef.DEFAULT_TENANT, "acme")
                .allSatisfy((tenant, count) -> assertThat(count).isGreaterThan(50));
        for (int status : List.of(401, 404, 405)) {
            assertThat(statuses.getOrDefault(status, 0)).as("responses %d", status).isGreaterThan(100);
        }
    }

    private static PortalSessionRepository counting(InMemoryPortalSessionRepository real, AtomicInteger creates) {
        return new PortalSessionRepository() {
            @Override
            public void create(SessionRecord session) {
                creates.incrementAndGet();
                real.create(session);
            }

            @Override
            public Optional<SessionRecord> find(CustomerRef customer, String sessionId) {
                return real.find(customer, sessionId);
            }

            @Override
            public Optional<SessionRecord> findById(String sessionId) {
                return real.findById(sessionId);
            }

            @Override
            public boolean markExchanged(String sessionId, Instant at) {
                throw new AssertionError("the Lago endpoint exchanged a link");
            }

            @Override
            public boolean touch(String sessionId, Instant at) {
                throw new AssertionError("the Lago endpoint touched a session");
            }

            @Override
            public boolean revoke(String sessionId, Instant at) {
                throw new AssertionError("the Lago endpoint revoked a session");
            }

            @Override
            public int revokeAll(CustomerRef customer, Instant at) {
                throw new AssertionError("the Lago endpoint revoked sessions");
            }

            @Override
            public int deleteExpired(Instant before) {
                throw new AssertionError("the Lago endpoint deleted sessions");
            }
        };
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String abbreviate(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }
}
