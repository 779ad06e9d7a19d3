package dev.billingportal.testkit;

import dev.billingportal.core.memory.InMemoryAuditTrail;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.session.PortalSessionRepository;

import java.util.Objects;

/**
 * The repositories a {@code PortalService} needs, and its audit trail, over one storage: what
 * {@link PortalIsolationContract} and {@link PortalApiFuzzContract} ask their subclass for. Invoices are saved only
 * after their customer, so a storage whose invoices reference customers (a foreign key) needs nothing more.
 *
 * @param customers the customer repository
 * @param invoices  the invoice repository
 * @param sessions  the session repository
 * @param audit     the audit trail the portal writes to and the suites read back
 */
public record PortalStorage(CustomerRepository customers, InvoiceRepository invoices, PortalSessionRepository sessions,
                            AuditTrail audit) {

    /** Requires all four. */
    public PortalStorage {
        Objects.requireNonNull(customers, "customers");
        Objects.requireNonNull(invoices, "invoices");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(audit, "audit");
    }

    /**
     * The three repositories, with a fresh {@link InMemoryAuditTrail} for storages that keep no audit trail of
     * their own.
     *
     * @param customers the customer repository
     * @param invoices  the invoice repository
     * @param sessions  the session repository
     */
    public PortalStorage(CustomerRepository customers, InvoiceRepository invoices, PortalSessionRepository sessions) {
        this(customers, invoices, sessions, new InMemoryAuditTrail());
    }
}
