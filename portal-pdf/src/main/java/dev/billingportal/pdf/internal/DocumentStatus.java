package dev.billingportal.pdf.internal;

import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;

import java.time.LocalDate;

/** What the document says about the invoice's payment, derived when it is rendered. */
enum DocumentStatus {
    VOIDED("status.voided", Rgb.MUTED),
    PAID("status.paid", Rgb.PAID),
    OVERDUE("status.overdue", Rgb.ALERT),
    PAYMENT_FAILED("status.failed", Rgb.ALERT),
    TO_PAY("status.to_pay", Rgb.TEXT);

    final String labelKey;
    final Rgb color;

    DocumentStatus(String labelKey, Rgb color) {
        this.labelKey = labelKey;
        this.color = color;
    }

    /** The status on {@code today}, the customer's date: a void invoice is owed nothing, and overdue outranks a failed payment. */
    static DocumentStatus of(Invoice invoice, LocalDate today) {
        if (invoice.status() == InvoiceStatus.VOIDED) {
            return VOIDED;
        }
        if (invoice.paymentStatus() == PaymentStatus.SUCCEEDED) {
            return PAID;
        }
        if (invoice.isOverdue(today)) {
            return OVERDUE;
        }
        return invoice.paymentStatus() == PaymentStatus.FAILED ? PAYMENT_FAILED : TO_PAY;
    }
}
