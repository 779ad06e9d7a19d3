package dev.billingportal.pdf.internal;

import java.text.Normalizer;

/** Safe download file names. Internal: see {@link dev.billingportal.pdf.PdfInvoiceDocumentStore#fileName}. */
public final class FileNames {
    /** Used when nothing printable is left of the invoice number. */
    public static final String FALLBACK = "invoice";
    /** Longest name kept, in code points, before the extension: file systems allow 255 bytes, and UTF-8 takes up to four per code point. */
    public static final int MAX_CODE_POINTS = 60;

    /** Characters that separate paths or are refused by common file systems (Windows above all). */
    private static final String FORBIDDEN = "/\\:*?\"<>|";

    private FileNames() {
    }

    /**
     * {@code number} made safe as a file name, plus {@code extension}: Unicode letters stay, while path
     * separators, characters Windows refuses, control and invisible formatting characters (such as the
     * right-to-left override that makes {@code cod.pdf} look like {@code fdp.doc}) become {@code _}; leading
     * and trailing dots and blanks go, so the name can be neither hidden nor a parent directory.
     */
    public static String of(String number, String extension) {
        StringBuilder name = new StringBuilder();
        Normalizer.normalize(number == null ? "" : number, Normalizer.Form.NFC).codePoints().limit(MAX_CODE_POINTS)
                .forEach(cp -> name.appendCodePoint(allowed(cp) ? cp : '_'));
        String trimmed = trim(name.toString());
        return (trimmed.isEmpty() ? FALLBACK : trimmed) + extension;
    }

    private static boolean allowed(int cp) {
        int type = Character.getType(cp);
        return FORBIDDEN.indexOf(cp) < 0 && !Character.isISOControl(cp) && type != Character.FORMAT
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
                && type != Character.SURROGATE && type != Character.PRIVATE_USE && type != Character.UNASSIGNED;
    }

    private static String trim(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && isTrimmed(name.charAt(start))) {
            start++;
        }
        while (end > start && isTrimmed(name.charAt(end - 1))) {
            end--;
        }
        return name.substring(start, end);
    }

    private static boolean isTrimmed(char c) {
        return c == '.' || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
