package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.CurrencyOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.InvoiceKey;
import dev.billingportal.core.invoices.InvoiceSearch;
import dev.billingportal.core.session.SessionRecord;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Deterministic fixtures shared by the contract suites, public so that an adapter's own extra tests can
 * build data the same way. Nothing here reads the system clock or a random source: every run of a suite
 * sees the same data, so a failure reproduces.
 */
public final class TestData {

    /** The fixed "today" of every suite (a Saturday; nothing depends on that). */
    public static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

    /** The fixed "now" of every suite, in whole seconds like token timestamps. */
    public static final Instant NOW = Instant.parse("2026-11-21T10:15:30Z");

    /** The tenant most fixtures live in. */
    public static final String TENANT = "tenant-a";

    /** A second tenant, holding look-alike rows that must never leak into {@link #TENANT}'s results. */
    public static final String OTHER_TENANT = "tenant-b";

    /** Euro: two fraction digits. */
    public static final Currency EUR = Currency.getInstance("EUR");

    /** US dollar: two fraction digits. */
    public static final Currency USD = Currency.getInstance("USD");

    /** Japanese yen: no fraction digits. */
    public static final Currency JPY = Currency.getInstance("JPY");

    /** Kuwaiti dinar: three fraction digits. */
    public static final Currency KWD = Currency.getInstance("KWD");

    /** Every invoice status a repository search may ask for: all but DRAFT. */
    public static final Set<InvoiceStatus> ALL_SEARCHABLE_STATUSES = Collections.unmodifiableSet(
            EnumSet.of(InvoiceStatus.FINALIZED, InvoiceStatus.VOIDED, InvoiceStatus.FAILED, InvoiceStatus.PENDING));

    /** The statuses the portal shows: finalized and voided. */
    public static final Set<InvoiceStatus> PORTAL_STATUSES = Collections.unmodifiableSet(
            EnumSet.of(InvoiceStatus.FINALIZED, InvoiceStatus.VOIDED));

    private TestData() {
    }

    /**
     * A customer of {@code tenantId} with internal id {@code id}, external id {@code "ext-" + id}, a name,
     * EUR as currency and UTC as time zone.
     *
     * @param tenantId the tenant
     * @param id       the internal id
     * @return the customer (not saved anywhere)
     */
    public static Customer customer(String tenantId, String id) {
        return Customer.builder().tenantId(tenantId).id(id).externalId("ext-" + id).name("Customer " + id)
                .currency(EUR).timezone(ZoneOffset.UTC).build();
    }

    /**
     * A builder for a finalized, unpaid invoice of {@code owner}: number {@code "NO-" + id}, total 100.00 EUR,
     * due 30 days after {@code issuingDate}. Change what the test needs and {@code build()}.
     *
     * @param owner       the owning customer
     * @param id          the invoice id (printable ASCII)
     * @param issuingDate the issuing date
     * @return a builder with those defaults
     */
    public static Invoice.Builder invoice(Customer owner, String id, LocalDate issuingDate) {
        return Invoice.builder().customer(owner).id(id).number("NO-" + id).issuingDate(issuingDate)
                .paymentDueDate(issuingDate.plusDays(30)).total(Money.of(100_00, EUR));
    }

    /**
     * A session of {@code customer} issued at {@code issuedAt}, living {@code ttl}, with every optional field
     * empty and not revoked.
     *
     * @param id       the session id
     * @param customer the owner
     * @param issuedAt issue instant
     * @param ttl      lifetime, positive
     * @return the record
     */
    public static SessionRecord session(String id, CustomerRef customer, Instant issuedAt, Duration ttl) {
        return new SessionRecord(id, customer, issuedAt, issuedAt.plus(ttl), null, null, null, null, null);
    }

    /**
     * A session of {@code customer} exchanged from the link {@code linkId} at {@code issuedAt}, living at most
     * {@code ttl}, last seen at {@code issuedAt}, with every optional field empty and not revoked.
     *
     * @param id       the session id
     * @param customer the owner (the link's)
     * @param linkId   the link it was exchanged from
     * @param issuedAt issue (and last-seen) instant
     * @param ttl      lifetime, positive
     * @return the record
     */
    public static SessionRecord exchangedSession(String id, CustomerRef customer, String linkId, Instant issuedAt,
                                                 Duration ttl) {
        return new SessionRecord(id, customer, issuedAt, issuedAt.plus(ttl), null, null, null, null, null, linkId, null,
                issuedAt);
    }

