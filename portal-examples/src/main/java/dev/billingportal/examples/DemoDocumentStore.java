package dev.billingportal.examples;

import dev.billingportal.core.InvoiceDocument;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Invoice;
import dev.billingportal.core.spi.InvoiceDocumentStore;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Renders a plain-text rendition of each invoice on demand: enough to show downloads end to end in the demo.
 * Hosts plug in their own store (their PDFs, or a redirect to signed storage URLs).
 */
public final class DemoDocumentStore implements InvoiceDocumentStore {

    @Override
    public Optional<InvoiceDocument> find(Customer customer, Invoice invoice) {
        String text = "Invoice " + invoice.number() + "\n"
                + "Customer: " + (customer.legalName() != null ? customer.legalName() : customer.name()) + "\n"
                + "Issued: " + invoice.issuingDate() + "   Due: " + invoice.paymentDueDate() + "\n"
                + "Subtotal: " + invoice.subtotal() + "\n"
                + "Taxes: " + invoice.taxes() + "\n"
                + "Total: " + invoice.total() + "\n"
                + "Amount due: " + invoice.amountDue() + "\n";
        return Optional.of(InvoiceDocument.bytes(invoice.number() + ".txt", "text/plain; charset=utf-8",
                text.getBytes(StandardCharsets.UTF_8)));
    }
}
