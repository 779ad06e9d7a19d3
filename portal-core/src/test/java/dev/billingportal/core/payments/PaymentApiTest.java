package dev.billingportal.core.payments;

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
import dev.billingportal.core.config.PaymentMethodSettings;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.events.DefaultPaymentMethodChanged;
import dev.billingportal.core.events.InvoicePaymentStarted;
import dev.billingportal.core.events.PaymentMethodRemoved;
import dev.billingportal.core.events.PaymentMethodSetupStarted;
import dev.billingportal.core.events.PortalEvent;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.memory.InMemoryEventOutbox;
import dev.billingportal.core.memory.InMemoryPaymentMethodProvider;
import dev.billingportal.core.memory.InMemorySubscriptionProvider;
import dev.billingportal.core.session.Flow;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.subscriptions.Plan;
import dev.billingportal.core.subscriptions.PlanInterval;
import dev.billingportal.core.subscriptions.Subscription;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The payment routes end to end over the in-memory provider: listing, the hand-off to the hosted page and back to
 * the portal only, default, removal and its guard, paying (scoped, payable, once per key even when racing or after a
 * timeout), events, audit and flows.
 */
class PaymentApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/portal/api";

    private final TestPortal t = new TestPortal();
    private final InMemoryPaymentMethodProvider provider = new InMemoryPaymentMethodProvider();
    private final InMemorySubscriptionProvider subscriptions = new InMemorySubscriptionProvider(t.clock);
    private final List<PortalEvent> heard = Collections.synchronizedList(new ArrayList<>());
    private final InMemoryEventOutbox outbox = new InMemoryEventOutbox();
    private Customer alice;
    private Customer bob;
    private PortalService portal;
    private PortalApi api;
    private String token;

    @BeforeEach
    void setUp() {
        alice = t.customer("alice");
        bob = t.customer("bob");
        provider.save(CustomerScope.of(alice), PaymentMethod.builder().id("pm-a-1").brand("visa").last4("4242")
                .expires(12, 2030).build());
        provider.save(CustomerScope.of(alice), PaymentMethod.builder().id("pm-a-2").type(PaymentMethodType.SEPA_DEBIT)
                .last4("3000").build());
        provider.save(CustomerScope.of(bob), PaymentMethod.builder().id("pm-b-1").brand("mastercard").last4("4444")
                .expires(1, 2031).build());
        LocalDate day = LocalDate.of(2026, 10, 1);
        t.invoice(alice, "inv-open", day, day.plusDays(14), 5000, "EUR", InvoiceStatus.FINALIZED, PaymentStatus.PENDING);
        t.invoice(alice, "inv-failed", day, day.plusDays(14), 7000, "EUR", InvoiceStatus.FINALIZED, PaymentStatus.FAILED);
        t.invoice(alice, "inv-paid", day, day.plusDays(14), 5000, "EUR", InvoiceStatus.FINALIZED, PaymentStatus.SUCCEEDED);
        t.invoice(alice, "inv-void", day, day.plusDays(14), 5000, "EUR", InvoiceStatus.VOIDED, PaymentStatus.PENDING);
        t.invoices.save(Invoice.builder().id("inv-zero").customer(alice).number("INV-zero").issuingDate(day)
                .paymentDueDate(day.plusDays(14)).total(Money.of(5000, "EUR")).taxes(Money.of(0, "EUR"))
                .amountDue(Money.of(0, "EUR")).build());
        t.invoice(bob, "inv-bob", day, day.plusDays(14), 5000, "EUR", InvoiceStatus.FINALIZED, PaymentStatus.PENDING);
        subscriptions.savePlan(alice.tenantId(), new Plan("pro", "Pro", PlanInterval.MONTH, Money.of(2999, "EUR")));
        configure(PaymentMethodSettings.DEFAULT);
    }

    private void configure(PaymentMethodSettings settings) {
        portal = t.service.toBuilder().paymentMethods(provider).subscriptions(subscriptions).eventListener(heard::add)
                .outbox(outbox).defaultConfiguration(PortalConfiguration.builder().paymentMethods(settings).build())
                .build();
        api = PortalApi.of(portal);
        token = portal.createSession(SessionRequest.forCustomer(alice.ref())).token();
        heard.clear();
    }

    private void subscribe(Customer who) {
        subscriptions.save(CustomerScope.of(who), Subscription.builder().id("sub-" + who.externalId()).name("Pro")
                .plan(subscriptions.plans(CustomerScope.of(who), null).get(0))
                .startedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .currentPeriodStart(Instant.parse("2026-11-01T00:00:00Z"))
                .currentPeriodEnd(Instant.parse("2026-12-01T00:00:00Z")).build());
    }

    // ---------------------------------------------------------------- requests

    private PortalResponse get(String path) {
        return api.handle(PortalRequest.of("GET", BASE + path, null, Map.of("Authorization", List.of("Bearer " + token))));
    }

    private PortalResponse send(String method, String path, String query, String body, String key) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Authorization", List.of("Bearer " + token));
        headers.put("Content-Type", List.of("application/json"));
        if (key != null) {
            headers.put("Idempotency-Key", List.of(key));
        }
        return api.handle(new PortalRequest(method, BASE + path, query, headers, body.getBytes(StandardCharsets.UTF_8)));
    }

    private PortalResponse post(String path, String key) {
        return send("POST", path, null, "{}", key);
    }

    /** A POST with no body and no Content-Type, as {@code curl -X POST} sends it. */
    private PortalResponse bare(String path, String key) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Authorization", List.of("Bearer " + token));
        if (key != null) {
            headers.put("Idempotency-Key", List.of(key));
        }
        return api.handle(new PortalRequest("POST", BASE + path, null, headers, new byte[0]));
    }

    private static JsonNode json(PortalResponse response) {
        try {
            return JSON.readTree(response.body().toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The return address without its return link (tested in ReturnLinkTest). */
    static String withoutToken(URI back) {
        return back.toString().replaceFirst("&token=[A-Za-z0-9_.-]+$", "");
    }

    private static void assertError(PortalResponse response, int status, String code) {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(json(response).get("code").asText()).isEqualTo(code);
    }

    private List<AuditEvent> audited(AuditEventType type) {
        return t.audit.find(alice.ref(), Instant.EPOCH, 1000).stream().filter(e -> e.type() == type).toList();
    }

    // ---------------------------------------------------------------- reading

    @Test
    @DisplayName("the list shows type, brand, last four, expiry and the default flag, and nothing more")
    void list() {
        JsonNode list = json(get("/payment_methods")).get("payment_methods");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).toString()).isEqualTo("{\"id\":\"pm-a-1\",\"type\":\"card\",\"brand\":\"visa\","
                + "\"last4\":\"4242\",\"exp_month\":12,\"exp_year\":2030,\"default\":true}");
        assertThat(list.get(1).get("type").asText()).isEqualTo("sepa_debit");
        assertThat(list.get(1).get("default").asBoolean()).isFalse();
    }

    @Test
    @DisplayName("GET /config reports payment methods and invoice payments, and false without a provider")
    void features() {
        JsonNode features = json(get("/config")).findValue("features");
        assertThat(features.get("payment_methods").toString()).isEqualTo("{\"remove_last\":false}");
        assertThat(features.get("invoices").get("payments").asBoolean()).isTrue();
        String plain = t.service.createSession(SessionRequest.forCustomer(alice.ref())).token();
        PortalApi without = PortalApi.of(t.service);
        JsonNode off = json(without.handle(PortalRequest.of("GET", BASE + "/config", null,
                Map.of("Authorization", List.of("Bearer " + plain))))).findValue("features");
        assertThat(off.get("payment_methods").asBoolean(true)).isFalse();
        assertThat(off.get("invoices").get("payments").asBoolean(true)).isFalse();
        assertError(without.handle(PortalRequest.of("GET", BASE + "/payment_methods", null,
                Map.of("Authorization", List.of("Bearer " + plain)))), 403, "feature_disabled");
    }

    // ---------------------------------------------------------------- setup and the way back

    @Test
    @DisplayName("setup hands off to the provider's page, which comes back to the portal's own page only")
    void setupComesBackToThePortal() {
        PortalResponse response = post("/payment_methods/setup", null);
        String url = json(response).get("setup").get("redirect_url").asText();
        assertThat(url).startsWith(InMemoryPaymentMethodProvider.DEFAULT_SANDBOX_URL + "/setup/seti_");
        URI back = provider.completeSetup(url.substring(url.lastIndexOf('/') + 1));
        assertThat(withoutToken(back)).isEqualTo(portal.portalUrl() + "?setup=complete");
        assertThat(back.getQuery()).containsPattern("&token=[A-Za-z0-9_.-]+$");
        assertThat(provider.paymentMethods(CustomerScope.of(alice))).hasSize(3);

        String again = json(post("/payment_methods/setup", null)).get("setup").get("redirect_url").asText();
        assertThat(withoutToken(provider.cancelSetup(again.substring(again.lastIndexOf('/') + 1))))
                .isEqualTo(portal.portalUrl() + "?setup=canceled");
        assertThat(heard).hasSize(2).allMatch(e -> e instanceof PaymentMethodSetupStarted);
        assertThat(audited(AuditEventType.PAYMENT_SETUP_STARTED)).hasSize(2);
    }

    @Test
    @DisplayName("no open redirect: a return address in the body is refused, one in the query ignored")
    void requestSuppliedReturnUrlsAreRefusedOrIgnored() {
        for (String body : List.of("{\"return_url\":\"https://evil.example/\"}", "{\"success_url\":\"https://evil.example/\"}",
                "{\"cancel_url\":\"//evil.example\"}", "{\"redirect_url\":\"javascript:alert(1)\"}")) {
            PortalResponse refused = send("POST", "/payment_methods/setup", null, body, null);
            assertError(refused, 422, "validation_errors");
            assertThat(refused.bodyAsString()).doesNotContain("evil.example").doesNotContain("javascript:");
            PortalResponse pay = send("POST", "/invoices/inv-open/pay", null, body, null);
            assertError(pay, 422, "validation_errors");
        }
        assertThat(provider.charges()).isEmpty();
        provider.save(CustomerScope.of(alice), PaymentMethod.builder().id("pm-a-1").brand("visa").last4("4242")
                .expires(12, 2030).isDefault(false).build());
        provider.remove(CustomerScope.of(alice), "pm-a-2"); // no default method: a hosted payment page
        provider.remove(CustomerScope.of(alice), "pm-a-1");
        String query = "return_url=https%3A%2F%2Fevil.example%2F&redirect_url=https://evil.example&next=//evil.example";
        JsonNode setup = json(send("POST", "/payment_methods/setup", query, "{}", null)).get("setup");
        String setupId = setup.get("redirect_url").asText().replaceAll(".*/", "");
        assertThat(withoutToken(provider.completeSetup(setupId))).isEqualTo(portal.portalUrl() + "?setup=complete");
        provider.remove(CustomerScope.of(alice), provider.paymentMethods(CustomerScope.of(alice)).get(0).id());
        JsonNode payment = json(send("POST", "/invoices/inv-open/pay", query, "{}", null)).get("payment");
        assertThat(payment.get("status").asText()).isEqualTo("redirect");
        String paymentId = payment.get("redirect_url").asText().replaceAll(".*/", "");
        assertThat(withoutToken(provider.completePayment(paymentId)))
                .isEqualTo(portal.portalUrl() + "?payment=complete&invoice=inv-open");
        assertThat(provider.charges()).hasSize(1);
    }

    @Test
    @DisplayName("the way back drops any query or fragment of the configured portal URL")
    void returnUrlsAreThePortalsOwn() {
        ReturnUrls urls = portal.payments().returnUrls("payment", "inv 1&x=y");
        assertThat(urls.completed().toString()).isEqualTo(portal.portalUrl().toString().replaceAll("[?#].*", "")
                + "?payment=complete&invoice=inv+1%26x%3Dy");
        assertThat(urls.canceled().getHost()).isEqualTo(portal.portalUrl().getHost());
    }

    // ---------------------------------------------------------------- default and remove

    @Test
    @DisplayName("make default answers the list; another customer's method is the same 404 as a missing one")
    void makeDefault() {
        JsonNode list = json(post("/payment_methods/pm-a-2/default", null)).get("payment_methods");
        assertThat(list.get(1).get("default").asBoolean()).isTrue();
        assertThat(list.get(0).get("default").asBoolean()).isFalse();
        DefaultPaymentMethodChanged event = (DefaultPaymentMethodChanged) heard.get(0);
        assertThat(event.paymentMethodId()).isEqualTo("pm-a-2");
        assertThat(event.previousPaymentMethodId()).isEqualTo("pm-a-1");
        assertThat(audited(AuditEventType.DEFAULT_PAYMENT_METHOD_CHANGED)).hasSize(1);
        assertThat(outbox.pending()).extracting(e -> e.type()).contains("payment_method.default_changed");

        PortalResponse missing = post("/payment_methods/pm-missing/default", null);
        assertError(missing, 404, "payment_method_not_found");
        PortalResponse bobs = post("/payment_methods/pm-b-1/default", null);
        assertThat(bobs.bodyAsString()).isEqualTo(missing.bodyAsString());
        assertThat(provider.paymentMethods(CustomerScope.of(bob)).get(0).isDefault()).isTrue();
    }

    @Test
    @DisplayName("the only method stays while a subscription runs, unless removeLast; removing answers 204")
    void removeGuard() {
        subscribe(alice);
        assertThat(send("DELETE", "/payment_methods/pm-a-2", null, "", null).status()).isEqualTo(204);
        assertError(send("DELETE", "/payment_methods/pm-a-1", null, "", null), 409, "payment_method_required");
        assertError(send("DELETE", "/payment_methods/pm-b-1", null, "", null), 404, "payment_method_not_found");
        assertThat(provider.paymentMethods(CustomerScope.of(bob))).hasSize(1);
        PaymentMethodRemoved removed = (PaymentMethodRemoved) heard.get(0);
        assertThat(removed.paymentMethodId()).isEqualTo("pm-a-2");
        assertThat(audited(AuditEventType.PAYMENT_METHOD_REMOVED)).hasSize(1);

        configure(new PaymentMethodSettings(true, true));
        assertThat(send("DELETE", "/payment_methods/pm-a-1", null, "", null).status()).isEqualTo(204);
        assertThat(provider.paymentMethods(CustomerScope.of(alice))).isEmpty();
    }

    @Test
    @DisplayName("without a running subscription the last method may go")
    void removeLastWithoutSubscription() {
        assertThat(send("DELETE", "/payment_methods/pm-a-2", null, "", null).status()).isEqualTo(204);
        assertThat(send("DELETE", "/payment_methods/pm-a-1", null, "", null).status()).isEqualTo(204);
    }

    // ---------------------------------------------------------------- paying

    @Test
    @DisplayName("pay charges the default method once; paid, voided and zero-due invoices are not payable")
    void pay() {
        PortalResponse paid = post("/invoices/inv-open/pay", "k-1");
        assertThat(json(paid).toString()).isEqualTo("{\"payment\":{\"status\":\"succeeded\"}}");
        assertThat(provider.charges()).singleElement().satisfies(c -> {
            assertThat(c.invoiceId()).isEqualTo("inv-open");
            assertThat(c.amount()).isEqualTo(Money.of(5000, "EUR"));
            assertThat(c.methodId()).isEqualTo("pm-a-1");
        });
        InvoicePaymentStarted event = (InvoicePaymentStarted) heard.get(0);
        assertThat(event.status()).isEqualTo("succeeded");
        assertThat(event.amountCents()).isEqualTo(5000);
        assertThat(audited(AuditEventType.INVOICE_PAYMENT_STARTED)).singleElement()
                .satisfies(e -> assertThat(e.invoiceId()).isEqualTo("inv-open"));
        for (String id : List.of("inv-paid", "inv-void", "inv-zero")) {
            assertError(post("/invoices/" + id + "/pay", null), 409, "invoice_not_payable");
        }
        assertThat(json(post("/invoices/inv-failed/pay", null)).get("payment").get("status").asText())
                .isEqualTo("succeeded");
        assertThat(provider.charges()).hasSize(2);
    }

    @Test
    @DisplayName("pay, setup and default take an empty body without a Content-Type; a body sent is still read")
    void emptyBodies() {
        PortalResponse paid = bare("/invoices/inv-open/pay", "k-bare");
        assertThat(paid.status()).as(paid.bodyAsString()).isEqualTo(200);
        assertThat(json(paid).get("payment").get("status").asText()).isEqualTo("succeeded");
        assertThat(bare("/invoices/inv-open/pay", "k-bare").header("Idempotent-Replayed")).contains("true");
        assertThat(provider.charges()).as("a retried empty pay charges once").hasSize(1);

        PortalResponse setup = bare("/payment_methods/setup", null);
        assertThat(setup.status()).as(setup.bodyAsString()).isEqualTo(200);
        assertThat(json(setup).get("setup").get("redirect_url").asText()).startsWith("https://");
        PortalResponse madeDefault = bare("/payment_methods/pm-a-2/default", null);
        assertThat(madeDefault.status()).as(madeDefault.bodyAsString()).isEqualTo(200);
        assertThat(json(madeDefault).get("payment_methods").get(1).get("default").asBoolean()).isTrue();

        // a body sent is read as before: an unknown field, card data or a body that is not JSON is refused
        PortalResponse unknown = send("POST", "/invoices/inv-failed/pay", null, "{\"amount\":1}", null);
        assertError(unknown, 422, "validation_errors");
        assertThat(json(unknown).get("error_details").get("amount").get(0).asText()).isEqualTo("unknown field");
        assertError(send("POST", "/invoices/inv-failed/pay", null, "{\"note\":\"4242424242424242\"}", null), 400,
                "card_data_refused");
        Map<String, List<String>> text = new HashMap<>();
        text.put("Authorization", List.of("Bearer " + token));
        text.put("Content-Type", List.of("text/plain"));
        assertError(api.handle(new PortalRequest("POST", BASE + "/invoices/inv-failed/pay", null, text,
                "pay".getBytes(StandardCharsets.UTF_8))), 415, "unsupported_media_type");
        assertThat(provider.charges()).as("nothing refused was charged").hasSize(1);
    }

    @Test
    @DisplayName("another customer's invoice is the same 404 as a missing one, and nothing is charged")
    void payIsScoped() {
        PortalResponse missing = post("/invoices/inv-missing/pay", null);
        assertError(missing, 404, "invoice_not_found");
        PortalResponse bobs = post("/invoices/inv-bob/pay", null);
        assertThat(bobs.status()).isEqualTo(missing.status());
        assertThat(bobs.bodyAsString()).isEqualTo(missing.bodyAsString());
        assertThat(provider.charges()).isEmpty();
        assertThat(heard).isEmpty();
    }

    @Test
    @DisplayName("a declined default method answers failed, charges nothing")
    void declined() {
        provider.decline("pm-a-1");
        assertThat(json(post("/invoices/inv-open/pay", null)).get("payment").get("status").asText()).isEqualTo("failed");
        assertThat(provider.charges()).isEmpty();
    }

    @Test
    @DisplayName("a provider that times out during the charge: 503 provider_unavailable; the retry with the same key does not charge again")
    void timeoutThenRetry() {
        provider.timeOutAfterNextCharge();
        assertError(post("/invoices/inv-open/pay", "click-1"), 503, "provider_unavailable");
        assertThat(provider.charges()).as("the charge went through before the timeout").hasSize(1);
        assertThat(heard).as("nothing announced for a failed request").isEmpty();
        PortalResponse retry = post("/invoices/inv-open/pay", "click-1");
        assertThat(json(retry).get("payment").get("status").asText()).isEqualTo("succeeded");
        assertThat(provider.charges()).as("rule: the retry is the same attempt, charged once").hasSize(1);
        PortalResponse replay = post("/invoices/inv-open/pay", "click-1");
        assertThat(replay.header("Idempotent-Replayed")).contains("true");
        assertThat(provider.charges()).hasSize(1);
        assertThat(audited(AuditEventType.INVOICE_PAYMENT_STARTED)).hasSize(1);
    }

    @Test
    @DisplayName("a double-clicked pay: 8 threads with one key charge once")
    void doubleClickChargesOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CyclicBarrier start = new CyclicBarrier(8);
            List<Future<PortalResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return post("/invoices/inv-open/pay", "double-click");
                }));
            }
            int succeeded = 0;
            for (Future<PortalResponse> answer : answers) {
                PortalResponse response = answer.get();
                if (response.status() == 200) {
                    assertThat(json(response).get("payment").get("status").asText()).isEqualTo("succeeded");
                    succeeded++;
                } else {
                    assertError(response, 409, "request_in_progress");
                }
            }
            assertThat(succeeded).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(provider.charges()).as("rule: one click, one charge").hasSize(1);
        assertThat(audited(AuditEventType.INVOICE_PAYMENT_STARTED)).hasSize(1);
        assertThat(heard).hasSize(1);
    }

    @Test
    @DisplayName("without a default method, pay answers the hosted payment page")
    void redirectWithoutDefault() {
        provider.remove(CustomerScope.of(alice), "pm-a-1");
        provider.remove(CustomerScope.of(alice), "pm-a-2");
        JsonNode payment = json(post("/invoices/inv-open/pay", null)).get("payment");
        assertThat(payment.get("status").asText()).isEqualTo("redirect");
        assertThat(payment.get("redirect_url").asText()).startsWith(InMemoryPaymentMethodProvider.DEFAULT_SANDBOX_URL + "/pay/");
        String id = payment.get("redirect_url").asText().replaceAll(".*/", "");
        assertThat(withoutToken(provider.cancelPayment(id))).isEqualTo(portal.portalUrl() + "?payment=canceled&invoice=inv-open");
        assertThat(provider.charges()).isEmpty();
    }

    // ---------------------------------------------------------------- flows

    @Test
    @DisplayName("flows: payment_method_update needs the feature; invoice_pay the customer's own payable invoice")
    void flows() {
        SessionRequest own = SessionRequest.forCustomer(alice.ref());
        assertThat(portal.createSession(own.flow(Flow.paymentMethodUpdate())).id()).isNotNull();
        assertThat(portal.createSession(own.flow(Flow.invoicePay("inv-open"))).id()).isNotNull();
        for (String id : List.of("inv-bob", "inv-paid", "inv-void", "inv-zero", "inv-missing")) {
            assertThatThrownBy(() -> portal.createSession(own.flow(Flow.invoicePay(id))))
                    .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.details()).containsKey("flow.invoice_id"));
        }
        assertThatThrownBy(() -> t.service.createSession(own.flow(Flow.paymentMethodUpdate())))
                .isInstanceOf(PortalException.class);
        assertThatThrownBy(() -> t.service.createSession(own.flow(Flow.invoicePay("inv-open"))))
                .isInstanceOf(PortalException.class);
    }

    // ---------------------------------------------------------------- the model

    @Test
    @DisplayName("a payment method cannot hold card data: last4 is four digits, brand and id refuse card numbers")
    void noFieldForCardData() {
        assertThatThrownBy(() -> PaymentMethod.builder().id("pm-1").last4("4242424242424242").build())
                .isInstanceOf(PortalException.class);
        assertThatThrownBy(() -> PaymentMethod.builder().id("pm-1").brand("4242 4242 4242 4242").build())
                .isInstanceOf(PortalException.class);
        assertThatThrownBy(() -> PaymentMethod.builder().id("4111111111111111").build())
                .isInstanceOf(PortalException.class);
        assertThat(java.util.Arrays.stream(PaymentMethod.class.getRecordComponents()).map(c -> c.getName()))
                .containsExactly("id", "type", "brand", "last4", "expMonth", "expYear", "isDefault");
    }

    @Test
    @DisplayName("card data is recognised: Luhn-valid 13-19 digits, any 16-19 digits, track data; not phones or dates")
    void cardDataRecognised() {
        for (String card : List.of("4242424242424242", "4242 4242 4242 4242", "4000-0566-5566-5556", "378282246310005",
                "4222222222222", "1234567890123456", "%B4111111111111111^DOE/JOHN^2512101?", ";4111111111111111=2512101?",
                "x4242424242424242y")) {
            assertThat(CardData.looksLikeCardData(card)).as(card).isTrue();
        }
        for (String fine : List.of("+44 20 7946 0958", "2026-11-21", "inv-123456789012", "737", "1234", "+1 555 0100",
                "550e8400-e29b-41d4-a716-446655440000")) {
            assertThat(CardData.looksLikeCardData(fine)).as(fine).isFalse();
        }
    }
}
