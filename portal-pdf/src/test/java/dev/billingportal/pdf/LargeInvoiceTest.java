package dev.billingportal.pdf;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A 1,000-line invoice: paginated with the table header on every page, rendered in flat memory. */
class LargeInvoiceTest {
    private static final int LINES = 1_000;
    /**
     * Single-line rows on a continuation page of A4: the table runs from 24 pt below the top margin, less the
     * 18 pt header row, down to the footer (48 pt margin + 22 pt), and each row takes 11.5 pt of text plus 2 × 4 pt
     * padding: floor((841.89 - 48 - 24 - 18 - 70 - 8) / 19.5) + 1 = 34.
     */
    private static final int ROWS_PER_CONTINUATION_PAGE = 34;
    private static final Pattern ROW = Pattern.compile("^Line (\\d+) ", Pattern.MULTILINE);

    @TempDir
    Path temp;

    private final Customer customer = Fixtures.customer("Big Corp", Locale.ENGLISH);
    private final Invoice invoice = Fixtures.invoice(customer, "INV-BIG", 1_000_000, 0, "USD").build();

    private static InvoiceLine line(int n) {
        return Fixtures.line("Line " + n + " — Ωmega, Подписка, 請求", "1", 1_000, 1_000, "USD", "0");
    }

    @Test
    void thousandLinesArePaginatedWithTheTableHeaderAndPageNumberOnEveryPage() throws IOException {
        PdfInvoiceDocumentStore store = Fixtures.store().lines(i -> IntStream.rangeClosed(1, LINES).mapToObj(LargeInvoiceTest::line)).build();
        Path file = temp.resolve("big.pdf");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.render(customer, invoice, out);
        }

        try (PDDocument document = Loader.loadPDF(file.toFile())) {
            int pages = document.getNumberOfPages();
            List<Integer> rowsPerPage = new ArrayList<>();
            List<Integer> seen = new ArrayList<>();
            PDFTextStripper stripper = new PDFTextStripper();
            for (int page = 1; page <= pages; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String text = stripper.getText(document);
                assertThat(text).as("page %d", page).contains("Description Qty Unit price Tax Amount", "Page " + page + "/" + pages);
                if (page > 1) {
                    assertThat(text).as("page %d", page).contains("Invoice INV-BIG (continued)");
                }
                Matcher rows = ROW.matcher(text);
                int count = 0;
                while (rows.find()) {
                    seen.add(Integer.parseInt(rows.group(1)));
                    count++;
                }
                rowsPerPage.add(count);
            }
            int firstPage = rowsPerPage.get(0);
            int expectedPages = 1 + (int) Math.ceil((LINES - firstPage) / (double) ROWS_PER_CONTINUATION_PAGE);
            assertThat(pages).isEqualTo(expectedPages).isEqualTo(30);
            assertThat(rowsPerPage.subList(1, pages - 1)).allMatch(n -> n == ROWS_PER_CONTINUATION_PAGE);
            assertThat(seen).isEqualTo(IntStream.rangeClosed(1, LINES).boxed().toList());
            stripper.setStartPage(pages);
            stripper.setEndPage(pages);
            assertThat(stripper.getText(document)).contains("Amount due $10,000.00");
        }
    }

    @Test
    void renderingThousandLinesKeepsNoLineAndTheHeapFlat() throws IOException {
        render(10); // loads classes and the shared fonts, which stay for the JVM's life

        Probe hundred = render(100);
        Probe thousand = render(LINES);

        // Each line is released once drawn: at the end of the stream, at most the one being drawn is still reachable.
        assertThat(thousand.linesStillReachable).isLessThanOrEqualTo(1);
        // What stays is the page tree (about 5 KB a page for PDFBox's per-stream buffer), not the lines, the
        // content (in the temp-file cache) or a copy of a font (the CJK ones are 5 to 7 MB each).
        assertThat(thousand.heapGrowth).isLessThan(3L * 1024 * 1024);
        assertThat(thousand.heapGrowth - hundred.heapGrowth).as("growth for 900 more lines").isLessThan(900L * 1024);
    }

    private record Probe(long heapGrowth, long linesStillReachable) {
    }

    /** Renders {@code count} lines, measuring at the moment the renderer closes the line stream (all lines drawn). */
    private Probe render(int count) throws IOException {
        List<WeakReference<InvoiceLine>> produced = new ArrayList<>(count);
        long[] atEnd = new long[2];
        PdfInvoiceDocumentStore store = Fixtures.store().lines(i -> IntStream.rangeClosed(1, count).mapToObj(n -> {
            InvoiceLine line = line(n);
            produced.add(new WeakReference<>(line));
            return line;
        }).onClose(() -> {
            atEnd[0] = usedHeapAfterGc();
            atEnd[1] = produced.stream().filter(ref -> ref.get() != null).count();
        })).build();
        long before = usedHeapAfterGc();
        store.render(customer, invoice, OutputStream.nullOutputStream());
        return new Probe(atEnd[0] - before, atEnd[1]);
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
