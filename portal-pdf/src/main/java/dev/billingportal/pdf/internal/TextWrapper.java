package dev.billingportal.pdf.internal;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Breaks text into lines that fit a width, where the language allows a break: between words for scripts
 * with spaces, between most characters for Chinese and Japanese (the JDK's line-break rules). A word wider
 * than the whole width is cut between characters. A {@code \n} always starts a new line.
 */
final class TextWrapper {
    private TextWrapper() {
    }

    static List<String> wrap(String text, float maxWidth, float size, FontChain fonts, Locale locale) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            wrapParagraph(FontChain.clean(paragraph).strip(), maxWidth, size, fonts, locale, lines);
        }
        // Trailing empty lines only add height.
        while (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static void wrapParagraph(String paragraph, float maxWidth, float size, FontChain fonts, Locale locale,
                                      List<String> lines) {
        if (paragraph.isEmpty()) {
            lines.add("");
            return;
        }
        BreakIterator breaks = BreakIterator.getLineInstance(locale);
        breaks.setText(paragraph);
        StringBuilder line = new StringBuilder();
        float lineWidth = 0;
        int start = breaks.first();
        for (int end = breaks.next(); end != BreakIterator.DONE; start = end, end = breaks.next()) {
            String segment = paragraph.substring(start, end);
            // Widths add up (no kerning), so a line is measured once per segment, not once per try.
            float visible = fonts.width(segment.stripTrailing(), size);
            if (lineWidth + visible <= maxWidth) {
                line.append(segment);
                lineWidth += fonts.width(segment, size);
                continue;
            }
            if (line.length() > 0) {
                lines.add(line.toString().stripTrailing());
                line.setLength(0);
                lineWidth = 0;
            }
            while (fonts.width(segment.stripTrailing(), size) > maxWidth) {
                int cut = fittingPrefix(segment, maxWidth, size, fonts);
                lines.add(segment.substring(0, cut));
                segment = segment.substring(cut);
            }
            line.append(segment);
            lineWidth = fonts.width(segment, size);
        }
        if (line.length() > 0) {
            lines.add(line.toString().stripTrailing());
        }
    }

    /** Length of the longest prefix that fits; at least one code point, so wrapping always advances. */
    private static int fittingPrefix(String segment, float maxWidth, float size, FontChain fonts) {
        int end = segment.offsetByCodePoints(0, 1);
        float width = fonts.width(segment.substring(0, end), size);
        while (end < segment.length()) {
            int next = segment.offsetByCodePoints(end, 1);
            float w = fonts.width(segment.substring(end, next), size);
            if (width + w > maxWidth) {
                break;
            }
            width += w;
            end = next;
        }
        return end;
    }
}
