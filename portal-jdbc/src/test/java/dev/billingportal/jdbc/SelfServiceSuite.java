package dev.billingportal.jdbc;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.ProfileSettings;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.events.OutboxEvent;
import dev.billingportal.core.profile.CustomerUpdate;
import dev.billingportal.core.profile.ProfileField;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Profile updates through {@code PortalService} and {@code PortalApi} over a {@link JdbcPortalStore} with its
 * transactions, outbox, audit trail and idempotency store: a write, its audit record and its event commit together or
 * not at all, and one {@code Idempotency-Key} acts once however many requests race with it. Subclassed per database.
 */
abstract class SelfServiceSuite {
    private static final String TENANT = TestData.TENANT;

    private JdbcPortalStore clean;
    private FailingStatements statements;
    private JdbcPortalStore store;
    private Customer customer;

    abstract TestDatabase database();

    @BeforeEach
    void setUp() {
        clean = database().emptyStore(SelfServiceSuite.class);
        statements = new FailingStatements(database().dataSource());
        store = JdbcPortalStore.builder(statements.dataSource()).tablePrefix(clean.tablePrefix())
                .dialect(database().dialect()).build();
        customer = Customer.builder().tenantId(TENANT).id("cus-1").externalId("ext-cus-1").name("Acme")
                .email("old@acme.example").currency("EUR").timezone(java.time.ZoneOffset.UTC).build();
        store.customers().save(customer);
    }

