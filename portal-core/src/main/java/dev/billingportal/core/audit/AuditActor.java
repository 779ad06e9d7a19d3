package dev.billingportal.core.audit;

/** Who caused an {@link AuditEvent}. Stored by name: names are API and never change. */
public enum AuditActor {
    /** The host application, through {@code PortalService} (or the Lago-compatible admin API). */
    HOST,
    /** Whoever holds a customer's link or session token, through the portal. */
    CUSTOMER
}
