package dev.billingportal.pdf.internal;

import dev.billingportal.pdf.PaperSize;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.apache.pdfbox.util.Matrix;

import java.io.IOException;

/**
 * Draws on the pages of one document, one page at a time: a page's content stream is closed (and so written
 * to PDFBox's temp-file cache) as soon as the next page starts, so memory does not grow with the page count.
 * Coordinates are PDF points from the bottom-left corner. Not thread-safe.
 */
final class PdfCanvas implements AutoCloseable {
    /** Stroke width of simulated bold, relative to the font size: one regular weight serves all scripts. */
    private static final float BOLD_STROKE = 0.035f;

    private final PDDocument document;
    private final PaperSize paper;
    private final FontChain fonts;
    private PDPageContentStream stream;

    PdfCanvas(PDDocument document, PaperSize paper, FontChain fonts) {
        this.document = document;
        this.paper = paper;
        this.fonts = fonts;
    }

    /** Finishes the current page, if any, and starts a new one. */
    void newPage() throws IOException {
        close();
        PDPage page = new PDPage(new PDRectangle(paper.width(), paper.height()));
        document.addPage(page);
        stream = new PDPageContentStream(document, page);
    }

    /** Opens {@code page} again to draw over what it holds (footers, watermarks). */
    void reopen(PDPage page) throws IOException {
        close();
        stream = new PDPageContentStream(document, page, PDPageContentStream.AppendMode.APPEND, true, true);
    }

    FontChain fonts() {
        return fonts;
    }

    float width(String text, float size) {
        return fonts.width(text, size);
    }

    /** Draws {@code text} with its baseline starting at ({@code x}, {@code y}). */
    void text(float x, float y, String text, float size, Rgb color, boolean bold) throws IOException {
        if (text.isEmpty()) {
            return;
        }
        stream.beginText();
        stream.setNonStrokingColor(color.r(), color.g(), color.b());
        if (bold) {
            stream.setStrokingColor(color.r(), color.g(), color.b());
            stream.setLineWidth(size * BOLD_STROKE);
            stream.setRenderingMode(RenderingMode.FILL_STROKE);
        }
        stream.newLineAtOffset(x, y);
        fonts.show(stream, text, size);
        if (bold) {
            stream.setRenderingMode(RenderingMode.FILL);
        }
        stream.endText();
    }

    /** Draws {@code text} so that it ends at {@code right}. */
    void textRight(float right, float y, String text, float size, Rgb color, boolean bold) throws IOException {
        text(right - width(text, size), y, text, size, color, bold);
    }

    /** Draws {@code text} along a line through ({@code x}, {@code y}) at {@code degrees}. */
    void rotatedText(float x, float y, float degrees, String text, float size, Rgb color) throws IOException {
        stream.beginText();
        stream.setNonStrokingColor(color.r(), color.g(), color.b());
        stream.setTextMatrix(Matrix.getRotateInstance(Math.toRadians(degrees), x, y));
        fonts.show(stream, text, size);
        stream.endText();
    }

    void horizontalRule(float x1, float x2, float y, Rgb color, float lineWidth) throws IOException {
        stream.setStrokingColor(color.r(), color.g(), color.b());
        stream.setLineWidth(lineWidth);
        stream.moveTo(x1, y);
        stream.lineTo(x2, y);
        stream.stroke();
    }

    void fill(float x, float y, float width, float height, Rgb color) throws IOException {
        stream.setNonStrokingColor(color.r(), color.g(), color.b());
        stream.addRect(x, y, width, height);
        stream.fill();
    }

    void image(PDImageXObject image, float x, float y, float width, float height) throws IOException {
        stream.drawImage(image, x, y, width, height);
    }

    PDPageContentStream stream() {
        return stream;
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }
}
