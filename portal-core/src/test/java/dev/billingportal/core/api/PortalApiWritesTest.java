package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.ProfileSettings;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.events.CustomerUpdated;
import dev.billingportal.core.events.PortalEvent;
import dev.billingportal.core.memory.InMemoryEventOutbox;
import dev.billingportal.core.memory.InMemoryIdempotencyStore;
import dev.billingportal.core.memory.InMemoryPortalConfigurations;
import dev.billingportal.core.profile.CustomerUpdate;
import dev.billingportal.core.profile.ProfileField;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.SessionRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes through the pipeline: strict JSON bodies, the content type and bearer rules, {@code Idempotency-Key}, the
 * configuration's editable fields, and what a profile edit records (audit with before/after, one event).
 */
class PortalApiWritesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/portal/api/customer";

    private final TestPortal t = new TestPortal();
    private final List<PortalEvent> heard = Collections.synchronizedList(new ArrayList<>());
    private final InMemoryEventOutbox outbox = new InMemoryEventOutbox();
    private final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore();
    private PortalService portal;
    private PortalApi api;
    private Customer alice;
    private String token;

    @BeforeEach
    void setUp() {
        alice = t.customer("alice");
        t.customer("bob");
        portal = t.service.toBuilder().eventListener(heard::add).outbox(outbox).idempotency(idempotency)
                .defaultConfiguration(PortalConfiguration.builder().profile(ProfileSettings.editable(ProfileField.EMAIL,
                        ProfileField.PHONE, ProfileField.BILLING_ADDRESS, ProfileField.DOCUMENT_LOCALE)).build())
                .build();
        api = PortalApi.of(portal);
        token = portal.createSession(SessionRequest.forCustomer(alice.ref())).token();
        heard.clear();
        outbox.markDelivered(outbox.pending().stream().map(e -> e.sequence()).toList());
    }

    private PortalResponse patch(String body, String key) {
        return patch(body, key, token, "application/json");
    }

    private PortalResponse patch(String body, String key, String bearer, String contentType) {
        Map<String, List<String>> headers = new HashMap<>();
        if (bearer != null) {
            headers.put("Authorization", List.of("Bearer " + bearer));
        }
        if (contentType != null) {
            headers.put("Content-Type", List.of(contentType));
        }
        if (key != null) {
            headers.put("Idempotency-Key", List.of(key));
        }
        return api.handle(new PortalRequest("PATCH", PATH, null, headers, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode json(PortalResponse response) throws Exception {
        return JSON.readTree(response.bodyAsString());
    }

    private Customer stored() {
        return t.customers.findByExternalId(alice.ref()).orElseThrow();
    }

    @Test
    @DisplayName("a profile edit changes the allowed fields, answers the customer, audits before/after and emits one event")
    void profileEdit() throws Exception {
        PortalResponse response = patch("{\"email\":\"alice.new@example.com\",\"billing_address\":{\"line1\":\"1 Rue A\","
                + "\"city\":\"Lyon\",\"zipcode\":\"69001\",\"country\":\"fr\"},\"document_locale\":\"fr\"}", "k-1");
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        JsonNode customer = json(response).get("customer");
        assertThat(customer.get("email").asText()).isEqualTo("alice.new@example.com");
        assertThat(customer.get("billing_address").get("country").asText()).isEqualTo("FR");
        assertThat(stored().email()).isEqualTo("alice.new@example.com");
        assertThat(stored().billingAddress().city()).isEqualTo("Lyon");
        assertThat(stored().name()).as("fields not sent stay").isEqualTo(alice.name());

        List<AuditEvent> audit = t.audit.find(alice.ref(), TestPortal.NOW.minusSeconds(60), 100).stream()
                .filter(e -> e.type() == AuditEventType.CUSTOMER_UPDATED).toList();
        assertThat(audit).hasSize(1);
        JsonNode details = JSON.readTree(audit.get(0).details());
        assertThat(details.get("email").get("old").asText()).isEqualTo(alice.email());
        assertThat(details.get("email").get("new").asText()).isEqualTo("alice.new@example.com");
        assertThat(details.get("document_locale").get("new").asText()).isEqualTo("fr");

        assertThat(heard).hasSize(1).first().isInstanceOfSatisfying(CustomerUpdated.class, event -> {
            assertThat(event.customer()).isEqualTo(alice.ref());
            assertThat(event.changes()).extracting("field")
                    .containsExactlyInAnyOrder("email", "billing_address", "document_locale");
        });
        assertThat(outbox.pending()).hasSize(1).first().satisfies(e -> {
            assertThat(e.type()).isEqualTo("customer.updated");
            assertThat(e.payload()).contains("\"customer_id\":\"alice\"").contains("alice.new@example.com");
        });
    }

    @Test
    @DisplayName("the address GET answers can be sent back as it is, and blanks around a value do not count")
    void addressRoundTrip() throws Exception {
        assertThat(patch("{\"billing_address\":{\"address_line1\":\"2 Quai B\",\"city\":\"Lyon\",\"country\":\"FR\"}}",
                null).status()).isEqualTo(200);
        JsonNode got = json(api.handle(PortalRequest.of("GET", PATH, null, Map.of("Authorization", List.of("Bearer " + token)))))
                .get("customer").get("billing_address");
        PortalResponse again = patch("{\"billing_address\":" + got + "}", null);
        assertThat(again.status()).as(again.bodyAsString()).isEqualTo(200);
        assertThat(stored().billingAddress().line1()).isEqualTo("2 Quai B");
        assertThat(patch("{\"billing_address\":{\"line1\":\"x\",\"address_line1\":\"y\"}}", null).status()).isEqualTo(422);
        assertThat(patch("{\"phone\":\"   +1 555 0100   \"}", null).status()).isEqualTo(200);
        assertThat(stored().phone()).isEqualTo("+1 555 0100");
    }

    @Test
    @DisplayName("a field the configuration does not allow is a 422 not_editable, and nothing changes")
    void massAssignmentIsRefused() throws Exception {
        PortalResponse response = patch("{\"email\":\"x@example.com\",\"tax_id\":\"FR123\",\"name\":\"Mallory\"}", null);
        assertThat(response.status()).isEqualTo(422);
        JsonNode details = json(response).get("error_details");
        assertThat(details.get("tax_id").get(0).asText()).isEqualTo("not_editable");
        assertThat(details.get("name").get(0).asText()).isEqualTo("not_editable");
        for (String body : List.of("{\"external_id\":\"bob\"}", "{\"tenant_id\":\"other\"}", "{\"id\":\"id-default-bob\"}",
                "{\"currency\":\"USD\"}", "{\"timezone\":\"Asia/Tokyo\"}")) {
            PortalResponse unknown = patch(body, null);
            assertThat(unknown.status()).as(body).isEqualTo(422);
            assertThat(json(unknown).get("error_details").fieldNames().next()).as(body)
                    .isEqualTo(body.substring(2, body.indexOf('"', 2)));
        }
        assertThat(stored()).isEqualTo(alice);
        assertThat(heard).isEmpty();
        assertThat(outbox.pending()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"email\":\"not-an-email\"}", "{\"email\":5}", "{\"phone\":\"call me\"}",
            "{\"billing_address\":{\"country\":\"XX\"}}", "{\"billing_address\":{\"planet\":\"Mars\"}}",
            "{\"billing_address\":\"Lyon\"}", "{\"document_locale\":\"ko\"}", "{\"email\":\"a\\u0000@example.com\"}",
            "{}", "{\"email\":\"x@example.com\",\"email\":\"y@example.com\"}"})
    @DisplayName("invalid values are a 4xx naming the field, and nothing changes")
    void invalidValues(String body) throws Exception {
        PortalResponse response = patch(body, null);
        assertThat(response.status()).as(response.bodyAsString()).isIn(400, 422);
        assertThat(stored()).isEqualTo(alice);
        assertThat(heard).isEmpty();
    }

    @Test
    @DisplayName("bodies are strict: JSON only, 16 KB at most, well-formed, not too deep")
    void strictBodies() throws Exception {
        assertThat(patch("{\"email\":\"x@example.com\"}", null, token, "text/plain").status()).isEqualTo(415);
        assertThat(patch("{\"email\":\"x@example.com\"}", null, token, null).status()).isEqualTo(415);
        assertThat(patch("email=x@example.com", null, token, "application/x-www-form-urlencoded").status()).isEqualTo(415);
        PortalResponse huge = patch("{\"email\":\"" + "x".repeat(17_000) + "\"}", null);
        assertThat(huge.status()).isEqualTo(413);
        assertThat(json(huge).get("code").asText()).isEqualTo("body_too_large");
        assertThat(json(patch("{\"email\":", null)).get("code").asText()).isEqualTo("invalid_json");
        assertThat(json(patch("{\"a\":".repeat(40) + "1" + "}".repeat(40), null)).get("code").asText())
                .isEqualTo("invalid_json");
        assertThat(patch("[1]", null).status()).isEqualTo(422);
        assertThat(patch("{} {}", null).status()).isEqualTo(400);
        assertThat(stored()).isEqualTo(alice);
    }

    @Test
    @DisplayName("writes need the bearer header: no token, a query token or a cookie cannot write")
    void writesNeedTheBearerHeader() {
        PortalResponse none = patch("{\"email\":\"x@example.com\"}", null, null, "application/json");
        assertThat(none.status()).isEqualTo(401);
        PortalResponse query = api.handle(new PortalRequest("PATCH", PATH, "token=" + token,
                Map.of("Content-Type", List.of("application/json"), "Cookie", List.of("token=" + token)),
                "{\"email\":\"x@example.com\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(query.status()).isEqualTo(401);
        assertThat(stored()).isEqualTo(alice);
    }

    @Test
    @DisplayName("a one-time link's token cannot write: only the session exchanged from it can")
    void oneTimeLinksDoNotWrite() throws Exception {
        PortalService oneTime = portal.toBuilder().linkMode(LinkMode.ONE_TIME).build();
        api = PortalApi.of(oneTime);
        String link = oneTime.createSession(SessionRequest.forCustomer(alice.ref())).token();
        PortalResponse refused = patch("{\"phone\":\"+33 1 23 45 67 89\"}", null, link, "application/json");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(json(refused).get("code").asText()).isEqualTo("exchange_required");
        String session = oneTime.exchange(link, null).token();
        assertThat(patch("{\"phone\":\"+33 1 23 45 67 89\"}", null, session, "application/json").status()).isEqualTo(200);
        assertThat(stored().phone()).isEqualTo("+33 1 23 45 67 89");
    }

    @Test
    @DisplayName("the same key and body answer the first answer again without acting; another body is 422")
    void idempotentReplays() throws Exception {
        PortalResponse first = patch("{\"phone\":\"+1 555 0100\"}", "key-1");
        assertThat(first.status()).isEqualTo(200);
        // Someone else changes the phone meanwhile: a replay must not put the old value back.
        portal.profile().update(portal.authenticate(token), CustomerUpdate.builder().phone("+1 555 0999").build());
        heard.clear();
        PortalResponse again = patch("{\"phone\":\"+1 555 0100\"}", "key-1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).contains("true");
        assertThat(again.bodyAsString()).isEqualTo(first.bodyAsString());
        assertThat(stored().phone()).as("the replay did not act").isEqualTo("+1 555 0999");
        assertThat(heard).isEmpty();

        PortalResponse other = patch("{\"phone\":\"+1 555 0200\"}", "key-1");
        assertThat(other.status()).isEqualTo(422);
        assertThat(json(other).get("code").asText()).isEqualTo("idempotency_key_reused");
        assertThat(stored().phone()).isEqualTo("+1 555 0999");

        for (String bad : List.of("", " ", "é", "x".repeat(256), "a b")) {
            PortalResponse refused = patch("{\"phone\":\"+1 555 0300\"}", bad);
            assertThat(refused.status()).as("key '%s'", bad).isEqualTo(400);
            assertThat(json(refused).get("code").asText()).isEqualTo("invalid_idempotency_key");
        }
        assertThat(stored().phone()).isEqualTo("+1 555 0999");
    }

    @Test
    @DisplayName("a failed write forgets its key, so the retry with the same key acts")
    void aFailedWriteCanBeRetried() throws Exception {
        PortalResponse invalid = patch("{\"email\":\"nope\"}", "key-2");
        assertThat(invalid.status()).isEqualTo(422);
        PortalResponse fixed = patch("{\"email\":\"nope@example.com\"}", "key-3");
        assertThat(fixed.status()).isEqualTo(200);
        // the same key as the refused request, now with a valid body: the refusal was not remembered
        PortalResponse retried = patch("{\"email\":\"again@example.com\"}", "key-2");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(stored().email()).isEqualTo("again@example.com");
        assertThat(idempotency.size()).isEqualTo(2);
        t.clock.advance(java.time.Duration.ofHours(25));
        portal.purgeExpiredSessions();
        assertThat(idempotency.size()).as("keys are kept 24 hours").isZero();
    }

    @Test
    @DisplayName("while the first request with a key runs, another with the same key is 409 request_in_progress")
    void inFlight() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PortalService slow = portal.toBuilder().customers(new dev.billingportal.core.profile.CustomerRepository() {
            @Override
            public java.util.Optional<Customer> findByExternalId(dev.billingportal.core.CustomerRef ref) {
                return t.customers.findByExternalId(ref);
            }

            @Override
            public java.util.Optional<Customer> findById(String tenantId, String customerId) {
                return t.customers.findById(tenantId, customerId);
            }

            @Override
            public void save(Customer customer) {
                t.customers.save(customer);
            }

            @Override
            public boolean supportsUpdate() {
                return true;
            }

            @Override
            public Customer update(CustomerScope scope, CustomerUpdate update) {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return t.customers.update(scope, update);
            }
        }).build();
        api = PortalApi.of(slow);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<PortalResponse> first = pool.submit(() -> patch("{\"phone\":\"+1 555 0400\"}", "key-4"));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            PortalResponse second = patch("{\"phone\":\"+1 555 0400\"}", "key-4");
            assertThat(second.status()).isEqualTo(409);
            assertThat(json(second).get("code").asText()).isEqualTo("request_in_progress");
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(patch("{\"phone\":\"+1 555 0400\"}", "key-4").header("Idempotent-Replayed")).contains("true");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("eight threads racing with one key act exactly once")
    void racingOneKeyActsOnce() throws Exception {
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<PortalResponse>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return patch("{\"phone\":\"+1 555 0500\"}", "race");
                }));
            }
            int acted = 0;
            for (Future<PortalResponse> answer : answers) {
                PortalResponse response = answer.get(20, TimeUnit.SECONDS);
                assertThat(response.status()).isIn(200, 409);
                if (response.status() == 200 && response.header("Idempotent-Replayed").isEmpty()) {
                    acted++;
                }
            }
            assertThat(acted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(heard).hasSize(1);
        assertThat(t.audit.find(alice.ref(), TestPortal.NOW.minusSeconds(60), 100).stream()
                .filter(e -> e.type() == AuditEventType.CUSTOMER_UPDATED)).hasSize(1);
    }

    @Test
    @DisplayName("a disabled feature answers 403 feature_disabled, and config reports it as false")
    void disabledFeature() throws Exception {
        PortalService plain = t.service;
        api = PortalApi.of(plain);
        String plainToken = plain.createSession(SessionRequest.forCustomer(alice.ref())).token();
        PortalResponse refused = patch("{\"email\":\"x@example.com\"}", null, plainToken, "application/json");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(json(refused).get("code").asText()).isEqualTo("feature_disabled");
        PortalResponse config = api.handle(PortalRequest.of("GET", "/portal/api/config", null,
                Map.of("Authorization", List.of("Bearer " + plainToken))));
        JsonNode features = json(config).get("config").get("features");
        assertThat(features.get("profile").asBoolean(true)).isFalse();
        assertThat(features.get("subscriptions").asBoolean(true)).isFalse();
        api = PortalApi.of(portal);
        JsonNode enabled = json(api.handle(PortalRequest.of("GET", "/portal/api/config", null,
                Map.of("Authorization", List.of("Bearer " + token))))).get("config").get("features");
        assertThat(enabled.get("profile").get("editable")).extracting(JsonNode::asText)
                .containsExactly("email", "phone", "billing_address", "document_locale");
    }

    @Test
    @DisplayName("a listener that throws is logged and undoes nothing")
    void throwingListener() {
        PortalService loud = portal.toBuilder().eventListener(event -> {
            throw new IllegalStateException("listener down");
        }).build();
        api = PortalApi.of(loud);
        assertThat(patch("{\"phone\":\"+1 555 0600\"}", null).status()).isEqualTo(200);
        assertThat(stored().phone()).isEqualTo("+1 555 0600");
        assertThat(outbox.pending()).hasSize(1);
    }

    @Test
    @DisplayName("when the outbox fails the edit is undone: no write without its event")
    void failingOutbox() {
        PortalService broken = portal.toBuilder().outbox(new dev.billingportal.core.events.EventOutbox() {
            @Override
            public void append(PortalEvent event) {
                throw dev.billingportal.core.PortalException.unavailable("outbox down", null);
            }

            @Override
            public List<dev.billingportal.core.events.OutboxEvent> poll(int limit) {
                return List.of();
            }

            @Override
            public void markDelivered(java.util.Collection<Long> sequences) {
            }
        }).build();
        api = PortalApi.of(broken);
        PortalResponse response = patch("{\"phone\":\"+1 555 0700\"}", "key-7");
        assertThat(response.status()).isEqualTo(503);
        assertThat(stored()).isEqualTo(alice);
        assertThat(heard).isEmpty();
        api = PortalApi.of(portal);
        assertThat(patch("{\"phone\":\"+1 555 0700\"}", "key-7").status()).as("the retry acts").isEqualTo(200);
        assertThat(stored().phone()).isEqualTo("+1 555 0700");
    }
}
