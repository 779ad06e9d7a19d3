package dev.billingportal.core.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.config.CancelMode;
import dev.billingportal.core.config.CancellationReason;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.SubscriptionSettings;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.events.PortalEvent;
import dev.billingportal.core.events.SubscriptionCanceled;
import dev.billingportal.core.events.SubscriptionChanged;
import dev.billingportal.core.events.SubscriptionResumed;
import dev.billingportal.core.memory.InMemoryEventOutbox;
import dev.billingportal.core.memory.InMemorySubscriptionProvider;
import dev.billingportal.core.session.Flow;
import dev.billingportal.core.session.SessionRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The subscription routes end to end over the in-memory provider: what is shown and offered, the signed preview and
 * the change at exactly its figures, races, idempotency, provider faults before, during and after a change,
 * cancellation with reasons, resume, events, audit and flows.
 */
class SubscriptionApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");
    private static final String BASE = "/portal/api/subscriptions/";

    private final TestPortal t = new TestPortal();
    private final InMemorySubscriptionProvider provider = new InMemorySubscriptionProvider(t.clock);
    private final List<PortalEvent> heard = Collections.synchronizedList(new ArrayList<>());
    private final InMemoryEventOutbox outbox = new InMemoryEventOutbox();
    /** What the provider does wrong next: "before" (fails, changes nothing), "during" (changes, then fails). */
    private final AtomicReference<String> providerFault = new AtomicReference<>();
    /** Whether the audit trail fails its next record. */
    private final AtomicReference<Boolean> auditFault = new AtomicReference<>(false);
    private Customer alice;
    private Customer bob;
    private PortalService portal;
    private PortalApi api;
    private String token;
    private String sessionId;

    @BeforeEach
    void setUp() {
        alice = t.customer("alice");
        bob = t.customer("bob");
        for (Plan plan : List.of(plan("starter", 1000, PlanInterval.MONTH), plan("pro", 2999, PlanInterval.MONTH),
                plan("business", 9900, PlanInterval.MONTH), plan("pro_year", 29900, PlanInterval.YEAR),
                plan("secret", 1, PlanInterval.MONTH))) {
            provider.savePlan(alice.tenantId(), plan);
        }
        provider.save(CustomerScope.of(alice), subscription("sub-1", "starter"));
        provider.save(CustomerScope.of(alice), subscription("sub-2", "business"));
        provider.save(CustomerScope.of(bob), subscription("sub-bob", "starter"));
        configure(SubscriptionSettings.DEFAULT.withPlans(List.of("starter", "pro", "business", "pro_year"))
                .withReasons(List.of(CancellationReason.TOO_EXPENSIVE, CancellationReason.OTHER), false, true));
    }

    private void configure(SubscriptionSettings settings) {
        portal = t.service.toBuilder().subscriptions(new Faulty()).eventListener(heard::add).outbox(outbox)
                .audit(new FaultyAudit()).defaultConfiguration(PortalConfiguration.builder().subscriptions(settings).build())
                .build();
        api = PortalApi.of(portal);
        var session = portal.createSession(SessionRequest.forCustomer(alice.ref()));
        token = session.token();
        sessionId = session.id();
        heard.clear();
        outbox.markDelivered(outbox.pending().stream().map(e -> e.sequence()).toList());
    }

    private Plan plan(String code, long cents, PlanInterval interval) {
        return new Plan(code, code.substring(0, 1).toUpperCase() + code.substring(1), interval, Money.of(cents, "EUR"));
    }

    private Subscription subscription(String id, String plan) {
        return Subscription.builder().id(id).name("Sub " + id)
                .plan(provider.plans(CustomerScope.of(alice), null).stream().filter(p -> p.code().equals(plan))
                        .findFirst().orElseThrow())
                .startedAt(START).currentPeriodStart(START).currentPeriodEnd(END).build();
    }

    // ---------------------------------------------------------------- requests

    private PortalResponse get(String path) {
        return api.handle(PortalRequest.of("GET", "/portal/api/subscriptions" + path, null,
                Map.of("Authorization", List.of("Bearer " + token))));
    }

    private PortalResponse post(String path, String body, String key) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Authorization", List.of("Bearer " + token));
        headers.put("Content-Type", List.of("application/json"));
        if (key != null) {
            headers.put("Idempotency-Key", List.of(key));
        }
        return api.handle(new PortalRequest("POST", BASE + path, null, headers, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode json(PortalResponse response) {
        try {
            return JSON.readTree(response.body().toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode preview(String id, String plan) {
        PortalResponse response = post(id + "/preview", "{\"plan_code\":\"" + plan + "\"}", null);
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        return json(response).get("preview");
    }

    private PortalResponse change(String id, String plan, String previewId, String key) {
        return post(id + "/change", "{\"plan_code\":\"" + plan + "\",\"preview_id\":\"" + previewId + "\"}", key);
    }

    private List<AuditEvent> audited(AuditEventType type) {
        return t.audit.find(alice.ref(), Instant.EPOCH, 1000).stream().filter(e -> e.type() == type).toList();
    }

    private static void assertError(PortalResponse response, int status, String code) {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(json(response).get("code").asText()).isEqualTo(code);
    }

    // ---------------------------------------------------------------- reading

    @Test
    @DisplayName("the list shows each subscription with its plan, amounts formatted, and the actions allowed now")
    void list() {
        JsonNode list = json(get("")).get("subscriptions");
        assertThat(list).hasSize(2);
        JsonNode first = list.get(0);
        assertThat(first.get("id").asText()).isEqualTo("sub-1");
        assertThat(first.get("status").asText()).isEqualTo("active");
        assertThat(first.get("plan").get("amount_cents").asLong()).isEqualTo(1000);
        assertThat(first.get("plan").get("interval").asText()).isEqualTo("month");
        assertThat(first.get("plan").get("formatted").get("amount").asText()).isEqualTo("€10.00");
        assertThat(first.get("current_period_end").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(first.get("cancel_at_period_end").asBoolean()).isFalse();
        assertThat(first.get("pending_change").isNull()).isTrue();
        assertThat(first.get("actions").toString()).isEqualTo("{\"change\":true,\"cancel\":true,\"resume\":false}");
        assertThat(json(get("/sub-1")).get("subscription")).isEqualTo(first);
    }

    @Test
    @DisplayName("GET /bootstrap carries the list as GET /subscriptions answers it; null when off; left out when the provider fails")
    void bootstrap() {
        java.util.function.Function<String, JsonNode> boot = bearer -> json(api.handle(PortalRequest.of("GET",
                "/portal/api/bootstrap", null, Map.of("Authorization", List.of("Bearer " + bearer))))).get("bootstrap");
        assertThat(boot.apply(token).get("subscriptions")).isEqualTo(json(get("")).get("subscriptions"));
        providerFault.set("list");
        JsonNode failing = boot.apply(token);
        assertThat(failing.has("subscriptions")).isFalse(); // the page asks GET /subscriptions, which says why
        assertThat(failing.get("customer").get("external_id").asText()).isEqualTo(alice.externalId());
        assertError(get(""), 503, "provider_unavailable");
        providerFault.set(null);
        api = PortalApi.of(t.service); // no provider: the feature is off
        JsonNode off = boot.apply(t.service.createSession(SessionRequest.forCustomer(alice.ref())).token());
        assertThat(off.has("subscriptions")).isTrue();
        assertThat(off.get("subscriptions").isNull()).isTrue();
    }

    @Test
    @DisplayName("GET /config reports what this session may do to subscriptions, and false without a provider")
    void features() {
        PortalResponse config = api.handle(PortalRequest.of("GET", "/portal/api/config", null,
                Map.of("Authorization", List.of("Bearer " + token))));
        JsonNode features = json(config).get("config").path("features");
        if (features.isMissingNode()) {
            features = json(config).findValue("features");
        }
        assertThat(features.get("subscriptions").toString()).isEqualTo("{\"change\":true,\"resume\":true,\"cancel\":"
                + "{\"mode\":\"at_period_end\",\"reasons\":[\"too_expensive\",\"other\"],\"reason_required\":false,"
                + "\"comment\":true}}");
        String plain = t.service.createSession(SessionRequest.forCustomer(alice.ref())).token();
        JsonNode off = json(PortalApi.of(t.service).handle(PortalRequest.of("GET", "/portal/api/config", null,
                Map.of("Authorization", List.of("Bearer " + plain))))).findValue("features");
        assertThat(off.get("subscriptions").asBoolean(true)).isFalse();
    }

    @Test
    @DisplayName("plans: the configured ones, not the current, with their direction; per current plan when configured")
    void plans() {
        JsonNode plans = json(get("/sub-1/plans")).get("plans");
        List<String> codes = new ArrayList<>();
        plans.forEach(p -> codes.add(p.get("code").asText() + ":" + p.get("direction").asText()));
        assertThat(codes).containsExactly("pro:upgrade", "business:upgrade", "pro_year:upgrade");
        configure(SubscriptionSettings.DEFAULT.withPlansPerPlan(Map.of("business", List.of("pro"))));
        plans = json(get("/sub-2/plans")).get("plans");
        assertThat(plans).hasSize(1);
        assertThat(plans.get(0).get("direction").asText()).isEqualTo("downgrade");
        assertError(post("sub-2/preview", "{\"plan_code\":\"starter\"}", null), 422, "validation_errors");
    }

    @ParameterizedTest(name = "plan {0} is refused")
    @ValueSource(strings = {"secret", "starter", "nope"})
    @DisplayName("a plan outside the configuration (or the current one, or unknown) is refused, previewed or changed")
    void planOutsideConfiguration(String plan) {
        PortalResponse preview = post("sub-1/preview", "{\"plan_code\":\"" + plan + "\"}", null);
        assertError(preview, 422, "validation_errors");
        assertThat(json(preview).get("error_details").get("plan_code").get(0).asText()).isEqualTo("not_offered");
        String valid = preview("sub-1", "pro").get("id").asText();
        assertError(change("sub-1", plan, valid, null), 422, "validation_errors");
        assertThat(provider.subscription(CustomerScope.of(alice), "sub-1").orElseThrow().plan().code()).isEqualTo("starter");
    }

    @Test
    @DisplayName("another customer's subscription answers exactly as a missing one, on every route")
    void foreign() {
        for (String path : List.of("/sub-bob", "/sub-bob/plans")) {
            PortalResponse theirs = get(path);
            PortalResponse missing = get(path.replace("sub-bob", "sub-none"));
            assertError(theirs, 404, "subscription_not_found");
            assertThat(theirs.bodyAsString()).isEqualTo(missing.bodyAsString());
        }
        String valid = preview("sub-1", "pro").get("id").asText();
        Map<String, String> writes = Map.of("/preview", "{\"plan_code\":\"pro\"}",
                "/change", "{\"plan_code\":\"pro\",\"preview_id\":\"" + valid + "\"}",
                "/cancel", "{\"reason\":\"other\"}", "/resume", "{}");
        writes.forEach((action, body) -> {
            PortalResponse theirs = post("sub-bob" + action, body, null);
            assertError(theirs, 404, "subscription_not_found");
            assertThat(theirs.bodyAsString()).as(action).isEqualTo(post("sub-none" + action, body, null).bodyAsString());
        });
        assertThat(provider.subscription(CustomerScope.of(bob), "sub-bob").orElseThrow().version()).isZero();
    }

    // ---------------------------------------------------------------- charged exactly what was previewed

    @Test
    @DisplayName("an upgrade: charged exactly the previewed amount, audited, announced to the listener and the outbox")
    void upgrade() {
        JsonNode preview = preview("sub-1", "pro");
        assertThat(preview.get("timing").asText()).isEqualTo("immediately");
        assertThat(preview.get("amount_due_now_cents").asLong()).isEqualTo(667); // 10 of 30 days left
        assertThat(preview.get("lines")).hasSize(2);
        assertThat(preview.get("currency").asText()).isEqualTo("EUR");
        assertThat(preview.get("formatted").get("amount_due_now").asText()).isEqualTo("€6.67");
        PortalResponse changed = change("sub-1", "pro", preview.get("id").asText(), "k-1");
        assertThat(changed.status()).as(changed.bodyAsString()).isEqualTo(200);
        assertThat(json(changed).get("subscription").get("plan").get("code").asText()).isEqualTo("pro");
        assertThat(provider.charges()).extracting(c -> c.amount().amountMinor()).containsExactly(667L);
        assertThat(heard).singleElement().isInstanceOfSatisfying(SubscriptionChanged.class, e -> {
            assertThat(e.fromPlan()).isEqualTo("starter");
            assertThat(e.toPlan()).isEqualTo("pro");
            assertThat(e.amountDueNow()).isEqualTo(Money.of(667, "EUR"));
        });
        assertThat(outbox.pending()).extracting(o -> o.type()).containsExactly("subscription.changed");
        assertThat(audited(AuditEventType.SUBSCRIPTION_CHANGED)).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("\"to_plan\":\"pro\"", "\"amount_due_now_cents\":667"));
        // the same key again: the first answer, no second charge
        PortalResponse replay = change("sub-1", "pro", preview.get("id").asText(), "k-1");
        assertThat(replay.header("Idempotent-Replayed")).contains("true");
        assertThat(replay.bodyAsString()).isEqualTo(changed.bodyAsString());
        assertThat(provider.charges()).hasSize(1);
    }

    @Test
    @DisplayName("a downgrade is scheduled at period end by default: nothing due, the pending change shown")
    void downgradeAtPeriodEnd() {
        JsonNode preview = preview("sub-2", "pro");
        assertThat(preview.get("timing").asText()).isEqualTo("period_end");
        assertThat(preview.get("amount_due_now_cents").asLong()).isZero();
        assertThat(preview.get("effective_at").asText()).isEqualTo("2026-12-01T00:00:00Z");
        JsonNode after = json(change("sub-2", "pro", preview.get("id").asText(), null)).get("subscription");
        assertThat(after.get("plan").get("code").asText()).isEqualTo("business");
        assertThat(after.get("pending_change").get("plan").get("code").asText()).isEqualTo("pro");
        assertThat(provider.charges()).isEmpty();
    }

    @Test
    @DisplayName("a price changed since the preview: 409 preview_outdated, nothing changes, nothing is audited")
    void priceChanged() {
        String id = preview("sub-1", "pro").get("id").asText();
        provider.savePlan(alice.tenantId(), plan("pro", 3999, PlanInterval.MONTH));
        assertError(change("sub-1", "pro", id, null), 409, "preview_outdated");
        assertThat(provider.subscription(CustomerScope.of(alice), "sub-1").orElseThrow().plan().code()).isEqualTo("starter");
        assertThat(provider.charges()).isEmpty();
        assertThat(audited(AuditEventType.SUBSCRIPTION_CHANGED)).isEmpty();
        assertThat(heard).isEmpty();
    }

    @Test
    @DisplayName("a preview expires after 15 minutes; a tampered, foreign or mismatched preview id is refused")
    void previewIdRules() {
        String id = preview("sub-1", "pro").get("id").asText();
        assertError(change("sub-1", "business", id, null), 422, "validation_errors");
        assertError(change("sub-2", "pro", id, null), 422, "validation_errors");
        assertError(change("sub-1", "pro", id.substring(0, id.length() - 2) + (id.endsWith("A") ? "BB" : "AA"), null),
                422, "validation_errors");
        String otherSession = portal.createSession(SessionRequest.forCustomer(alice.ref())).token();
        String mine = token;
        token = otherSession;
        assertError(change("sub-1", "pro", id, null), 422, "validation_errors");
        token = mine;
        t.clock.advance(Duration.ofMinutes(15));
        assertError(change("sub-1", "pro", id, null), 409, "preview_outdated");
        assertThat(provider.charges()).isEmpty();
    }

    @Test
    @DisplayName("a preview id minted with other figures (the session id is no secret): refused, nothing charged")
    void forgedFigures() {
        PlanChangePreview real = provider.preview(CustomerScope.of(alice),
                PlanChange.preview("sub-1", "pro", dev.billingportal.core.config.ChangeTiming.IMMEDIATELY));
        PlanChangePreview cheaper = new PlanChangePreview(real.subscriptionId(), real.planCode(), real.timing(),
                real.effectiveAt(), List.of(), Money.of(1, "EUR"), real.nextInvoiceAt(), real.nextInvoiceAmount(),
                real.subscriptionVersion());
        String forged = PreviewId.encode(sessionId, CustomerScope.of(alice),
                new PreviewId.Claims(TestPortal.NOW.plus(Duration.ofMinutes(10)), cheaper));
        assertError(change("sub-1", "pro", forged, null), 409, "preview_outdated");
        assertThat(provider.charges()).isEmpty();
        assertThat(audited(AuditEventType.SUBSCRIPTION_CHANGED)).isEmpty();
        String honest = PreviewId.encode(sessionId, CustomerScope.of(alice),
                new PreviewId.Claims(TestPortal.NOW.plus(Duration.ofMinutes(10)), real));
        assertThat(change("sub-1", "pro", honest, null).status()).isEqualTo(200);
        assertThat(audited(AuditEventType.SUBSCRIPTION_CHANGED)).singleElement().satisfies(e ->
                assertThat(e.details()).as("rule: the audit records what was charged").contains("\"amount_due_now_cents\":"
                        + provider.charges().get(0).amount().amountMinor()));
    }

    @Test
    @DisplayName("two tabs confirm at once (same or different keys): one change at most")
    void race() throws Exception {
        String first = preview("sub-1", "pro").get("id").asText();
        String second = preview("sub-1", "business").get("id").asText();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CyclicBarrier barrier = new CyclicBarrier(4);
            List<Future<PortalResponse>> results = new ArrayList<>();
            String[][] calls = {{"pro", first, "tab-1"}, {"pro", first, "tab-2"}, {"business", second, "tab-3"},
                    {"pro", first, "tab-1"}};
            for (String[] call : calls) {
                results.add(pool.submit(() -> {
                    barrier.await();
                    return change("sub-1", call[0], call[1], call[2]);
                }));
            }
            for (Future<PortalResponse> result : results) {
                // the first wins; a confirmation arriving after it sees the plan it asks for as current (422) or
                // the figures moved (409), or replays the first's change id (200, no second charge)
                assertThat(result.get().status()).as(result.get().bodyAsString()).isIn(200, 409, 422);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(provider.charges()).as("rule: one change at most").hasSize(1);
        assertThat(provider.subscription(CustomerScope.of(alice), "sub-1").orElseThrow().version()).isEqualTo(1);
    }

    @ParameterizedTest(name = "the provider fails {0} the change")
    @ValueSource(strings = {"before", "during", "after"})
    @DisplayName("a fault before, during or after a change: 503, and a retry with the same key completes it once")
    void faults(String when) {
        String id = preview("sub-1", "pro").get("id").asText();
        if (when.equals("after")) {
            auditFault.set(true);
        } else {
            providerFault.set(when);
        }
        PortalResponse failed = change("sub-1", "pro", id, "retry-key");
        assertThat(failed.status()).as(failed.bodyAsString()).isEqualTo(503);
        assertThat(heard).isEmpty();
        PortalResponse retried = change("sub-1", "pro", id, "retry-key");
        assertThat(retried.status()).as(retried.bodyAsString()).isEqualTo(200);
        assertThat(retried.header("Idempotent-Replayed")).isEmpty();
        assertThat(provider.charges()).as("rule: charged once").extracting(c -> c.amount().amountMinor())
                .containsExactly(667L);
        assertThat(audited(AuditEventType.SUBSCRIPTION_CHANGED)).hasSize(1);
        assertThat(heard).hasSize(1);
        assertThat(change("sub-1", "pro", id, "retry-key").header("Idempotent-Replayed")).contains("true");
        assertThat(provider.charges()).hasSize(1);
    }

    // ---------------------------------------------------------------- cancel and resume

    @Test
    @DisplayName("cancel at period end with a reason and comment, idempotent; then resume; both audited and announced")
    void cancelAndResume() {
        PortalResponse canceled = post("sub-1/cancel", "{\"reason\":\"too_expensive\",\"comment\":\" Too much \"}", "c-1");
        JsonNode s = json(canceled).get("subscription");
        assertThat(s.get("cancel_at_period_end").asBoolean()).isTrue();
        assertThat(s.get("ending_at").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(s.get("actions").toString()).isEqualTo("{\"change\":false,\"cancel\":false,\"resume\":true}");
        assertThat(post("sub-1/cancel", "{\"reason\":\"too_expensive\",\"comment\":\" Too much \"}", "c-1")
                .header("Idempotent-Replayed")).contains("true");
        assertThat(provider.cancellations()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo(CancellationReason.TOO_EXPENSIVE);
            assertThat(c.comment()).isEqualTo("Too much");
            assertThat(c.mode()).isEqualTo(CancelMode.AT_PERIOD_END);
        });
        assertError(post("sub-1/cancel", "{}", null), 409, "subscription_not_cancelable");
        assertThat(audited(AuditEventType.SUBSCRIPTION_CANCELED)).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("\"reason\":\"too_expensive\"", "\"comment\":\"Too much\""));
        PortalResponse resumed = post("sub-1/resume", "{}", null);
        assertThat(json(resumed).get("subscription").get("cancel_at_period_end").asBoolean()).isFalse();
        assertError(post("sub-1/resume", "{}", null), 409, "subscription_not_resumable");
        assertThat(heard).hasSize(2);
        assertThat(heard.get(0)).isInstanceOfSatisfying(SubscriptionCanceled.class,
                e -> assertThat(e.reason()).isEqualTo(CancellationReason.TOO_EXPENSIVE));
        assertThat(heard.get(1)).isInstanceOf(SubscriptionResumed.class);
        assertThat(audited(AuditEventType.SUBSCRIPTION_RESUMED)).hasSize(1);
        assertThat(outbox.pending()).extracting(o -> o.type())
                .containsExactly("subscription.canceled", "subscription.resumed");
    }

    @Test
    @DisplayName("cancel and resume take an empty body without a Content-Type; the writes with required fields do not")
    void emptyBodies() {
        Map<String, List<String>> headers = Map.of("Authorization", List.of("Bearer " + token));
        PortalResponse canceled = api.handle(new PortalRequest("POST", BASE + "sub-1/cancel", null, headers, new byte[0]));
        assertThat(canceled.status()).as(canceled.bodyAsString()).isEqualTo(200);
        assertThat(json(canceled).get("subscription").get("cancel_at_period_end").asBoolean()).isTrue();
        assertThat(provider.cancellations()).singleElement().satisfies(c -> assertThat(c.reason()).isNull());
        PortalResponse resumed = api.handle(new PortalRequest("POST", BASE + "sub-1/resume", null, headers, new byte[0]));
        assertThat(resumed.status()).as(resumed.bodyAsString()).isEqualTo(200);
        assertThat(json(resumed).get("subscription").get("cancel_at_period_end").asBoolean()).isFalse();
        PortalResponse preview = api.handle(new PortalRequest("POST", BASE + "sub-1/preview", null, headers, new byte[0]));
        assertError(preview, 415, "unsupported_media_type");
    }

    @Test
    @DisplayName("reasons: required, only the configured ones, a comment of at most 500 characters when asked")
    void cancellationRules() {
        configure(SubscriptionSettings.DEFAULT.withReasons(List.of(CancellationReason.UNUSED), true, false));
        assertThat(json(post("sub-1/cancel", "{}", null)).get("error_details").get("reason").get(0).asText())
                .isEqualTo("required");
        assertThat(json(post("sub-1/cancel", "{\"reason\":\"too_expensive\"}", null)).get("error_details")
                .get("reason").get(0).asText()).isEqualTo("not_offered");
        assertThat(json(post("sub-1/cancel", "{\"reason\":\"bogus\"}", null)).get("error_details")
                .get("reason").get(0).asText()).isEqualTo("not_offered");
        assertThat(json(post("sub-1/cancel", "{\"reason\":\"unused\",\"comment\":\"x\"}", null)).get("error_details")
                .get("comment").get(0).asText()).isEqualTo("not_allowed");
        configure(SubscriptionSettings.DEFAULT.withReasons(List.of(CancellationReason.UNUSED), false, true)
                .withCancel(true, CancelMode.IMMEDIATELY));
        assertError(post("sub-1/cancel", "{\"comment\":\"" + "x".repeat(501) + "\"}", null), 422, "validation_errors");
        JsonNode s = json(post("sub-1/cancel", "{\"comment\":\"" + "é".repeat(500) + "\"}", null)).get("subscription");
        assertThat(s.get("status").asText()).isEqualTo("canceled");
        assertThat(provider.cancellations()).hasSize(1);
    }

    @Test
    @DisplayName("what the configuration turns off is 403 feature_disabled, and shown as not allowed")
    void switchedOff() {
        configure(SubscriptionSettings.DEFAULT.withChange(false).withCancel(false, CancelMode.AT_PERIOD_END)
                .withResume(false));
        assertThat(json(get("/sub-1")).get("subscription").get("actions").toString())
                .isEqualTo("{\"change\":false,\"cancel\":false,\"resume\":false}");
        assertError(get("/sub-1/plans"), 403, "feature_disabled");
        assertError(post("sub-1/preview", "{\"plan_code\":\"pro\"}", null), 403, "feature_disabled");
        assertError(post("sub-1/cancel", "{}", null), 403, "feature_disabled");
        assertError(post("sub-1/resume", "{}", null), 403, "feature_disabled");
        portal = t.service; // no provider: the feature is off whatever the configuration says
        api = PortalApi.of(portal);
        token = portal.createSession(SessionRequest.forCustomer(alice.ref())).token();
        assertError(get(""), 403, "feature_disabled");
    }

    @Test
    @DisplayName("flows: refused at createSession for another customer's subscription, a plan not offered, or the feature off")
    void flows() {
        SessionRequest own = SessionRequest.forCustomer(alice.ref());
        assertThat(portal.createSession(own.flow(Flow.subscriptionUpdate("sub-1"))).id()).isNotNull();
        assertThat(portal.createSession(own.flow(Flow.subscriptionUpdateConfirm("sub-1", "pro"))).id()).isNotNull();
        assertThat(portal.createSession(own.flow(Flow.subscriptionCancel("sub-2"))).id()).isNotNull();
        for (Flow flow : List.of(Flow.subscriptionUpdate("sub-bob"), Flow.subscriptionCancel("sub-bob"),
                Flow.subscriptionUpdateConfirm("sub-1", "secret"), Flow.subscriptionUpdate("sub-none"))) {
            assertThatThrownBy(() -> portal.createSession(own.flow(flow))).as(flow.toString())
                    .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.reason()).isEqualTo("validation_errors"));
        }
        assertThatThrownBy(() -> t.service.createSession(own.flow(Flow.subscriptionUpdate("sub-1"))))
                .isInstanceOf(PortalException.class);
        configure(SubscriptionSettings.DEFAULT.withCancel(false, CancelMode.AT_PERIOD_END));
        assertThatThrownBy(() -> portal.createSession(own.flow(Flow.subscriptionCancel("sub-1"))))
                .isInstanceOf(PortalException.class);
    }

    // ---------------------------------------------------------------- faults

    /** The provider, failing once before or during a change when asked. */
    private final class Faulty implements SubscriptionProvider {
        @Override
        public List<Subscription> subscriptions(CustomerScope scope) {
            if ("list".equals(providerFault.get())) {
                throw new IllegalStateException("connection refused");
            }
            return provider.subscriptions(scope);
        }

        @Override
        public Optional<Subscription> subscription(CustomerScope scope, String subscriptionId) {
            return provider.subscription(scope, subscriptionId);
        }

        @Override
        public List<Plan> plans(CustomerScope scope, Subscription subscription) {
            return provider.plans(scope, subscription);
        }

        @Override
        public PlanChangePreview preview(CustomerScope scope, PlanChange change) {
            return provider.preview(scope, change);
        }

        @Override
        public Subscription change(CustomerScope scope, PlanChange change) {
            String fault = providerFault.getAndSet(null);
            if ("before".equals(fault)) {
                throw new IllegalStateException("connection refused");
            }
            Subscription after = provider.change(scope, change);
            if ("during".equals(fault)) {
                throw new IllegalStateException("read timed out after the provider applied it");
            }
            return after;
        }

        @Override
        public Subscription cancel(CustomerScope scope, Cancellation cancellation) {
            return provider.cancel(scope, cancellation);
        }

        @Override
        public Subscription resume(CustomerScope scope, String subscriptionId) {
            return provider.resume(scope, subscriptionId);
        }
    }

    /** The test portal's trail, failing once when asked. */
    private final class FaultyAudit implements AuditTrail {
        @Override
        public void record(AuditEvent event) {
            if (auditFault.getAndSet(false)) {
                throw new IllegalStateException("audit storage down");
            }
            t.audit.record(event);
        }

        @Override
        public List<AuditEvent> find(dev.billingportal.core.CustomerRef customer, Instant since, int limit) {
            return t.audit.find(customer, since, limit);
        }
    }
}
