package dev.billingportal.core.invoices;

/** The lifecycle state of an invoice. Only {@link #FINALIZED} and {@link #VOIDED} invoices reach the portal. */
public enum InvoiceStatus {
    /** Being prepared by the host; never shown to the customer. */
    DRAFT,
    /** Issued: a legal document the customer owes (or has paid). */
    FINALIZED,
    /** Cancelled after finalization; shown greyed, never counted. */
    VOIDED,
    /** Generation failed (e.g. tax computation); not shown. */
    FAILED,
    /** Awaiting an external step before finalization; not shown. */
    PENDING;

    /** Whether customers see invoices in this state. */
    public boolean visibleInPortal() {
        return this == FINALIZED || this == VOIDED;
    }
}