    /**
     * A session of {@code customer} issued at {@link #NOW} for twelve hours, with a locale, return URL,
     * configuration name and flow set.
     *
     * @param id       the session id
     * @param customer the owner
     * @return the record
     */
    public static SessionRecord fullSession(String id, CustomerRef customer) {
        return new SessionRecord(id, customer, NOW, NOW.plus(Duration.ofHours(12)), Locale.forLanguageTag("fr-CA"),
                URI.create("https://app.example.com/settings/billing?tab=invoices&x=1#top"), "enterprise",
                "invoices", null);
    }

    /**
     * A builder of {@link InvoiceSearch} with the portal's defaults: finalized and voided, every payment
     * status, no other condition, {@link #TODAY}, limit {@link InvoiceSearch#MAX_LIMIT}.
     *
     * @return a fresh builder
     */
    public static InvoiceSearchBuilder search() {
        return new InvoiceSearchBuilder();
    }

    /**
     * The reference answer to {@code search} over {@code invoices}: the ones of {@code scope} that pass
     * {@link InvoiceSearch#matches(Invoice)}, strictly after {@link InvoiceSearch#after()}, in
     * {@link InvoiceKey#PORTAL_ORDER}, at most {@link InvoiceSearch#limit()}.
     *
     * @param invoices every invoice saved (any customer, any tenant, latest version of each)
     * @param scope    the scope searched
     * @param search   the search
     * @return what a repository must answer
     */
    public static List<Invoice> expectedPage(Collection<Invoice> invoices, CustomerScope scope, InvoiceSearch search) {
        return invoices.stream()
                .filter(invoice -> inScope(invoice, scope))
                .filter(search::matches)
                .filter(invoice -> search.after() == null || search.after().precedes(invoice))
                .sorted(portalOrder())
                .limit(search.limit())
                .toList();
    }

    /**
     * The reference overview of {@code scope} over {@code invoices}, computed from the definitions of
     * {@link CurrencyOverview}: only finalized invoices count; overdue means
     * {@link Invoice#isOverdue(LocalDate)}; outstanding means finalized, not paid and not overdue.
     *
     * @param invoices every invoice saved (any customer, any tenant, latest version of each)
     * @param scope    the scope
     * @param today    the customer's today
     * @return what a repository must answer
     */
    public static BillingOverview expectedOverview(Collection<Invoice> invoices, CustomerScope scope, LocalDate today) {
        Map<Currency, long[]> sums = new LinkedHashMap<>();
        for (Invoice invoice : invoices) {
            if (!inScope(invoice, scope) || invoice.status() != InvoiceStatus.FINALIZED) {
                continue;
            }
            // total, overdue, overdue count, outstanding, outstanding count
            long[] row = sums.computeIfAbsent(invoice.currency(), c -> new long[5]);
            row[0] = Math.addExact(row[0], invoice.total().amountMinor());
            if (invoice.isOverdue(today)) {
                row[1] = Math.addExact(row[1], invoice.amountDue().amountMinor());
                row[2]++;
            } else if (invoice.paymentStatus() != PaymentStatus.SUCCEEDED) {
                row[3] = Math.addExact(row[3], invoice.amountDue().amountMinor());
                row[4]++;
            }
        }
        return new BillingOverview(today, sums.entrySet().stream()
                .map(e -> new CurrencyOverview(e.getKey(), Money.of(e.getValue()[0], e.getKey()),
                        Money.of(e.getValue()[1], e.getKey()), e.getValue()[2],
                        Money.of(e.getValue()[3], e.getKey()), e.getValue()[4]))
                .toList());
    }

    /**
     * The portal order ({@code issuing_date DESC, id DESC}) on invoices.
     *
     * @return a comparator agreeing with {@link InvoiceKey#PORTAL_ORDER}
     */
    public static Comparator<Invoice> portalOrder() {
        return Comparator.comparing(InvoiceKey::of, InvoiceKey.PORTAL_ORDER);
    }

    /**
     * Whether {@code invoice} belongs to {@code scope}.
     *
     * @param invoice the invoice
     * @param scope   the scope
     * @return true when tenant and customer id both match
     */
    public static boolean inScope(Invoice invoice, CustomerScope scope) {
        return invoice.tenantId().equals(scope.tenantId()) && invoice.customerId().equals(scope.customerId());
    }

    /**
     * A string of exactly {@code length} UTF-16 units made by repeating {@code pattern} (cut at the end).
     * Keep surrogate pairs out of {@code pattern} unless {@code length} cuts it at an even position.
     *
     * @param pattern what to repeat, not empty
     * @param length  the length wanted
     * @return the string
     */
    public static String repeatTo(String pattern, int length) {
        StringBuilder out = new StringBuilder(length + pattern.length());
        while (out.length() < length) {
            out.append(pattern);
        }
        out.setLength(length);
        return out.toString();
    }
}
