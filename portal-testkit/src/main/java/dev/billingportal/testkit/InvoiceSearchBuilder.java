package dev.billingportal.testkit;

import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.invoices.InvoiceKey;
import dev.billingportal.core.invoices.InvoiceSearch;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * A mutable, fluent way to write an {@link InvoiceSearch} in tests, starting from the portal's defaults
 * (see {@link TestData#search()}). Each {@link #build()} validates through the record's constructor.
 */
public final class InvoiceSearchBuilder {
    private Set<InvoiceStatus> statuses = EnumSet.copyOf(TestData.PORTAL_STATUSES);
    private Set<PaymentStatus> paymentStatuses = EnumSet.noneOf(PaymentStatus.class);
    private boolean overdueOnly;
    private LocalDate issuedFrom;
    private LocalDate issuedTo;
    private String search;
    private LocalDate today = TestData.TODAY;
    private InvoiceKey after;
    private int limit = InvoiceSearch.MAX_LIMIT;

    InvoiceSearchBuilder() {
    }

    /**
     * The invoice statuses to include.
     *
     * @param statuses at least one, never DRAFT
     * @return this
     */
    public InvoiceSearchBuilder statuses(InvoiceStatus... statuses) {
        return statuses(Arrays.asList(statuses));
    }

    /**
     * The invoice statuses to include.
     *
     * @param statuses at least one, never DRAFT
     * @return this
     */
    public InvoiceSearchBuilder statuses(Collection<InvoiceStatus> statuses) {
        this.statuses = statuses.isEmpty() ? EnumSet.noneOf(InvoiceStatus.class) : EnumSet.copyOf(statuses);
        return this;
    }

    /**
     * The payment statuses to include; none means all.
     *
     * @param paymentStatuses the payment statuses
     * @return this
     */
    public InvoiceSearchBuilder paymentStatuses(PaymentStatus... paymentStatuses) {
        return paymentStatuses(Arrays.asList(paymentStatuses));
    }

    /**
     * The payment statuses to include; empty means all.
     *
     * @param paymentStatuses the payment statuses
     * @return this
     */
    public InvoiceSearchBuilder paymentStatuses(Collection<PaymentStatus> paymentStatuses) {
        this.paymentStatuses = paymentStatuses.isEmpty() ? EnumSet.noneOf(PaymentStatus.class)
                : EnumSet.copyOf(paymentStatuses);
        return this;
    }

    /**
     * Whether only invoices overdue on {@link #today(LocalDate) today} are wanted.
     *
     * @param overdueOnly true for overdue only
     * @return this
     */
    public InvoiceSearchBuilder overdueOnly(boolean overdueOnly) {
        this.overdueOnly = overdueOnly;
        return this;
    }

    /**
     * The first issuing date included.
     *
     * @param issuedFrom the date, or null for no lower bound
     * @return this
     */
    public InvoiceSearchBuilder issuedFrom(LocalDate issuedFrom) {
        this.issuedFrom = issuedFrom;
        return this;
    }

    /**
     * The last issuing date included.
     *
     * @param issuedTo the date, or null for no upper bound
     * @return this
     */
    public InvoiceSearchBuilder issuedTo(LocalDate issuedTo) {
        this.issuedTo = issuedTo;
        return this;
    }

    /**
     * The search text: a case-insensitive substring of the number, or the exact id.
     *
     * @param search the text, or null for no search
     * @return this
     */
    public InvoiceSearchBuilder search(String search) {
        this.search = search;
        return this;
    }

    /**
     * The customer's today, for the overdue condition (default {@link TestData#TODAY}).
     *
     * @param today the date
     * @return this
     */
    public InvoiceSearchBuilder today(LocalDate today) {
        this.today = today;
        return this;
    }

    /**
     * Return only invoices strictly after this key.
     *
     * @param after the key, or null to start at the beginning
     * @return this
     */
    public InvoiceSearchBuilder after(InvoiceKey after) {
        this.after = after;
        return this;
    }

    /**
     * Return only invoices strictly after the key of {@code invoice}.
     *
     * @param invoice the last invoice seen
     * @return this
     */
    public InvoiceSearchBuilder after(Invoice invoice) {
        return after(InvoiceKey.of(invoice));
    }

    /**
     * The most invoices to return.
     *
     * @param limit 1 to {@link InvoiceSearch#MAX_LIMIT}
     * @return this
     */
    public InvoiceSearchBuilder limit(int limit) {
        this.limit = limit;
        return this;
    }

    /**
     * Validates and builds.
     *
     * @return the search
     */
    public InvoiceSearch build() {
        return new InvoiceSearch(statuses, paymentStatuses, overdueOnly, issuedFrom, issuedTo, search, today, after,
                limit);
    }
}
