package dev.billingportal.core.payments;

import java.util.Locale;

/** Where a payment of an invoice stands right after the customer asked to pay it. */
public enum InvoicePaymentStatus {
    /** The customer must complete it on the provider's hosted page ({@link InvoicePayment#redirectUrl()}). */
    REDIRECT,
    /** The default method was charged. */
    SUCCEEDED,
    /** The charge was accepted and is still being processed (a debit, say). */
    PROCESSING,
    /** The charge was declined; the invoice is still owed. */
    FAILED;

    /**
     * The JSON name.
     *
     * @return e.g. {@code succeeded}
     */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
