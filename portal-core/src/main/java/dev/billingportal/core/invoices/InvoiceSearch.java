package dev.billingportal.core.invoices;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.internal.Checks;

import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * One page request as an {@link InvoiceRepository} receives it: already validated and decoded by the
 * service. Every condition is combined with AND.
 *
 * @param statuses        invoice statuses to include; never empty, never containing DRAFT
 * @param paymentStatuses payment statuses to include; empty means all
 * @param overdueOnly     only invoices overdue on {@code today} (finalized, not paid, due before today)
 * @param issuedFrom      first issuing date included, or null
 * @param issuedTo        last issuing date included, or null
 * @param search          case-insensitive substring of the number, or the exact id; null for no search.
 *                        {@code %}, {@code _} and {@code \} are literal characters.
 * @param today           the customer's today, for the overdue condition
 * @param after           return only invoices strictly after this key in {@link InvoiceKey#PORTAL_ORDER}, or null
 * @param limit           the most invoices to return, 1 to 101 (the service asks one more than a page to
 *                        learn whether another page follows)
 */
public record InvoiceSearch(Set<InvoiceStatus> statuses, Set<PaymentStatus> paymentStatuses, boolean overdueOnly,
                           LocalDate issuedFrom, LocalDate issuedTo, String search, LocalDate today,
                           InvoiceKey after, int limit) {

    /** The largest {@code limit} a repository must honour. */
    public static final int MAX_LIMIT = 101;

    /** Validates and copies the sets. */
    public InvoiceSearch {
        Checks.required(statuses, "status");
        if (statuses.isEmpty() || statuses.contains(InvoiceStatus.DRAFT)) {
            throw PortalException.invalid("status", "must name at least one status and never draft");
        }
        statuses = Collections.unmodifiableSet(EnumSet.copyOf(statuses));
        Checks.required(paymentStatuses, "payment_status");
        paymentStatuses = paymentStatuses.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(paymentStatuses));
        Checks.required(today, "today");
        if (issuedFrom != null && issuedTo != null && issuedFrom.isAfter(issuedTo)) {
            throw PortalException.invalid("issued_from", "must not be after issued_to");
        }
        if (search != null && (search.isEmpty() || search.length() > Checks.MAX_ID_LENGTH)) {
            throw PortalException.invalid("search", "must be 1 to " + Checks.MAX_ID_LENGTH + " characters");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw PortalException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
    }

    /**
     * The reference semantics every adapter must match: whether {@code invoice} passes every condition
     * except {@code after} and {@code limit}. The search lower-cases both sides with {@link Locale#ROOT}.
     */
    public boolean matches(Invoice invoice) {
        if (!statuses.contains(invoice.status())) {
            return false;
        }
        if (!paymentStatuses.isEmpty() && !paymentStatuses.contains(invoice.paymentStatus())) {
            return false;
        }
        if (overdueOnly && !invoice.isOverdue(today)) {
            return false;
        }
        if (issuedFrom != null && invoice.issuingDate().isBefore(issuedFrom)) {
            return false;
        }
        if (issuedTo != null && invoice.issuingDate().isAfter(issuedTo)) {
            return false;
        }
        return search == null || invoice.id().equals(search)
                || invoice.number().toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT));
    }
}
