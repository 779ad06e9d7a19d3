package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.TestPortal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LagoCompatibleApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "test_api_key_0123456789";

    private final TestPortal t = new TestPortal();
    private final LagoCompatibleApi api = LagoCompatibleApi.builder(t.service).apiKey(KEY).apiKey("acme_api_key_0123456789", "acme").build();

    @BeforeEach
    void seed() {
        t.customer("cus_1");
        t.customer("a/b c");
        t.customer("acme", "cus_acme", "UTC");
    }

    private PortalResponse get(String path, String key) {
        return api.handle(PortalRequest.get(path, key == null ? Map.of() : Map.of("Authorization", List.of("Bearer " + key))));
    }

    @Test
    void returnsAPortalUrlThatAuthenticates() throws Exception {
        PortalResponse response = get("/api/v1/customers/cus_1/portal_url", KEY);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains("application/json");
        URI url = URI.create(JSON.readTree(response.bodyAsString()).get("customer").get("portal_url").asText());
        assertThat(url.toString()).startsWith("https://billing.example.com/portal?token=");
        String token = url.getQuery().substring("token=".length());
        assertThat(t.service.authenticate(token).customer().externalId()).isEqualTo("cus_1");
    }

    @Test
    void decodesPercentEncodedIds() throws Exception {
        PortalResponse response = get("/api/v1/customers/a%2Fb%20c/portal_url", KEY);
        assertThat(response.status()).isEqualTo(200);
        String token = URI.create(JSON.readTree(response.bodyAsString()).get("customer").get("portal_url").asText())
                .getQuery().substring(6);
        assertThat(t.service.authenticate(token).customer().externalId()).isEqualTo("a/b c");
    }

    @Test
    void wrongOrMissingKeyIs401InLagosExactShape() throws Exception {
        for (String key : new String[] {null, "wrong_key_0123456789xx", ""}) {
            PortalResponse response = get("/api/v1/customers/cus_1/portal_url", key);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("Content-Type")).contains("application/json");
            JsonNode body = JSON.readTree(response.bodyAsString());
            assertThat(body).isEqualTo(JSON.readTree("{\"status\":401,\"error\":\"Unauthorized\"}"));
        }
        assertThat(api.handle(PortalRequest.get("/api/v1/customers/cus_1/portal_url",
                Map.of("Authorization", List.of("Basic " + KEY)))).status()).isEqualTo(401);
    }

    @Test
    void unknownCustomerOrOtherTenantsCustomerIs404() throws Exception {
        for (String path : List.of("/api/v1/customers/nobody/portal_url", "/api/v1/customers/cus_acme/portal_url",
                "/api/v1/customers/%0A/portal_url")) {
            PortalResponse response = get(path, KEY);
            assertThat(response.status()).isEqualTo(404);
            assertThat(JSON.readTree(response.bodyAsString()))
                    .isEqualTo(JSON.readTree("{\"status\":404,\"error\":\"Not Found\",\"code\":\"customer_not_found\"}"));
        }
        assertThat(get("/api/v1/customers/cus_acme/portal_url", "acme_api_key_0123456789").status()).isEqualTo(200);
    }

    @Test
    void otherPathsAndMethods() throws Exception {
        assertThat(get("/api/v1/customers/cus_1", KEY).status()).isEqualTo(404);
        assertThat(get("/api/v1/customers//portal_url", KEY).status()).isEqualTo(404);
        PortalResponse post = api.handle(PortalRequest.of("POST", "/api/v1/customers/cus_1/portal_url", null,
                Map.of("Authorization", List.of("Bearer " + KEY))));
        assertThat(post.status()).isEqualTo(405);
        assertThat(JSON.readTree(post.bodyAsString()).get("status").asInt()).isEqualTo(405);
        assertThat(get("/api/v1/customers/%zz/portal_url", KEY).status()).isEqualTo(400);
    }

    @Test
    void refusesWeakOrDuplicateKeysAndNoKeys() {
        assertThatThrownBy(() -> LagoCompatibleApi.builder(t.service).apiKey("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey must be at least 16 characters").hasMessageContaining("was 5 characters");
        // The usual cause of null: System.getenv of a variable that is not set. The message names the setting and why.
        assertThatThrownBy(() -> LagoCompatibleApi.builder(t.service).apiKey(null)).isInstanceOf(NullPointerException.class)
                .hasMessageStartingWith("apiKey is null: LagoCompatibleApi needs the secret that Lago clients send")
                .hasMessageContaining("environment variable that is not set");
        assertThatThrownBy(() -> LagoCompatibleApi.builder(t.service).apiKey(KEY, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("tenantId");
        assertThatThrownBy(() -> LagoCompatibleApi.builder(t.service).apiKey(KEY).apiKey(KEY, "acme"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LagoCompatibleApi.builder(t.service).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apiKey");
    }
}