    private PortalService portal(JdbcPortalStore over) {
        return PortalService.builder().customers(over.customers()).invoices(over.invoices()).sessions(over.sessions())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("self-service"))))
                .portalUrl(URI.create("https://billing.example.com/portal/"))
                .transactions(over.transactions()).outbox(over.outbox()).idempotency(over.idempotency())
                .audit(over.audit())
                .defaultConfiguration(PortalConfiguration.builder()
                        .profile(ProfileSettings.editable(ProfileField.EMAIL)).build())
                .build();
    }

    private PortalContext sessionOf(PortalService portal) {
        PortalSession session = portal.createSession(SessionRequest.forCustomer(customer.externalId()).tenant(TENANT));
        return portal.authenticate(session.token());
    }

    private List<OutboxEvent> events(String type) {
        return clean.outbox().poll(1000).stream().filter(e -> e.type().equals(type)).toList();
    }

    private List<AuditEvent> audit(AuditEventType type) {
        return clean.audit().find(customer.ref(), TestData.NOW.minus(Duration.ofDays(3650)), 1000).stream()
                .filter(e -> e.type() == type).toList();
    }

    private Customer stored() {
        return clean.customers().findById(TENANT, customer.id()).orElseThrow();
    }

    @Test
    @DisplayName("a profile update commits the row, its audit record with old and new value, and its outbox event together")
    void updateCommitsRowAuditAndEvent() {
        PortalService portal = portal(store);
        PortalContext ctx = sessionOf(portal);

        Customer after = portal.profile().update(ctx, CustomerUpdate.builder().email("new@acme.example").build());

        assertThat(after.email()).isEqualTo("new@acme.example");
        assertThat(stored()).as("rule: the row is written").isEqualTo(after);
        List<AuditEvent> audited = audit(AuditEventType.CUSTOMER_UPDATED);
        assertThat(audited).as("rule: one audit record of the change").hasSize(1);
        assertThat(audited.get(0).details()).as("rule: the audit record holds old and new values")
                .contains("old@acme.example").contains("new@acme.example");
        List<OutboxEvent> events = events("customer.updated");
        assertThat(events).as("rule: one outbox event of the change").hasSize(1);
        assertThat(events.get(0).customer()).isEqualTo(customer.ref());
        assertThat(events.get(0).payload()).contains("new@acme.example");
    }

    @ParameterizedTest(name = "when the {0} INSERT fails, the profile update leaves the row, the trail and the outbox as they were")
    @ValueSource(strings = {"event_outbox", "audit_events"})
    void failingOutboxOrAuditRollsTheUpdateBack(String table) {
        PortalService portal = portal(store);
        PortalContext ctx = sessionOf(portal);
        Customer before = stored();
        int eventsBefore = clean.outbox().poll(1000).size();
        statements.fail(sql -> sql.contains("INSERT INTO " + clean.tablePrefix() + table));

        assertThatThrownBy(() -> portal.profile().update(ctx, CustomerUpdate.builder().email("new@acme.example").build()))
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.code())
                        .as("rule: a storage failure is UNAVAILABLE").isEqualTo(ErrorCode.UNAVAILABLE));

        assertThat(statements.failed()).as("the %s INSERT was attempted and refused", table).isPositive();
        assertThat(stored()).as("rule: no write without its %s row", table).isEqualTo(before);
        assertThat(events("customer.updated")).as("rule: no event for a write that rolled back").isEmpty();
        assertThat(clean.outbox().poll(1000)).as("the outbox holds what it held").hasSize(eventsBefore);
        assertThat(audit(AuditEventType.CUSTOMER_UPDATED)).as("rule: no audit record for a write that rolled back")
                .isEmpty();

        statements.heal();
        portal.profile().update(ctx, CustomerUpdate.builder().email("new@acme.example").build());
        assertThat(stored().email()).as("after the database recovers, the same update works").isEqualTo("new@acme.example");
        assertThat(events("customer.updated")).hasSize(1);
        assertThat(audit(AuditEventType.CUSTOMER_UPDATED)).hasSize(1);
    }

    @Test
    @DisplayName("when the customer UPDATE itself fails, nothing is audited or announced")
    void failingUpdateWritesNoEvent() {
        PortalService portal = portal(store);
        PortalContext ctx = sessionOf(portal);
        Customer before = stored();
        statements.fail(sql -> sql.startsWith("UPDATE " + clean.tablePrefix() + "customers SET email"));

        assertThatThrownBy(() -> portal.profile().update(ctx, CustomerUpdate.builder().email("new@acme.example").build()))
                .isInstanceOf(PortalException.class);

        assertThat(stored()).isEqualTo(before);
        assertThat(events("customer.updated")).as("rule: no event without its write").isEmpty();
        assertThat(audit(AuditEventType.CUSTOMER_UPDATED)).isEmpty();
    }

    @Test
    @DisplayName("PATCH with an Idempotency-Key whose outbox INSERT fails answers 503, keeps nothing, and the retry acts")
    void failedPatchReleasesItsKey() {
        PortalService portal = portal(store);
        PortalApi api = PortalApi.of(portal);
        String token = portal.createSession(SessionRequest.forCustomer(customer.externalId()).tenant(TENANT)).token();
        statements.fail(sql -> sql.contains("INSERT INTO " + clean.tablePrefix() + "event_outbox"));

        PortalResponse failed = api.handle(patch(token, "key-1", "{\"email\":\"new@acme.example\"}"));

        assertThat(failed.status()).as("rule: a storage failure is 503, retry-safe").isEqualTo(503);
        assertThat(stored().email()).as("rule: no write without its event").isEqualTo("old@acme.example");

        statements.heal();
        PortalResponse retried = api.handle(patch(token, "key-1", "{\"email\":\"new@acme.example\"}"));
        assertThat(retried.status()).as("rule: the retry with the same key acts").isEqualTo(200);
        assertThat(retried.header("Idempotent-Replayed")).as("it acted, it was not replayed").isEmpty();
        assertThat(stored().email()).isEqualTo("new@acme.example");
        assertThat(events("customer.updated")).hasSize(1);

        PortalResponse replayed = api.handle(patch(token, "key-1", "{\"email\":\"new@acme.example\"}"));
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("Idempotent-Replayed")).as("rule: the same key again is replayed").contains("true");
        assertThat(replayed.bodyAsString()).isEqualTo(retried.bodyAsString());
        assertThat(events("customer.updated")).as("rule: a replay emits nothing").hasSize(1);
    }

    @Test
    @Timeout(120)
    @DisplayName("8 threads sending one PATCH with one Idempotency-Key: exactly one acts, once audited and once announced")
    void racingPatchesActOnce() throws Exception {
        PortalService portal = portal(store);
        PortalApi api = PortalApi.of(portal);
        String token = portal.createSession(SessionRequest.forCustomer(customer.externalId()).tenant(TENANT)).token();
        int threads = 8;
        CyclicBarrier together = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<PortalResponse> answers = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                running.add(pool.submit(() -> {
                    together.await(60, TimeUnit.SECONDS);
                    answers.add(api.handle(patch(token, "race-key", "{\"email\":\"raced@acme.example\"}")));
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<PortalResponse> acted = answers.stream()
                .filter(r -> r.status() == 200 && r.header("Idempotent-Replayed").isEmpty()).toList();
        assertThat(acted).as("rule: exactly one request acted").hasSize(1);
        for (PortalResponse r : answers) {
            boolean inProgress = r.status() == 409 && r.bodyAsString().contains("request_in_progress");
            boolean replayed = r.status() == 200 && r.header("Idempotent-Replayed").isPresent()
                    && r.bodyAsString().equals(acted.get(0).bodyAsString());
            assertThat(r == acted.get(0) || inProgress || replayed)
                    .as("rule: every other answer is 409 request_in_progress or the first answer replayed, was %d %s",
                            r.status(), r.bodyAsString()).isTrue();
        }
        assertThat(stored().email()).isEqualTo("raced@acme.example");
        assertThat(audit(AuditEventType.CUSTOMER_UPDATED)).as("rule: one audit record").hasSize(1);
        assertThat(events("customer.updated")).as("rule: one outbox event").hasSize(1);
    }

    @Test
    @DisplayName("inside a host transaction the update, its audit record and its event commit or roll back with the host")
    void hostTransactionDecides() throws Exception {
        ThreadLocal<Connection> current = new ThreadLocal<>();
        JdbcPortalStore hosted = JdbcPortalStore.builder(database().dataSource()).tablePrefix(clean.tablePrefix())
                .dialect(database().dialect()).hostTransactions(current::get).build();
        PortalService portal = portal(hosted);
        PortalContext ctx = sessionOf(portal);

        try (Connection c = database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                portal.profile().update(ctx, CustomerUpdate.builder().email("rolled@acme.example").build());
                c.rollback();
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        }
        assertThat(stored().email()).as("rule: the host's rollback undoes the write").isEqualTo("old@acme.example");
        assertThat(events("customer.updated")).as("rule: and its event").isEmpty();
        assertThat(audit(AuditEventType.CUSTOMER_UPDATED)).as("rule: and its audit record").isEmpty();

        try (Connection c = database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                portal.profile().update(ctx, CustomerUpdate.builder().email("kept@acme.example").build());
                c.commit();
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        }
        assertThat(stored().email()).as("rule: the host's commit keeps the write").isEqualTo("kept@acme.example");
        assertThat(events("customer.updated")).hasSize(1);
        assertThat(audit(AuditEventType.CUSTOMER_UPDATED)).hasSize(1);
    }

    @Test
    @DisplayName("transactions(): work that throws rolls back every write of the store inside it; nested calls join")
    void transactionsRollBackAndNest() {
        CustomerRef ref = customer.ref();
        assertThatThrownBy(() -> store.transactions().inTransaction(() -> {
            store.customers().update(dev.billingportal.core.CustomerScope.of(customer),
                    CustomerUpdate.builder().name("Inside").build());
            store.transactions().inTransaction(() -> {
                store.outbox().append(new dev.billingportal.core.events.SessionRevoked("evt-nested", ref, "ses-x",
                        TestData.NOW, 1));
                return null;
            });
            assertThat(store.customers().findById(TENANT, customer.id()).orElseThrow().name())
                    .as("inside, the store reads its own uncommitted write").isEqualTo("Inside");
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

        assertThat(stored().name()).as("rule: rolled back").isEqualTo("Acme");
        assertThat(clean.outbox().poll(100)).as("rule: the nested append rolled back with it").isEmpty();

        store.transactions().inTransaction(() -> {
            store.customers().update(dev.billingportal.core.CustomerScope.of(customer),
                    CustomerUpdate.builder().name("Committed").build());
            store.outbox().append(new dev.billingportal.core.events.SessionRevoked("evt-ok", ref, "ses-x",
                    TestData.NOW, 1));
            return null;
        });
        assertThat(stored().name()).isEqualTo("Committed");
        assertThat(clean.outbox().poll(100)).extracting(OutboxEvent::eventId).containsExactly("evt-ok");
    }

    private static PortalRequest patch(String token, String key, String json) {
        return new PortalRequest("PATCH", "/portal/api/customer", null, Map.of(
                "Authorization", List.of("Bearer " + token),
                "Content-Type", List.of("application/json"),
                "Idempotency-Key", List.of(key)), json.getBytes(StandardCharsets.UTF_8));
    }
}
