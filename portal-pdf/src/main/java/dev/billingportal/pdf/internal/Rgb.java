package dev.billingportal.pdf.internal;

/** A colour as PDF wants it: red, green and blue from 0 to 1. */
record Rgb(float r, float g, float b) {
    static final Rgb TEXT = hex(0x1f2328);
    static final Rgb MUTED = hex(0x6b7280);
    static final Rgb RULE = hex(0xd1d5db);
    static final Rgb HEADER_FILL = hex(0xf3f4f6);
    static final Rgb PAID = hex(0x15803d);
    static final Rgb ALERT = hex(0xb91c1c);

    static Rgb hex(int rgb) {
        return new Rgb(((rgb >> 16) & 0xff) / 255f, ((rgb >> 8) & 0xff) / 255f, (rgb & 0xff) / 255f);
    }
}
