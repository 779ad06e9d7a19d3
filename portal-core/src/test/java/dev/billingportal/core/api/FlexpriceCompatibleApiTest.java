package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.session.PortalContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlexpriceCompatibleApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "flexprice_key_0123456789";
    private static final String ACME_KEY = "acme_flexprice_key_0123456789";
    private static final Set<String> ERROR_CODES = Set.of("not_found", "validation_error", "permission_denied",
            "internal_error", "method_not_allowed", "service_unavailable");

    private final TestPortal t = new TestPortal();
    private final CountingSessions sessions = new CountingSessions(t.sessions);
    private final PortalService portal = t.service.toBuilder().sessions(sessions).build();
    private final FlexpriceCompatibleApi api = FlexpriceCompatibleApi.builder(portal).apiKey(KEY)
            .apiKey(ACME_KEY, "acme").build();

    @BeforeEach
    void seed() {
        t.customer("cus_1");
        t.customer("a/b c");
        t.customer("acme", "cus_acme", "UTC");
    }

    private PortalResponse get(String path, String key) {
        return send("GET", path, key == null ? Map.of() : Map.of("x-api-key", List.of(key)));
    }

    private PortalResponse send(String method, String path, Map<String, List<String>> headers) {
        return api.handle(new PortalRequest(method, path, null, headers, null));
    }

    private static void assertError(PortalResponse response, int status, String code) throws Exception {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/json");
        JsonNode body = JSON.readTree(response.bodyAsString());
        assertThat(body.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("code", "message", "http_status_code");
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").isTextual()).isTrue();
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.get("http_status_code").isInt()).isTrue();
        assertThat(body.get("http_status_code").asInt()).isEqualTo(status);
    }

    @Test
    void answersUrlTokenAndExpiryInRfc3339ForTheKeysTenant() throws Exception {
        PortalResponse response = get("/v1/customers/portal/cus_1", KEY);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains("application/json");
        assertThat(response.header("Cache-Control")).contains("no-store");
        JsonNode body = JSON.readTree(response.bodyAsString());
        assertThat(body.properties()).extracting(Map.Entry::getKey).containsExactly("url", "token", "expires_at");
        String token = body.get("token").asText();
        assertThat(body.get("url").asText()).isEqualTo("https://billing.example.com/portal?token=" + token);
        PortalContext ctx = portal.authenticate(token);
        assertThat(ctx.customer().ref()).isEqualTo(CustomerRef.of("cus_1"));
        String expiresAt = body.get("expires_at").asText();
        assertThat(expiresAt).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(OffsetDateTime.parse(expiresAt, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant())
                .isEqualTo(TestPortal.NOW.plus(PortalService.DEFAULT_SESSION_TTL));
        assertThat(sessions.creates).hasValue(1);

        PortalResponse acme = get("/v1/customers/portal/cus_acme", ACME_KEY);
        assertThat(acme.status()).isEqualTo(200);
        assertThat(portal.authenticate(JSON.readTree(acme.bodyAsString()).get("token").asText()).customer().ref())
                .isEqualTo(CustomerRef.of("acme", "cus_acme"));
    }

    @Test
    void percentEncodedIdsAreDecoded() throws Exception {
        PortalResponse response = get("/v1/customers/portal/a%2Fb%20c", KEY);
        assertThat(response.status()).isEqualTo(200);
        assertThat(portal.authenticate(JSON.readTree(response.bodyAsString()).get("token").asText())
                .customer().externalId()).isEqualTo("a/b c");
    }

    @Test
    void servesThePathOfTheReferenceSdkToo() throws Exception {
        String reference = Files.readString(SharedReference.require("flexprice-portal-session.md"));
        Matcher path = Pattern.compile("method=\"get\" path=\"([^\"]+)\"").matcher(reference);
        assertThat(path.find()).as("the reference names the operation's path").isTrue();
        assertThat(path.group(1)).isEqualTo("/portal/{external_id}");
        PortalResponse response = get("/v1" + path.group(1).replace("{external_id}", "cus_1"), KEY);
        assertThat(response.status()).isEqualTo(200);
        assertThat(JSON.readTree(response.bodyAsString()).properties()).extracting(Map.Entry::getKey)
                .containsExactly("url", "token", "expires_at");
    }

    @Test
    void everyErrorStatusOfTheReferenceIsJsonInTheErrorShape() throws Exception {
        String reference = Files.readString(SharedReference.require("flexprice-portal-session.md"));
        // "| sdkerrors.ErrorsErrorResponse | 400, 404 | application/json |" and the 500 row
        Matcher rows = Pattern.compile("ErrorsErrorResponse\\s*\\|\\s*([0-9, ]+?)\\s*\\|\\s*application/json")
                .matcher(reference);
        List<Integer> statuses = new ArrayList<>();
        while (rows.find()) {
            for (String status : rows.group(1).split(",")) {
                statuses.add(Integer.parseInt(status.strip()));
            }
        }
        assertThat(statuses).as("error statuses the reference documents").containsExactlyInAnyOrder(400, 404, 500);

        Map<Integer, PortalResponse> answers = new TreeMap<>();
        answers.put(400, get("/v1/customers/portal/%ZZ", KEY));
        answers.put(404, get("/v1/customers/portal/nobody", KEY));
        sessions.broken.set(true);
        answers.put(500, get("/v1/customers/portal/cus_1", KEY));
        sessions.broken.set(false);
        for (int status : statuses) {
            assertError(answers.get(status), status, switch (status) {
                case 400 -> "validation_error";
                case 404 -> "not_found";
                default -> "internal_error";
            });
        }
    }

    @Test
    void missingWrongOrDuplicatedKeysAre401PermissionDenied() throws Exception {
        assertError(get("/v1/customers/portal/cus_1", null), 401, "permission_denied");
        assertError(get("/v1/customers/portal/cus_1", "wrong_key_0123456789xx"), 401, "permission_denied");
        assertError(get("/v1/customers/portal/cus_1", ""), 401, "permission_denied");
        assertError(get("/v1/customers/portal/cus_1", KEY + " "), 401, "permission_denied");
        assertError(send("GET", "/v1/customers/portal/cus_1", Map.of("x-api-key", List.of(KEY, KEY))), 401,
                "permission_denied");
        assertError(send("GET", "/v1/customers/portal/cus_1", Map.of("Authorization", List.of("Bearer " + KEY))), 401,
                "permission_denied");
        assertThat(get("/v1/customers/portal/cus_1", null).bodyAsString()).doesNotContain(KEY);
        assertThat(send("GET", "/v1/customers/portal/cus_1", Map.of("X-API-KEY", List.of(KEY))).status())
                .as("header names are case-insensitive").isEqualTo(200);
        assertThat(sessions.creates).hasValue(1);
    }

    @Test
    void unknownCustomerOrAnotherTenantsIs404NotFound() throws Exception {
        assertError(get("/v1/customers/portal/nobody", KEY), 404, "not_found");
        assertError(get("/v1/customers/portal/cus_acme", KEY), 404, "not_found");
        assertError(get("/v1/customers/portal/cus_1", ACME_KEY), 404, "not_found");
        assertThat(sessions.creates).hasValue(0);
    }

    @Test
    void emptyMalformedOrImpossibleIdsAre400ValidationError() throws Exception {
        for (String id : List.of("", "%", "%ZZ", "%C3", "%0A", "%20cus_1", "x".repeat(300))) {
            assertError(get("/v1/customers/portal/" + id, KEY), 400, "validation_error");
        }
        assertThat(sessions.creates).hasValue(0);
    }

    @Test
    void otherPathsAre404AndOtherMethods405WithAllow() throws Exception {
        for (String path : List.of("/v1/customers/portal/cus_1/x", "/v1/customers/cus_1", "/v2/customers/portal/cus_1",
                "/v1", "/v1/", "/", "/v1/customers/portal")) {
            assertError(get(path, KEY), 404, "not_found");
        }
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get")) {
            PortalResponse response = send(method, "/v1/customers/portal/cus_1", Map.of("x-api-key", List.of(KEY)));
            assertError(response, 405, "method_not_allowed");
            assertThat(response.header("Allow")).contains("GET");
        }
        PortalResponse head = send("HEAD", "/v1/customers/portal/cus_1", Map.of("x-api-key", List.of(KEY)));
        assertThat(head.status()).isEqualTo(405);
        assertThat(head.header("Allow")).contains("GET");
        assertThat(head.body().toByteArray()).isEmpty();
        PortalResponse headUnauthorized = send("HEAD", "/v1/customers/portal/cus_1", Map.of());
        assertThat(headUnauthorized.status()).isEqualTo(401);
        assertThat(headUnauthorized.body().toByteArray()).isEmpty();
        assertThat(sessions.creates).hasValue(0);
    }

    @Test
    void aFailingAuditTrailIs503ServiceUnavailableAndAnAdapterBug500() throws Exception {
        PortalService unaudited = portal.toBuilder().audit(new AuditTrail() {
            @Override
            public void record(AuditEvent event) {
                throw new IllegalStateException("simulated audit trail failure");
            }

            @Override
            public List<AuditEvent> find(CustomerRef customer, Instant since, int limit) {
                return List.of();
            }
        }).build();
        FlexpriceCompatibleApi refusing = FlexpriceCompatibleApi.builder(unaudited).apiKey(KEY).build();
        assertError(refusing.handle(PortalRequest.get("/v1/customers/portal/cus_1", Map.of("x-api-key", List.of(KEY)))),
                503, "service_unavailable");

        sessions.broken.set(true);
        PortalResponse broken = get("/v1/customers/portal/cus_1", KEY);
        assertError(broken, 500, "internal_error");
        assertThat(broken.bodyAsString()).doesNotContain("simulated");
    }

    @Test
    void aCustomBasePath() throws Exception {
        FlexpriceCompatibleApi mounted = FlexpriceCompatibleApi.builder(portal).apiKey(KEY).basePath("/flexprice/v1").build();
        assertThat(mounted.basePath()).isEqualTo("/flexprice/v1");
        assertThat(mounted.handle(PortalRequest.get("/flexprice/v1/customers/portal/cus_1",
                Map.of("x-api-key", List.of(KEY)))).status()).isEqualTo(200);
        assertError(mounted.handle(PortalRequest.get("/v1/customers/portal/cus_1", Map.of("x-api-key", List.of(KEY)))),
                404, "not_found");
    }

    @Test
    void settingsFailFast() {
        assertThatThrownBy(() -> FlexpriceCompatibleApi.builder(portal).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apiKey");
        assertThatThrownBy(() -> FlexpriceCompatibleApi.builder(portal).apiKey("short"))
                .hasMessageContaining("apiKey must be at least");
        assertThatThrownBy(() -> FlexpriceCompatibleApi.builder(portal).basePath("v1/"))
                .hasMessageContaining("FlexpriceCompatibleApi.basePath");
    }

    /**
     * A generated fuzz: 800 requests (seed printed, {@code -Dportal.fuzz.seed} to change it) of random methods, paths,
     * ids and keys. Never a 5xx; always JSON in the error shape with {@code http_status_code} equal to the status;
     * exactly one session per 200, each for the key's tenant.
     */
    @Test
    void fuzzNeverA5xxAndOneSessionPer200() throws Exception {
        long seed = Long.getLong("portal.fuzz.seed", 20_261_202L);
        Random random = new Random(seed);
        Map<Integer, Integer> statuses = new TreeMap<>();
        int ok = 0;
        for (int i = 0; i < 800; i++) {
            String method = random.nextInt(10) < 7 ? "GET" : pick(random, List.of("HEAD", "POST", "PUT", "DELETE", "get", ""));
            String id = random.nextBoolean() ? pick(random, List.of("cus_1", "cus_acme", "a%2Fb%20c"))
                    : pick(random, List.of("missing", "", "%", "%C3", "%00", "..",
                    "%2E%2E", "😀", "%F0%9F%98%80", "x".repeat(300), "cus_1%20", "CUS_1", "cus_1?x=1", "%2F"));
            String path = switch (random.nextInt(8)) {
                case 0 -> "/v1/customers/portal/" + id + "/x";
                case 1 -> "/v1//customers/portal/" + id;
                case 2 -> "/v1/portal/" + id;
                case 3 -> "/v2/customers/portal/" + id;
                default -> "/v1/customers/portal/" + id;
            };
            Map<String, List<String>> headers = new LinkedHashMap<>();
            int auth = random.nextInt(10);
            if (auth < 6) {
                headers.put(pick(random, List.of("x-api-key", "X-Api-Key")), List.of(random.nextBoolean() ? KEY : ACME_KEY));
            } else if (auth < 8) {
                headers.put("x-api-key", List.of(pick(random, List.of("", KEY.toUpperCase(), "wrong_key_0123456789xx",
                        "Bearer " + KEY, "x".repeat(10_000)))));
            } else if (auth < 9) {
                headers.put("x-api-key", List.of(KEY, ACME_KEY));
            }
            PortalResponse response = api.handle(new PortalRequest(method, path, random.nextBoolean() ? "a=%" : null,
                    headers, random.nextInt(4) == 0 ? "{\"x\":".getBytes() : null));
            String described = "#" + i + " seed " + seed + ": " + method + " " + abbreviate(path) + " " + headers.keySet()
                    + " -> " + response.status() + " " + abbreviate(response.bodyAsString());
            statuses.merge(response.status(), 1, Integer::sum);
            assertThat(response.status()).as(described).isBetween(200, 499);
            assertThat(response.header("Content-Type")).as(described).contains("application/json");
            if (method.equals("HEAD")) {
                assertThat(response.body().toByteArray()).as(described).isEmpty();
                continue;
            }
            JsonNode body = JSON.readTree(response.bodyAsString());
            if (response.status() == 200) {
                ok++;
                String tenant = headers.get(headers.keySet().iterator().next()).get(0).equals(ACME_KEY)
                        ? "acme" : CustomerRef.DEFAULT_TENANT;
                assertThat(portal.authenticate(body.get("token").asText()).customer().tenantId()).as(described)
                        .isEqualTo(tenant);
                assertThat(URI.create(body.get("url").asText()).getRawQuery()).as(described)
                        .isEqualTo("token=" + body.get("token").asText());
            } else {
                assertThat(body.get("http_status_code").asInt()).as(described).isEqualTo(response.status());
                assertThat(body.get("code").asText()).as(described).isIn(ERROR_CODES);
                assertThat(body.get("message").asText()).as(described).isNotBlank();
                assertThat(body.size()).as(described).isEqualTo(3);
            }
        }
        System.out.println("FlexpriceCompatibleApi fuzz: seed " + seed + ", statuses " + statuses);
        assertThat(sessions.creates).as("one session per 200").hasValue(ok);
        assertThat(ok).as("200s").isGreaterThan(40);
        for (int status : List.of(400, 401, 404, 405)) {
            assertThat(statuses.getOrDefault(status, 0)).as("responses %d", status).isGreaterThan(5);
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String abbreviate(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }
}
