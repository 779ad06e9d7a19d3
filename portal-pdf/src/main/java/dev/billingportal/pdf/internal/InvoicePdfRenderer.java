package dev.billingportal.pdf.internal;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.pdf.InvoiceLine;
import dev.billingportal.pdf.InvoiceLineSource;
import dev.billingportal.pdf.PaperSize;
import dev.billingportal.pdf.Seller;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Renders one invoice as a PDF. Internal: use {@link dev.billingportal.pdf.PdfInvoiceDocumentStore}.
 *
 * <p>Memory stays flat whatever the number of lines: lines are streamed from the source and drawn as they
 * come, every page's content goes to PDFBox's temp-file cache as soon as the page is done, and the document is
 * written straight to the caller's stream. Thread-safe: each call works on its own document.
 */
public final class InvoicePdfRenderer {
    private final Seller seller;
    private final PaperSize paper;
    private final Path tempDirectory;

    /**
     * A renderer for {@code seller}'s invoices.
     *
     * @param seller        printed on every document
     * @param paper         the page size
     * @param tempDirectory where PDFBox's cache files go, or null for {@code java.io.tmpdir}
     */
    public InvoicePdfRenderer(Seller seller, PaperSize paper, Path tempDirectory) {
        this.seller = Objects.requireNonNull(seller, "seller");
        this.paper = Objects.requireNonNull(paper, "paper");
        this.tempDirectory = tempDirectory;
    }

    /**
     * Writes the PDF of {@code invoice} to {@code out} (which stays open).
     *
     * @param customer the invoice's customer, printed as the billed party
     * @param invoice  the invoice
     * @param locale   a supported portal locale: the document's language and number formats
     * @param today    the customer's date, which decides whether the invoice is overdue
     * @param lines    where the invoice's lines come from; its stream is closed before this returns
     * @param out      receives the PDF
     * @throws IOException when the PDF cannot be written
     */
    public void render(Customer customer, Invoice invoice, Locale locale, LocalDate today, InvoiceLineSource lines,
                       OutputStream out) throws IOException {
        MemoryUsageSetting cache = MemoryUsageSetting.setupTempFileOnly();
        if (tempDirectory != null) {
            cache.setTempDir(tempDirectory.toFile());
        }
        try (PDDocument document = new PDDocument(cache.streamCache);
             InvoiceLayout layout = new InvoiceLayout(document, paper, locale, seller, customer, invoice, today)) {
            layout.describe();
            layout.begin();
            // Closed as soon as the lines are drawn: a cursor behind the stream is not held during the save.
            try (Stream<InvoiceLine> stream = Objects.requireNonNull(lines.lines(invoice), "lines of " + invoice.id())) {
                Iterator<InvoiceLine> iterator = stream.iterator();
                while (iterator.hasNext()) {
                    layout.line(iterator.next());
                }
            }
            layout.end();
            document.save(out);
        }
    }
}
