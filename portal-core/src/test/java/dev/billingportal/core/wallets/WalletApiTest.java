package dev.billingportal.core.wallets;

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
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.WalletSettings;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.events.EventJson;
import dev.billingportal.core.events.PortalEvent;
import dev.billingportal.core.events.WalletTopUpRequested;
import dev.billingportal.core.memory.InMemoryEventOutbox;
import dev.billingportal.core.memory.InMemoryWalletProvider;
import dev.billingportal.core.session.Flow;
import dev.billingportal.core.session.SessionRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wallet routes end to end over the in-memory provider: the list with its limits, keyset pages with signed
 * cursors, top-ups at and past the limits, every malformed amount, idempotency (also racing), provider faults,
 * events, audit and the {@code wallet_top_up} flow.
 */
class WalletApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/portal/api/wallets";

    private final TestPortal t = new TestPortal();
    private final InMemoryWalletProvider provider = new InMemoryWalletProvider(t.clock);
    private final List<PortalEvent> heard = Collections.synchronizedList(new ArrayList<>());
    private final InMemoryEventOutbox outbox = new InMemoryEventOutbox();
    private final AtomicBoolean failNextTopUp = new AtomicBoolean();
    private final AtomicBoolean failAfterTopUp = new AtomicBoolean();
    private Customer alice;
    private Customer bob;
    private PortalService portal;
    private PortalApi api;
    private String token;

    @BeforeEach
    void setUp() {
        alice = t.customer("alice");
        bob = t.customer("bob");
        provider.put(CustomerScope.of(alice), wallet("w-1").name("Credits").build());
        provider.put(CustomerScope.of(alice), wallet("w-jpy").currency(Currency.getInstance("JPY"))
                .balance(Money.of(0, "JPY")).creditsScale(0).rateAmount(new BigDecimal("100")).build());
        provider.put(CustomerScope.of(alice), wallet("w-own").minTopUp(new BigDecimal("20"))
                .maxTopUp(new BigDecimal("80.5")).build());
        provider.put(CustomerScope.of(alice), wallet("w-closed").status(WalletStatus.TERMINATED).build());
        provider.put(CustomerScope.of(bob), wallet("w-bob").build());
        for (int i = 0; i < 25; i++) {
            provider.record(CustomerScope.of(alice), new WalletTransaction(String.format("wt-%02d", i), "w-1",
                    i % 3 == 0 ? WalletTransactionType.OUTBOUND : WalletTransactionType.INBOUND,
                    WalletTransactionStatus.SETTLED, new BigDecimal("1.50"), Money.of(150, "EUR"),
                    TestPortal.NOW.minus(Duration.ofHours(i / 2)))); // pairs share a time: ordered by id
        }
        configure(new WalletSettings(true, true, new BigDecimal("10.00"), new BigDecimal("500.00")));
    }

    private static Wallet.Builder wallet(String id) {
        return Wallet.builder().id(id).currency(Currency.getInstance("EUR")).balance(Money.of(2500, "EUR"))
                .creditsBalance(new BigDecimal("25.00"));
    }

    private void configure(WalletSettings settings) {
        portal = t.service.toBuilder().wallets(new Faulty()).eventListener(heard::add).outbox(outbox)
                .defaultConfiguration(PortalConfiguration.builder().wallets(settings).build()).build();
        api = PortalApi.of(portal);
        token = portal.createSession(SessionRequest.forCustomer(alice.ref())).token();
        heard.clear();
        outbox.markDelivered(outbox.pending().stream().map(e -> e.sequence()).toList());
    }

    // ---------------------------------------------------------------- requests

    private PortalResponse get(String path) {
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        return api.handle(PortalRequest.of("GET", BASE + path, query,
                Map.of("Authorization", List.of("Bearer " + token))));
    }

    private PortalResponse topUp(String wallet, String body, String key) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Authorization", List.of("Bearer " + token));
        headers.put("Content-Type", List.of("application/json"));
        if (key != null) {
            headers.put("Idempotency-Key", List.of(key));
        }
        return api.handle(new PortalRequest("POST", BASE + "/" + wallet + "/top_up", null, headers,
                body.getBytes(StandardCharsets.UTF_8)));
    }

    private PortalResponse credits(String wallet, String credits) {
        return topUp(wallet, "{\"credits\":\"" + credits + "\"}", null);
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
        assertThat(json(response).get("code").asText()).as(response.bodyAsString()).isEqualTo(code);
    }

    private static void assertCreditsProblem(PortalResponse response, String problem) {
        assertError(response, 422, "validation_errors");
        assertThat(json(response).get("error_details").get("credits").toString()).as(response.bodyAsString())
                .contains(problem);
    }

    private List<AuditEvent> audited() {
        return t.audit.find(alice.ref(), Instant.EPOCH, 1000).stream()
                .filter(e -> e.type() == AuditEventType.WALLET_TOP_UP_REQUESTED).toList();
    }

    private int created(String wallet) {
        return (int) provider.allTransactions(CustomerScope.of(alice), wallet).stream()
                .filter(tx -> tx.status() == WalletTransactionStatus.PENDING).count();
    }

    // ---------------------------------------------------------------- reading

    @Test
    @DisplayName("the list shows each wallet with balances as minor units and decimal strings, and its top-up limits")
    void list() {
        JsonNode wallets = json(get("")).get("wallets");
        assertThat(wallets).hasSize(4);
        JsonNode w = wallets.get(0);
        assertThat(w.get("id").asText()).isEqualTo("w-1");
        assertThat(w.get("name").asText()).isEqualTo("Credits");
        assertThat(w.get("currency").asText()).isEqualTo("EUR");
        assertThat(w.get("status").asText()).isEqualTo("active");
        assertThat(w.get("balance_cents").asLong()).isEqualTo(2500);
        assertThat(w.get("credits_balance").isTextual()).as("rule: credits are strings").isTrue();
        assertThat(w.get("credits_balance").asText()).isEqualTo("25.00");
        assertThat(w.get("rate_amount").asText()).isEqualTo("1");
        assertThat(w.get("expires_at").isNull()).isTrue();
        assertThat(w.get("top_up").toString()).isEqualTo("{\"min_credits\":\"10.00\",\"max_credits\":\"500.00\"}");
        assertThat(w.get("formatted").get("balance").asText()).isEqualTo("€25.00");
        assertThat(wallets.get(2).get("top_up").toString()).as("rule: the tighter of configured and own limits")
                .isEqualTo("{\"min_credits\":\"20\",\"max_credits\":\"80.5\"}");
        assertThat(wallets.get(3).get("top_up").isNull()).as("rule: a terminated wallet offers no top-up").isTrue();
    }

    @Test
    @DisplayName("GET /config reports wallets and their limits, and false without a provider")
    void features() {
        JsonNode features = json(api.handle(PortalRequest.of("GET", "/portal/api/config", null,
                Map.of("Authorization", List.of("Bearer " + token))))).findValue("features");
        assertThat(features.get("wallets").get("top_up").asBoolean()).isTrue();
        assertThat(features.get("wallets").get("min_credits").asText()).isEqualTo("10.00");
        String plain = t.service.createSession(SessionRequest.forCustomer(alice.ref())).token();
        JsonNode off = json(PortalApi.of(t.service).handle(PortalRequest.of("GET", "/portal/api/config", null,
                Map.of("Authorization", List.of("Bearer " + plain))))).findValue("features");
        assertThat(off.get("wallets").asBoolean(true)).isFalse();
        assertError(PortalApi.of(t.service).handle(PortalRequest.of("GET", BASE, null,
                Map.of("Authorization", List.of("Bearer " + plain)))), 403, "feature_disabled");
    }

    @Test
    @DisplayName("transactions come in keyset pages newest first (equal times by id), each once, with signed cursors")
    void pages() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(get("/w-1/transactions?limit=10" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("wallet_transactions").forEach(tx -> seen.add(tx.get("id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add(String.format("wt-%02d", i));
        }
        // newest first: wt-00 and wt-01 share the newest time, the greater id first
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 25; i += 2) {
            if (i + 1 < 25) {
                order.add(expected.get(i + 1));
            }
            order.add(expected.get(i));
        }
        assertThat(seen).as("rule: every transaction once, newest first").isEqualTo(order);
        JsonNode first = json(get("/w-1/transactions?limit=1")).get("wallet_transactions").get(0);
        assertThat(first.get("type").asText()).isEqualTo("inbound");
        assertThat(first.get("status").asText()).isEqualTo("settled");
        assertThat(first.get("credits").asText()).isEqualTo("1.50");
        assertThat(first.get("amount_cents").asLong()).isEqualTo(150);
        assertThat(first.get("created_at").asText()).isEqualTo(TestPortal.NOW.toString());
    }

    @Test
    @DisplayName("a cursor is good only for its session's customer and wallet; limits outside 1..100 are 422")
    void cursors() {
        String cursor = json(get("/w-1/transactions?limit=2")).get("next_cursor").asText();
        assertError(get("/w-own/transactions?cursor=" + cursor), 400, "invalid_cursor");
        assertError(get("/w-1/transactions?cursor=" + cursor.substring(1)), 400, "invalid_cursor");
        assertError(get("/w-1/transactions?cursor=" + (cursor.charAt(0) == 'A' ? 'B' : 'A') + cursor.substring(1)),
                400, "invalid_cursor");
        String other = token;
        token = portal.createSession(SessionRequest.forCustomer(alice.ref())).token();
        assertError(get("/w-1/transactions?cursor=" + cursor), 400, "invalid_cursor");
        token = other;
        for (String limit : List.of("0", "101", "-1", "abc", "1.5", "9999")) {
            assertError(get("/w-1/transactions?limit=" + limit), 422, "validation_errors");
        }
        assertThat(json(get("/w-1/transactions?limit=100")).get("wallet_transactions")).hasSize(25);
    }

    @Test
    @DisplayName("another customer's wallet answers the same 404 as a missing one, on every route")
    void foreign() {
        for (String id : List.of("w-bob", "w-none")) {
            assertError(get("/" + id + "/transactions"), 404, "wallet_not_found");
            assertError(credits(id, "50.00"), 404, "wallet_not_found");
        }
        assertThat(provider.allTransactions(CustomerScope.of(bob), "w-bob")).isEmpty();
    }

    // ---------------------------------------------------------------- top-ups

    @Test
    @DisplayName("a top-up answers 201 with a pending inbound transaction and the invoice to pay; audited and announced once")
    void topUp() {
        PortalResponse response = topUp("w-1", "{\"credits\":\"50.00\"}", "k-1");
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(201);
        JsonNode body = json(response);
        JsonNode tx = body.get("wallet_transaction");
        assertThat(tx.get("status").asText()).isEqualTo("pending");
        assertThat(tx.get("type").asText()).isEqualTo("inbound");
        assertThat(tx.get("credits").asText()).isEqualTo("50.00");
        assertThat(tx.get("amount_cents").asLong()).isEqualTo(5000);
        assertThat(body.get("payment").get("invoice_id").asText()).startsWith("inv_topup_");
        assertThat(body.get("payment").get("amount_cents").asLong()).isEqualTo(5000);
        assertThat(body.get("payment").get("formatted").get("amount").asText()).isEqualTo("€50.00");
        assertThat(audited()).hasSize(1);
        assertThat(audited().get(0).details()).contains("\"credits\":\"50.00\"").contains(tx.get("id").asText());
        assertThat(heard).singleElement().isInstanceOfSatisfying(WalletTopUpRequested.class, e -> {
            assertThat(e.walletId()).isEqualTo("w-1");
            assertThat(e.credits()).isEqualByComparingTo("50");
            assertThat(e.amount()).isEqualTo(Money.of(5000, "EUR"));
        });
        assertThat(outbox.pending()).extracting(e -> e.type()).containsExactly("wallet.top_up_requested");
        assertThat(EventJson.payload(heard.get(0))).contains("\"credits\":\"50.00\"");
        assertThat(json(get("/w-1/transactions?limit=1")).get("wallet_transactions").get(0).get("id"))
                .as("rule: the new transaction is the newest").isEqualTo(tx.get("id"));
        provider.billing(false);
        assertThat(json(credits("w-1", "10")).get("payment").isNull()).isTrue();
    }

    @ParameterizedTest(name = "{0} credits on {1}: {2}")
    @CsvSource({
            // the configured limits 10.00 .. 500.00 on a wallet of 2 decimals
            "10.00, w-1, 201", "10, w-1, 201", "500.00, w-1, 201", "500, w-1, 201", "123.4, w-1, 201",
            "9.99, w-1, below_minimum", "500.01, w-1, above_maximum", "0.01, w-1, below_minimum",
            // the wallet's own, tighter limits 20 .. 80.5
            "20.00, w-own, 201", "80.50, w-own, 201", "19.99, w-own, below_minimum", "80.51, w-own, above_maximum",
            // a wallet without decimals
            "12, w-jpy, 201", "12.0, w-jpy, too_many_decimals", "12.5, w-jpy, too_many_decimals",
            // malformed
            "50.001, w-1, too_many_decimals", "50.000, w-1, too_many_decimals", "0, w-1, must_be_positive",
            "0.00, w-1, must_be_positive", "-5, w-1, must_be_positive", "-0.01, w-1, must_be_positive",
            "99999999999999999999999, w-1, card_data_refused", "1000000000000, w-1, too_large", "9999999999999.5, w-1, too_large",
            "1e2, w-1, invalid_format", "1E+2, w-1, invalid_format", "5e-1, w-1, invalid_format",
            "abc, w-1, invalid_format", "+50, w-1, invalid_format", "' 50', w-1, invalid_format",
            "'50 ', w-1, invalid_format", ".5, w-1, invalid_format", "50., w-1, invalid_format",
            "'50,00', w-1, invalid_format", "0x10, w-1, invalid_format", "NaN, w-1, invalid_format",
            "Infinity, w-1, invalid_format", "'١٢', w-1, invalid_format", "'1_000', w-1, invalid_format"
    })
    @DisplayName("amounts at the limits pass; one minor unit past them, too many decimals and malformed ones are 422")
    void amounts(String credits, String wallet, String expected) {
        PortalResponse response = credits(wallet, credits);
        if (expected.equals("201")) {
            assertThat(response.status()).as(response.bodyAsString()).isEqualTo(201);
            assertThat(created(wallet)).isEqualTo(1);
        } else {
            if (expected.equals("card_data_refused")) {
                // 16 or more digits in a row could be a card number: refused before anything reads the body
                assertError(response, 400, expected);
            } else {
                assertCreditsProblem(response, expected);
            }
            assertThat(created(wallet)).as("rule: a refused amount creates nothing").isZero();
            assertThat(heard).isEmpty();
        }
    }

    @Test
    @DisplayName("credits must be a string: JSON numbers (floats too), booleans, objects, null and absence are 422")
    void notAString() {
        for (String body : List.of("{\"credits\":50}", "{\"credits\":50.5}", "{\"credits\":5e1}",
                "{\"credits\":true}", "{\"credits\":{}}", "{\"credits\":[\"50\"]}", "{\"credits\":null}", "{}",
                "{\"credits\":\"\"}")) {
            PortalResponse response = topUp("w-1", body, null);
            assertError(response, 422, "validation_errors");
            assertThat(json(response).get("error_details").has("credits")).as(body).isTrue();
        }
        assertError(topUp("w-1", "{\"credits\":\"50\",\"amount\":1}", null), 422, "validation_errors");
        // a duplicate key is refused by the shared body reader, before the route: 400 invalid_json
        assertError(topUp("w-1", "{\"credits\":\"50\",\"credits\":\"60\"}", null), 400, "invalid_json");
        assertThat(created("w-1")).isZero();
    }

    @Test
    @DisplayName("no top-up of a terminated wallet (409), nor when top-ups are off (403)")
    void refused() {
        assertError(credits("w-closed", "50"), 409, "wallet_not_active");
        configure(new WalletSettings(true, false, null, null));
        assertError(credits("w-1", "50"), 403, "feature_disabled");
        assertThat(json(get("")).get("wallets").get(0).get("top_up").isNull()).isTrue();
        configure(new WalletSettings(false, true, null, null));
        assertError(get(""), 403, "feature_disabled");
        assertThat(created("w-1")).isZero();
    }

    @Test
    @DisplayName("without configured limits any positive amount of the wallet's decimals passes, up to the size cap")
    void unlimited() {
        configure(new WalletSettings(true, true, null, null));
        assertThat(credits("w-1", "0.01").status()).isEqualTo(201);
        assertThat(credits("w-1", "999999999999.99").status()).isEqualTo(201);
        assertCreditsProblem(credits("w-1", "1000000000000"), "too_large");
    }

    @Test
    @DisplayName("a top-up retried with one key creates one transaction and answers the first answer again")
    void retried() {
        PortalResponse first = topUp("w-1", "{\"credits\":\"50.00\"}", "same");
        PortalResponse again = topUp("w-1", "{\"credits\":\"50.00\"}", "same");
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).contains("true");
        assertThat(again.bodyAsString()).isEqualTo(first.bodyAsString());
        assertError(topUp("w-1", "{\"credits\":\"60.00\"}", "same"), 422, "idempotency_key_reused");
        assertThat(created("w-1")).as("rule: one transaction per key").isEqualTo(1);
        assertThat(audited()).hasSize(1);
        assertThat(heard).hasSize(1);
        assertThat(topUp("w-1", "{\"credits\":\"50.00\"}", "another").status()).isEqualTo(201);
        assertThat(created("w-1")).as("rule: another key is another top-up").isEqualTo(2);
    }

    @Test
    @DisplayName("8 threads racing one key create one transaction (in memory; JDBC providers do not exist to race)")
    void race() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<PortalResponse>> results = new ArrayList<>();
        try {
            CyclicBarrier barrier = new CyclicBarrier(threads);
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    barrier.await();
                    return topUp("w-1", "{\"credits\":\"50.00\"}", "race-key");
                }));
            }
            int createdAnswers = 0;
            for (Future<PortalResponse> result : results) {
                PortalResponse r = result.get();
                assertThat(r.status()).as(r.bodyAsString()).isIn(201, 409);
                if (r.status() == 409) {
                    assertThat(json(r).get("code").asText()).isEqualTo("request_in_progress");
                } else if (r.header("Idempotent-Replayed").isEmpty()) {
                    createdAnswers++;
                }
            }
            assertThat(createdAnswers).as("rule: one request acted").isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(created("w-1")).as("rule: one transaction for one key").isEqualTo(1);
        assertThat(audited()).hasSize(1);
        assertThat(heard).hasSize(1);
    }

    @Test
    @DisplayName("a provider fault before or after its write is 503; a retry with the same key tops up once")
    void faults() {
        failNextTopUp.set(true);
        assertError(topUp("w-1", "{\"credits\":\"50.00\"}", "f-1"), 503, "provider_unavailable");
        assertThat(created("w-1")).isZero();
        assertThat(topUp("w-1", "{\"credits\":\"50.00\"}", "f-1").status()).isEqualTo(201);
        assertThat(created("w-1")).isEqualTo(1);

        failAfterTopUp.set(true);
        assertError(topUp("w-1", "{\"credits\":\"70.00\"}", "f-2"), 503, "provider_unavailable");
        assertThat(created("w-1")).as("the provider made it, the portal did not hear back").isEqualTo(2);
        assertThat(heard).hasSize(1);
        PortalResponse retried = topUp("w-1", "{\"credits\":\"70.00\"}", "f-2");
        assertThat(retried.status()).as(retried.bodyAsString()).isEqualTo(201);
        assertThat(created("w-1")).as("rule: the retry is recognised by its request id, not made again").isEqualTo(2);
        assertThat(audited()).hasSize(2);
        assertThat(heard).hasSize(2);
    }

    @Test
    @DisplayName("flow wallet_top_up: accepted for the customer's active wallet, refused for another's, a closed one, or the feature off")
    void flows() {
        SessionRequest own = SessionRequest.forCustomer(alice.ref());
        assertThat(portal.createSession(own.flow(Flow.walletTopUp("w-1"))).id()).isNotNull();
        for (String wallet : List.of("w-bob", "w-none", "w-closed")) {
            assertThatThrownBy(() -> portal.createSession(own.flow(Flow.walletTopUp(wallet)))).as(wallet)
                    .isInstanceOfSatisfying(PortalException.class,
                            e -> assertThat(e.reason()).isEqualTo("validation_errors"));
        }
        assertThatThrownBy(() -> t.service.createSession(own.flow(Flow.walletTopUp("w-1"))))
                .isInstanceOf(PortalException.class);
        configure(new WalletSettings(true, false, null, null));
        assertThatThrownBy(() -> portal.createSession(own.flow(Flow.walletTopUp("w-1"))))
                .isInstanceOf(PortalException.class);
    }

    /** The provider, failing once before or after its write when asked. */
    private final class Faulty implements WalletProvider {
        @Override
        public List<Wallet> wallets(CustomerScope scope) {
            return provider.wallets(scope);
        }

        @Override
        public Optional<Wallet> wallet(CustomerScope scope, String walletId) {
            return provider.wallet(scope, walletId);
        }

        @Override
        public List<WalletTransaction> transactions(CustomerScope scope, String walletId, WalletTransactionKey after,
                                                    int limit) {
            return provider.transactions(scope, walletId, after, limit);
        }

        @Override
        public TopUpResult topUp(CustomerScope scope, TopUp topUp) {
            if (failNextTopUp.getAndSet(false)) {
                throw new IllegalStateException("connection refused");
            }
            TopUpResult result = provider.topUp(scope, topUp);
            if (failAfterTopUp.getAndSet(false)) {
                throw new IllegalStateException("read timed out after the provider made it");
            }
            return result;
        }
    }
}
