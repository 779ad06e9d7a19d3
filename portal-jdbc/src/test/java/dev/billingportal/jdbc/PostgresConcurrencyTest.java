package dev.billingportal.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sixteen threads against PostgreSQL for a bounded time, through a real {@link PortalService} over JdbcPortalStore on a
 * HikariCP pool of sixteen: creating sessions, authenticating, revoking one session or all of a customer's, reading
 * invoices. No error may occur but the expected one ({@code UNAUTHORIZED session_revoked}, and only for a session
 * whose revocation had started), every read stays within its customer, and revocations always win: no authentication
 * that <em>started</em> after a revocation of its session <em>completed</em> succeeds. "Before" and "after" come from
 * one atomic counter, ticked when an operation starts and when it returns, never from a clock.
 *
 * <p>One-time links race too: threads exchange the newest links at once and revoke them. Each link is exchanged at
 * most once, never after its revocation completed, and revoking a link (or every session of its customer) wins over
 * the session exchanged from it exactly as over any other session.
 */
class PostgresConcurrencyTest {
    private static final int THREADS = 16;
    /** How long the threads run; {@code -Dportal.concurrency.seconds} changes it. */
    private static final long SECONDS = Long.getLong("portal.concurrency.seconds", 5);
    private static final long SEED = Long.getLong("portal.concurrency.seed", 16L);
    private static final int CUSTOMERS = 4;
    private static final int INVOICES = 15;

    private static HikariDataSource pool;
    private static PortalService portal;
    /** The same portal with one-time links. */
    private static PortalService oneTime;
    private static final List<Customer> customers = new ArrayList<>();
    private static final Map<Integer, List<Invoice>> visible = new TreeMap<>();

    /** A one-time link whose creation completed. */
    private static final class Link {
        final String id;
        final String token;
        final int customer;
        final long created;
        final java.util.concurrent.atomic.AtomicInteger exchanges = new java.util.concurrent.atomic.AtomicInteger();
        /** Ticket at which the first revocation known to cover it completed. */
        final AtomicLong revokedBy = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong revocationStarted = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong revokedByAll = new AtomicLong(Long.MAX_VALUE);

        Link(String id, String token, int customer, long created) {
            this.id = id;
            this.token = token;
            this.customer = customer;
            this.created = created;
        }
    }

    /** A session whose creation (or exchange from a link) completed. */
    private static final class Entry {
        final String id;
        final String token;
        final int customer;
        final long created;
        /** The link it was exchanged from, or null for a reusable link's session. */
        Link link;
        /** Ticket at which the first revocation known to cover it completed; MAX_VALUE while none did. */
        final AtomicLong revokedBy = new AtomicLong(Long.MAX_VALUE);
        /** Ticket at which the first revocation that may cover it started. */
        final AtomicLong revocationStarted = new AtomicLong(Long.MAX_VALUE);

        Entry(String id, String token, int customer, long created) {
            this.id = id;
            this.token = token;
            this.customer = customer;
            this.created = created;
        }
    }

    private record Authenticated(Entry entry, long started) {
    }

    private final AtomicLong ticket = new AtomicLong();
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Authenticated> successes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    /** Per customer, the ticket at which the first revokeAll started. */
    private final AtomicLongArray revokeAllStarted = new AtomicLongArray(CUSTOMERS);
    private final AtomicLong refusedAfterRevocation = new AtomicLong();

