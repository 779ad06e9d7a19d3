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
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.WalletSettings;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.events.OutboxEvent;
import dev.billingportal.core.memory.InMemoryWalletProvider;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.core.wallets.Wallet;
import dev.billingportal.core.wallets.WalletTransaction;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Top-ups through {@code PortalApi} over a {@link JdbcPortalStore} on real PostgreSQL and MariaDB servers (its
 * transactions, idempotency keys, outbox and audit trail) and an {@link InMemoryWalletProvider}: eight threads
 * sending one top-up with one {@code Idempotency-Key} make exactly one transaction, audited and announced once; the
 * amounts at the configured limits pass, and one minor unit past them, too many decimals, negative, zero, huge and
 * non-numeric ones are 422 (a run of 22 digits is refused earlier, as card-like, 400) and create nothing (no
 * transaction, no audit record, no event).
 */
class WalletTopUpRaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = TestData.TENANT;
    private static final String WALLET = "w-race";

    /** One database's store, provider and API, set up afresh for each test. */
    private static final class Setup {
        final TestDatabase database;
        final JdbcPortalStore store;
        final InMemoryWalletProvider wallets = new InMemoryWalletProvider(Clock.systemUTC());
        final Customer customer;
        final PortalApi api;
        final String token;

        Setup(String name) {
            database = name.equals("PostgreSQL") ? TestDatabase.postgres() : TestDatabase.mariadb();
            store = database.emptyStore(WalletTopUpRaceTest.class);
            customer = Customer.builder().tenantId(TENANT).id("cus-wallet").externalId("ext-cus-wallet").name("Acme")
                    .email("billing@acme.example").currency("EUR").timezone(ZoneOffset.UTC).build();
            store.customers().save(customer);
            wallets.put(CustomerScope.of(customer), Wallet.builder().id(WALLET).name("Credits")
                    .currency(Currency.getInstance("EUR")).balance(Money.of(0, "EUR"))
                    .creditsBalance(new BigDecimal("0.00")).rateAmount(BigDecimal.ONE).creditsScale(2).build());
            PortalService portal = PortalService.builder().customers(store.customers()).invoices(store.invoices())
                    .sessions(store.sessions())
                    .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("wallet-race"))))
                    .portalUrl(URI.create("https://billing.example.com/portal/"))
                    .transactions(store.transactions()).outbox(store.outbox()).idempotency(store.idempotency())
                    .audit(store.audit()).wallets(wallets)
                    .defaultConfiguration(PortalConfiguration.builder().wallets(new WalletSettings(true, true,
                            new BigDecimal("10.00"), new BigDecimal("500.00"))).build())
                    .build();
            api = PortalApi.of(portal);
            token = portal.createSession(SessionRequest.forCustomer(customer.externalId()).tenant(TENANT)).token();
        }

        PortalResponse topUp(String key, String body) {
            return api.handle(new PortalRequest("POST", "/portal/api/wallets/" + WALLET + "/top_up", null, Map.of(
                    "Authorization", List.of("Bearer " + token),
                    "Content-Type", List.of("application/json"),
                    "Idempotency-Key", List.of(key)), body.getBytes(StandardCharsets.UTF_8)));
        }

        List<WalletTransaction> transactions() {
            return wallets.allTransactions(CustomerScope.of(customer), WALLET);
        }

        List<OutboxEvent> events() {
            return store.outbox().poll(1000).stream().filter(e -> e.type().equals("wallet.top_up_requested")).toList();
        }

        List<AuditEvent> audit() {
            return store.audit().find(customer.ref(), TestData.NOW.minus(Duration.ofDays(3650)), 1000).stream()
                    .filter(e -> e.type() == AuditEventType.WALLET_TOP_UP_REQUESTED).toList();
        }

        long idempotencyRows() throws SQLException {
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + store.tablePrefix() + "idempotency_keys")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static JsonNode json(PortalResponse response) {
        try {
            return JSON.readTree(response.bodyAsString());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.bodyAsString(), e);
        }
    }

    @ParameterizedTest(name = "{0}: 8 threads, one top-up, one Idempotency-Key: exactly one transaction, audited and announced once")
    @ValueSource(strings = {"PostgreSQL", "MariaDB"})
    @Timeout(180)
    void racingTopUpsWithOneKeyMakeOneTransaction(String database) throws Exception {
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
                    answers.add(setup.topUp("race-key", "{\"credits\":\"50.00\"}"));
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
                .filter(r -> r.status() == 201 && r.header("Idempotent-Replayed").isEmpty()).toList();
        assertThat(acted).as("rule: exactly one request acted").hasSize(1);
        for (PortalResponse r : answers) {
            boolean inProgress = r.status() == 409 && r.bodyAsString().contains("request_in_progress");
            boolean replayed = r.status() == 201 && r.header("Idempotent-Replayed").isPresent()
                    && r.bodyAsString().equals(acted.get(0).bodyAsString());
            assertThat(r == acted.get(0) || inProgress || replayed)
                    .as("rule: every other answer is 409 request_in_progress or the first answer replayed, was %d %s",
                            r.status(), r.bodyAsString()).isTrue();
        }
        List<WalletTransaction> made = setup.transactions();
        assertThat(made).as("rule: one transaction for one key").hasSize(1);
        assertThat(made.get(0).credits()).isEqualByComparingTo("50.00");
        assertThat(json(acted.get(0)).get("wallet_transaction").get("id").asText()).isEqualTo(made.get(0).id());
        assertThat(setup.audit()).as("rule: one audit record").hasSize(1);
        assertThat(setup.events()).as("rule: one outbox event").hasSize(1);

        // the same key once more, after the race: the first answer again, nothing new
        PortalResponse again = setup.topUp("race-key", "{\"credits\":\"50.00\"}");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).contains("true");
        assertThat(again.bodyAsString()).isEqualTo(acted.get(0).bodyAsString());
        assertThat(setup.transactions()).hasSize(1);
        // and another amount under the same key is refused, acting on nothing
        PortalResponse reused = setup.topUp("race-key", "{\"credits\":\"60.00\"}");
        assertThat(reused.status()).isEqualTo(422);
        assertThat(json(reused).get("code").asText()).isEqualTo("idempotency_key_reused");
        assertThat(setup.transactions()).hasSize(1);
        assertThat(setup.idempotencyRows()).as("one stored key").isEqualTo(1);
    }

    static Stream<Arguments> amounts() {
        List<Arguments> list = new ArrayList<>();
        String[][] cases = {
                {"10.00", "201"}, {"10", "201"}, {"500.00", "201"}, {"500", "201"},
                {"9.99", "below_minimum"}, {"500.01", "above_maximum"},
                {"10.001", "too_many_decimals"}, {"50.000", "too_many_decimals"},
                {"-50.00", "must_be_positive"}, {"0", "must_be_positive"}, {"0.00", "must_be_positive"},
                {"1000000000000", "too_large"}, {"999999999999.99", "above_maximum"},
                {"99999999999999999999.99", "card_data_refused"},
                {"abc", "invalid_format"}, {"1e3", "invalid_format"}, {"50,00", "invalid_format"}, {" 50", "invalid_format"},
                {"", "required"}};
        for (String db : List.of("PostgreSQL", "MariaDB")) {
            for (String[] c : cases) {
                list.add(Arguments.of(db, c[0], c[1]));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}: credits \"{1}\" -> {2}")
    @MethodSource("amounts")
    @Timeout(120)
    void amountsAtTheLimitsPassAndEveryOtherIsRefusedCreatingNothing(String database, String credits, String expected)
            throws Exception {
        Setup setup = new Setup(database);
        PortalResponse answer = setup.topUp("key-" + credits.hashCode(), "{\"credits\":\"" + credits + "\"}");
        if (expected.equals("201")) {
            assertThat(answer.status()).as(answer.bodyAsString()).isEqualTo(201);
            assertThat(setup.transactions()).singleElement()
                    .satisfies(t -> assertThat(t.credits()).isEqualByComparingTo(credits));
            assertThat(setup.events()).hasSize(1);
            return;
        }
        JsonNode body = json(answer);
        if (expected.equals("card_data_refused")) {
            // a run of 22 digits looks like card data: the pipeline refuses the body before the wallets see it
            assertThat(answer.status()).as(answer.bodyAsString()).isEqualTo(400);
            assertThat(body.get("code").asText()).isEqualTo("card_data_refused");
        } else {
            assertThat(answer.status()).as(answer.bodyAsString()).isEqualTo(422);
            assertThat(body.get("error_details").get("credits").get(0).asText()).isEqualTo(expected);
        }
        assertThat(setup.transactions()).as("rule: nothing is created").isEmpty();
        assertThat(setup.audit()).as("rule: nothing is audited").isEmpty();
        assertThat(setup.events()).as("rule: nothing is announced").isEmpty();
    }
}
