package dev.billingportal.core.invoices;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;

import java.time.LocalDate;
import java.util.Currency;

/**
 * An invoice of one customer.
 *
 * <p>Whether it is <em>overdue</em> is derived, never stored: see {@link #isOverdue(LocalDate)}.
 *
 * @param id            id, unique within the tenant; printable ASCII (it orders pages)
 * @param tenantId      the tenant of the owning customer
 * @param customerId    the owning customer's internal {@link Customer#id() id}
 * @param number        the number printed on the document (any Unicode, e.g. {@code ACME-2026-0042})
 * @param type          what it bills for
 * @param status        lifecycle state
 * @param paymentStatus payment state
 * @param issuingDate   the date it was issued
 * @param paymentDueDate the date payment is due; not before the issuing date
 * @param subtotal      amount before taxes
 * @param taxes         tax amount
 * @param total         amount including taxes
 * @param amountDue     what is left to pay after credits and prepayments; at most {@code total}
 * @param documentRef   the host's reference to the invoice document (a storage key, a URL), or null
 */
public record Invoice(String id, String tenantId, String customerId, String number, InvoiceType type,
                     InvoiceStatus status, PaymentStatus paymentStatus, LocalDate issuingDate,
                     LocalDate paymentDueDate, Money subtotal, Money taxes, Money total, Money amountDue,
                     String documentRef) {

    /** Validates every field; all amounts must share one currency and be non-negative. */
    public Invoice {
        Checks.asciiId(id, "id");
        Checks.id(tenantId, "tenant_id");
        Checks.id(customerId, "customer_id");
        Checks.id(number, "number");
        Checks.required(type, "invoice_type");
        Checks.required(status, "status");
        Checks.required(paymentStatus, "payment_status");
        Checks.required(issuingDate, "issuing_date");
        Checks.required(paymentDueDate, "payment_due_date");
        if (paymentDueDate.isBefore(issuingDate)) {
            throw PortalException.invalid("payment_due_date", "must not be before issuing_date");
        }
        Checks.required(subtotal, "subtotal");
        Checks.required(taxes, "taxes");
        Checks.required(total, "total");
        Checks.required(amountDue, "amount_due");
        Currency currency = total.currency();
        for (Money m : new Money[] {subtotal, taxes, total, amountDue}) {
            if (!m.currency().equals(currency)) {
                throw PortalException.invalid("currency", "all amounts of an invoice must be in one currency");
            }
            if (m.isNegative()) {
                throw PortalException.invalid("amount", "must not be negative");
            }
        }
        if (amountDue.compareTo(total) > 0) {
            throw PortalException.invalid("amount_due", "must not exceed total");
        }
        Checks.optionalText(documentRef, "document_ref");
    }

    /** The invoice's currency. */
    public Currency currency() {
        return total.currency();
    }

    /**
     * Finalized, not paid, and due before {@code today} (today as a date in the customer's time zone).
     * An invoice due today is not overdue yet.
     */
    public boolean isOverdue(LocalDate today) {
        return status == InvoiceStatus.FINALIZED && paymentStatus != PaymentStatus.SUCCEEDED
                && paymentDueDate.isBefore(today);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this invoice's values. */
    public Builder toBuilder() {
        return new Builder().id(id).tenantId(tenantId).customerId(customerId).number(number).type(type)
                .status(status).paymentStatus(paymentStatus).issuingDate(issuingDate)
                .paymentDueDate(paymentDueDate).subtotal(subtotal).taxes(taxes).total(total)
                .amountDue(amountDue).documentRef(documentRef);
    }

    /**
     * Builds an {@link Invoice}. Defaults: type SUBSCRIPTION, status FINALIZED, payment PENDING,
     * taxes zero, subtotal = total - taxes, amount due = total (when not paid) or zero (when paid),
     * due date = issuing date, tenant {@code default}.
     */
    public static final class Builder {
        private String id;
        private String tenantId = dev.billingportal.core.CustomerRef.DEFAULT_TENANT;
        private String customerId;
        private String number;
        private InvoiceType type = InvoiceType.SUBSCRIPTION;
        private InvoiceStatus status = InvoiceStatus.FINALIZED;
        private PaymentStatus paymentStatus = PaymentStatus.PENDING;
        private LocalDate issuingDate;
        private LocalDate paymentDueDate;
        private Money subtotal;
        private Money taxes;
        private Money total;
        private Money amountDue;
        private String documentRef;

        private Builder() {
        }

        /** Id (required). */
        public Builder id(String id) { this.id = id; return this; }

        /** Tenant of the customer (default {@code default}). */
        public Builder tenantId(String tenantId) { this.tenantId = tenantId; return this; }

        /** Owning customer's internal id (required). */
        public Builder customerId(String customerId) { this.customerId = customerId; return this; }

        /** Owner: sets tenant and customer id from {@code customer}. */
        public Builder customer(Customer customer) { this.tenantId = customer.tenantId(); this.customerId = customer.id(); return this; }

        /** Document number (required). */
        public Builder number(String number) { this.number = number; return this; }

        /** Type (default SUBSCRIPTION). */
        public Builder type(InvoiceType type) { this.type = type; return this; }

        /** Status (default FINALIZED). */
        public Builder status(InvoiceStatus status) { this.status = status; return this; }

        /** Payment status (default PENDING). */
        public Builder paymentStatus(PaymentStatus paymentStatus) { this.paymentStatus = paymentStatus; return this; }

        /** Issuing date (required). */
        public Builder issuingDate(LocalDate issuingDate) { this.issuingDate = issuingDate; return this; }

        /** Payment due date (default: the issuing date). */
        public Builder paymentDueDate(LocalDate paymentDueDate) { this.paymentDueDate = paymentDueDate; return this; }

        /** Subtotal before taxes (default total - taxes). */
        public Builder subtotal(Money subtotal) { this.subtotal = subtotal; return this; }

        /** Taxes (default zero). */
        public Builder taxes(Money taxes) { this.taxes = taxes; return this; }

        /** Total including taxes (required). */
        public Builder total(Money total) { this.total = total; return this; }

        /** Amount still due (default: total, or zero once paid). */
        public Builder amountDue(Money amountDue) { this.amountDue = amountDue; return this; }

        /** Host reference to the document. */
        public Builder documentRef(String documentRef) { this.documentRef = documentRef; return this; }

        /** Applies the defaults, validates and builds. */
        public Invoice build() {
            Checks.required(total, "total");
            Money tax = taxes != null ? taxes : Money.zero(total.currency());
            Money sub = subtotal;
            if (sub == null) {
                sub = Money.of(total.amountMinor() - tax.amountMinor(), total.currency());
            }
            Money due = amountDue;
            if (due == null) {
                due = paymentStatus == PaymentStatus.SUCCEEDED ? Money.zero(total.currency()) : total;
            }
            return new Invoice(id, tenantId, customerId, number, type, status, paymentStatus, issuingDate,
                    paymentDueDate != null ? paymentDueDate : issuingDate, sub, tax, total, due, documentRef);
        }
    }
}
