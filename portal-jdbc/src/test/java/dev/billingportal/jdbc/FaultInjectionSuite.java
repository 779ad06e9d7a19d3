package dev.billingportal.jdbc;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.CurrencyOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.InvoiceType;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JdbcPortalStore over a data source that fails at random ({@link FaultyDataSource}): connections refused or dropped
 * before or after a statement or a commit, statements and commits timing out, deadlocks. A thousand mixed
 * operations (customer and invoice saves, updates that move totals between currencies and statuses, session creation,
 * revocation of one session or of all of a customer's, authentication, reads) each either complete or fail with
 * {@code UNAVAILABLE}, nothing else. A model keeps what must be true (operations that returned) and what may or may
 * not have happened (operations that failed); reads during the run and a check over a clean data source afterwards
 * find every successful write, no half-written invoice (every row one of the versions saved, totals equal to a live
 * recomputation), and no lost revocation. Subclassed per database.
 *
 * <p>One-time links and the audit trail run through it too: links made and exchanged under faults are exchanged at
 * most once for one live session of their customer, revoking a link ends its sessions, every session handed out
 * (created or exchanged) has its audit event, and a link whose exchanges all failed can still be exchanged, but for
 * the documented case of an audit-trail failure after the link was marked ("the link is used up") and an ambiguous
 * failure while marking it; the run prints how often each happened.
 */
abstract class FaultInjectionSuite {
    /** The fault sequence and the operations both come from this seed; {@code -Dportal.faults.seed} picks another. */
    static final long SEED = Long.getLong("portal.faults.seed", 20_261_121L);
    private static final double FAULT_RATE = 0.04;
    private static final int SLOTS = 8;
    private static final int INVOICES_PER_CUSTOMER = 10;
    private static final Currency EUR = TestData.EUR;
    private static final Currency USD = TestData.USD;

    abstract TestDatabase database();

    /** How many operations to run with faults on. */
    int operations() {
        return 1_000;
    }

    private JdbcPortalStore clean;
    private JdbcPortalStore store;
    private PortalService portal;
    /** The same portal with one-time links. */
    private PortalService oneTime;
    private dev.billingportal.core.token.TokenSigner signer;
    private StepClock clock;
    private Random random;
    private int op;
    private final List<String> unexpected = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<String, int[]> outcomes = new TreeMap<>();
    private final Map<Integer, Possible<Customer>> customers = new TreeMap<>();
    private final Map<String, Possible<Invoice>> invoices = new TreeMap<>();
    private final Map<String, KnownSession> sessions = new LinkedHashMap<>();
    private final Map<Integer, List<Instant>> sureRevokeAlls = new TreeMap<>();
    /** Links (reusable or one-time) whose revocation completed, and when. */
    private final Map<String, Instant> sureLinkRevocations = new TreeMap<>();
    /** Links refused as used although every exchange of theirs had failed. */
    private final List<String> lockedOut = new ArrayList<>();
    private int retriesAfterFailure;
    private int usedUpByAudit;
    private int usedUpByAmbiguousMark;
    private String lastUnavailable;
    private final Map<Integer, PortalContext> contexts = new TreeMap<>();
    private int customerVersions;

    @Test
    @Timeout(300)
    @DisplayName("1,000 operations over a failing database: each completes or is UNAVAILABLE; nothing half done, no revocation lost")
    void operationsOverAFailingDatabase() throws Exception {
        clean = database().emptyStore(getClass());
        random = new Random(SEED);
        FaultyDataSource faulty = new FaultyDataSource(database().dataSource(), new Random(SEED * 31 + 7));
        store = JdbcPortalStore.builder(faulty.dataSource()).tablePrefix(clean.tablePrefix())
                .dialect(database().dialect()).build();
        clock = new StepClock(TestData.NOW);
        signer = JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("faults")));
        portal = PortalService.builder().customers(store.customers()).invoices(store.invoices()).sessions(store.sessions())
                .tokenSigner(signer)
                .portalUrl(URI.create("https://billing.example.com/portal/")).clock(clock).audit(store.audit()).build();
        oneTime = portal.toBuilder().linkMode(LinkMode.ONE_TIME).build();
        for (int slot = 0; slot < SLOTS; slot += 2) {
            saveCustomer(slot); // half of them before the faults start; the others come during the run
        }

        faulty.enable(FAULT_RATE);
        for (op = 1; op <= operations(); op++) {
            clock.advance(Duration.ofSeconds(1));
            int roll = random.nextInt(100);
            if (roll < 26) {
                saveInvoice();
            } else if (roll < 33) {
                saveCustomer(random.nextInt(SLOTS));
            } else if (roll < 43) {
                createSession(portal);
            } else if (roll < 49) {
                createSession(oneTime);
            } else if (roll < 57) {
                exchange();
            } else if (roll < 65) {
                revokeSession();
            } else if (roll < 69) {
                revokeAll();
            } else if (roll < 84) {
                authenticate();
            } else if (roll < 93) {
                readInvoice();
            } else if (roll < 97) {
                listInvoices();
            } else {
                overview();
            }
        }
        faulty.disable();
        System.out.println(getClass().getName() + ": seed " + SEED + ", outcomes [completed, unavailable] "
                + describe(outcomes) + ", faults injected " + faulty.injected());

        assertThat(unexpected).as("failures other than UNAVAILABLE").isEmpty();
        assertThat(violations).as("reads during the run that contradict what completed").isEmpty();
        checkStoredState();
        assertExercised(faulty.injected());
    }

    @Test
    @Timeout(300)
    @DisplayName("400 profile updates and idempotent PATCHes over a failing database: no write without its event and audit record, none twice")
    void selfServiceWritesOverAFailingDatabase() {
        new SelfServiceFaults(database(), SEED * 17 + 3).run(getClass().getName() + "#selfService", 400);
    }

    // ================================================================ operations

    private void saveCustomer(int slot) {
        Customer customer = customerVersion(slot);
        Possible<Customer> possible = customers.computeIfAbsent(slot, s -> new Possible<>());
        attempt("save customer", () -> {
            store.customers().save(customer);
            possible.succeeded(customer);
        }, () -> possible.failed(customer));
    }

    private void saveInvoice() {
        Integer slot = existingSlot();
        if (slot == null) {
            return;
        }
        Customer owner = customers.get(slot).any();
        String id = "inv-" + slot / 2 + "-" + random.nextInt(INVOICES_PER_CUSTOMER); // same ids in both tenants
        Currency currency = random.nextBoolean() ? EUR : USD;
        long total = random.nextInt(5) == 0 ? 0 : random.nextInt(1_000_000);
        InvoiceStatus status = List.of(InvoiceStatus.FINALIZED, InvoiceStatus.FINALIZED, InvoiceStatus.FINALIZED,
                InvoiceStatus.VOIDED, InvoiceStatus.DRAFT, InvoiceStatus.PENDING).get(random.nextInt(6));
        PaymentStatus payment = PaymentStatus.values()[random.nextInt(PaymentStatus.values().length)];
        LocalDate issued = LocalDate.of(2026, 1, 1).plusDays(random.nextInt(320));
        Invoice invoice = Invoice.builder().customer(owner).id(id).number("N-" + id + "-" + op).type(InvoiceType.ONE_OFF)
                .status(status).paymentStatus(payment).issuingDate(issued).paymentDueDate(issued.plusDays(random.nextInt(60)))
                .total(Money.of(total, currency)).taxes(Money.of(total / 5, currency)).build();
        Possible<Invoice> possible = invoices.computeIfAbsent(key(invoice.tenantId(), id), k -> new Possible<>());
        attempt("save invoice", () -> {
            store.invoices().save(invoice);
            possible.succeeded(invoice);
        }, () -> possible.failed(invoice));
    }

    private void createSession(PortalService service) {
        Integer slot = existingSlot();
        if (slot == null) {
            return;
        }
        boolean oneTimeLink = service == oneTime;
        attempt(oneTimeLink ? "create one-time link" : "create session", () -> {
            PortalSession session = service.createSession(SessionRequest.forCustomer(ref(slot)));
            KnownSession known = new KnownSession(session.id(), session.token(), slot, session.issuedAt());
            known.oneTimeLink = oneTimeLink;
            sessions.put(session.id(), known);
        }, () -> { });
    }

    /** Exchanges a one-time link: once, for a session of the link's customer, or not at all. */
    private void exchange() {
        List<KnownSession> fresh = sessions.values().stream().filter(s -> s.oneTimeLink && !s.exchangedSurely).toList();
        List<KnownSession> failed = fresh.stream().filter(s -> s.failedExchanges > 0).toList();
        // mostly a link not exchanged yet, often one whose exchange failed (a retry); now and then any, for replays
        int roll = random.nextInt(8);
        List<KnownSession> links = !failed.isEmpty() && roll < 3 ? failed : !fresh.isEmpty() && roll < 6 ? fresh
                : sessions.values().stream().filter(s -> s.oneTimeLink).toList();
        if (links.isEmpty()) {
            return;
        }
        KnownSession link = links.get(random.nextInt(links.size()));
        boolean retryAfterFailure = link.failedExchanges > 0 && !link.exchangedSurely && !link.surelyRevoked
                && !link.maybeRevoked;
        if (retryAfterFailure) {
            retriesAfterFailure++;
        }
        attempt("exchange", () -> {
            try {
                PortalSession session = oneTime.exchange(link.token, ClientInfo.UNKNOWN);
                if (link.surelyRevoked) {
                    violations.add(op + ": LOST REVOCATION: revoked link " + link.id + " exchanged");
                }
                if (link.exchangedSurely) {
                    violations.add(op + ": link " + link.id + " exchanged a second time");
                }
                if (!session.customer().equals(ref(link.slot))) {
                    violations.add(op + ": link of slot " + link.slot + " exchanged for " + session.customer());
                }
                link.exchangedSurely = true;
                link.maybeRevoked = false; // it was live
                KnownSession known = new KnownSession(session.id(), session.token(), link.slot, session.issuedAt());
                known.linkId = link.id;
                sessions.put(session.id(), known);
            } catch (PortalException e) {
                boolean replay = e.reason().equals("link_already_used") && (link.exchangedSurely || link.maybeExchanged);
                boolean revoked = e.reason().equals("session_revoked") && (link.surelyRevoked || link.maybeRevoked);
                if (e.code() != ErrorCode.UNAUTHORIZED || !(replay || revoked)) {
                    throw e;
                }
                if (replay && retryAfterFailure) {
                    usedUp(link, op + ": link " + link.id + " refused as used after its exchanges failed");
                }
                if (replay) {
                    link.exchangedSurely = true;
                } else {
                    link.revokedSurely(null);
                }
            }
        }, () -> {
            link.maybeExchanged = true;
            link.failedExchanges++;
            link.failures.add(lastUnavailable);
        });
    }

    private void revokeSession() {
        KnownSession session = randomSession();
        if (session == null) {
            return;
        }
        attempt("revoke session", () -> {
            boolean revoked = portal.revokeSession(session.id);
            if (!revoked && !session.surelyRevoked && !session.maybeRevoked) {
                violations.add(op + ": revokeSession found live session " + session.id + " already revoked");
            }
            if (revoked && session.surelyRevoked) {
                violations.add(op + ": revokeSession revoked " + session.id + " live again: LOST REVOCATION of a revocation that had completed");
            }
            session.revokedSurely(clock.instant());
            exchangedFrom(session).forEach(s -> s.revokedSurely(clock.instant()));
            sureLinkRevocations.put(session.id, clock.instant());
        }, () -> {
            session.maybeRevoked = true;
            exchangedFrom(session).forEach(s -> s.maybeRevoked = true);
        });
    }

    /**
     * A link whose exchanges all failed was refused as used. It should stay usable, a retry succeeding, but for two
     * cases: the audit trail failed after the link was marked (documented: "the link is used up"; see the report of
     * this suite), or the storage failed while marking it after the mark was made (an ambiguous failure, which
     * cannot be told apart from one before). Anything else is a link lost for nothing.
     */
    private void usedUp(KnownSession link, String what) {
        boolean audit = link.failures.stream().anyMatch(f -> f.startsWith("the audit trail is unavailable"));
        boolean marking = link.failures.stream().anyMatch(f -> f.contains("exchanging a portal link failed"));
        if (audit) {
            usedUpByAudit++;
        } else if (marking) {
            usedUpByAmbiguousMark++;
        } else {
            lockedOut.add(what + ": " + link.failures);
        }
    }

    /** The known sessions exchanged from {@code link}. */
    private List<KnownSession> exchangedFrom(KnownSession link) {
        return sessions.values().stream().filter(s -> link.id.equals(s.linkId)).toList();
    }

    private void revokeAll() {
        Integer slot = existingSlot();
        if (slot == null) {
            return;
        }
        List<KnownSession> own = sessions.values().stream().filter(s -> s.slot == slot).toList();
        long surelyLive = own.stream().filter(s -> !s.surelyRevoked && !s.maybeRevoked).count();
        attempt("revoke all sessions", () -> {
            int revoked = portal.revokeAllSessions(ref(slot));
            if (revoked < surelyLive) {
                violations.add(op + ": revokeAll of slot " + slot + " revoked " + revoked + " of " + surelyLive + " live sessions");
            }
            own.forEach(s -> s.revokedSurely(clock.instant()));
            sureRevokeAlls.computeIfAbsent(slot, s -> new ArrayList<>()).add(clock.instant());
        }, () -> own.forEach(s -> s.maybeRevoked = true));
    }

    private void authenticate() {
        KnownSession session = randomSession();
        if (session == null) {
            return;
        }
        attempt("authenticate", () -> {
            try {
                // each token to the portal that made it: one-time links and their sessions to the one-time portal
                PortalService service = session.oneTimeLink || session.linkId != null ? oneTime : portal;
                PortalContext ctx = service.authenticate(session.token);
                if (session.oneTimeLink) {
                    violations.add(op + ": the one-time link " + session.id + " authenticated without an exchange");
                }
                if (session.surelyRevoked) {
                    violations.add(op + ": LOST REVOCATION: session " + session.id + " authenticated after it was revoked");
                }
                session.maybeRevoked = false; // seen live: a failed revocation did not happen
                if (!customers.get(session.slot).allows(Optional.of(ctx.customer()))) {
                    violations.add(op + ": token of slot " + session.slot + " authenticated " + ctx.customer());
                }
                contexts.put(session.slot, ctx);
            } catch (PortalException e) {
                if (session.oneTimeLink && e.code() == ErrorCode.UNAUTHORIZED && e.reason().equals("exchange_required")) {
                    return; // a one-time link's token opens nothing but an exchange
                }
                if (e.code() != ErrorCode.UNAUTHORIZED || !e.reason().equals("session_revoked")) {
                    throw e;
                }
                if (!session.surelyRevoked && !session.maybeRevoked) {
                    violations.add(op + ": session " + session.id + " refused as revoked, but no revocation was attempted");
                }
                session.revokedSurely(null); // seen revoked: it must stay so
            }
        }, () -> { });
    }

    private void readInvoice() {
        Integer slot = randomContextSlot();
        if (slot == null) {
            return;
        }
        PortalContext ctx = contexts.get(slot);
        String id = "inv-" + slot / 2 + "-" + random.nextInt(INVOICES_PER_CUSTOMER);
        Possible<Invoice> possible = invoices.computeIfAbsent(key(ctx.customer().tenantId(), id), k -> new Possible<>());
        attempt("read invoice", () -> {
            Optional<Invoice> stored = store.invoices().findById(ctx.scope(), id);
            if (!possible.allows(stored)) {
                violations.add(op + ": invoice " + id + " read as " + stored + ", none of " + possible.values);
            }
            possible.observed(stored);
            try {
                Invoice shown = portal.invoice(ctx, id);
                if (!stored.equals(Optional.of(shown))) {
                    violations.add(op + ": the portal showed " + shown + " where the store holds " + stored);
                }
            } catch (PortalException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
                if (stored.isPresent() && stored.get().status().visibleInPortal()) {
                    violations.add(op + ": the portal hid " + stored.get());
                }
            }
        }, () -> { });
    }

    private void listInvoices() {
        Integer slot = randomContextSlot();
        if (slot == null) {
            return;
        }
        PortalContext ctx = contexts.get(slot);
        attempt("list invoices", () -> {
            List<Invoice> page = portal.invoices(ctx, InvoiceQuery.builder().limit(100).build()).items();
            for (Invoice invoice : page) {
                Possible<Invoice> possible = invoices.get(key(invoice.tenantId(), invoice.id()));
                if (possible == null || !possible.allows(Optional.of(invoice)) || !invoice.customerId().equals(ctx.customer().id())) {
                    violations.add(op + ": listed " + invoice + ", none of " + (possible == null ? "[]" : possible.values));
                }
            }
            for (int j = 0; j < INVOICES_PER_CUSTOMER; j++) {
                String id = "inv-" + slot / 2 + "-" + j;
                Possible<Invoice> possible = invoices.get(key(ctx.customer().tenantId(), id));
                if (possible != null && possible.surelyExists() && possible.values.stream()
                        .allMatch(v -> v.get().status().visibleInPortal()) && page.stream().noneMatch(i -> i.id().equals(id))) {
                    violations.add(op + ": invoice " + id + " saved visible, missing from the list");
                }
            }
        }, () -> { });
    }

    private void overview() {
        Integer slot = randomContextSlot();
        if (slot == null) {
            return;
        }
        PortalContext ctx = contexts.get(slot);
        attempt("overview", () -> {
            BillingOverview overview = portal.overview(ctx);
            List<Invoice> certain = new ArrayList<>();
            for (Map.Entry<String, Possible<Invoice>> entry : invoices.entrySet()) {
                if (!entry.getKey().startsWith(ctx.customer().tenantId() + "/inv-" + slot / 2 + "-")) {
                    continue;
                }
                Optional<Invoice> value = entry.getValue().certain();
                if (value == null) {
                    return; // some save of this customer may or may not have happened: no exact answer to compare
                }
                value.ifPresent(certain::add);
            }
            BillingOverview expected = TestData.expectedOverview(certain, ctx.scope(), overview.asOf());
            if (!rows(overview).equals(rows(expected))) {
                violations.add(op + ": overview " + rows(overview) + ", expected " + rows(expected));
            }
        }, () -> { });
    }

    /** Runs one operation: it completes, or fails with UNAVAILABLE (then {@code onUnavailable} notes what may have happened). */
    private void attempt(String kind, Runnable action, Runnable onUnavailable) {
        int[] counts = outcomes.computeIfAbsent(kind, k -> new int[2]);
        try {
            action.run();
            counts[0]++;
        } catch (PortalException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                lastUnavailable = e.getMessage();
                counts[1]++;
                onUnavailable.run();
            } else {
                unexpected.add(op + " " + kind + ": " + e.code() + " " + e.reason() + " " + e.getMessage());
            }
        } catch (RuntimeException e) {
            unexpected.add(op + " " + kind + ": " + e);
        }
    }

    // ================================================================ the state afterwards

    private void checkStoredState() throws SQLException {
        for (Map.Entry<Integer, Possible<Customer>> entry : customers.entrySet()) {
            int slot = entry.getKey();
            Optional<Customer> stored = clean.customers().findById(tenant(slot), customerId(slot));
            assertThat(entry.getValue().allows(stored)).as("customer slot %d stored as %s, one of %s", slot, stored,
                    entry.getValue().values).isTrue();
        }
        int checkedInvoices = 0;
        for (Map.Entry<String, Possible<Invoice>> entry : invoices.entrySet()) {
            String[] key = entry.getKey().split("/");
            int slot = slotOf(key[0], key[1].split("-")[1]);
            Optional<Invoice> stored = clean.invoices().findById(new CustomerScope(key[0], customerId(slot)), key[1]);
            assertThat(entry.getValue().allows(stored)).as("invoice %s stored as %s, one of %s", entry.getKey(), stored,
                    entry.getValue().values).isTrue();
            checkedInvoices++;
        }
        assertThat(checkedInvoices).isGreaterThan(30);
        List<List<String>> rows = query("SELECT tenant_id, id, customer_id FROM " + clean.tablePrefix() + "invoices", 3);
        for (List<String> row : rows) {
            assertThat(invoices).as("stored invoice %s", row).containsKey(key(row.get(0), row.get(1)));
        }
        assertThat(totals("SELECT tenant_id, customer_id, currency, SUM(total_minor), COUNT(*) FROM " + clean.tablePrefix()
                + "invoices WHERE status = 'FINALIZED' GROUP BY tenant_id, customer_id, currency"))
                .as("invoice_totals, recomputed from the invoices")
                .isEqualTo(totals("SELECT tenant_id, customer_id, currency, invoiced_minor, invoice_count FROM "
                        + clean.tablePrefix() + "invoice_totals"));

        int revokedChecked = 0;
        for (List<String> row : query("SELECT tenant_id, customer_external_id, id FROM " + clean.tablePrefix() + "sessions", 3)) {
            CustomerRef ref = CustomerRef.of(row.get(0), row.get(1));
            SessionRecord record = clean.sessions().find(ref, row.get(2)).orElseThrow();
            int slot = slotOf(row.get(0), row.get(1).substring("ext-".length()));
            for (Instant revokeAll : sureRevokeAlls.getOrDefault(slot, List.of())) {
                if (record.issuedAt().isBefore(revokeAll)) {
                    assertThat(record.revoked()).as("session %s created before a revokeAll that completed", record.id()).isTrue();
                }
            }
        }
        for (KnownSession session : sessions.values()) {
            Optional<SessionRecord> record = clean.sessions().find(ref(session.slot), session.id);
            assertThat(record).as("session %s, created successfully", session.id).isPresent();
            if (session.surelyRevoked) {
                revokedChecked++;
                assertThat(record.get().revoked()).as("LOST REVOCATION of session %s", session.id).isTrue();
                if (session.revokedBy != null) {
                    assertThat(record.get().revokedAt()).as("revocation time of %s", session.id).isBeforeOrEqualTo(session.revokedBy);
                }
            } else if (!session.maybeRevoked) {
                assertThat(record.get().revoked()).as("session %s, never asked to be revoked", session.id).isFalse();
            }
        }
        assertThat(revokedChecked).as("sessions surely revoked").isGreaterThan(10);
        checkLinksAndAudit();
    }

    /**
     * One-time links: never more than one live session from one link, the exchanged sessions of a revoked link
     * revoked, every link whose exchanges only failed still usable; and every session handed out audited.
     */
    private void checkLinksAndAudit() throws SQLException {
        Map<String, List<SessionRecord>> byLink = new TreeMap<>();
        for (List<String> row : query("SELECT tenant_id, customer_external_id, id FROM " + clean.tablePrefix() + "sessions", 3)) {
            SessionRecord record = clean.sessions().find(CustomerRef.of(row.get(0), row.get(1)), row.get(2)).orElseThrow();
            if (record.linkId() != null) {
                byLink.computeIfAbsent(record.linkId(), k -> new ArrayList<>()).add(record);
                Instant linkRevoked = sureLinkRevocations.get(record.linkId());
                if (linkRevoked != null && record.issuedAt().isBefore(linkRevoked)) {
                    assertThat(record.revoked()).as("session %s of link %s, revoked before", record.id(), record.linkId()).isTrue();
                }
            }
        }
        // Exactly once: at most one session handed out per link (checked as the run went), and any other live session
        // of a link is an orphan: stored by an exchange that then failed and could not withdraw it either, so its
        // token was never handed out to anyone.
        int orphans = 0;
        for (Map.Entry<String, List<SessionRecord>> entry : byLink.entrySet()) {
            KnownSession link = sessions.get(entry.getKey());
            for (SessionRecord exchanged : entry.getValue()) {
                if (!exchanged.revoked() && !sessions.containsKey(exchanged.id())) {
                    orphans++;
                    assertThat(link).as("link of the orphan session %s", exchanged.id()).isNotNull();
                    assertThat(link.failedExchanges).as("failed exchanges of link %s, which has an orphan session",
                            link.id).isPositive();
                }
            }
        }
        System.out.println(getClass().getName() + ": " + orphans + " live sessions of failed exchanges (tokens never handed out)");
        int exchangedChecked = 0;
        for (KnownSession session : sessions.values()) {
            if (session.linkId != null) {
                exchangedChecked++;
                assertThat(clean.sessions().find(ref(session.slot), session.linkId)).as("link of %s", session.id)
                        .hasValueSatisfying(link -> assertThat(link.exchanged()).isTrue());
            }
        }
        assertThat(exchangedChecked).as("exchanges that completed").isGreaterThan(3);

        // A link whose exchanges all failed, never revoked, must still open the portal (the documented promise).
        PortalService retry = PortalService.builder().customers(clean.customers()).invoices(clean.invoices())
                .sessions(clean.sessions()).audit(clean.audit()).tokenSigner(signer).portalUrl(URI.create("https://billing.example.com/portal/")).clock(clock)
                .linkMode(LinkMode.ONE_TIME).build();
        int retried = 0;
        for (KnownSession link : sessions.values()) {
            if (link.oneTimeLink && link.failedExchanges > 0 && !link.exchangedSurely && !link.surelyRevoked
                    && !link.maybeRevoked && sureRevokeAlls.getOrDefault(link.slot, List.of()).stream()
                    .noneMatch(revokeAll -> revokeAll.isAfter(link.createdAt))) {
                retried++;
                try {
                    retry.exchange(link.token, ClientInfo.UNKNOWN);
                } catch (PortalException e) {
                    if (!e.reason().equals("link_already_used")) {
                        throw e;
                    }
                    usedUp(link, "link " + link.id + " refused as used after the run");
                }
            }
        }
        System.out.println(getClass().getName() + ": " + (retriesAfterFailure + retried)
                + " exchanges retried after a failed one; links used up by an audit failure " + usedUpByAudit
                + ", by an ambiguous failure while marking " + usedUpByAmbiguousMark + ", otherwise " + lockedOut.size());
        long retriable = sessions.values().stream().filter(link -> link.oneTimeLink && link.failedExchanges > 0
                && !link.surelyRevoked && !link.maybeRevoked).count();
        if (retriable > 0) {
            assertThat(retriesAfterFailure + retried).as("exchanges retried after a failed one").isPositive();
        }
        assertThat(lockedOut).as("links whose failed exchange left them unusable").isEmpty();

        for (KnownSession session : sessions.values()) {
            List<AuditEvent> events = clean.audit().find(ref(session.slot), TestData.NOW, AuditTrail.MAX_FIND_LIMIT);
            AuditEventType expected = session.linkId != null ? AuditEventType.SESSION_EXCHANGED : AuditEventType.SESSION_CREATED;
            assertThat(events).as("audit of session %s handed out", session.id)
                    .anyMatch(event -> event.type() == expected && session.id.equals(event.sessionId())
                            && (session.linkId == null || session.linkId.equals(event.linkId())));
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            int own = slot;
            assertThat(clean.audit().find(ref(slot), TestData.NOW, AuditTrail.MAX_FIND_LIMIT))
                    .as("audit events of slot %d", slot).allMatch(event -> event.customer().equals(ref(own)));
        }
    }

    private void assertExercised(Map<FaultyDataSource.Fault, Integer> injected) {
        for (String kind : List.of("save customer", "save invoice", "create session", "create one-time link", "exchange",
                "revoke session", "revoke all sessions", "authenticate", "read invoice", "list invoices")) {
            int[] counts = outcomes.getOrDefault(kind, new int[2]);
            assertThat(counts[0]).as("%s completed", kind).isGreaterThan(kind.equals("save customer") ? 10 : 15);
        }
        for (List<String> kinds : List.of(List.of("save customer"), List.of("save invoice"),
                List.of("create session", "create one-time link"), List.of("exchange"),
                List.of("revoke session", "revoke all sessions"), List.of("authenticate", "read invoice", "list invoices"))) {
            int unavailable = kinds.stream().mapToInt(kind -> outcomes.getOrDefault(kind, new int[2])[1]).sum();
            assertThat(unavailable).as("%s unavailable", kinds).isGreaterThan(kinds.size() > 1 ? 2 : 4);
        }
        assertThat(outcomes.getOrDefault("overview", new int[2])[0]).as("overviews compared").isPositive();
        assertThat(injected.values().stream().mapToInt(Integer::intValue).sum()).as("faults injected").isGreaterThan(150);
        for (FaultyDataSource.Fault fault : FaultyDataSource.Fault.values()) {
            assertThat(injected.getOrDefault(fault, 0)).as("faults %s injected", fault).isPositive();
        }
    }

    // ================================================================ model and helpers

    /** What may be stored under one key: the value of the last save that completed, or of any failed one after it. */
    private static final class Possible<T> {
        final List<Optional<T>> values = new ArrayList<>(List.of(Optional.empty()));

        void succeeded(T value) {
            values.clear();
            values.add(Optional.of(value));
        }

        void failed(T value) {
            if (!values.contains(Optional.of(value))) {
                values.add(Optional.of(value));
            }
        }

        /** A read saw it: operations are sequential, so this is now what is stored. */
        void observed(Optional<T> value) {
            values.clear();
            values.add(value);
        }

        boolean allows(Optional<T> value) {
            return values.contains(value);
        }

        boolean surelyExists() {
            return values.stream().allMatch(Optional::isPresent);
        }

        /** The one possible value, or null when there are several. */
        Optional<T> certain() {
            return values.size() == 1 ? values.get(0) : null;
        }

        T any() {
            return values.stream().filter(Optional::isPresent).map(Optional::get).findFirst().orElseThrow();
        }
    }

    /** A session whose creation completed, and what is known of its revocation. */
    private static final class KnownSession {
        final String id;
        final String token;
        final int slot;
        final Instant createdAt;
        boolean surelyRevoked;
        boolean maybeRevoked;
        /** A link made by the one-time portal: it can only be exchanged. */
        boolean oneTimeLink;
        /** For a session exchanged from a link, the link. */
        String linkId;
        boolean exchangedSurely;
        boolean maybeExchanged;
        int failedExchanges;
        final List<String> failures = new ArrayList<>();
        /** The first instant it surely was revoked by, or null when only a read saw it revoked. */
        Instant revokedBy;

        KnownSession(String id, String token, int slot, Instant createdAt) {
            this.id = id;
            this.token = token;
            this.slot = slot;
            this.createdAt = createdAt;
        }

        void revokedSurely(Instant at) {
            if (!surelyRevoked) {
                revokedBy = at;
            }
            surelyRevoked = true;
        }
    }

    private Customer customerVersion(int slot) {
        int version = ++customerVersions;
        return Customer.builder().tenantId(tenant(slot)).id(customerId(slot)).externalId("ext-" + slot / 2)
                .name("Customer " + slot + " v" + version).email("c" + slot + "v" + version + "@example.com")
                .currency(EUR).timezone(ZoneOffset.UTC).build();
    }

    /** Slots 2k and 2k+1 hold customers with the same internal and external ids in two tenants. */
    private static String tenant(int slot) {
        return "tenant-" + slot % 2;
    }

    private static String customerId(int slot) {
        return "cus-" + slot / 2;
    }

    private static int slotOf(String tenant, String pairIndex) {
        return Integer.parseInt(pairIndex) * 2 + Integer.parseInt(tenant.substring("tenant-".length()));
    }

    private static CustomerRef ref(int slot) {
        return CustomerRef.of(tenant(slot), "ext-" + slot / 2);
    }

    private static String key(String tenant, String id) {
        return tenant + "/" + id;
    }

    private Integer existingSlot() {
        List<Integer> existing = customers.entrySet().stream().filter(e -> e.getValue().surelyExists())
                .map(Map.Entry::getKey).toList();
        return existing.isEmpty() ? null : existing.get(random.nextInt(existing.size()));
    }

    private Integer randomContextSlot() {
        List<Integer> slots = List.copyOf(contexts.keySet());
        return slots.isEmpty() ? null : slots.get(random.nextInt(slots.size()));
    }

    private KnownSession randomSession() {
        List<KnownSession> all = List.copyOf(sessions.values());
        return all.isEmpty() ? null : all.get(random.nextInt(all.size()));
    }

    private static Map<String, List<Long>> rows(BillingOverview overview) {
        Map<String, List<Long>> rows = new TreeMap<>();
        for (CurrencyOverview row : overview.currencies()) {
            rows.put(row.currency().getCurrencyCode(), List.of(row.totalInvoiced().amountMinor(), row.overdue().amountMinor(),
                    row.overdueCount(), row.outstanding().amountMinor(), row.outstandingCount()));
        }
        return rows;
    }

    private List<List<String>> query(String sql, int columns) throws SQLException {
        List<List<String>> result = new ArrayList<>();
        try (Connection c = database().dataSource().getConnection();
             PreparedStatement statement = c.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getString(i).strip());
                }
                result.add(row);
            }
        }
        return result;
    }

    /** Totals by tenant, customer and currency; rows of nothing (count 0, sum 0) left out. */
    private Map<String, String> totals(String sql) throws SQLException {
        Map<String, String> totals = new TreeMap<>();
        for (List<String> row : query(sql, 5)) {
            if (!(row.get(3).equals("0") && row.get(4).equals("0"))) {
                totals.put(row.get(0) + "/" + row.get(1) + "/" + row.get(2), row.get(3) + " in " + row.get(4));
            }
        }
        return totals;
    }

    private static String describe(Map<String, int[]> outcomes) {
        Map<String, String> readable = new TreeMap<>();
        outcomes.forEach((kind, counts) -> readable.put(kind, counts[0] + "/" + counts[1]));
        return readable.toString();
    }
}
