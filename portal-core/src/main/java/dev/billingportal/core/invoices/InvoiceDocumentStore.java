package dev.billingportal.core.invoices;

import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;

import java.util.Optional;

/**
 * Gives the document of an invoice: bytes to stream, or a URL to redirect to. The service calls it only
 * for an invoice it has already checked belongs to the authenticated customer and is visible in the portal.
 * Implementations must be safe for concurrent use.
 */
public interface InvoiceDocumentStore {

    /** The document of {@code invoice} of {@code customer}, or empty when there is none (yet). */
    Optional<InvoiceDocument> find(Customer customer, Invoice invoice);
}
