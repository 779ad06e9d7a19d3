package dev.billingportal.testkit;

import dev.billingportal.core.PortalTransactions;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.config.PortalConfigurations;
import dev.billingportal.core.events.EventOutbox;
import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.memory.InMemoryAuditTrail;
import dev.billingportal.core.memory.InMemoryEventOutbox;
import dev.billingportal.core.memory.InMemoryIdempotencyStore;
import dev.billingportal.core.memory.InMemoryPortalConfigurations;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.session.PortalSessionRepository;

import java.util.Objects;

/**
 * The repositories a {@code PortalService} needs, its audit trail, and the self-service parts of one storage
 * (configurations, idempotency keys, event outbox, and the transactions that make a write, its audit record, its
 * event and its idempotency record commit together): what {@link PortalIsolationContract} and
 * {@link PortalApiFuzzContract} ask their subclass for. Invoices are saved only after their customer, so a storage
 * whose invoices reference customers (a foreign key) needs nothing more.
 *
 * <pre>{@code
 * JdbcPortalStore store = ...;
 * new PortalStorage(store.customers(), store.invoices(), store.sessions(), store.audit(),
 *         store.configurations(), store.idempotency(), store.outbox(), store.transactions());
 * }</pre>
 *
 * @param customers      the customer repository
 * @param invoices       the invoice repository
 * @param sessions       the session repository
 * @param audit          the audit trail the portal writes to and the suites read back
 * @param configurations the tenants' named configurations
 * @param idempotency    the idempotency store
 * @param outbox         the event outbox
 * @param transactions   the storage's transactions ({@link PortalTransactions#none()} for storage without them)
 */
public record PortalStorage(CustomerRepository customers, InvoiceRepository invoices, PortalSessionRepository sessions,
                            AuditTrail audit, PortalConfigurations configurations, IdempotencyStore idempotency,
                            EventOutbox outbox, PortalTransactions transactions) {

    /** Requires every part. */
    public PortalStorage {
        Objects.requireNonNull(customers, "customers");
        Objects.requireNonNull(invoices, "invoices");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(configurations, "configurations");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(transactions, "transactions");
    }

    /**
     * The three repositories and an audit trail, with fresh in-memory self-service parts
     * ({@link InMemoryPortalConfigurations}, {@link InMemoryIdempotencyStore}, {@link InMemoryEventOutbox}) and no
     * transactions, for storages that have none of their own.
     *
     * @param customers the customer repository
     * @param invoices  the invoice repository
     * @param sessions  the session repository
     * @param audit     the audit trail
     */
    public PortalStorage(CustomerRepository customers, InvoiceRepository invoices, PortalSessionRepository sessions,
                         AuditTrail audit) {
        this(customers, invoices, sessions, audit, new InMemoryPortalConfigurations(), new InMemoryIdempotencyStore(),
                new InMemoryEventOutbox(), PortalTransactions.none());
    }

    /**
     * The three repositories, with a fresh {@link InMemoryAuditTrail} and fresh in-memory self-service parts, for
     * storages that keep none of their own.
     *
     * @param customers the customer repository
     * @param invoices  the invoice repository
     * @param sessions  the session repository
     */
    public PortalStorage(CustomerRepository customers, InvoiceRepository invoices, PortalSessionRepository sessions) {
        this(customers, invoices, sessions, new InMemoryAuditTrail());
    }

    /**
     * This storage with other repositories and audit trail (wrappers of these, typically), the self-service parts
     * unchanged.
     *
     * @param customers the customer repository
     * @param invoices  the invoice repository
     * @param sessions  the session repository
     * @param audit     the audit trail
     * @return the new storage
     */
    public PortalStorage withRepositories(CustomerRepository customers, InvoiceRepository invoices,
                                          PortalSessionRepository sessions, AuditTrail audit) {
        return new PortalStorage(customers, invoices, sessions, audit, configurations, idempotency, outbox, transactions);
    }
}
