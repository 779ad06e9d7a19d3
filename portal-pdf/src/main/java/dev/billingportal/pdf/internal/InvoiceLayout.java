package dev.billingportal.pdf.internal;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceType;
import dev.billingportal.core.i18n.MoneyFormat;
import dev.billingportal.pdf.InvoiceLine;
import dev.billingportal.pdf.PaperSize;
import dev.billingportal.pdf.Seller;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState;

import java.io.IOException;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out one invoice: a header with seller, invoice facts and customer on the first page, the lines as a
 * table that continues over as many pages as needed (its header repeated on each), the totals, then page
 * numbers and, for a void invoice, a watermark on every page. Lines are drawn as they arrive and not kept.
 * One instance per rendering: {@link #begin}, {@link #line} for each line, {@link #end}.
 */
final class InvoiceLayout implements AutoCloseable {
    private static final float MARGIN = 48f;
    private static final float FOOTER_HEIGHT = 22f;
    private static final float BODY = 9f;
    private static final float SMALL = 8f;
    private static final float LEADING = 11.5f;
    private static final float CELL_PAD = 4f;
    private static final float HEADER_ROW = 18f;
    private static final float MIN_TEXT = 5f;
    private static final float LOGO_MAX_WIDTH = 150f;
    private static final float LOGO_MAX_HEIGHT = 48f;
    private static final String FOOTER_SEPARATOR = " · ";

    private final PDDocument document;
    private final PdfCanvas canvas;
    private final PdfMessages messages;
    private final Locale locale;
    private final Seller seller;
    private final Customer customer;
    private final Invoice invoice;
    private final DocumentStatus status;
    private final PaperSize paper;

    private final float left;
    private final float right;
    private final float top;
    private final float bottom;
    // Table columns: right edges of the numeric ones, the description's width.
    private final float descriptionWidth;
    private final float quantityRight;
    private final float unitRight;
    private final float taxRight;
    private final float amountRight;

    private float y;
    private long lines;

    InvoiceLayout(PDDocument document, PaperSize paper, Locale locale, Seller seller, Customer customer,
                  Invoice invoice, LocalDate today) {
        this.document = document;
        this.paper = paper;
        this.locale = locale;
        this.seller = seller;
        this.customer = customer;
        this.invoice = invoice;
        this.messages = new PdfMessages(locale);
        this.status = DocumentStatus.of(invoice, today);
        this.canvas = new PdfCanvas(document, paper, new FontChain(document, locale));
        this.left = MARGIN;
        this.right = paper.width() - MARGIN;
        this.top = paper.height() - MARGIN;
        this.bottom = MARGIN + FOOTER_HEIGHT;
        this.amountRight = right;
        this.taxRight = amountRight - 92f;
        this.unitRight = taxRight - 46f;
        this.quantityRight = unitRight - 88f;
        this.descriptionWidth = quantityRight - 46f - left;
    }

    /** Draws the first page's header and the table header: call first. */
    void begin() throws IOException {
        firstPageHeader();
        tableHeader();
    }

    /** Draws one line of the table, on a new page when it does not fit. */
    void line(InvoiceLine line) throws IOException {
        row(line);
        lines++;
    }

    /** Draws the totals, page numbers and watermarks: call last. */
    void end() throws IOException {
        if (lines == 0) {
            row(summaryLine());
        }
        totals();
        finishPages();
        canvas.close();
    }

    /** Closes the page being drawn, also when rendering failed half-way. */
    @Override
    public void close() throws IOException {
        canvas.close();
    }

    /** Sets the title, author and language a reader or screen reader shows. */
    void describe() {
        var info = document.getDocumentInformation();
        info.setTitle(messages.get("document.title") + " " + invoice.number());
        info.setAuthor(seller.legalName());
        info.setCreator("Billing Portal");
        document.getDocumentCatalog().setLanguage(locale.toLanguageTag());
    }

    // ---- first page ----

    private void firstPageHeader() throws IOException {
        canvas.newPage();
        float columnRight = left + (right - left) * 0.5f;
        float sellerY = top;
        byte[] logo = seller.logo();
        if (logo != null) {
            PDImageXObject image = PDImageXObject.createFromByteArray(document, logo, "logo");
            float scale = Math.min(1f, Math.min(LOGO_MAX_WIDTH / image.getWidth(), LOGO_MAX_HEIGHT / image.getHeight()));
            float w = image.getWidth() * scale;
            float h = image.getHeight() * scale;
            canvas.image(image, left, sellerY - h, w, h);
            sellerY -= h + 10f;
        }
        sellerY = block(left, columnRight - 12f, sellerY, seller.legalName(), 11f,
                AddressLines.of(seller.address(), locale), seller.taxId(), seller.email());

        float factsLeft = left + (right - left) * 0.55f;
        canvas.textRight(right, top - 20f, messages.get("document.title"), 20f, Rgb.TEXT, true);
        float factsY = top - 40f;
        factsY = fact(factsLeft, factsY, messages.get("label.invoice_number"), invoice.number(), Rgb.TEXT);
        factsY = fact(factsLeft, factsY, messages.get("label.issue_date"), MoneyFormat.format(invoice.issuingDate(), locale), Rgb.TEXT);
        factsY = fact(factsLeft, factsY, messages.get("label.due_date"), MoneyFormat.format(invoice.paymentDueDate(), locale), Rgb.TEXT);
        factsY = fact(factsLeft, factsY, messages.get("label.status"), messages.get(status.labelKey), status.color);

        y = Math.min(sellerY, factsY) - 16f;
        canvas.text(left, y - SMALL, messages.get("label.bill_to"), SMALL, Rgb.MUTED, false);
        y -= SMALL + 5f;
        y = block(left, columnRight - 12f, y, customerName(), 10f,
                AddressLines.of(customer.billingAddress(), locale), customer.taxId(), customer.email());
        y -= 16f;
    }

    /** A name (bold), address lines, tax id and e-mail, wrapped to the column; returns the y below it. */
    private float block(float x, float maxX, float startY, String name, float nameSize, List<String> address,
                        String taxId, String email) throws IOException {
        float width = maxX - x;
        float at = startY;
        for (String line : TextWrapper.wrap(name, width, nameSize, canvas.fonts(), locale)) {
            canvas.text(x, at - nameSize, line, nameSize, Rgb.TEXT, true);
            at -= nameSize + 4f;
        }
        List<String> lines = new ArrayList<>(address);
        if (taxId != null && !taxId.isBlank()) {
            lines.add(messages.get("label.tax_id") + " " + taxId);
        }
        if (email != null) {
            lines.add(email);
        }
        for (String line : lines) {
            for (String part : TextWrapper.wrap(line, width, BODY, canvas.fonts(), locale)) {
                canvas.text(x, at - BODY, part, BODY, Rgb.TEXT, false);
                at -= LEADING;
            }
        }
        return at;
    }

    /** One "label ... value" line of the invoice facts; a long value wraps, right-aligned. */
    private float fact(float x, float at, String label, String value, Rgb color) throws IOException {
        canvas.text(x, at - BODY, label, SMALL, Rgb.MUTED, false);
        float valueWidth = right - x - canvas.width(label, SMALL) - 10f;
        for (String part : TextWrapper.wrap(value, valueWidth, BODY, canvas.fonts(), locale)) {
            canvas.textRight(right, at - BODY, part, BODY, color, color != Rgb.TEXT);
            at -= LEADING + 2f;
        }
        return at;
    }

    private String customerName() {
        if (customer.legalName() != null && !customer.legalName().isBlank()) {
            return customer.legalName();
        }
        if (customer.name() != null && !customer.name().isBlank()) {
            return customer.name();
        }
        return customer.externalId();
    }

    // ---- lines ----

    private void tableHeader() throws IOException {
        canvas.fill(left, y - HEADER_ROW, right - left, HEADER_ROW, Rgb.HEADER_FILL);
        float baseline = y - HEADER_ROW + 6f;
        fitted(left + CELL_PAD, baseline, messages.get("table.description"), descriptionWidth - 2 * CELL_PAD, false);
        fittedRight(quantityRight - CELL_PAD, baseline, messages.get("table.quantity"), quantityRight - (left + descriptionWidth) - 2 * CELL_PAD);
        fittedRight(unitRight - CELL_PAD, baseline, messages.get("table.unit_price"), unitRight - quantityRight - 2 * CELL_PAD);
        fittedRight(taxRight - CELL_PAD, baseline, messages.get("table.tax_rate"), taxRight - unitRight - 2 * CELL_PAD);
        fittedRight(amountRight - CELL_PAD, baseline, messages.get("table.amount"), amountRight - taxRight - 2 * CELL_PAD);
        y -= HEADER_ROW;
    }

    private void fitted(float x, float baseline, String text, float maxWidth, boolean bold) throws IOException {
        canvas.text(x, baseline, text, fit(text, SMALL, maxWidth), Rgb.TEXT, bold);
    }

    private void fittedRight(float rightX, float baseline, String text, float maxWidth) throws IOException {
        canvas.textRight(rightX, baseline, text, fit(text, SMALL, maxWidth), Rgb.TEXT, false);
    }

    /** {@code size}, or smaller so that {@code text} fits {@code maxWidth}: an amount is never cut. */
    private float fit(String text, float size, float maxWidth) {
        float width = canvas.width(text, size);
        return width <= maxWidth ? size : Math.max(MIN_TEXT, size * maxWidth / width);
    }

    private void row(InvoiceLine line) throws IOException {
        List<String> description = TextWrapper.wrap(line.description(), descriptionWidth - 2 * CELL_PAD, BODY,
                canvas.fonts(), locale);
        int drawn = 0;
        while (drawn < description.size()) {
            int remaining = description.size() - drawn;
            int fits = rowsThatFit(y);
            if (fits < remaining && (remaining <= rowsOnContinuationPage() || fits < 1)) {
                continuationPage(true);
                continue;
            }
            int count = Math.min(fits, remaining);
            float baseline = y - CELL_PAD - BODY;
            for (int i = 0; i < count; i++) {
                canvas.text(left + CELL_PAD, baseline - i * LEADING, description.get(drawn + i), BODY, Rgb.TEXT, false);
            }
            if (drawn == 0) {
                numbers(line, baseline);
            }
            drawn += count;
            y -= count * LEADING + 2 * CELL_PAD;
            canvas.horizontalRule(left, right, y, Rgb.RULE, 0.5f);
        }
    }

    private void numbers(InvoiceLine line, float baseline) throws IOException {
        cell(quantityRight, quantityRight - (left + descriptionWidth), quantity(line.quantity()), baseline);
        cell(unitRight, unitRight - quantityRight, MoneyFormat.format(line.unitAmount(), locale), baseline);
        cell(taxRight, taxRight - unitRight, line.taxRate() == null ? "" : percent(line.taxRate()), baseline);
        cell(amountRight, amountRight - taxRight, MoneyFormat.format(line.amount(), locale), baseline);
    }

    private void cell(float rightEdge, float width, String text, float baseline) throws IOException {
        canvas.textRight(rightEdge - CELL_PAD, baseline, text, fit(text, BODY, width - 2 * CELL_PAD), Rgb.TEXT, false);
    }

    private int rowsThatFit(float fromY) {
        return (int) Math.floor((fromY - bottom - 2 * CELL_PAD) / LEADING);
    }

    private int rowsOnContinuationPage() {
        return rowsThatFit(continuationStart() - HEADER_ROW);
    }

    private float continuationStart() {
        return top - 24f;
    }

    private void continuationPage(boolean withTableHeader) throws IOException {
        canvas.newPage();
        canvas.text(left, top - BODY, messages.format("document.continued", invoice.number()), BODY, Rgb.MUTED, false);
        y = continuationStart();
        if (withTableHeader) {
            tableHeader();
        }
    }

    /** What a document without lines shows: the invoice's kind, once, for its subtotal. */
    private InvoiceLine summaryLine() {
        return InvoiceLine.of(messages.get(typeKey(invoice.type())), BigDecimal.ONE, invoice.subtotal(), invoice.subtotal());
    }

    private static String typeKey(InvoiceType type) {
        return switch (type) {
            case SUBSCRIPTION -> "type.subscription";
            case ADD_ON -> "type.add_on";
            case CREDIT -> "type.credit";
            case ONE_OFF -> "type.one_off";
            case PROGRESSIVE_BILLING -> "type.progressive_billing";
        };
    }

    private String quantity(BigDecimal quantity) {
        NumberFormat format = NumberFormat.getNumberInstance(locale);
        format.setMaximumFractionDigits(Math.min(6, Math.max(0, quantity.stripTrailingZeros().scale())));
        return format.format(quantity);
    }

    private String percent(BigDecimal rate) {
        NumberFormat format = NumberFormat.getPercentInstance(locale);
        format.setMaximumFractionDigits(Math.min(4, Math.max(0, rate.stripTrailingZeros().scale())));
        return format.format(rate.movePointLeft(2));
    }

    // ---- totals ----

    private void totals() throws IOException {
        // A void invoice is owed nothing: printing its former amount due would contradict the watermark.
        boolean due = status != DocumentStatus.VOIDED;
        float height = 12f + 3 * (LEADING + 4f) + 8f + (due ? LEADING + 8f : 0f);
        if (y - height < bottom) {
            continuationPage(false);
        }
        float labelX = left + (right - left) * 0.5f;
        float at = y - 12f;
        at = total(labelX, at, messages.get("totals.subtotal"), MoneyFormat.format(invoice.subtotal(), locale), BODY, false);
        at = total(labelX, at, messages.get("totals.taxes"), MoneyFormat.format(invoice.taxes(), locale), BODY, false);
        canvas.horizontalRule(labelX, right, at + 3f, Rgb.TEXT, 0.75f);
        at -= 4f;
        at = total(labelX, at, messages.get("totals.total"), MoneyFormat.format(invoice.total(), locale), BODY, true);
        if (due) {
            at -= 4f;
            at = total(labelX, at, messages.get("totals.amount_due"), MoneyFormat.format(invoice.amountDue(), locale), 11f, true);
        }
        y = at;
    }

    private float total(float labelX, float at, String label, String value, float size, boolean bold) throws IOException {
        // Label before value, so that copied or extracted text reads "Total 12.00", not "12.00Total".
        canvas.text(labelX, at - size, label, fit(label, size, (right - labelX) * 0.5f - 8f), Rgb.TEXT, bold);
        canvas.textRight(right - CELL_PAD, at - size, value, fit(value, size, (right - labelX) * 0.5f), Rgb.TEXT, bold);
        return at - (size + 6f);
    }

    // ---- every page ----

    private void finishPages() throws IOException {
        int count = document.getNumberOfPages();
        String footer = seller.legalName() + FOOTER_SEPARATOR + invoice.number();
        int number = 1;
        for (PDPage page : document.getPages()) {
            canvas.reopen(page);
            if (status == DocumentStatus.VOIDED) {
                watermark();
            }
            canvas.horizontalRule(left, right, MARGIN + 12f, Rgb.RULE, 0.5f);
            String pageNumber = messages.format("page.number", number, count);
            float pageWidth = canvas.width(pageNumber, SMALL);
            canvas.text(left, MARGIN, footer, fit(footer, SMALL, right - left - pageWidth - 16f), Rgb.MUTED, false);
            canvas.textRight(right, MARGIN, pageNumber, SMALL, Rgb.MUTED, false);
            number++;
        }
    }

    private void watermark() throws IOException {
        String text = messages.get("watermark.voided").toUpperCase(locale);
        double angle = Math.atan2(paper.height(), paper.width());
        float diagonal = (float) Math.hypot(paper.width(), paper.height());
        float size = Math.min(96f, 96f * diagonal * 0.6f / Math.max(1f, canvas.width(text, 96f)));
        float width = canvas.width(text, size);
        float cos = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        // Centre the text on the page's diagonal: back half its width along it, and half its height across it.
        float x = paper.width() / 2 - cos * width / 2 + sin * size * 0.35f;
        float y0 = paper.height() / 2 - sin * width / 2 - cos * size * 0.35f;
        PDExtendedGraphicsState translucent = new PDExtendedGraphicsState();
        translucent.setNonStrokingAlphaConstant(0.18f);
        canvas.stream().saveGraphicsState();
        canvas.stream().setGraphicsStateParameters(translucent);
        canvas.rotatedText(x, y0, (float) Math.toDegrees(angle), text, size, Rgb.ALERT);
        canvas.stream().restoreGraphicsState();
    }
}
