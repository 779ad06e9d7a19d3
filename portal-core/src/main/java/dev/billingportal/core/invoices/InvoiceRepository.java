package dev.billingportal.core.invoices;

import dev.billingportal.core.CustomerScope;

import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.Invoice;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Stores invoices. Every read is scoped by a {@link CustomerScope}: an adapter never returns an invoice
 * of another customer or tenant, whatever the other arguments say. Implementations must be safe for
 * concurrent use by many threads. Storage failures surface as {@code PortalException} with
 * {@code UNAVAILABLE}; collisions as {@code CONFLICT}.
 */
public interface InvoiceRepository {

    /**
     * Inserts or replaces the invoice keyed by {@code (tenantId, id)}. Fails with {@code CONFLICT},
     * writing nothing, when that id already belongs to an invoice of another customer.
     */
    void save(Invoice invoice);

    /** The invoice with this id, if it belongs to the scoped customer (drafts included: the service hides them). */
    Optional<Invoice> findById(CustomerScope scope, String invoiceId);

    /**
     * The scoped customer's invoices that pass {@link InvoiceSearch#matches(Invoice)} and come after
     * {@link InvoiceSearch#after()}, in {@link InvoiceKey#PORTAL_ORDER}, at most {@link InvoiceSearch#limit()}.
     */
    List<Invoice> find(CustomerScope scope, InvoiceSearch search);

    /**
     * The scoped customer's totals per currency as of {@code today} (the customer's date): total invoiced
     * over finalized invoices, overdue and outstanding over unpaid finalized ones. Voided, draft, failed and
     * pending invoices count nowhere. Currencies without any finalized invoice have no row.
     */
    BillingOverview overview(CustomerScope scope, LocalDate today);
}
