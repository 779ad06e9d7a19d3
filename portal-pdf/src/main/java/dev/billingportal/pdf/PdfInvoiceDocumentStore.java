package dev.billingportal.pdf;

import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.i18n.PortalLocales;
import dev.billingportal.core.invoices.InvoiceDocumentStore;
import dev.billingportal.pdf.internal.FileNames;
import dev.billingportal.pdf.internal.InvoicePdfRenderer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders invoice PDFs on demand, for hosts that have no documents of their own: plug it in with
 * {@code PortalService.builder().documents(store)}.
 *
 * <pre>{@code
 * PdfInvoiceDocumentStore store = PdfInvoiceDocumentStore.builder()
 *     .seller(Seller.builder().legalName("Acme SAS").address(acmeAddress).taxId("FR12345678901").build())
 *     .lines(invoice -> lineRepository.streamLines(invoice.id()))   // optional
 *     .build();
 * }</pre>
 *
 * <p>Each document is in the customer's {@link Customer#documentLocale() document language} when the portal
 * speaks it (else in {@link Builder#defaultLocale}), with amounts and dates formatted for that language. It is
 * rendered when the download is read, not when it is found, so a {@code HEAD} request costs nothing, and it
 * says "overdue" based on the customer's today. Rendering goes to a temp file, deleted when the download
 * stream is closed; heap use does not grow with the number of lines.
 *
 * <p>Thread-safe: one instance serves every customer.
 */
public final class PdfInvoiceDocumentStore implements InvoiceDocumentStore {
    /** The media type of every document. */
    public static final String CONTENT_TYPE = "application/pdf";
    /** The language when the customer has none the portal speaks: English. */
    public static final Locale DEFAULT_LOCALE = Locale.ENGLISH;
    /** The default page size: A4. */
    public static final PaperSize DEFAULT_PAPER_SIZE = PaperSize.A4;
    /** The default line source: none, so each document shows one summary line. */
    public static final InvoiceLineSource DEFAULT_LINES = InvoiceLineSource.NONE;

    private static final String EXTENSION = ".pdf";

    private final Seller seller;
    private final InvoiceLineSource lines;
    private final Locale defaultLocale;
    private final Clock clock;
    private final PaperSize paperSize;
    private final Path tempDirectory;
    private final InvoicePdfRenderer renderer;

    private PdfInvoiceDocumentStore(Builder b) {
        this.seller = b.seller;
        this.lines = b.lines;
        this.defaultLocale = b.defaultLocale;
        this.clock = b.clock;
        this.paperSize = b.paperSize;
        this.tempDirectory = b.tempDirectory;
        this.renderer = new InvoicePdfRenderer(seller, paperSize, tempDirectory);
    }

    /**
     * A PDF of {@code invoice}, rendered when its content is opened; empty for an invoice the portal does not
     * show (drafts and the like) or that is not {@code customer}'s, so such a document can never leak.
     */
    @Override
    public Optional<InvoiceDocument> find(Customer customer, Invoice invoice) {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(invoice, "invoice");
        if (!invoice.status().visibleInPortal() || !invoice.tenantId().equals(customer.tenantId())
                || !invoice.customerId().equals(customer.id())) {
            return Optional.empty();
        }
        return Optional.of(InvoiceDocument.stream(fileName(invoice), CONTENT_TYPE, -1, () -> open(customer, invoice)));
    }

    /**
     * Renders the PDF of {@code invoice} to {@code out} now (to attach it to an e-mail, or archive it), whatever
     * the invoice's status. {@code out} is not closed.
     *
     * @throws IOException when writing fails
     */
    public void render(Customer customer, Invoice invoice, OutputStream out) throws IOException {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(invoice, "invoice");
        Objects.requireNonNull(out, "out");
        LocalDate today = LocalDate.ofInstant(clock.instant(), customer.timezone());
        renderer.render(customer, invoice, localeFor(customer), today, lines, out);
    }

    /** The language of {@code customer}'s documents: their document locale if the portal speaks it, else the default. */
    public Locale localeFor(Customer customer) {
        return PortalLocales.match(customer.documentLocale()).orElse(defaultLocale);
    }

    /**
     * The download name of {@code invoice}'s document: its number, kept in any script, with path separators,
     * characters file systems refuse and control or invisible formatting characters replaced by {@code _}, and
     * {@code .pdf} added; for example {@code ACME/2026/0042} gives {@code ACME_2026_0042.pdf}.
     */
    public static String fileName(Invoice invoice) {
        return FileNames.of(invoice.number(), EXTENSION);
    }

    /** Renders into a temp file and streams it; the file is deleted when the stream is closed. */
    private InputStream open(Customer customer, Invoice invoice) throws IOException {
        Path file = tempDirectory == null ? Files.createTempFile("invoice-", EXTENSION)
                : Files.createTempFile(tempDirectory, "invoice-", EXTENSION);
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                render(customer, invoice, out);
            }
            return Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** A builder; {@link Builder#seller} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this store's settings, for making a variant. */
    public Builder toBuilder() {
        Builder b = new Builder().seller(seller).lines(lines).defaultLocale(defaultLocale).clock(clock).paperSize(paperSize);
        b.tempDirectory = tempDirectory;
        return b;
    }

    /**
     * Configures a {@link PdfInvoiceDocumentStore}. Every setter checks its value at once, and {@link #build()}
     * names a missing seller, so a misconfiguration fails at start-up rather than at the first download.
     */
    public static final class Builder {
        private Seller seller;
        private InvoiceLineSource lines = DEFAULT_LINES;
        private Locale defaultLocale = DEFAULT_LOCALE;
        private Clock clock = Clock.systemUTC();
        private PaperSize paperSize = DEFAULT_PAPER_SIZE;
        private Path tempDirectory;

        private Builder() {
        }

        /** Who issues the invoices (required). */
        public Builder seller(Seller seller) {
            this.seller = Objects.requireNonNull(seller, "seller");
            return this;
        }

        /** Where invoice lines come from (default {@link InvoiceLineSource#NONE}: one summary line per document). */
        public Builder lines(InvoiceLineSource lines) {
            this.lines = Objects.requireNonNull(lines, "lines");
            return this;
        }

        /**
         * The language for customers without a document locale the portal speaks (default English); one of
         * {@link PortalLocales#SUPPORTED}, or a locale that maps onto one (e.g. {@code fr-CA}).
         *
         * @throws IllegalArgumentException for a language the portal does not speak
         */
        public Builder defaultLocale(Locale defaultLocale) {
            Objects.requireNonNull(defaultLocale, "defaultLocale");
            this.defaultLocale = PortalLocales.match(defaultLocale).orElseThrow(() -> new IllegalArgumentException(
                    "defaultLocale must be one of " + PortalLocales.SUPPORTED + ", was " + defaultLocale));
            return this;
        }

        /** The clock that decides "today", and so whether an invoice is overdue (default: the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The page size (default {@link PaperSize#A4}). */
        public Builder paperSize(PaperSize paperSize) {
            this.paperSize = Objects.requireNonNull(paperSize, "paperSize");
            return this;
        }

        /**
         * An existing directory for the rendered files and PDFBox's cache (default: {@code java.io.tmpdir}).
         *
         * @throws IllegalArgumentException when it is not an existing directory
         */
        public Builder tempDirectory(Path tempDirectory) {
            Objects.requireNonNull(tempDirectory, "tempDirectory");
            if (!Files.isDirectory(tempDirectory)) {
                throw new IllegalArgumentException("tempDirectory must be an existing directory, was " + tempDirectory);
            }
            this.tempDirectory = tempDirectory;
            return this;
        }

        /**
         * Builds the store.
         *
         * @throws IllegalStateException when the seller is missing
         */
        public PdfInvoiceDocumentStore build() {
            if (seller == null) {
                throw new IllegalStateException("PdfInvoiceDocumentStore is missing required settings: seller");
            }
            return new PdfInvoiceDocumentStore(this);
        }
    }
}
