package dev.billingportal.core.invoices;

/** What an invoice bills for (Lago's {@code invoice_type}). */
public enum InvoiceType {
    /** A subscription period. */
    SUBSCRIPTION,
    /** A one-time add-on. */
    ADD_ON,
    /** Purchased prepaid credits. */
    CREDIT,
    /** One-off charges. */
    ONE_OFF,
    /** Usage billed before the period ends because a threshold was crossed. */
    PROGRESSIVE_BILLING
}
