package dev.billingportal.core.memory;

import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.invoices.InvoiceDocumentStore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Invoice documents in memory, keyed by tenant and invoice id; for tests and demos. Thread-safe.
 */
public final class InMemoryInvoiceDocumentStore implements InvoiceDocumentStore {
    private record Key(String tenantId, String invoiceId) {
    }

    private final Map<Key, InvoiceDocument> documents = new ConcurrentHashMap<>();

    /** Stores (or replaces) the document of {@code invoice}. */
    public void put(Invoice invoice, InvoiceDocument document) {
        Checks.required(invoice, "invoice");
        documents.put(new Key(invoice.tenantId(), invoice.id()), Checks.required(document, "document"));
    }

    @Override
    public Optional<InvoiceDocument> find(Customer customer, Invoice invoice) {
        return Optional.ofNullable(documents.get(new Key(invoice.tenantId(), invoice.id())));
    }
}
