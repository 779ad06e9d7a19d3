package dev.billingportal.pdf;

import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store as the portal uses it: find, then open the download. */
class PdfInvoiceDocumentStoreTest {
    @TempDir
    Path temp;

    private final Customer customer = Fixtures.customer("Big Corp", Locale.FRENCH);

    @Test
    void downloadIsApplicationPdfNamedAfterTheSanitizedInvoiceNumber() {
        Invoice invoice = Fixtures.invoice(customer, "ACME/2026\\0042: été", 1_000, 0, "EUR").build();

        InvoiceDocument.Stream document = (InvoiceDocument.Stream) Fixtures.store().build().find(customer, invoice).orElseThrow();

        assertThat(document.contentType()).isEqualTo("application/pdf");
        assertThat(document.fileName()).isEqualTo("ACME_2026_0042_ été.pdf");
        assertThat(document.contentLength()).isEqualTo(-1);
    }

    @Test
    void openedContentIsAParseablePdfAndItsTempFileIsDeletedOnClose() throws IOException {
        PdfInvoiceDocumentStore store = Fixtures.store().tempDirectory(temp).build();
        Invoice invoice = Fixtures.invoice(customer, "INV-1", 1_000, 0, "EUR").build();
        InvoiceDocument.Stream document = (InvoiceDocument.Stream) store.find(customer, invoice).orElseThrow();

        byte[] pdf;
        try (InputStream in = document.content().open()) {
            // Unix unlinks a DELETE_ON_CLOSE file as soon as it is open, other systems when it is closed.
            assertThat(listFiles(temp)).hasSizeLessThanOrEqualTo(1);
            pdf = in.readAllBytes();
        }

        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        try (PDDocument parsed = Loader.loadPDF(pdf)) {
            assertThat(parsed.getNumberOfPages()).isEqualTo(1);
            assertThat(parsed.getDocumentInformation().getTitle()).isEqualTo("Facture INV-1");
            assertThat(parsed.getDocumentCatalog().getLanguage()).isEqualTo("fr");
        }
        assertThat(listFiles(temp)).isEmpty();
    }

    @Test
    void eachOpenRendersAFreshDocumentAndFindAloneRendersNothing() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        PdfInvoiceDocumentStore store = Fixtures.store().lines(i -> {
            calls.incrementAndGet();
            return Stream.empty();
        }).build();
        InvoiceDocument.Stream document = (InvoiceDocument.Stream) store.find(customer, Fixtures.invoice(customer, "INV-1", 1_000, 0, "EUR").build()).orElseThrow();
        assertThat(calls).hasValue(0);

