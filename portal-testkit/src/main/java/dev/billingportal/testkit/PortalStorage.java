package dev.billingportal.testkit;

import dev.billingportal.core.spi.CustomerRepository;
import dev.billingportal.core.spi.InvoiceRepository;
import dev.billingportal.core.spi.PortalSessionRepository;

import java.util.Objects;

/**
 * The three repositories a {@code PortalService} needs, over one storage: what {@link PortalIsolationContract} and
 * {@link PortalApiFuzzContract} ask their subclass for. Invoices are saved only after their customer, so a storage
 * whose invoices reference customers (a foreign key) needs nothing more.
 *
 * @param customers the customer repository
 * @param invoices  the invoice repository
 * @param sessions  the session repository
 */
public record PortalStorage(CustomerRepository customers, InvoiceRepository invoices, PortalSessionRepository sessions) {

    /** Requires all three. */
    public PortalStorage {
        Objects.requireNonNull(customers, "customers");
        Objects.requireNonNull(invoices, "invoices");
        Objects.requireNonNull(sessions, "sessions");
    }
}
