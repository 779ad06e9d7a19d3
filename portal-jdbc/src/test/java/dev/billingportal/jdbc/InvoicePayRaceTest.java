package dev.billingportal.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.events.OutboxEvent;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.memory.InMemoryPaymentMethodProvider;
import dev.billingportal.core.payments.InvoicePayment;
import dev.billingportal.core.payments.PaymentMethod;
import dev.billingportal.core.payments.PaymentMethodProvider;
import dev.billingportal.core.payments.ReturnUrls;
import dev.billingportal.core.payments.SetupSession;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paying an invoice through {@code PortalApi} over a {@link JdbcPortalStore} on real PostgreSQL and MariaDB servers
 * (their transactions, idempotency keys, outbox and audit trail) and an {@link InMemoryPaymentMethodProvider}
 * charging the default method: eight threads sending one pay with one {@code Idempotency-Key} (a double click, a
 * retrying network) reach the provider once and charge once, audited and announced once; a provider that times out
 * during the charge answers {@code 503 provider_unavailable}, and the retry with the same key is the same attempt,
 * still one charge. The provider calls are counted in front of the provider, so the test proves that the store's
 * idempotency let one request through, not merely that the provider deduplicates.
 */
class InvoicePayRaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INVOICE = "inv-race";

    /** Counts the charges that reach the provider. */
    private static final class CountingProvider implements PaymentMethodProvider {
        final InMemoryPaymentMethodProvider delegate = new InMemoryPaymentMethodProvider();
        final AtomicInteger payCalls = new AtomicInteger();

        @Override
        public List<PaymentMethod> paymentMethods(CustomerScope scope) {
            return delegate.paymentMethods(scope);
        }

        @Override
        public SetupSession startSetup(CustomerScope scope, ReturnUrls returnUrls) {
            return delegate.startSetup(scope, returnUrls);
        }

        @Override
        public List<PaymentMethod> setDefault(CustomerScope scope, String paymentMethodId) {
            return delegate.setDefault(scope, paymentMethodId);
        }

        @Override
        public void remove(CustomerScope scope, String paymentMethodId) {
            delegate.remove(scope, paymentMethodId);
        }

        @Override
        public InvoicePayment payInvoice(CustomerScope scope, Invoice invoice, ReturnUrls returnUrls,
                                         String attemptId) {
            payCalls.incrementAndGet();
            return delegate.payInvoice(scope, invoice, returnUrls, attemptId);
        }
    }

    /** One database's store, provider and API, set up afresh for each test. */
    private static final class Setup {
        final JdbcPortalStore store;
        final CountingProvider provider = new CountingProvider();
        final Customer customer;
        final PortalApi api;
        final String token;

        Setup(String name) {
            TestDatabase database = name.equals("PostgreSQL") ? TestDatabase.postgres() : TestDatabase.mariadb();
            store = database.emptyStore(InvoicePayRaceTest.class);
            customer = Customer.builder().tenantId(TestData.TENANT).id("cus-pay").externalId("ext-cus-pay")
                    .name("Acme").email("billing@acme.example").currency("EUR").timezone(ZoneOffset.UTC).build();
            store.customers().save(customer);
            store.invoices().save(TestData.invoice(customer, INVOICE, TestData.TODAY.minusDays(40))
                    .status(InvoiceStatus.FINALIZED).paymentStatus(PaymentStatus.FAILED)
                    .amountDue(Money.of(100_00, "EUR")).build());
            provider.delegate.save(CustomerScope.of(customer), PaymentMethod.builder().id("pm-visa").brand("visa")
                    .last4("1881").expires(8, TestData.TODAY.getYear() + 3).isDefault(true).build());
            PortalService portal = PortalService.builder().customers(store.customers()).invoices(store.invoices())
                    .sessions(store.sessions())
                    .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("pay-race"))))
                    .portalUrl(URI.create("https://billing.example.com/portal/"))
                    .transactions(store.transactions()).outbox(store.outbox()).idempotency(store.idempotency())
                    .audit(store.audit()).paymentMethods(provider)
                    .build();
            api = PortalApi.of(portal);
            token = portal.createSession(SessionRequest.forCustomer(customer.externalId()).tenant(TestData.TENANT))
                    .token();
        }

        PortalResponse pay(String key) {
            return api.handle(new PortalRequest("POST", "/portal/api/invoices/" + INVOICE + "/pay", null, Map.of(
                    "Authorization", List.of("Bearer " + token),
                    "Content-Type", List.of("application/json"),
                    "Idempotency-Key", List.of(key)), "{}".getBytes(StandardCharsets.UTF_8)));
        }

        List<OutboxEvent> events() {
            return store.outbox().poll(1000).stream().filter(e -> e.type().equals("invoice.payment_started")).toList();
        }

        List<AuditEvent> audit() {
            return store.audit().find(customer.ref(), TestData.NOW.minus(Duration.ofDays(3650)), 1000).stream()
                    .filter(e -> e.type() == AuditEventType.INVOICE_PAYMENT_STARTED).toList();
        }
    }

    private static JsonNode json(PortalResponse response) {
        try {
            return JSON.readTree(response.bodyAsString());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.bodyAsString(), e);
        }
    }

    @ParameterizedTest(name = "{0}: 8 threads, one pay, one Idempotency-Key: the provider is asked once and charges once")
    @ValueSource(strings = {"PostgreSQL", "MariaDB"})
    @Timeout(180)
    void racingPaysWithOneKeyChargeOnce(String database) throws Exception {
        Setup setup = new Setup(database);
        int threads = 8;
        CyclicBarrier together = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<PortalResponse> answers = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                running.add(pool.submit(() -> {
                    together.await(60, TimeUnit.SECONDS);
                    answers.add(setup.pay("double-click"));
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<PortalResponse> acted = answers.stream()
                .filter(r -> r.status() == 200 && r.header("Idempotent-Replayed").isEmpty()).toList();
        assertThat(acted).as("rule: exactly one request acted, answers: %s",
                answers.stream().map(r -> r.status() + " " + r.bodyAsString()).toList()).hasSize(1);
        assertThat(json(acted.get(0)).get("payment").get("status").asText()).isEqualTo("succeeded");
        for (PortalResponse r : answers) {
            boolean inProgress = r.status() == 409 && r.bodyAsString().contains("request_in_progress");
            boolean replayed = r.status() == 200 && r.header("Idempotent-Replayed").isPresent()
                    && r.bodyAsString().equals(acted.get(0).bodyAsString());
            assertThat(r == acted.get(0) || inProgress || replayed)
                    .as("rule: every other answer is 409 request_in_progress or the first answer replayed, was %d %s",
                            r.status(), r.bodyAsString()).isTrue();
        }
        assertThat(setup.provider.payCalls.get()).as("rule: one request reached the provider").isEqualTo(1);
        assertThat(setup.provider.delegate.charges()).as("rule: one charge for one click").singleElement()
                .satisfies(c -> assertThat(c.amount()).isEqualTo(Money.of(100_00, "EUR")));
        assertThat(setup.audit()).as("rule: one audit record").hasSize(1);
        assertThat(setup.events()).as("rule: one outbox event").hasSize(1);

        // the same key after the race: the first answer again, nothing new reaches the provider
        PortalResponse again = setup.pay("double-click");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).contains("true");
        assertThat(again.bodyAsString()).isEqualTo(acted.get(0).bodyAsString());
        assertThat(setup.provider.payCalls.get()).isEqualTo(1);
        // a second click with a fresh key: the invoice is paid, so the provider refuses and nothing is charged
        PortalResponse second = setup.pay("second-click");
        assertThat(second.status()).as(second.bodyAsString()).isEqualTo(409);
        assertThat(json(second).get("code").asText()).isEqualTo("invoice_not_payable");
        assertThat(setup.provider.delegate.charges()).hasSize(1);
        assertThat(setup.audit()).as("a refused pay is not recorded").hasSize(1);
    }

    @ParameterizedTest(name = "{0}: a provider timing out during the charge is a 503; the retry with the key charges nothing more")
    @ValueSource(strings = {"PostgreSQL", "MariaDB"})
    @Timeout(120)
    void aTimeoutDuringTheChargeThenARetryChargesOnce(String database) {
        Setup setup = new Setup(database);
        setup.provider.delegate.timeOutAfterNextCharge();
        PortalResponse timedOut = setup.pay("flaky-network");
        assertThat(timedOut.status()).as(timedOut.bodyAsString()).isEqualTo(503);
        assertThat(json(timedOut).get("code").asText()).isEqualTo("provider_unavailable");
        assertThat(setup.provider.delegate.charges()).as("the charge went through before the timeout").hasSize(1);
        assertThat(setup.audit()).as("a failed request is not recorded").isEmpty();
        assertThat(setup.events()).as("a failed request is not announced").isEmpty();

        PortalResponse retry = setup.pay("flaky-network");
        assertThat(retry.status()).as(retry.bodyAsString()).isEqualTo(200);
        assertThat(json(retry).get("payment").get("status").asText()).isEqualTo("succeeded");
        assertThat(setup.provider.payCalls.get()).as("the retry reached the provider again").isEqualTo(2);
        assertThat(setup.provider.delegate.charges()).as("rule: the retry is the same attempt, charged once")
                .hasSize(1);
        assertThat(setup.audit()).hasSize(1);
        assertThat(setup.events()).hasSize(1);
    }
}