        try (InputStream first = document.content().open(); InputStream second = document.content().open()) {
            assertThat(first.readAllBytes()).startsWith("%PDF-".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(second.readAllBytes()).startsWith("%PDF-".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertThat(calls).hasValue(2);
    }

    @Test
    void failedRenderingDeletesItsTempFileAndClosesTheLineStream() {
        AtomicInteger closed = new AtomicInteger();
        PdfInvoiceDocumentStore store = Fixtures.store().tempDirectory(temp).lines(i -> Stream.<InvoiceLine>generate(() -> {
            throw new UncheckedIOException(new IOException("line storage is down"));
        }).onClose(closed::incrementAndGet)).build();
        InvoiceDocument.Stream document = (InvoiceDocument.Stream) store.find(customer, Fixtures.invoice(customer, "INV-1", 1_000, 0, "EUR").build()).orElseThrow();

        assertThatThrownBy(() -> document.content().open()).isInstanceOf(UncheckedIOException.class).hasMessageContaining("line storage is down");
        assertThat(closed).hasValue(1);
        assertThat(listFiles(temp)).isEmpty();
    }

    @Test
    void findGivesNothingForDraftsOrAnotherCustomersInvoice() {
        PdfInvoiceDocumentStore store = Fixtures.store().build();
        Invoice draft = Fixtures.invoice(customer, "INV-1", 1_000, 0, "EUR").status(InvoiceStatus.DRAFT).build();
        Customer other = customer.toBuilder().id("cus-2").externalId("ext-2").build();
        Invoice theirs = Fixtures.invoice(other, "INV-2", 1_000, 0, "EUR").build();
        Invoice otherTenant = Fixtures.invoice(customer, "INV-3", 1_000, 0, "EUR").tenantId("another-tenant").build();

        assertThat(store.find(customer, draft)).isEmpty();
        assertThat(store.find(customer, theirs)).isEmpty();
        assertThat(store.find(customer, otherTenant)).isEmpty();
        assertThat(store.find(customer, draft.toBuilder().status(InvoiceStatus.VOIDED).build())).isPresent();
    }

    @Test
    void portalApiServesTheRenderedPdfAsAnAttachment() {
        InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
        InMemoryInvoiceRepository invoices = new InMemoryInvoiceRepository();
        customers.save(customer);
        invoices.save(Fixtures.invoice(customer, "Facture 2026/7", 1_000, 0, "EUR").build());
        PortalService portal = PortalService.builder().customers(customers).invoices(invoices)
                .sessions(new InMemoryPortalSessionRepository())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("k1"))))
                .portalUrl(URI.create("https://billing.example.com/portal")).clock(Fixtures.CLOCK)
                .documents(Fixtures.store().build()).build();
        String token = portal.createSession(SessionRequest.forCustomer("ext-1")).token();

        PortalResponse response = PortalApi.of(portal).handle(PortalRequest.get("/portal/api/invoices/inv-1/download",
                Map.of("Authorization", List.of("Bearer " + token))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValue("application/pdf");
        assertThat(response.header("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("attachment; filename=\"Facture 2026_7.pdf\""));
        assertThat(Fixtures.text(response.body().toByteArray())).contains("Facture 2026/7", "Big Corp");
    }

    @Test
    void builderRequiresASellerAndASupportedDefaultLanguage() {
        assertThatThrownBy(() -> PdfInvoiceDocumentStore.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("seller");
        assertThatThrownBy(() -> PdfInvoiceDocumentStore.builder().defaultLocale(Locale.KOREAN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultLocale");
        assertThatThrownBy(() -> PdfInvoiceDocumentStore.builder().tempDirectory(temp.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tempDirectory");
        assertThat(Fixtures.store().defaultLocale(Locale.CANADA_FRENCH).build().localeFor(customer.toBuilder().documentLocale(null).build()))
                .isEqualTo(Locale.FRENCH);
    }

    @Test
    void toBuilderKeepsEverySetting() {
        PdfInvoiceDocumentStore store = Fixtures.store().defaultLocale(Locale.GERMAN).paperSize(PaperSize.LETTER).build();
        Customer noLocale = customer.toBuilder().documentLocale(null).build();

        byte[] pdf = Fixtures.render(store.toBuilder().build(), noLocale, Fixtures.invoice(noLocale, "INV-1", 1_000, 0, "EUR").build());

        assertThat(Fixtures.text(pdf)).contains("Rechnung");
        try (PDDocument parsed = Loader.loadPDF(pdf)) {
            assertThat(parsed.getPage(0).getMediaBox().getWidth()).isEqualTo(612f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void sellerAndLineValidationNameTheBadField() {
        assertThatThrownBy(() -> Seller.of(" "))
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.getMessage()).contains("seller.legal_name"));
        assertThatThrownBy(() -> Seller.builder().legalName("Acme").logo(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}).build())
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.getMessage()).contains("seller.logo"));
        assertThatThrownBy(() -> Fixtures.line("a\tb", "1", 1, 1, "EUR", null))
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.getMessage()).contains("line.description"));
        assertThatThrownBy(() -> new InvoiceLine("x", java.math.BigDecimal.ONE, dev.billingportal.core.domain.Money.of(1, "EUR"),
                dev.billingportal.core.domain.Money.of(1, "USD"), null))
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.getMessage()).contains("line.currency"));
    }

    private static List<Path> listFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
