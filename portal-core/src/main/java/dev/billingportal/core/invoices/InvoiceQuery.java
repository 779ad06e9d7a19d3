package dev.billingportal.core.invoices;

import dev.billingportal.core.Page;
import dev.billingportal.core.PortalException;

import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.internal.Checks;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a customer asks of their invoice history: filters combined with AND, a page size and the cursor
 * of the page to continue from. Build one with {@link #builder()}; {@link Builder#build()} reports every
 * invalid setting at once as a {@code VALIDATION_ERROR}.
 *
 * @param statuses        statuses to include; empty means every status the portal shows (finalized, voided)
 * @param paymentStatuses payment statuses to include; empty means all
 * @param overdueOnly     only overdue invoices
 * @param issuedFrom      first issuing date included, or null
 * @param issuedTo        last issuing date included, or null
 * @param search          case-insensitive part of the invoice number, or an exact invoice id; null for none
 * @param limit           page size, {@value #MIN_LIMIT} to {@value #MAX_LIMIT}
 * @param after           the {@link Page#nextCursor()} of the previous page, or null for the first page
 */
public record InvoiceQuery(Set<InvoiceStatus> statuses, Set<PaymentStatus> paymentStatuses, boolean overdueOnly,
                           LocalDate issuedFrom, LocalDate issuedTo, String search, int limit, String after) {

    /** Page size when none is given. */
    public static final int DEFAULT_LIMIT = 20;
    /** Smallest page size. */
    public static final int MIN_LIMIT = 1;
    /** Largest page size. */
    public static final int MAX_LIMIT = 100;
    /** Longest search text. */
    public static final int MAX_SEARCH_LENGTH = Checks.MAX_ID_LENGTH;

    /** Validates every field, reporting all problems together. */
    public InvoiceQuery {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        statuses = statuses == null || statuses.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(statuses));
        for (InvoiceStatus status : statuses) {
            if (!status.visibleInPortal()) {
                problems.computeIfAbsent("status", k -> new java.util.ArrayList<>())
                        .add(status.name().toLowerCase(java.util.Locale.ROOT) + " invoices are not shown in the portal");
            }
        }
        paymentStatuses = paymentStatuses == null || paymentStatuses.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(paymentStatuses));
        if (issuedFrom != null && issuedTo != null && issuedFrom.isAfter(issuedTo)) {
            problems.put("issued_from", List.of("must not be after issued_to"));
        }
        if (search != null) {
            search = search.strip();
            if (search.isEmpty()) {
                search = null;
            } else if (search.length() > MAX_SEARCH_LENGTH) {
                problems.put("search", List.of("must be at most " + MAX_SEARCH_LENGTH + " characters"));
            } else if (search.chars().anyMatch(Character::isISOControl)) {
                problems.put("search", List.of("must not contain control characters"));
            }
        }
        if (limit < MIN_LIMIT || limit > MAX_LIMIT) {
            problems.put("limit", List.of("must be between " + MIN_LIMIT + " and " + MAX_LIMIT));
        }
        if (after != null && after.isEmpty()) {
            after = null;
        }
        if (!problems.isEmpty()) {
            throw PortalException.invalid(problems);
        }
    }

    /** The first page of every visible invoice, {@value #DEFAULT_LIMIT} per page. */
    public static InvoiceQuery firstPage() {
        return builder().build();
    }

    /** A builder with the defaults: no filter, limit {@value #DEFAULT_LIMIT}, first page. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this query, e.g. to ask for the next page: {@code q.toBuilder().after(page.nextCursor())}. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.statuses.addAll(statuses);
        b.paymentStatuses.addAll(paymentStatuses);
        return b.overdueOnly(overdueOnly).issuedFrom(issuedFrom).issuedTo(issuedTo).search(search).limit(limit)
                .after(after);
    }

    /** Builds an {@link InvoiceQuery}. */
    public static final class Builder {
        private final Set<InvoiceStatus> statuses = EnumSet.noneOf(InvoiceStatus.class);
        private final Set<PaymentStatus> paymentStatuses = EnumSet.noneOf(PaymentStatus.class);
        private boolean overdueOnly;
        private LocalDate issuedFrom;
        private LocalDate issuedTo;
        private String search;
        private int limit = DEFAULT_LIMIT;
        private String after;

        private Builder() {
        }

        /** Only these statuses (finalized or voided). */
        public Builder statuses(InvoiceStatus... statuses) {
            return statuses(Arrays.asList(statuses));
        }

        /** Only these statuses (finalized or voided). */
        public Builder statuses(Collection<InvoiceStatus> statuses) {
            this.statuses.clear();
            statuses.forEach(s -> this.statuses.add(Checks.required(s, "status")));
            return this;
        }

        /** Only these payment statuses. */
        public Builder paymentStatuses(PaymentStatus... paymentStatuses) {
            return paymentStatuses(Arrays.asList(paymentStatuses));
        }

        /** Only these payment statuses. */
        public Builder paymentStatuses(Collection<PaymentStatus> paymentStatuses) {
            this.paymentStatuses.clear();
            paymentStatuses.forEach(s -> this.paymentStatuses.add(Checks.required(s, "payment_status")));
            return this;
        }

        /** Only overdue invoices. */
        public Builder overdueOnly(boolean overdueOnly) { this.overdueOnly = overdueOnly; return this; }

        /** Issued on or after this date. */
        public Builder issuedFrom(LocalDate issuedFrom) { this.issuedFrom = issuedFrom; return this; }

        /** Issued on or before this date. */
        public Builder issuedTo(LocalDate issuedTo) { this.issuedTo = issuedTo; return this; }

        /** Part of the number (case-insensitive) or an exact id; blank means no search. */
        public Builder search(String search) { this.search = search; return this; }

        /** Page size, 1 to 100 (default 20). */
        public Builder limit(int limit) { this.limit = limit; return this; }

        /** Continue after the page this cursor came from. */
        public Builder after(String cursor) { this.after = cursor; return this; }

        /** Validates and builds. */
        public InvoiceQuery build() {
            return new InvoiceQuery(statuses, paymentStatuses, overdueOnly, issuedFrom, issuedTo, search, limit, after);
        }
    }
}
