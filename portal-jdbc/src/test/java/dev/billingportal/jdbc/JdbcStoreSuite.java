package dev.billingportal.jdbc;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.InvoiceType;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.invoices.InvoiceSearch;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

import static dev.billingportal.testkit.TestData.EUR;
import static dev.billingportal.testkit.TestData.JPY;
import static dev.billingportal.testkit.TestData.NOW;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.TODAY;
import static dev.billingportal.testkit.TestData.USD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the contract suites cannot see because they know no SQL: concurrency on a real server, connections dying
 * mid-transaction, host transactions, exact stored totals, concurrent migrations, and messages that never quote
 * SQL or data. Subclassed once per database.
 */
abstract class JdbcStoreSuite {
    private JdbcPortalStore store;
    private Customer customer;

    /** The database under test. */
    abstract TestDatabase database();

    @BeforeEach
    void emptyStore() {
        store = database().emptyStore(getClass());
        customer = TestData.customer(TENANT, "cus-main");
        store.customers().save(customer);
    }

    private CustomerScope scope() {
        return CustomerScope.of(customer);
    }

    private JdbcPortalStore.Builder builderOver(DataSource dataSource) {
        return JdbcPortalStore.builder(dataSource).tablePrefix(store.tablePrefix()).dialect(database().dialect());
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(120)
    @DisplayName("8 threads creating and revoking sessions at once: no error, no row lost, every revocation counted once")
    void eightThreadsCreateAndRevokeSessions() throws Exception {
        int threads = 8;
        int perThread = 20;
        CustomerRef shared = CustomerRef.of(TENANT, "ext-shared");
        AtomicInteger revokedShared = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        runOnThreads(threads, thread -> {
            CustomerRef own = CustomerRef.of(TENANT, "ext-own-" + thread);
            start.await(60, TimeUnit.SECONDS);
            for (int i = 0; i < perThread; i++) {
                store.sessions().create(TestData.session("own-" + thread + "-" + i, own, NOW, Duration.ofHours(1)));
                store.sessions().create(TestData.session("shared-" + thread + "-" + i, shared, NOW, Duration.ofHours(1)));
                if (i % 2 == 1) {
                    assertThat(store.sessions().revoke("own-" + thread + "-" + (i - 1), NOW.plusSeconds(i))).isTrue();
                }
                if (i % 5 == 4) {
                    revokedShared.addAndGet(store.sessions().revokeAll(shared, NOW.plusSeconds(i)));
                }
            }
            return null;
        });
        revokedShared.addAndGet(store.sessions().revokeAll(shared, NOW.plusSeconds(60)));

        assertThat(revokedShared).as("every shared session revoked exactly once").hasValue(threads * perThread);
        for (int thread = 0; thread < threads; thread++) {
            CustomerRef own = CustomerRef.of(TENANT, "ext-own-" + thread);
            for (int i = 0; i < perThread; i++) {
                Optional<SessionRecord> ownSession = store.sessions().find(own, "own-" + thread + "-" + i);
                assertThat(ownSession).as("own-%d-%d", thread, i).isPresent();
                assertThat(ownSession.get().revoked()).as("own-%d-%d revoked", thread, i).isEqualTo(i % 2 == 0);
                assertThat(store.sessions().find(shared, "shared-" + thread + "-" + i))
                        .as("shared-%d-%d", thread, i).hasValueSatisfying(s -> assertThat(s.revoked()).isTrue());
            }
        }
        assertThat(count("sessions")).isEqualTo(2L * threads * perThread);
    }

    // ---------------------------------------------------------------- one-time links

    private PortalService oneTimePortal() {
        return oneTimePortal(store.sessions());
    }

    private PortalService oneTimePortal(PortalSessionRepository sessions) {
        return PortalService.builder().customers(store.customers()).invoices(store.invoices())
                .sessions(sessions).audit(store.audit())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("race"))))
                .portalUrl(URI.create("https://billing.example.com/portal"))
                .linkMode(LinkMode.ONE_TIME)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    @Test
    @Timeout(120)
    @DisplayName("2 threads exchanging one link at once, 40 times over: exactly one wins every time")
    void twoThreadsExchangeOneLink() throws Exception {
        assertOneWinnerPerLink(2, 40);
    }

    @Test
    @Timeout(120)
    @DisplayName("8 threads exchanging one link at once, 15 times over: exactly one wins every time, every loser audited")
    void eightThreadsExchangeOneLink() throws Exception {
        assertOneWinnerPerLink(8, 15, false);
    }

    @Test
    @Timeout(120)
    @DisplayName("8 threads that all read the link as unused, 10 times over: the conditional UPDATE alone picks one winner")
    void eightThreadsRaceTheConditionalUpdate() throws Exception {
        assertOneWinnerPerLink(8, 10, true);
    }

    private void assertOneWinnerPerLink(int threads, int repetitions) throws Exception {
        assertOneWinnerPerLink(threads, repetitions, false);
    }

    /**
     * {@code threads} threads exchange one fresh link at once, {@code repetitions} times. With {@code allPastTheCheck}
     * every thread's first read of the link waits until all have read it, so none stops at the service's early "already
     * used" check: all of them store a session and race the repository's conditional UPDATE.
     */
    private void assertOneWinnerPerLink(int threads, int repetitions, boolean allPastTheCheck) throws Exception {
        AtomicReference<CyclicBarrier> readTogether = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        PortalSessionRepository sessions = !allPastTheCheck ? store.sessions() : (PortalSessionRepository) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {PortalSessionRepository.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store.sessions(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("find") && reads.getAndIncrement() < threads) {
                        readTogether.get().await(60, TimeUnit.SECONDS);
                    }
                    return result;
                });
        PortalService portal = oneTimePortal(sessions);
        CustomerRef ref = customer.ref();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> winners = new ArrayList<>();
        try {
            for (int repetition = 0; repetition < repetitions; repetition++) {
                PortalSession link = portal.createSession(SessionRequest.forCustomer(ref));
                CyclicBarrier together = new CyclicBarrier(threads);
                readTogether.set(new CyclicBarrier(threads));
                reads.set(0);
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    ClientInfo client = ClientInfo.of("10.0.0." + i, "racer/" + i);
                    results.add(pool.submit(() -> {
                        together.await(60, TimeUnit.SECONDS);
                        try {
                            return portal.exchange(link.token(), client).token();
                        } catch (PortalException e) {
                            assertThat(e.reason()).as("loser's reason").isEqualTo("link_already_used");
                            return null;
                        }
                    }));
                }
                List<String> tokens = new ArrayList<>();
                for (Future<String> result : results) {
                    String token = result.get(90, TimeUnit.SECONDS);
                    if (token != null) {
                        tokens.add(token);
                    }
                }
                assertThat(tokens).as("winners of repetition %d", repetition).hasSize(1);
                reads.set(Integer.MAX_VALUE / 2); // no more waiting
                winners.add(portal.authenticate(tokens.get(0)).sessionId());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(winners).doesNotHaveDuplicates();
        List<AuditEvent> events = store.audit().find(ref, Instant.EPOCH, AuditTrail.MAX_FIND_LIMIT);
        assertThat(events).filteredOn(e -> e.type() == AuditEventType.SESSION_EXCHANGED).hasSize(repetitions)
                .extracting(AuditEvent::sessionId).containsExactlyInAnyOrderElementsOf(winners);
        assertThat(events).filteredOn(e -> e.type() == AuditEventType.LINK_REPLAY_REFUSED)
                .hasSize(repetitions * (threads - 1));
        assertThat(ids("sessions WHERE link_id IS NOT NULL AND revoked_at IS NULL")).as("live exchanged sessions: the winners'")
                .containsExactlyInAnyOrderElementsOf(winners);
        // Losers that read the link after the winner marked it stop there; those that raced the mark itself stored a
        // session first, and it is revoked: never handed out, never usable.
        long losersSessions = count("sessions WHERE link_id IS NOT NULL AND revoked_at IS NOT NULL");
        if (allPastTheCheck) {
            assertThat(losersSessions).as("every loser raced the UPDATE").isEqualTo((long) repetitions * (threads - 1));
        } else {
            assertThat(losersSessions).isBetween(0L, (long) repetitions * (threads - 1));
        }
        assertThat(count("sessions WHERE exchanged_at IS NOT NULL")).as("links used").isEqualTo(repetitions);
    }

    @Test
    @DisplayName("a host transaction is joined by the audit trail: a session and its event commit or roll back together")
    void sessionAndItsEventShareTheHostTransaction() throws SQLException {
        ThreadLocal<Connection> current = new ThreadLocal<>();
        JdbcPortalStore joined = builderOver(database().dataSource()).hostTransactions(current::get).build();
        PortalService portal = oneTimePortal().toBuilder().sessions(joined.sessions()).audit(joined.audit()).build();
        try (Connection host = database().dataSource().getConnection()) {
            host.setAutoCommit(false);
            current.set(host);
            portal.createSession(SessionRequest.forCustomer(customer.ref()));
            host.rollback();
            portal.createSession(SessionRequest.forCustomer(customer.ref()));
            host.commit();
            current.remove();
        }
        assertThat(count("sessions")).isEqualTo(1);
        assertThat(store.audit().find(customer.ref(), Instant.EPOCH, 10)).hasSize(1)
                .allSatisfy(event -> assertThat(event.type()).isEqualTo(AuditEventType.SESSION_CREATED));
    }

    // ---------------------------------------------------------------- failures

    @Test
    @DisplayName("a connection dying at any statement of an invoice update: UNAVAILABLE, and nothing of it written")
    void connectionDyingMidUpdateWritesNothing() {
        Invoice v1 = TestData.invoice(customer, "inv-1", TODAY.minusDays(10)).total(Money.of(100_00, EUR)).build();
        store.invoices().save(v1);
        // status stays finalized but the currency changes: two totals rows move, after the invoice row
        Invoice v2 = v1.toBuilder().number("CHANGED").total(Money.of(250_00, USD)).subtotal(null).taxes(null)
                .amountDue(null).build();
        assertEveryDeathLeavesNoTrace(v2, v1);
    }

    @Test
    @DisplayName("a connection dying at any statement of an invoice insert: UNAVAILABLE, and nothing of it written")
    void connectionDyingMidInsertWritesNothing() {
        Invoice fresh = TestData.invoice(customer, "inv-new", TODAY.minusDays(3)).total(Money.of(7_00, EUR)).build();
        assertEveryDeathLeavesNoTrace(fresh, null);
    }

    private void assertEveryDeathLeavesNoTrace(Invoice toSave, Invoice stored) {
        State before = state(toSave.id());
        assertThat(before.invoice()).isEqualTo(Optional.ofNullable(stored));
        int failures = 0;
        for (int fatal = 1; ; fatal++) {
            assertThat(fatal).as("statements of one save").isLessThan(20);
            JdbcPortalStore dying = builderOver(DyingDataSource.dyingOnStatement(database().dataSource(), fatal)).build();
            try {
                dying.invoices().save(toSave);
            } catch (PortalException e) {
                assertThat(e.code()).as("statement %d", fatal).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(state(toSave.id())).as("after dying at statement %d", fatal).isEqualTo(before);
                failures++;
                continue;
            }
            break;
        }
        assertThat(failures).as("statements that could fail").isGreaterThanOrEqualTo(3);
        assertThat(store.invoices().findById(scope(), toSave.id())).contains(toSave);
        assertThat(storedTotals()).isEqualTo(liveTotals());
    }

    private record State(Optional<Invoice> invoice, BillingOverview overview, Map<String, List<Long>> totals) {
    }

    private State state(String invoiceId) {
        return new State(store.invoices().findById(scope(), invoiceId), store.invoices().overview(scope(), TODAY),
                storedTotals());
    }

    @Test
    @DisplayName("a database that cannot be reached: every repository call fails UNAVAILABLE")
    void unreachableDatabaseIsUnavailable() {
        DataSource down = DyingDataSource.dyingOnStatement(database().dataSource(), 1);
        JdbcPortalStore broken = builderOver(down).build();

        assertUnavailable(() -> broken.customers().findById(TENANT, "cus-main"));
        assertUnavailable(() -> broken.invoices().overview(scope(), TODAY));
        assertUnavailable(() -> broken.sessions().revokeAll(CustomerRef.of(TENANT, "ext-1"), NOW));
        assertUnavailable(() -> broken.sessions().markExchanged("ses-1", NOW));
        assertUnavailable(() -> broken.audit().record(AuditEvent.of("ae-1", AuditEventType.SESSION_CREATED, NOW,
                CustomerRef.of(TENANT, "ext-1"), AuditActor.HOST, null, null, null, null)));
        JdbcPortalStore noConnection = builderOver((DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, a) -> {
                    throw new SQLException("connection refused", "08001");
                })).build();
        assertUnavailable(() -> noConnection.invoices().find(scope(), TestData.search().build()));
        assertUnavailable(() -> noConnection.customers().save(customer));
    }

    private static void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    @DisplayName("conflicts are CONFLICT (SQLState class 23), and no message quotes SQL or data")
    void conflictsNeverQuoteSqlOrData() {
        String secretId = "ses-Zm9vYmFyLXNlY3JldA";
        SessionRecord session = TestData.session(secretId, CustomerRef.of(TENANT, "ext-1"), NOW, Duration.ofHours(1));
        store.sessions().create(session);

        assertThatThrownBy(() -> store.sessions().create(session)).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.reason()).isEqualTo("session_exists");
            assertThat(messages(e)).noneMatch(m -> m.contains(secretId) || m.toUpperCase().contains("INSERT")
                    || m.contains(store.tablePrefix()));
        });

        Customer ghost = TestData.customer(TENANT, "cus-never-saved");
        Invoice orphan = TestData.invoice(ghost, "inv-orphan", TODAY).build();
        assertThatThrownBy(() -> store.invoices().save(orphan)).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.reason()).isEqualTo("customer_not_found");
            assertThat(messages(e)).noneMatch(m -> m.contains("cus-never-saved") || m.contains("inv-orphan"));
        });
        assertThat(count("invoices")).isZero();

        AuditEvent event = AuditEvent.of("ae-" + secretId, AuditEventType.SESSION_CREATED, NOW, CustomerRef.of(TENANT, "ext-1"),
                AuditActor.HOST, secretId, null, null, ClientInfo.of("192.0.2.77", "secret-agent/1"));
        store.audit().record(event);
        assertThatThrownBy(() -> store.audit().record(event)).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.reason()).isEqualTo("audit_event_exists");
            assertThat(messages(e)).noneMatch(m -> m.contains(secretId) || m.contains("192.0.2.77")
                    || m.contains("secret-agent") || m.contains(store.tablePrefix()));
        });
    }

    private static List<String> messages(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
            for (Throwable suppressed : t.getSuppressed()) {
                messages.add(String.valueOf(suppressed.getMessage()));
            }
        }
        return messages;
    }

    @Test
    @DisplayName("every public method validates its input: VALIDATION_ERROR and nothing written")
    void inputIsValidated() {
        assertInvalid(() -> store.invoices().save(null));
        assertInvalid(() -> store.invoices().find(null, TestData.search().build()));
        assertInvalid(() -> store.invoices().find(scope(), null));
        assertInvalid(() -> store.invoices().overview(scope(), null));
        assertInvalid(() -> store.invoices().findById(null, "inv-1"));
        assertInvalid(() -> store.customers().save(null));
        assertInvalid(() -> store.customers().findById(TENANT, null));
        assertInvalid(() -> store.customers().findById(" ", "cus-1"));
        assertInvalid(() -> store.customers().findByExternalId(null));
        assertInvalid(() -> store.sessions().create(null));
        assertInvalid(() -> store.sessions().find(null, "ses-1"));
        assertInvalid(() -> store.sessions().revoke("ses-1", null));
        assertInvalid(() -> store.sessions().revokeAll(CustomerRef.of(TENANT, "ext-1"), null));
        assertInvalid(() -> store.sessions().deleteExpired(null));
        assertInvalid(() -> store.sessions().markExchanged(null, NOW));
        assertInvalid(() -> store.sessions().markExchanged("ses-1", null));
        assertInvalid(() -> store.sessions().touch("ses-1", null));
        assertInvalid(() -> store.audit().record(null));
        assertInvalid(() -> store.audit().find(CustomerRef.of(TENANT, "ext-1"), NOW, 0));
        assertThat(count("invoices") + count("sessions") + count("audit_events")).isZero();
        assertThat(store.sessions().findById(null)).isEmpty();
        assertThat(store.sessions().findById("ses-1 ")).as("trailing blank").isEmpty();
        assertThat(store.sessions().markExchanged("ses-1 ", NOW)).isFalse();
        assertThat(store.sessions().touch("ses-1 ", NOW)).isFalse();
        assertThat(store.invoices().findById(scope(), "inv 1")).as("an id no invoice can have").isEmpty();
        assertThat(store.sessions().find(CustomerRef.of(TENANT, "ext-1"), "ses-1 ")).isEmpty();
        assertThat(store.sessions().revoke(" ses-1", NOW)).isFalse();
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    }

    // ---------------------------------------------------------------- search and Unicode

    @Test
    @DisplayName("search treats % _ \\ ' \" and the escape character ! literally")
    void searchIsLiteral() {
        Map<String, String> numbers = new LinkedHashMap<>();
        numbers.put("inv-01", "100%-OFF");
        numbers.put("inv-02", "1000-OFF");
        numbers.put("inv-03", "A_B");
        numbers.put("inv-04", "AXB");
        numbers.put("inv-05", "C\\D");
        numbers.put("inv-06", "CD");
        numbers.put("inv-07", "O'NEIL \"QUOTED\"");
        numbers.put("inv-08", "BANG!%_");
        numbers.put("inv-09", "BANG");
        numbers.forEach((id, number) -> store.invoices().save(TestData.invoice(customer, id, TODAY).number(number).build()));

        assertThat(searchIds("%")).containsExactly("inv-08", "inv-01");
        assertThat(searchIds("0%-")).containsExactly("inv-01");
        assertThat(searchIds("_")).containsExactly("inv-08", "inv-03");
        assertThat(searchIds("a_b")).containsExactly("inv-03");
        assertThat(searchIds("\\")).containsExactly("inv-05");
        assertThat(searchIds("c\\d")).containsExactly("inv-05");
        assertThat(searchIds("'")).containsExactly("inv-07");
        assertThat(searchIds("\"quoted\"")).containsExactly("inv-07");
        assertThat(searchIds("!")).containsExactly("inv-08");
        assertThat(searchIds("!%")).containsExactly("inv-08");
        assertThat(searchIds("bang!%_")).containsExactly("inv-08");
        assertThat(searchIds("!!")).isEmpty();
        assertThat(searchIds("%%")).isEmpty();
        assertThat(searchIds("'; DROP TABLE x; --")).isEmpty();
        assertThat(count("invoices")).isEqualTo(numbers.size());
    }

    @Test
    @DisplayName("CJK, emoji, right-to-left and combining invoice numbers round-trip and are found by any part")
    void unicodeNumbersRoundTrip() {
        Map<String, String> numbers = new LinkedHashMap<>();
        numbers.put("inv-cjk", "請求書-2026-東京");
        numbers.put("inv-emoji", "INV-🧾-💶-2026");
        numbers.put("inv-rtl", "فاتورة-٢٠٢٦-חשבונית");
        numbers.put("inv-combining", "Fa\u0301ktura-2026");
        numbers.put("inv-dotted", "İSTANBUL-2026");
        List<Invoice> saved = new ArrayList<>();
        numbers.forEach((id, number) -> {
            Invoice invoice = TestData.invoice(customer, id, TODAY).number(number).documentRef("docs/" + number).build();
            store.invoices().save(invoice);
            saved.add(invoice);
        });

        for (Invoice invoice : saved) {
            assertThat(store.invoices().findById(scope(), invoice.id())).contains(invoice);
        }
        assertThat(searchIds("東京")).containsExactly("inv-cjk");
        assertThat(searchIds("💶")).containsExactly("inv-emoji");
        assertThat(searchIds("חשבונית")).containsExactly("inv-rtl");
        assertThat(searchIds("a\u0301k")).containsExactly("inv-combining");
        assertThat(searchIds("ák")).as("precomposed is another string than combining").isEmpty();
        assertThat(searchIds("İstanbul")).as("folded like Java's Locale.ROOT").containsExactly("inv-dotted");
    }

    private List<String> searchIds(String text) {
        InvoiceSearch search = TestData.search().search(text).build();
        List<Invoice> found = store.invoices().find(scope(), search);
        assertThat(found).as("the reference agrees for '%s'", text).allMatch(search::matches);
        return found.stream().map(Invoice::id).toList();
    }

    // ---------------------------------------------------------------- host transactions

    @Test
    @DisplayName("a host transaction is joined: its rollback undoes our writes, and its connection is left as it was")
    void hostRollbackUndoesOurWrites() throws SQLException {
        ThreadLocal<Connection> current = new ThreadLocal<>();
        JdbcPortalStore joined = builderOver(database().dataSource()).hostTransactions(current::get).build();
        Customer other = TestData.customer(TENANT, "cus-host");
        Invoice invoice = TestData.invoice(other, "inv-host", TODAY).build();
        try (Connection host = database().dataSource().getConnection()) {
            host.setAutoCommit(false);
            current.set(host);
            joined.customers().save(other);
            joined.invoices().save(invoice);
            assertThat(joined.invoices().findById(CustomerScope.of(other), "inv-host")).as("inside").contains(invoice);
            assertThat(store.invoices().findById(CustomerScope.of(other), "inv-host")).as("outside, uncommitted").isEmpty();

            host.rollback();
            assertThat(host.isClosed()).isFalse();
            assertThat(host.getAutoCommit()).isFalse();
            current.remove();
        }
        assertThat(store.customers().findById(TENANT, "cus-host")).isEmpty();
        assertThat(store.invoices().findById(CustomerScope.of(other), "inv-host")).isEmpty();
        assertThat(storedTotals()).isEqualTo(liveTotals()).isEmpty();
    }

    @Test
    @DisplayName("a host transaction is joined: its commit keeps our writes")
    void hostCommitKeepsOurWrites() throws SQLException {
        ThreadLocal<Connection> current = new ThreadLocal<>();
        JdbcPortalStore joined = builderOver(database().dataSource()).hostTransactions(current::get).build();
        Invoice invoice = TestData.invoice(customer, "inv-host", TODAY).build();
        try (Connection host = database().dataSource().getConnection()) {
            host.setAutoCommit(false);
            current.set(host);
            joined.invoices().save(invoice);
            host.commit();
            current.remove();
        }
        assertThat(store.invoices().findById(scope(), "inv-host")).contains(invoice);
        assertThat(store.invoices().overview(scope(), TODAY).currencies()).hasSize(1);
    }

    @Test
    @DisplayName("a host connection in auto-commit mode: our save is atomic by itself, and auto-commit is restored")
    void hostConnectionInAutoCommitMode() throws SQLException {
        Invoice invoice = TestData.invoice(customer, "inv-auto", TODAY).build();
        try (Connection host = database().dataSource().getConnection()) {
            host.setAutoCommit(true);
            builderOver(database().dataSource()).hostTransactions(() -> host).build().invoices().save(invoice);
            assertThat(host.getAutoCommit()).isTrue();
            assertThat(host.isClosed()).isFalse();
        }
        assertThat(store.invoices().findById(scope(), "inv-auto")).contains(invoice);
    }

    // ---------------------------------------------------------------- totals

    @Test
    @Timeout(120)
    @DisplayName("stored totals equal a live recomputation after many random saves (status, currency, payment flips)")
    void storedTotalsStayExact() {
        Customer second = TestData.customer(TENANT, "cus-second");
        store.customers().save(second);
        List<Customer> owners = List.of(customer, second);
        List<Currency> currencies = List.of(EUR, USD, JPY);
        InvoiceStatus[] statuses = InvoiceStatus.values();
        PaymentStatus[] payments = PaymentStatus.values();
        Random random = new Random(20261121);
        Map<String, Invoice> latest = new HashMap<>();
        for (int i = 0; i < 250; i++) {
            int n = random.nextInt(24);
            Customer owner = owners.get(n % 2);
            Currency currency = currencies.get(random.nextInt(currencies.size()));
            long total = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(1_000_000);
            LocalDate issued = TODAY.minusDays(random.nextInt(120));
            Invoice invoice = TestData.invoice(owner, "inv-" + n, issued)
                    .status(statuses[random.nextInt(statuses.length)])
                    .paymentStatus(payments[random.nextInt(payments.length)])
                    .type(InvoiceType.values()[random.nextInt(InvoiceType.values().length)])
                    .paymentDueDate(issued.plusDays(random.nextInt(60)))
                    .total(Money.of(total, currency))
                    .amountDue(Money.of(total == 0 ? 0 : random.nextLong(total + 1), currency)).build();
            store.invoices().save(invoice);
            latest.put(invoice.id(), invoice);
        }

        Map<String, List<Long>> expected = new HashMap<>();
        for (Invoice invoice : latest.values()) {
            if (invoice.status() == InvoiceStatus.FINALIZED) {
                String key = invoice.customerId() + "/" + invoice.currency().getCurrencyCode();
                List<Long> sums = expected.computeIfAbsent(key, k -> new ArrayList<>(List.of(0L, 0L)));
                sums.set(0, sums.get(0) + invoice.total().amountMinor());
                sums.set(1, sums.get(1) + 1);
            }
        }
        assertThat(storedTotals()).as("stored vs recomputed in Java").isEqualTo(expected);
        assertThat(storedTotals()).as("stored vs recomputed in SQL").isEqualTo(liveTotals());
        for (Customer owner : owners) {
            for (LocalDate today : List.of(TODAY.minusDays(90), TODAY, TODAY.plusDays(30))) {
                assertThat(store.invoices().overview(CustomerScope.of(owner), today)).as("%s on %s", owner.id(), today)
                        .isEqualTo(TestData.expectedOverview(latest.values(), CustomerScope.of(owner), today));
            }
        }
    }

    /** customer/currency -> [invoiced, count] of the stored totals rows that count (count above zero). */
    private Map<String, List<Long>> storedTotals() {
        return totals("SELECT customer_id, currency, invoiced_minor, invoice_count FROM " + store.tablePrefix()
                + "invoice_totals WHERE invoice_count > 0");
    }

    /** The same, summed from the invoices themselves. */
    private Map<String, List<Long>> liveTotals() {
        return totals("SELECT customer_id, currency, SUM(total_minor), COUNT(*) FROM " + store.tablePrefix()
                + "invoices WHERE status = 'FINALIZED' GROUP BY customer_id, currency");
    }

    private Map<String, List<Long>> totals(String sql) {
        Map<String, List<Long>> totals = new HashMap<>();
        try (Connection c = database().dataSource().getConnection();
             PreparedStatement statement = c.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                totals.put(rows.getString(1) + "/" + rows.getString(2), List.of(rows.getLong(3), rows.getLong(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return totals;
    }

    private List<String> ids(String tableAndCondition) {
        List<String> ids = new ArrayList<>();
        try (Connection c = database().dataSource().getConnection();
             PreparedStatement statement = c.prepareStatement("SELECT id FROM " + store.tablePrefix() + tableAndCondition);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private long count(String table) {
        try (Connection c = database().dataSource().getConnection();
             PreparedStatement statement = c.prepareStatement("SELECT COUNT(*) FROM " + store.tablePrefix() + table);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- schema

    @Test
    @Timeout(120)
    @DisplayName("two instances migrating one schema at once: each version applied exactly once, both succeed")
    void concurrentMigrationsApplyOnce() throws Exception {
        String prefix = database().newPrefix();
        CyclicBarrier together = new CyclicBarrier(2);
        List<List<Integer>> applied = runOnThreads(2, thread -> {
            together.await(60, TimeUnit.SECONDS);
            return PortalSchema.migrate(database().dataSource(), prefix);
        });

        assertThat(applied).containsExactlyInAnyOrder(List.of(1, 2, 3), List.of());
        assertThat(PortalSchema.migrate(database().dataSource(), prefix)).as("a third start").isEmpty();
        try (Connection c = database().dataSource().getConnection();
             ResultSet rows = c.createStatement().executeQuery("SELECT version, script FROM " + prefix
                     + "schema_history ORDER BY version")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(1);
            assertThat(rows.getString(2)).isEqualTo("V1__portal.sql");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(2);
            assertThat(rows.getString(2)).isEqualTo("V2__one_time_links_and_audit.sql");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(3);
            assertThat(rows.getString(2)).isEqualTo("V3__self_service.sql");
            assertThat(rows.next()).as("three rows").isFalse();
        }
        JdbcPortalStore fresh = JdbcPortalStore.builder(database().dataSource()).tablePrefix(prefix).build();
        fresh.customers().save(customer);
        assertThat(fresh.customers().findById(TENANT, customer.id())).contains(customer);
        assertThat(fresh.dialect()).isEqualTo(database().dialect());
    }

    @Test
    @DisplayName("upgrading a V1 schema holding sessions to V2: they read as links never exchanged, and work as before")
    void upgradeFromVersionOneKeepsSessions() throws SQLException {
        String prefix = database().newPrefix();
        assertThat(dev.billingportal.jdbc.internal.SchemaMigrator.migrate(database().dataSource(),
                new dev.billingportal.jdbc.internal.TablePrefix(prefix), database().dialect().implementation(), 1))
                .containsExactly(1);
        CustomerRef owner = CustomerRef.of(TENANT, "ext-old");
        try (Connection c = database().dataSource().getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO " + prefix + "sessions (id, tenant_id, customer_external_id, issued_at, expires_at, revoked_at)"
                        + " VALUES (?, ?, ?, ?, ?, NULL)")) {
            insert.setString(1, "ses-v1");
            insert.setString(2, owner.tenantId());
            insert.setString(3, owner.externalId());
            database().dialect().implementation().setInstant(insert, 4, NOW);
            database().dialect().implementation().setInstant(insert, 5, NOW.plus(Duration.ofHours(12)));
            insert.executeUpdate();
        }

        assertThat(PortalSchema.migrate(database().dataSource(), prefix)).containsExactly(2, 3);

        JdbcPortalStore upgraded = JdbcPortalStore.builder(database().dataSource()).tablePrefix(prefix).build();
        SessionRecord old = TestData.session("ses-v1", owner, NOW, Duration.ofHours(12));
        assertThat(upgraded.sessions().find(owner, "ses-v1")).contains(old);
        assertThat(upgraded.sessions().markExchanged("ses-v1", NOW.plusSeconds(1))).isTrue();
        upgraded.sessions().create(TestData.exchangedSession("ses-v2", owner, "ses-v1", NOW.plusSeconds(1), Duration.ofHours(1)));
        assertThat(upgraded.sessions().revoke("ses-v1", NOW.plusSeconds(2))).isTrue();
        assertThat(upgraded.sessions().find(owner, "ses-v2")).map(SessionRecord::revoked).contains(true);
        AuditEvent event = AuditEvent.of("ae-v2", AuditEventType.SESSION_REVOKED, NOW, owner, AuditActor.HOST, "ses-v1",
                null, null, ClientInfo.of("10.0.0.1", "upgrade-test"));
        upgraded.audit().record(event);
        assertThat(upgraded.audit().find(owner, NOW, 10)).containsExactly(event);
    }

    @Test
    @DisplayName("upgrading a V2 schema holding customers and audit events to V3: they read with no phone and no details")
    void upgradeFromVersionTwoKeepsCustomersAndAudit() throws SQLException {
        String prefix = database().newPrefix();
        assertThat(dev.billingportal.jdbc.internal.SchemaMigrator.migrate(database().dataSource(),
                new dev.billingportal.jdbc.internal.TablePrefix(prefix), database().dialect().implementation(), 2))
                .containsExactly(1, 2);
        database().execute("INSERT INTO " + prefix + "customers (tenant_id, id, external_id, name, timezone)"
                + " VALUES ('" + TENANT + "', 'cus-v2', 'ext-v2', 'Before V3', 'UTC')");
        CustomerRef owner = CustomerRef.of(TENANT, "ext-v2");
        AuditEvent before = AuditEvent.of("ae-v2", AuditEventType.SESSION_CREATED, NOW, owner, AuditActor.HOST, "ses-1",
                null, null, ClientInfo.of("10.0.0.1", "upgrade-test"));
        JdbcPortalStore.builder(database().dataSource()).tablePrefix(prefix).build(); // builds against V2 too
        try (Connection c = database().dataSource().getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO " + prefix + "audit_events (id, tenant_id, customer_external_id, occurred_at, event_type,"
                        + " actor, session_id, client_address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, before.id());
            insert.setString(2, TENANT);
            insert.setString(3, owner.externalId());
            database().dialect().implementation().setInstant(insert, 4, NOW);
            insert.setString(5, before.type().name());
            insert.setString(6, before.actor().name());
            insert.setString(7, before.sessionId());
            insert.setString(8, before.clientAddress());
            insert.setString(9, before.userAgent());
            insert.executeUpdate();
        }

        assertThat(PortalSchema.migrate(database().dataSource(), prefix)).containsExactly(3);

        JdbcPortalStore upgraded = JdbcPortalStore.builder(database().dataSource()).tablePrefix(prefix).build();
        Customer old = upgraded.customers().findById(TENANT, "cus-v2").orElseThrow();
        assertThat(old.phone()).as("a customer stored before V3 has no phone").isNull();
        assertThat(old.name()).isEqualTo("Before V3");
        assertThat(upgraded.audit().find(owner, NOW, 10)).as("an audit event stored before V3 has no details")
                .containsExactly(before);
        Customer changed = upgraded.customers().update(CustomerScope.of(old),
                dev.billingportal.core.profile.CustomerUpdate.builder().phone("+33 1 23 45 67 89").build());
        assertThat(changed.phone()).isEqualTo("+33 1 23 45 67 89");
        assertThat(upgraded.outbox().poll(10)).isEmpty();
        assertThat(upgraded.idempotency().purgeExpired(NOW)).isZero();
        assertThat(upgraded.configurations().find(TENANT, null)).isEmpty();
    }

    @Test
    @DisplayName("a migration edited after it was applied is refused, naming the file")
    void editedMigrationIsRefused() {
        String prefix = database().newPrefix();
        PortalSchema.migrate(database().dataSource(), prefix);
        database().execute("UPDATE " + prefix + "schema_history SET checksum = 42 WHERE version = 1");

        assertThatThrownBy(() -> PortalSchema.migrate(database().dataSource(), prefix))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("V1__portal.sql");
    }

    // ---------------------------------------------------------------- helpers

    /** Runs {@code task} on {@code threads} threads and returns their results, failing with the first error. */
    static <T> List<T> runOnThreads(int threads, ThreadTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int thread = i;
                futures.add(pool.submit((Callable<T>) () -> task.run(thread)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(90, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One thread's work. */
    @FunctionalInterface
    interface ThreadTask<T> {
        T run(int thread) throws Exception;
    }
}
