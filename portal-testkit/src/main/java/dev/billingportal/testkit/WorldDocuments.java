package dev.billingportal.testkit;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.invoices.InvoiceDocumentStore;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The document store of {@link PortalWorld}, the world of {@link PortalIsolationContract} and
 * {@link PortalApiFuzzContract}: names tenant, customer and invoice in every document, and checks the owner, recording
 * in the world's list each document asked for an invoice of another customer than the one asking.
 */
final class WorldDocuments implements InvoiceDocumentStore {
    /** Documents handed out for an invoice of another customer than the one asked for: the world's, must stay empty. */
    private final List<String> documentViolations;

    /** A store recording into {@code documentViolations} (the world's list, synchronized: checks read and clear it). */
    WorldDocuments(List<String> documentViolations) {
        this.documentViolations = documentViolations;
    }

    @Override
    public Optional<InvoiceDocument> find(Customer customer, Invoice invoice) {
        if (!customer.tenantId().equals(invoice.tenantId()) || !customer.id().equals(invoice.customerId())) {
            documentViolations.add("document of " + invoice.tenantId() + "/" + invoice.id() + " asked for "
                    + customer.tenantId() + "/" + customer.externalId());
        }
        if ("redirect".equals(invoice.documentRef())) {
            return Optional.of(InvoiceDocument.redirect(documentUrl(invoice)));
        }
        return Optional.of(InvoiceDocument.bytes(invoice.id() + ".pdf", "application/pdf", documentBytes(invoice)));
    }

    static URI documentUrl(Invoice invoice) {
        return URI.create("https://docs.example/" + invoice.tenantId() + "/" + invoice.customerId() + "/" + invoice.id()
                + "?n=" + java.net.URLEncoder.encode(invoice.number(), StandardCharsets.UTF_8));
    }

    static byte[] documentBytes(Invoice invoice) {
        return ("%PDF-fake " + invoice.tenantId() + "/" + invoice.customerId() + "/" + invoice.id() + " " + invoice.number())
                .getBytes(StandardCharsets.UTF_8);
    }
}
