package dev.billingportal.core.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.memory.InMemoryUsageProvider;
import dev.billingportal.core.session.SessionRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage routes end to end over the in-memory provider: the current period per active subscription with units as
 * decimal strings, past periods for the chart ({@code periods} 1 to 24), another customer's subscription, the feature
 * off, a failing provider.
 */
class UsageApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-01T00:00:00Z");

    private final TestPortal t = new TestPortal();
    private final InMemoryUsageProvider provider = new InMemoryUsageProvider();
    private Customer alice;
    private Customer bob;
    private PortalApi api;
    private String token;
    private boolean failing;

    @BeforeEach
    void setUp() {
        alice = t.customer("alice");
        bob = t.customer("bob");
        List<UsagePeriod> past = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            Instant end = FROM.minus(30L * (i - 1), ChronoUnit.DAYS);
            past.add(new UsagePeriod(end.minus(30, ChronoUnit.DAYS), end, Money.of(1000L * i, "EUR")));
        }
        provider.put(CustomerScope.of(alice), new UsageSummary("sub-1", FROM, TO, Money.of(12345, "EUR"), List.of(
                new Charge("api_calls", "API calls", new BigDecimal("1234567.125"), Money.of(12300, "EUR")),
                new Charge("storage", "Storage (GB)", new BigDecimal("0.5"), Money.of(45, "EUR"))),
                Money.of(20000, "EUR")), past);
        provider.put(CustomerScope.of(bob), new UsageSummary("sub-bob", FROM, TO, Money.of(1, "EUR"), List.of(), null),
                List.of());
        PortalService portal = t.service.toBuilder().usage(new UsageProvider() {
            @Override
            public List<UsageSummary> currentUsage(CustomerScope scope) {
                if (failing) {
                    throw new IllegalStateException("down");
                }
                return provider.currentUsage(scope);
            }

            @Override
            public List<UsagePeriod> pastUsage(CustomerScope scope, String subscriptionId, int periods) {
                return provider.pastUsage(scope, subscriptionId, periods);
            }
        }).build();
        api = PortalApi.of(portal);
        token = portal.createSession(SessionRequest.forCustomer(alice.ref())).token();
    }

    private PortalResponse get(String path, String query) {
        return api.handle(PortalRequest.of("GET", "/portal/api/usage" + path, query,
                Map.of("Authorization", List.of("Bearer " + token))));
    }

    private static JsonNode json(PortalResponse response) {
        try {
            return JSON.readTree(response.body().toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertError(PortalResponse response, int status, String code) {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(json(response).get("code").asText()).isEqualTo(code);
    }

    @Test
    @DisplayName("the current period per active subscription: units as exact decimal strings, amounts in minor units")
    void current() {
        PortalResponse response = get("", null);
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        JsonNode usage = json(response).get("usage");
        assertThat(usage).hasSize(1);
        JsonNode s = usage.get(0);
        assertThat(s.get("subscription_id").asText()).isEqualTo("sub-1");
        assertThat(s.get("from").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(s.get("to").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(s.get("total_cents").asLong()).isEqualTo(12345);
        assertThat(s.get("projected_total_cents").asLong()).isEqualTo(20000);
        assertThat(s.get("formatted").get("total").asText()).isEqualTo("€123.45");
        JsonNode charge = s.get("charges").get(0);
        assertThat(charge.get("metric_code").asText()).isEqualTo("api_calls");
        assertThat(charge.get("units").isTextual()).as("rule: units are strings, never numbers").isTrue();
        assertThat(charge.get("units").asText()).isEqualTo("1234567.125");
        assertThat(charge.get("amount_cents").asLong()).isEqualTo(12300);
        assertThat(charge.get("formatted").get("units").asText()).isEqualTo("1,234,567.125");
        assertThat(UsageJson.units(new BigDecimal("1234567.125"), Locale.GERMAN)).isEqualTo("1.234.567,125");
        assertThat(UsageJson.units(new BigDecimal("0.10000000000000000555"), Locale.ENGLISH))
                .as("rule: every digit kept").isEqualTo("0.10000000000000000555");
    }

    @Test
    @DisplayName("history answers 1 to 24 past periods newest first (6 by default); other values are 422")
    void history() {
        JsonNode six = json(get("/history", "subscription_id=sub-1"));
        assertThat(six.get("periods")).hasSize(6);
        assertThat(six.get("periods").get(0).get("total_cents").asLong()).isEqualTo(1000);
        assertThat(json(get("/history", "subscription_id=sub-1&periods=1")).get("periods")).hasSize(1);
        assertThat(json(get("/history", "subscription_id=sub-1&periods=24")).get("periods")).hasSize(24);
        for (String periods : List.of("0", "25", "-1", "abc", "1.5", "999", "")) {
            assertError(get("/history", "subscription_id=sub-1&periods=" + periods), 422, "validation_errors");
        }
        assertError(get("/history", null), 422, "validation_errors");
    }

    @Test
    @DisplayName("another customer's subscription answers the same 404 as a missing one")
    void foreign() {
        assertError(get("/history", "subscription_id=sub-bob"), 404, "subscription_not_found");
        assertError(get("/history", "subscription_id=sub-none"), 404, "subscription_not_found");
    }

    @Test
    @DisplayName("without a provider, or switched off, usage is 403 and reported false; a failing provider is 503")
    void offAndFailing() {
        String plain = t.service.createSession(SessionRequest.forCustomer(alice.ref())).token();
        PortalApi without = PortalApi.of(t.service);
        assertError(without.handle(PortalRequest.of("GET", "/portal/api/usage", null,
                Map.of("Authorization", List.of("Bearer " + plain)))), 403, "feature_disabled");
        JsonNode features = json(without.handle(PortalRequest.of("GET", "/portal/api/config", null,
                Map.of("Authorization", List.of("Bearer " + plain))))).findValue("features");
        assertThat(features.get("usage").asBoolean(true)).isFalse();
        PortalService off = t.service.toBuilder().usage(provider)
                .defaultConfiguration(PortalConfiguration.builder().usage(false).build()).build();
        String offToken = off.createSession(SessionRequest.forCustomer(alice.ref())).token();
        assertError(PortalApi.of(off).handle(PortalRequest.of("GET", "/portal/api/usage", null,
                Map.of("Authorization", List.of("Bearer " + offToken)))), 403, "feature_disabled");
        JsonNode on = json(get("", null));
        assertThat(on.get("usage")).hasSize(1);
        failing = true;
        assertError(get("", null), 503, "provider_unavailable");
    }
}
