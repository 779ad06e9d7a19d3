package dev.billingportal.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code JdbcPortalStore.builder(primary).readReplica(replica)} over a real replica: a second embedded PostgreSQL
 * subscribed to the first by logical replication (see {@link PostgresReplicaPair}), with a portal and its API on
 * top. Pausing the subscription makes the replica stale on purpose: invoice reads show the replica's state, while
 * sessions (revocation, one-time link exchange, idle timeout) and customers are decided on the primary, and no
 * customer ever sees another's invoices however far behind the replica is.
 */
@Timeout(180)
class PostgresReadReplicaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    private static final Currency EUR = TestData.EUR;
    private static final Currency USD = TestData.USD;
    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static PostgresReplicaPair pair;
    private static JdbcPortalStore store;
    private static JdbcPortalStore primaryOnly;

    private StepClock clock;
    /** The portal under test: invoice reads on the replica. */
    private PortalService portal;
    private PortalApi api;
    /** The same portal with one-time links. */
    private PortalApi oneTimeApi;
    /** The same portal over the primary alone: what an up-to-date replica would show. */
    private PortalApi truth;
    private World world;

    @BeforeAll
    static void startPair() {
        pair = PostgresReplicaPair.start();
        store = JdbcPortalStore.builder(pair.primary()).readReplica(pair.replica()).build();
        primaryOnly = JdbcPortalStore.builder(pair.primary()).build();
    }

    @AfterAll
    static void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    @BeforeEach
    void portal() {
        clock = new StepClock(TestData.NOW);
        portal = PortalService.builder()
                .customers(store.customers()).invoices(store.invoices()).sessions(store.sessions()).audit(store.audit())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("replica-1"))))
                .portalUrl(URI.create("https://billing.example.com/portal/"))
                .exchangedSessionTtl(IDLE_TIMEOUT)
                .clock(clock)
                .build();
        api = PortalApi.of(portal);
        oneTimeApi = PortalApi.of(portal.toBuilder().linkMode(LinkMode.ONE_TIME).build());
        truth = PortalApi.of(portal.toBuilder().customers(primaryOnly.customers()).invoices(primaryOnly.invoices())
                .sessions(primaryOnly.sessions()).build());
        world = new World(TENANTS.incrementAndGet());
    }

    @AfterEach
    void resumeReplication() {
        if (!pair.running()) {
            pair.resume();
        }
    }

    // ---------------------------------------------------------------- 1. invoice reads come from the replica

    @Test
    @DisplayName("list, one invoice and overview are the paused replica's, not the primary's; after resuming they catch up")
    void invoiceReadsComeFromTheReplica() {
        world.seed(Who.A);
        pair.awaitReplicated();
        String token = world.login(Who.A).token();
        Reads before = reads(api, token);
        assertThat(before).as("an up-to-date replica answers what the primary does").isEqualTo(reads(truth, token));

        pair.pause();
        Invoice first = world.invoice(Who.A, 1);
        world.save(first.toBuilder().paymentStatus(PaymentStatus.SUCCEEDED).amountDue(null).build()); // paid
        world.save(world.newInvoice(Who.A, "inv-a-new", "INV-NEW-ALICE-T", InvoiceStatus.FINALIZED,
                PaymentStatus.PENDING, 5_00, EUR));
        assertThat(PostgresReplicaPair.count(pair.replica(), "SELECT count(*) FROM portal_invoices WHERE tenant_id = ?"
                + " AND id = 'inv-a-new'", Who.A.tenant(world))).as("the new invoice on the paused replica").isZero();

        Reads primaryNow = reads(truth, token);
        assertThat(primaryNow.list).as("the primary lists the new invoice").contains("INV-NEW-ALICE-T");
        assertThat(primaryNow).as("the primary changed").isNotEqualTo(before);
        assertThat(reads(api, token)).as("every invoice read while paused: the replica's state").isEqualTo(before);
        assertThat(get(api, "/invoices/inv-a-new", token).status())
                .as("an invoice only the primary has yet: not found on the replica").isEqualTo(404);
        assertThat(invoice(api, token, first.id()).path("payment_status").asText())
                .as("the invoice paid on the primary, as the replica still has it").isEqualTo("pending");

        pair.resume();
        assertThat(reads(api, token)).as("caught up: the primary's state").isEqualTo(primaryNow);
        assertThat(invoice(api, token, first.id()).path("payment_status").asText()).isEqualTo("succeeded");
    }

    @Test
    @DisplayName("an invoice written on the replica alone (a subscriber is writable) shows in list, detail and overview")
    void aRowOnTheReplicaAloneIsWhatThePortalShows() {
        world.seed(Who.A);
        pair.awaitReplicated();
        String token = world.login(Who.A).token();
        String tenant = Who.A.tenant(world);
        PostgresReplicaPair.execute(pair.replica(), """
                INSERT INTO portal_invoices (tenant_id, id, customer_id, number, number_lower, invoice_type, status,
                    payment_status, issuing_date, payment_due_date, currency, subtotal_minor, taxes_minor, total_minor,
                    amount_due_minor)
                VALUES ('%s', 'inv-replica-only', 'cus-1', 'ONLY-ON-REPLICA-ALICE-T', 'only-on-replica-alice-t',
                    'ONE_OFF', 'FINALIZED', 'PENDING', DATE '2026-11-01', DATE '2026-12-31', 'USD', 7, 0, 7, 7)
                """.formatted(tenant),
                "UPDATE portal_invoice_totals SET invoiced_minor = invoiced_minor + 7, invoice_count = invoice_count + 1"
                        + " WHERE tenant_id = '" + tenant + "' AND customer_id = 'cus-1' AND currency = 'USD'");
        try {
            assertThat(get(api, "/invoices", token).bodyAsString()).as("the list").contains("ONLY-ON-REPLICA-ALICE-T");
            assertThat(invoice(api, token, "inv-replica-only").path("number").asText()).as("one invoice")
                    .isEqualTo("ONLY-ON-REPLICA-ALICE-T");
            long usdInvoiced = world.invoicedMinor(Who.A, USD);
            assertThat(overviewRow(api, token, "USD").path("total_invoiced_amount_cents").asLong()).as("the overview")
                    .isEqualTo(usdInvoiced + 7);
            assertThat(get(truth, "/invoices/inv-replica-only", token).status()).as("the primary has no such invoice")
                    .isEqualTo(404);
            assertThat(overviewRow(truth, token, "USD").path("total_invoiced_amount_cents").asLong())
                    .isEqualTo(usdInvoiced);
        } finally {
            PostgresReplicaPair.execute(pair.replica(), "DELETE FROM portal_invoices WHERE tenant_id = '" + tenant
                    + "' AND id = 'inv-replica-only'", "UPDATE portal_invoice_totals SET invoiced_minor = invoiced_minor"
                    + " - 7, invoice_count = invoice_count - 1 WHERE tenant_id = '" + tenant + "' AND customer_id = 'cus-1'"
                    + " AND currency = 'USD'");
        }
    }

    // ---------------------------------------------------------------- 2. sessions are decided on the primary

    @Test
    @DisplayName("with replication paused, a revoked session is refused on the very next request; the others go on")
    void revocationTakesEffectAtOnceWhilePaused() {
        world.seed(Who.A, Who.B, Who.A_PRIME);
        PortalSession alice = world.login(Who.A);
        PortalSession aliceAgain = world.login(Who.A);
        PortalSession bob = world.login(Who.B);
        PortalSession alicePrime = world.login(Who.A_PRIME);
        pair.awaitReplicated();
        pair.pause();
        for (PortalSession s : List.of(alice, aliceAgain, bob, alicePrime)) {
            assertThat(get(api, "/invoices", s.token()).status()).as("before any revocation").isEqualTo(200);
        }

        assertThat(portal.revokeSession(alice.id())).isTrue();
        assertThat(code(get(api, "/invoices", alice.token()))).as("the very next request of the revoked session")
                .isEqualTo("401 session_revoked");
        assertThat(code(get(api, "/overview", alice.token()))).isEqualTo("401 session_revoked");
        assertThat(PostgresReplicaPair.query(pair.replica(), "SELECT revoked_at FROM portal_sessions WHERE id = ?",
                alice.id())).as("the paused replica still holds the session unrevoked").containsExactly((String) null);
        assertThat(get(api, "/invoices", aliceAgain.token()).status()).as("another session of the same customer")
                .isEqualTo(200);

        assertThat(portal.revokeAllSessions(Who.A_PRIME.ref(world))).isEqualTo(1);
        assertThat(code(get(api, "/invoices", alicePrime.token()))).as("A' after revoking all of A''s sessions")
                .isEqualTo("401 session_revoked");
        assertThat(get(api, "/invoices", aliceAgain.token()).status()).as("A, same external id in the other tenant")
                .isEqualTo(200);
        assertThat(get(api, "/invoices", bob.token()).status()).as("B").isEqualTo(200);

        PortalSession late = world.login(Who.B);
        assertThat(PostgresReplicaPair.count(pair.replica(), "SELECT count(*) FROM portal_sessions WHERE id = ?",
                late.id())).as("a session created while paused, on the replica").isZero();
        assertThat(get(api, "/invoices", late.token()).status()).as("it authenticates: sessions are read on the primary")
                .isEqualTo(200);
    }

    @Test
    @DisplayName("with replication paused, a one-time link is exchanged once, and the idle timeout counts activity "
            + "stored on the primary")
    void oneTimeLinksAndIdleTimeoutDoNotDependOnTheReplica() {
        world.seed(Who.A);
        pair.awaitReplicated();
        pair.pause();
        PortalSession link = portal.toBuilder().linkMode(LinkMode.ONE_TIME).build()
                .createSession(SessionRequest.forCustomer(Who.A.ref(world)));
        PortalResponse exchanged = post(oneTimeApi, "/session", link.token());
        assertThat(exchanged.status()).as("the exchange of a link created while paused").isEqualTo(201);
        assertThat(code(post(oneTimeApi, "/session", link.token()))).as("a second exchange")
                .isEqualTo("401 link_already_used");
        String session = json(exchanged).path("session").path("token").asText();
        assertThat(PostgresReplicaPair.count(pair.replica(), "SELECT count(*) FROM portal_sessions WHERE tenant_id = ?",
                Who.A.tenant(world))).as("neither link nor session on the paused replica").isZero();

        // active every 6 minutes: 18 minutes after the exchange, well past one idle timeout, still in
        for (int i = 1; i <= 3; i++) {
            clock.advance(Duration.ofMinutes(6));
            assertThat(get(oneTimeApi, "/invoices", session).status()).as("activity %d, 6 minutes after the last", i)
                    .isEqualTo(200);
        }
        clock.advance(IDLE_TIMEOUT.plusSeconds(1));
        assertThat(code(get(oneTimeApi, "/invoices", session))).as("idle longer than the timeout")
                .isEqualTo("401 session_expired");
    }

    // ---------------------------------------------------------------- 3. a stale replica never mixes customers

    @Test
    @DisplayName("replica paused while invoices change, a twin invoice id appears in the other tenant and a customer "
            + "reuses an external id: every read as each customer is that customer's own")
    void aStaleReplicaNeverShowsOneCustomerAnother() {
        world.seed(Who.A, Who.B, Who.A_PRIME);
        pair.awaitReplicated();
        Map<Who, String> tokens = new EnumMap<>(Who.class);
        Map<Who, Reads> atPause = new EnumMap<>(Who.class);
        for (Who who : List.of(Who.A, Who.B, Who.A_PRIME)) {
            tokens.put(who, world.login(who).token());
            atPause.put(who, reads(api, tokens.get(who)));
            assertThat(atPause.get(who)).as("%s before the pause: replica equals primary", who)
                    .isEqualTo(reads(truth, tokens.get(who)));
            assertOwnOnly(who, tokens.get(who));
        }

        pair.pause();
        // (an invoice cannot move to another customer: the repository refuses, so ownership changes only by new rows)
        // A's invoice 1 is paid and renumbered on the primary
        world.save(world.invoice(Who.A, 1).toBuilder().number("INV-1-PAID-ALICE-T").paymentStatus(PaymentStatus.SUCCEEDED)
                .amountDue(null).build());
        // A' gets an invoice with the id of A's invoice 1: same id, same internal customer id, the other tenant
        world.save(world.newInvoice(Who.A_PRIME, world.invoice(Who.A, 1).id(), "INV-A1-TWIN-ALICE-U",
                InvoiceStatus.FINALIZED, PaymentStatus.PENDING, 7_77, EUR));
        // A''s shared invoice (the same id as A's in the other tenant) is voided and renumbered
        world.save(world.invoice(Who.A_PRIME, 0).toBuilder().status(InvoiceStatus.VOIDED)
                .number("INV-SHARED-V2-ALICE-U").build());
        // B's draft is finalized, and B gets a new invoice
        world.save(world.invoice(Who.B, 4).toBuilder().status(InvoiceStatus.FINALIZED).build());
        world.save(world.newInvoice(Who.B, "inv-b-new", "INV-LATE-BOB-T", InvoiceStatus.FINALIZED,
                PaymentStatus.FAILED, 9_00, USD));
        // C: new in tenant U, with B's external id and the invoice id B has in tenant T
        world.seed(Who.C);
        tokens.put(Who.C, world.login(Who.C).token());
        assertThat(PostgresReplicaPair.query(pair.replica(), "SELECT number FROM portal_invoices WHERE tenant_id = ?"
                + " AND id = ?", Who.A.tenant(world), world.invoice(Who.A, 1).id()))
                .as("A's invoice 1 on the paused replica: as it was").containsExactly(world.invoice(Who.A, 1).number());
        assertThat(PostgresReplicaPair.count(pair.replica(), "SELECT count(*) FROM portal_invoices WHERE tenant_id = ?"
                + " AND id = ?", Who.A_PRIME.tenant(world), world.invoice(Who.A, 1).id()))
                .as("A''s twin of it on the paused replica").isZero();
        assertThat(PostgresReplicaPair.count(pair.replica(), "SELECT count(*) FROM portal_customers WHERE tenant_id = ?"
                + " AND id = ?", Who.C.tenant(world), Who.C.id)).as("C on the paused replica").isZero();
        assertThat(get(api, "/invoices/" + world.invoice(Who.A, 1).id(), tokens.get(Who.A_PRIME)).status())
                .as("A' asking for the id A has in the other tenant, while the replica lacks A''s own").isEqualTo(404);

        for (Who who : List.of(Who.A, Who.B, Who.A_PRIME)) {
            assertThat(reads(api, tokens.get(who))).as("%s while paused: the replica's state at the pause", who)
                    .isEqualTo(atPause.get(who));
            assertThat(reads(truth, tokens.get(who))).as("%s on the primary: changed", who).isNotEqualTo(atPause.get(who));
        }
        Reads carolWhilePaused = reads(api, tokens.get(Who.C));
        assertThat(json(carolWhilePaused.list).path("invoices")).as("C while paused: none of B's, A''s or anyone's")
                .isEmpty();
        assertThat(json(carolWhilePaused.overview).path("overview").path("currencies")).as("C's overview while paused")
                .isEmpty();
        for (Who who : Who.values()) {
            assertOwnOnly(who, tokens.get(who));
        }

        pair.resume();
        for (Who who : Who.values()) {
            assertThat(reads(api, tokens.get(who))).as("%s caught up", who).isEqualTo(reads(truth, tokens.get(who)));
            assertOwnOnly(who, tokens.get(who));
        }
        assertThat(invoice(api, tokens.get(Who.A_PRIME), world.invoice(Who.A, 1).id()).path("number").asText())
                .as("A' after catching up: its own twin of A's invoice 1").isEqualTo("INV-A1-TWIN-ALICE-U");
        assertThat(invoice(api, tokens.get(Who.A), world.invoice(Who.A, 1).id()).path("number").asText())
                .as("A after catching up: its own invoice 1").isEqualTo("INV-1-PAID-ALICE-T");
        assertThat(get(api, "/invoices", tokens.get(Who.C)).bodyAsString()).contains("INV-1-CAROL-U");
    }

    /**
     * Every read {@code who} can make (the list with several filters, each invoice id of any customer of the world,
     * the overview) carries none of the other customers' markers, and every invoice it returns is {@code who}'s.
     */
    private void assertOwnOnly(Who who, String token) {
        List<String> bodies = new ArrayList<>();
        for (String query : List.of("", "status=finalized&status=voided", "payment_status=pending&payment_status=failed",
                "overdue=true", "search=INV", "search=BOB", "search=ALICE", "search=inv-shared-1", "search=inv-shared-b")) {
            PortalResponse list = get(api, "/invoices", query, token);
            assertThat(list.status()).as("%s: list ?%s", who, query).isEqualTo(200);
            for (JsonNode invoice : json(list).path("invoices")) {
                assertThat(invoice.path("number").asText()).as("%s: an invoice of list ?%s", who, query)
                        .endsWith(who.marker);
            }
            bodies.add(list.bodyAsString());
        }
        for (String id : world.allIds()) {
            PortalResponse one = get(api, "/invoices/" + id, token);
            assertThat(one.status()).as("%s: GET invoice %s", who, id).isIn(200, 404);
            if (one.status() == 200) {
                assertThat(json(one).path("invoice").path("number").asText()).as("%s: invoice %s", who, id)
                        .endsWith(who.marker);
            }
            bodies.add(one.bodyAsString());
        }
        PortalResponse overview = get(api, "/overview", token);
        assertThat(overview.status()).isEqualTo(200);
        bodies.add(overview.bodyAsString());
        for (String body : bodies) {
            for (Who other : Who.values()) {
                if (other != who) {
                    assertThat(body).as("%s's reads, for %s's marker", who, other).doesNotContain(other.marker);
                }
            }
        }
        assertThat(overviewInvoiced(api, token)).as("%s: invoiced per currency, as the replica's rows of %s add up",
                who, who).isEqualTo(replicaInvoiced(who));
    }

    /** Invoiced per currency over {@code who}'s finalized invoices as the replica holds them (never summing another's). */
    private Map<String, Long> replicaInvoiced(Who who) {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (String row : PostgresReplicaPair.query(pair.replica(), """
                SELECT currency || '=' || sum(total_minor) FROM portal_invoices
                WHERE tenant_id = ? AND customer_id = ? AND status = 'FINALIZED' GROUP BY currency ORDER BY currency""",
                who.tenant(world), who.id)) {
            String[] parts = row.split("=");
            sums.put(parts[0], Long.parseLong(parts[1]));
        }
        return sums;
    }

    private Map<String, Long> overviewInvoiced(PortalApi portalApi, String token) {
        Map<String, Long> sums = new TreeMap<>();
        for (JsonNode row : json(get(portalApi, "/overview", token)).path("overview").path("currencies")) {
            sums.put(row.path("currency").asText(), row.path("total_invoiced_amount_cents").asLong());
        }
        return sums;
    }

    // ---------------------------------------------------------------- reads over the API

    /** What a customer's page shows: the list, each listed invoice, and the overview, as JSON text. */
    private record Reads(String list, Map<String, String> invoices, String overview) {
    }

    private Reads reads(PortalApi portalApi, String token) {
        PortalResponse list = get(portalApi, "/invoices", "status=finalized&status=voided&limit=100", token);
        assertThat(list.status()).as("list").isEqualTo(200);
        Map<String, String> invoices = new LinkedHashMap<>();
        for (JsonNode invoice : json(list).path("invoices")) {
            String id = invoice.path("id").asText();
            PortalResponse one = get(portalApi, "/invoices/" + id, token);
            assertThat(one.status()).as("invoice %s", id).isEqualTo(200);
            invoices.put(id, one.bodyAsString());
        }
        PortalResponse overview = get(portalApi, "/overview", token);
        assertThat(overview.status()).as("overview").isEqualTo(200);
        return new Reads(list.bodyAsString(), invoices, overview.bodyAsString());
    }

    private JsonNode invoice(PortalApi portalApi, String token, String id) {
        PortalResponse response = get(portalApi, "/invoices/" + id, token);
        assertThat(response.status()).as("invoice %s", id).isEqualTo(200);
        return json(response).path("invoice");
    }

    private JsonNode overviewRow(PortalApi portalApi, String token, String currency) {
        for (JsonNode row : json(get(portalApi, "/overview", token)).path("overview").path("currencies")) {
            if (row.path("currency").asText().equals(currency)) {
                return row;
            }
        }
        throw new AssertionError("no " + currency + " in the overview");
    }

    private static PortalResponse get(PortalApi portalApi, String path, String token) {
        return get(portalApi, path, null, token);
    }

    private static PortalResponse get(PortalApi portalApi, String path, String query, String token) {
        return portalApi.handle(PortalRequest.of("GET", "/portal/api" + path, query == null || query.isEmpty() ? null : query,
                Map.of("Authorization", List.of("Bearer " + token))));
    }

    private static PortalResponse post(PortalApi portalApi, String path, String token) {
        return portalApi.handle(PortalRequest.of("POST", "/portal/api" + path, null,
                Map.of("Authorization", List.of("Bearer " + token))));
    }

    /** Status and error code, e.g. {@code 401 session_revoked}. */
    private static String code(PortalResponse response) {
        return response.status() + " " + json(response).path("code").asText();
    }

    private static JsonNode json(PortalResponse response) {
        return json(response.bodyAsString());
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- the customers

    /**
     * A and B in tenant T, A' in tenant U with A's external and internal ids, C in tenant U with B's external id
     * (created while the replica is paused). Every invoice number ends with its owner's marker.
     */
    enum Who {
        A("t", "cus-1", "ext-alice", "ALICE-T"),
        B("t", "cus-2", "ext-bob", "BOB-T"),
        A_PRIME("u", "cus-1", "ext-alice", "ALICE-U"),
        C("u", "cus-3", "ext-bob", "CAROL-U");

        final String tenantPrefix;
        final String id;
        final String externalId;
        final String marker;

        Who(String tenantPrefix, String id, String externalId, String marker) {
            this.tenantPrefix = tenantPrefix;
            this.id = id;
            this.externalId = externalId;
            this.marker = marker;
        }

        String tenant(World world) {
            return "replica-" + tenantPrefix + "-" + world.number;
        }

        CustomerRef ref(World world) {
            return CustomerRef.of(tenant(world), externalId);
        }
    }

    /** One test's customers and invoices, in tenants of its own, written through the store (to the primary). */
    private final class World {
        final int number;
        final Map<Who, Customer> customers = new EnumMap<>(Who.class);
        final Map<Who, List<Invoice>> invoices = new EnumMap<>(Who.class);
        final Set<String> ids = new TreeSet<>();

        World(int number) {
            this.number = number;
        }

        void seed(Who... who) {
            for (Who w : who) {
                Customer customer = Customer.builder().tenantId(w.tenant(this)).id(w.id).externalId(w.externalId)
                        .name("Name " + w.marker)
                        .email(w.name().toLowerCase(Locale.ROOT) + "@" + w.marker.toLowerCase(Locale.ROOT) + ".example")
                        .currency(EUR).timezone(ZoneOffset.UTC).build();
                store.customers().save(customer);
                customers.put(w, customer);
                List<Invoice> own = new ArrayList<>();
                long base = (w.ordinal() + 1) * 100_00L;
                // the same ids across tenants: A and A' share inv-shared-1, B and C share inv-shared-b
                String shared = w == Who.B || w == Who.C ? "inv-shared-b" : "inv-shared-1";
                own.add(newInvoice(w, shared, "INV-S-" + w.marker, InvoiceStatus.FINALIZED, PaymentStatus.PENDING,
                        base, EUR));
                own.add(newInvoice(w, "inv-" + w.name().toLowerCase(Locale.ROOT) + "-1", "INV-1-" + w.marker,
                        InvoiceStatus.FINALIZED, PaymentStatus.PENDING, base + 1, EUR));
                own.add(newInvoice(w, "inv-" + w.name().toLowerCase(Locale.ROOT) + "-2", "INV-2-" + w.marker,
                        InvoiceStatus.FINALIZED, PaymentStatus.SUCCEEDED, base + 2, USD));
                own.add(newInvoice(w, "inv-" + w.name().toLowerCase(Locale.ROOT) + "-3", "INV-3-" + w.marker,
                        InvoiceStatus.VOIDED, PaymentStatus.PENDING, base + 3, EUR));
                own.add(newInvoice(w, "inv-" + w.name().toLowerCase(Locale.ROOT) + "-4", "INV-4-" + w.marker,
                        InvoiceStatus.DRAFT, PaymentStatus.PENDING, base + 4, EUR));
                invoices.put(w, own);
                own.forEach(this::save);
            }
        }

        Invoice newInvoice(Who who, String id, String number, InvoiceStatus status, PaymentStatus payment, long total,
                           Currency currency) {
            int day = 1 + Math.floorMod(id.hashCode(), 27);
            return Invoice.builder().tenantId(who.tenant(this)).customerId(who.id).id(id).number(number)
                    .status(status).paymentStatus(payment).issuingDate(LocalDate.of(2026, 10, day))
                    .paymentDueDate(LocalDate.of(2026, 11, day)).total(Money.of(total, currency)).build();
        }

        /** The {@code index}th invoice seeded for {@code who} (0 is the one whose id another tenant shares). */
        Invoice invoice(Who who, int index) {
            return invoices.get(who).get(index);
        }

        void save(Invoice invoice) {
            store.invoices().save(invoice);
            ids.add(invoice.id());
        }

        long invoicedMinor(Who who, Currency currency) {
            return invoices.get(who).stream().filter(i -> i.status() == InvoiceStatus.FINALIZED)
                    .filter(i -> i.currency().equals(currency)).mapToLong(i -> i.total().amountMinor()).sum();
        }

        Set<String> allIds() {
            Set<String> all = new LinkedHashSet<>(ids);
            all.add("inv-missing");
            return all;
        }

        PortalSession login(Who who) {
            return portal.createSession(SessionRequest.forCustomer(who.ref(this)));
        }
    }
}
