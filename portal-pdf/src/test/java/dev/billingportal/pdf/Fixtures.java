package dev.billingportal.pdf;

import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.domain.Money;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;

/** Customers, invoices and a store for the tests, and a way to read a rendered PDF back. */
final class Fixtures {
    /** 2026-11-21T10:00:00Z: "today" of every test unless it moves the clock. */
    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final LocalDate ISSUED = LocalDate.of(2026, 11, 1);

    static final Seller SELLER = Seller.builder().legalName("Acme Billing SAS")
            .address(new Address("12 rue de la Paix", null, "Paris", null, "75002", "FR"))
            .taxId("FR12345678901").email("billing@acme.example").build();

    private Fixtures() {
    }

    static PdfInvoiceDocumentStore.Builder store() {
        return PdfInvoiceDocumentStore.builder().seller(SELLER).clock(CLOCK);
    }

    static Customer customer(String legalName, Locale locale) {
        return Customer.builder().id("cus-1").externalId("ext-1").name("Display name").legalName(legalName)
                .email("ap@customer.example").taxId("DE999999999")
                .billingAddress(new Address("Hauptstraße 5", "2. OG", "Berlin", null, "10115", "DE"))
                .documentLocale(locale).timezone(ZoneId.of("Europe/Paris")).build();
    }

    static Invoice.Builder invoice(Customer customer, String number, long totalMinor, long taxesMinor, String currency) {
        return Invoice.builder().id("inv-1").customer(customer).number(number).issuingDate(ISSUED)
                .paymentDueDate(ISSUED.plusDays(30)).total(Money.of(totalMinor, currency))
                .taxes(Money.of(taxesMinor, currency));
    }

    static InvoiceLine line(String description, String quantity, long unitMinor, long amountMinor, String currency, String rate) {
        return new InvoiceLine(description, new BigDecimal(quantity), Money.of(unitMinor, currency),
                Money.of(amountMinor, currency), rate == null ? null : new BigDecimal(rate));
    }

    static byte[] render(PdfInvoiceDocumentStore store, Customer customer, Invoice invoice) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            store.render(customer, invoice, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The text of every page, as a reader copying from the PDF would get it. */
    static String text(byte[] pdf) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int pageCount(byte[] pdf) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return document.getNumberOfPages();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} with the no-break spaces of CLDR formats as plain spaces, to compare with readable literals. */
    static String plain(String text) {
        return text.replace('\u00a0', ' ').replace('\u202f', ' ');
    }
}
