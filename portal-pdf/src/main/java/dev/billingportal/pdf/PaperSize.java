package dev.billingportal.pdf;

/** The page size of the rendered documents. */
public enum PaperSize {
    /** ISO A4, 210 × 297 mm: everywhere but North America. */
    A4(595.28f, 841.89f),
    /** US Letter, 8.5 × 11 in. */
    LETTER(612f, 792f);

    private final float width;
    private final float height;

    PaperSize(float width, float height) {
        this.width = width;
        this.height = height;
    }

    /** Width in PDF points (1/72 inch). */
    public float width() {
        return width;
    }

    /** Height in PDF points (1/72 inch). */
    public float height() {
        return height;
    }
}
