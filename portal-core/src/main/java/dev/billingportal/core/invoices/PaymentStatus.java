package dev.billingportal.core.invoices;

/** Where the payment of an invoice stands. */
public enum PaymentStatus {
    /** Not paid yet. */
    PENDING,
    /** Paid. */
    SUCCEEDED,
    /** The last payment attempt failed; still owed. */
    FAILED
}