    @BeforeAll
    static void storeAndData() {
        TestDatabase database = TestDatabase.postgres();
        String prefix = database.emptyStore(PostgresConcurrencyTest.class).tablePrefix();
        HikariDataSource shared = (HikariDataSource) database.dataSource();
        HikariConfig config = new HikariConfig();
        config.setPoolName("postgres-concurrency");
        config.setJdbcUrl(shared.getJdbcUrl());
        config.setUsername(shared.getUsername());
        config.setPassword(shared.getPassword());
        config.setConnectionInitSql(PostgresHolder.SESSION_SETTINGS);
        config.setMaximumPoolSize(THREADS);
        config.setMinimumIdle(THREADS);
        pool = new HikariDataSource(config);
        JdbcPortalStore store = JdbcPortalStore.builder(pool).tablePrefix(prefix).dialect(SqlDialect.POSTGRESQL).build();
        for (int c = 0; c < CUSTOMERS; c++) {
            // customers 2k and 2k+1: same internal and external ids in two tenants
            Customer customer = Customer.builder().tenantId("tenant-" + c % 2).id("cus-" + c / 2).externalId("ext-" + c / 2)
                    .name("Customer " + c).currency(TestData.EUR).timezone(ZoneOffset.UTC).build();
            store.customers().save(customer);
            customers.add(customer);
            List<Invoice> own = new ArrayList<>();
            for (int i = 0; i < INVOICES; i++) {
                Invoice invoice = Invoice.builder().customer(customer).id("inv-" + c / 2 + "-" + i)
                        .number("N-" + c + "-" + i).issuingDate(LocalDate.of(2026, 1, 1).plusDays(i * 7L))
                        .status(i % 5 == 4 ? InvoiceStatus.DRAFT : InvoiceStatus.FINALIZED)
                        .paymentStatus(i % 3 == 0 ? PaymentStatus.SUCCEEDED : PaymentStatus.PENDING)
                        .total(Money.of(1_000L * (c + 1) + i, TestData.EUR)).build();
                store.invoices().save(invoice);
                if (invoice.status().visibleInPortal()) {
                    own.add(invoice);
                }
            }
            own.sort(TestData.portalOrder());
            visible.put(c, own);
        }
        portal = PortalService.builder().customers(store.customers()).invoices(store.invoices()).sessions(store.sessions())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("concurrency"))))
                .portalUrl(URI.create("https://billing.example.com/portal/")).audit(store.audit()).build();
        oneTime = portal.toBuilder().linkMode(LinkMode.ONE_TIME).build();
    }

    @AfterAll
    static void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("16 threads create, authenticate, revoke and read: only expected errors, and revocations always win")
    void revocationsAlwaysWin() throws Exception {
        for (int c = 0; c < CUSTOMERS; c++) {
            revokeAllStarted.set(c, Long.MAX_VALUE);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> crashed = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(SEED * 1_000 + t);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    while (System.nanoTime() < deadline) {
                        step(random);
                    }
                } catch (Throwable e) {
                    crashed.add(e);
                }
            }, "concurrency-" + t);
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(SECONDS + 60));
            assertThat(thread.isAlive()).as("%s still running", thread.getName()).isFalse();
        }
        System.out.println("PostgresConcurrencyTest: " + THREADS + " threads for " + SECONDS + " s: " + new TreeMap<>(counts)
                + ", " + entries.size() + " sessions, " + refusedAfterRevocation + " refused after their revocation");

        assertThat(crashed).as("threads that crashed").isEmpty();
        assertThat(errors).as("errors other than the expected ones").isEmpty();
        List<String> lost = new ArrayList<>();
        long checked = 0;
        for (Authenticated success : successes) {
            long revokedBy = revokedBy(success.entry());
            if (revokedBy != Long.MAX_VALUE) {
                checked++;
                if (revokedBy < success.started()) {
                    Entry entry = success.entry();
                    lost.add("session " + entry.id + " authenticated at ticket " + success.started()
                            + ", after its revocation completed at ticket " + revokedBy + " (own " + entry.revokedBy
                            + ", exchanged " + (entry.link != null) + " at " + entry.created
                            + (entry.link == null ? "" : ", link revoked by " + entry.link.revokedBy + " of which revokeAll "
                            + entry.link.revokedByAll + ", link created " + entry.link.created) + ")");
                }
            }
        }
        assertThat(lost).as("authentications that started after a completed revocation and succeeded").isEmpty();
        assertThat(checked).as("successful authentications of sessions that were later revoked").isGreaterThan(20);
        assertThat(refusedAfterRevocation).as("authentications refused after their session's revocation").hasValueGreaterThan(20);
        for (Link link : links) {
            assertThat(link.exchanges).as("exchanges of link %s that succeeded", link.id).hasValueLessThanOrEqualTo(1);
        }
        assertThat(links.stream().filter(link -> link.exchanges.get() == 1).count()).as("links exchanged").isGreaterThan(20);
        assertThat(successes.stream().filter(success -> success.entry().link != null && revokedBy(success.entry()) != Long.MAX_VALUE)
                .count()).as("successful authentications of exchanged sessions whose link was later revoked").isGreaterThan(5);
        for (String kind : List.of("create", "link", "exchange", "exchange refused: link_already_used", "authenticate",
                "revoke", "revoke link", "revoke all", "list", "invoice", "overview")) {
            assertThat(counts.getOrDefault(kind, new AtomicLong())).as("%s operations", kind).hasValueGreaterThan(20);
        }
    }

    private void step(Random random) {
        int roll = random.nextInt(100);
        int customer = random.nextInt(CUSTOMERS);
        try {
            if (roll < 10 || entries.size() < THREADS) {
                count("create");
                PortalSession session = portal.createSession(SessionRequest.forCustomer(ref(customer)));
                entries.add(new Entry(session.id(), session.token(), customer, ticket.incrementAndGet()));
            } else if (roll < 17 || links.size() < THREADS) {
                count("link");
                PortalSession link = oneTime.createSession(SessionRequest.forCustomer(ref(customer)));
                links.add(new Link(link.id(), link.token(), customer, ticket.incrementAndGet()));
            } else if (roll < 27) {
                exchange(pickLink(random));
            } else if (roll < 59) {
                authenticate(pick(random));
            } else if (roll < 66) {
                count("revoke");
                Entry entry = pick(random);
                entry.revocationStarted.accumulateAndGet(ticket.incrementAndGet(), Math::min);
                portal.revokeSession(entry.id); // true, or false when already revoked: either way revoked now
                entry.revokedBy.accumulateAndGet(ticket.incrementAndGet(), Math::min);
            } else if (roll < 70) {
                count("revoke link");
                Link link = pickLink(random);
                link.revocationStarted.accumulateAndGet(ticket.incrementAndGet(), Math::min);
                oneTime.revokeSession(link.id); // ends the session exchanged from it, too
                link.revokedBy.accumulateAndGet(ticket.incrementAndGet(), Math::min);
            } else if (roll < 73) {
                count("revoke all");
                long started = ticket.incrementAndGet();
                revokeAllStarted.accumulateAndGet(customer, started, Math::min);
                portal.revokeAllSessions(ref(customer));
                long completed = ticket.incrementAndGet();
                for (Entry entry : entries) {
                    if (entry.customer == customer && entry.created < started) {
                        entry.revokedBy.accumulateAndGet(completed, Math::min);
                    }
                }
                for (Link link : links) {
                    if (link.customer == customer && link.created < started) {
                        link.revokedBy.accumulateAndGet(completed, Math::min);
                        link.revokedByAll.accumulateAndGet(completed, Math::min);
                    }
                }
            } else {
                read(random);
            }
        } catch (RuntimeException e) {
            errors.add(Thread.currentThread().getName() + ": " + e);
        }
    }

    /**
     * Exchanges a link, racing other threads on the same links: at most one wins, never after the link's revocation
     * completed; the others are refused as used or revoked.
     */
    private void exchange(Link link) {
        count("exchange");
        long started = ticket.incrementAndGet();
        try {
            PortalSession session = oneTime.exchange(link.token, dev.billingportal.core.ClientInfo.UNKNOWN);
            long completed = ticket.incrementAndGet();
            link.exchanges.incrementAndGet();
            if (link.revokedBy.get() < started) {
                errors.add("link " + link.id + " exchanged at ticket " + started + ", after its revocation completed");
            }
            if (!session.customer().equals(ref(link.customer))) {
                errors.add("link of customer " + link.customer + " exchanged for " + session.customer());
            }
            Entry entry = new Entry(session.id(), session.token(), link.customer, completed);
            entry.link = link;
            entries.add(entry);
        } catch (PortalException e) {
            long completed = ticket.incrementAndGet();
            boolean revocationStarted = link.revocationStarted.get() < completed
                    || revokeAllStarted.get(link.customer) < completed;
            if (e.code() != ErrorCode.UNAUTHORIZED || !(e.reason().equals("link_already_used")
                    || e.reason().equals("session_revoked") && revocationStarted)) {
                errors.add("exchange " + link.id + ": " + e.code() + " " + e.reason() + " " + e.getMessage());
            } else {
                count("exchange refused: " + e.reason());
            }
        }
    }

    private void authenticate(Entry entry) {
        count("authenticate");
        long started = ticket.incrementAndGet();
        try {
            PortalContext ctx = (entry.link == null ? portal : oneTime).authenticate(entry.token);
            if (!ctx.customer().equals(customers.get(entry.customer))) {
                errors.add("session of customer " + entry.customer + " authenticated as " + ctx.customer());
            }
            successes.add(new Authenticated(entry, started));
        } catch (PortalException e) {
            long completed = ticket.incrementAndGet();
            boolean revocationStarted = entry.revocationStarted.get() < completed
                    || revokeAllStarted.get(entry.customer) < completed
                    || entry.link != null && entry.link.revocationStarted.get() < completed;
            if (e.code() != ErrorCode.UNAUTHORIZED || !e.reason().equals("session_revoked") || !revocationStarted) {
                errors.add("authenticate " + entry.id + ": " + e.code() + " " + e.reason() + " " + e.getMessage());
            } else if (revokedBy(entry) < started) {
                refusedAfterRevocation.incrementAndGet();
            }
        }
    }

    /** When the first revocation covering the session completed: its own, or its link's (which ends it too). */
    private static long revokedBy(Entry entry) {
        return Math.min(entry.revokedBy.get(), entry.link == null ? Long.MAX_VALUE : entry.link.revokedBy.get());
    }

    /** Mostly one of the newest links, so that exchanges race each other and revocations. */
    private Link pickLink(Random random) {
        int size = links.size();
        return links.get(random.nextInt(4) == 0 ? random.nextInt(size) : size - 1 - random.nextInt(Math.min(size, 8)));
    }

    private void read(Random random) {
        Entry entry = pick(random);
        PortalContext ctx;
        try {
            ctx = (entry.link == null ? portal : oneTime).authenticate(entry.token);
        } catch (PortalException e) {
            if (e.code() != ErrorCode.UNAUTHORIZED || !e.reason().equals("session_revoked")) {
                throw e;
            }
            return;
        }
        List<Invoice> own = visible.get(entry.customer);
        switch (random.nextInt(3)) {
            case 0 -> {
                count("list");
                List<Invoice> page = portal.invoices(ctx, InvoiceQuery.builder().limit(100).build()).items();
                if (!page.equals(own)) {
                    errors.add("customer " + entry.customer + " listed " + page.stream().map(Invoice::id).toList());
                }
            }
            case 1 -> {
                count("invoice");
                int other = random.nextInt(CUSTOMERS);
                String id = "inv-" + other / 2 + "-" + random.nextInt(INVOICES);
                // the ids of customers 2k and 2k+1 are the same in their two tenants: each sees only its own
                Invoice expected = own.stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
                try {
                    Invoice found = portal.invoice(ctx, id);
                    if (!found.equals(expected)) {
                        errors.add("customer " + entry.customer + " was shown " + found);
                    }
                } catch (PortalException e) {
                    if (e.code() != ErrorCode.NOT_FOUND || expected != null) {
                        throw e;
                    }
                }
            }
            default -> {
                count("overview");
                long total = portal.overview(ctx).currencies().get(0).totalInvoiced().amountMinor();
                long expected = own.stream().filter(i -> i.status() == InvoiceStatus.FINALIZED)
                        .mapToLong(i -> i.total().amountMinor()).sum();
                if (total != expected) {
                    errors.add("customer " + entry.customer + " overview total " + total + ", expected " + expected);
                }
            }
        }
    }

    /** Mostly one of the newest sessions, so revocations race with authentications of live ones. */
    private Entry pick(Random random) {
        int size = entries.size();
        return entries.get(random.nextInt(4) == 0 ? random.nextInt(size) : size - 1 - random.nextInt(Math.min(size, 32)));
    }

    private void count(String kind) {
        counts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    private static CustomerRef ref(int customer) {
        return CustomerRef.of("tenant-" + customer % 2, "ext-" + customer / 2);
    }
}
