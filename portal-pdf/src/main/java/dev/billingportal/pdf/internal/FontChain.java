package dev.billingportal.pdf.internal;

import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fonts of one document, tried in order for each character: Noto Sans first (Latin, Greek, Cyrillic),
 * then the CJK font of the document's language, then the other CJK font. Japanese documents prefer Japanese
 * glyph forms for Han characters, all others Traditional Chinese ones (the one CJK language the portal
 * speaks besides Japanese).
 *
 * <p>A font is embedded (as a subset of the glyphs used) only when the document draws a character with it,
 * so a Latin-only invoice carries one small font. Not thread-safe: one chain per document.
 */
final class FontChain {

    /** Drawn for a character no bundled font has, so that the rest of the text still renders. */
    private static final int REPLACEMENT = '?';

    /** One font of the chain. */
    private final class Slot {
        final TrueTypeFont ttf;
        final CmapLookup cmap;
        final float scale;
        final Map<Integer, Float> widths = new HashMap<>();
        PDType0Font pdf;

        Slot(BundledFonts.Face face) {
            this.ttf = BundledFonts.get(face);
            try {
                this.cmap = ttf.getUnicodeCmapLookup();
                this.scale = 1000f / ttf.getUnitsPerEm();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean has(int codePoint) {
            return cmap.getGlyphId(codePoint) != 0;
        }

        /** Advance width in text space units (1/1000 of the font size). */
        float width(int codePoint) {
            return widths.computeIfAbsent(codePoint, cp -> {
                try {
                    return ttf.getAdvanceWidth(cmap.getGlyphId(cp)) * scale;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        PDType0Font font() throws IOException {
            if (pdf == null) {
                pdf = PDType0Font.load(document, ttf, true);
            }
            return pdf;
        }
    }

    /** A stretch of text drawn with one font. */
    private record Run(Slot slot, String text) {
    }

    private final PDDocument document;
    private final List<Slot> slots = new ArrayList<>();
    private final List<BundledFonts.Face> cjkOrder;

    FontChain(PDDocument document, Locale locale) {
        this.document = document;
        slots.add(new Slot(BundledFonts.Face.LATIN));
        boolean japanese = "ja".equals(locale.getLanguage());
        // The CJK faces load lazily (see slot()), so a document that never needs them never parses them.
        cjkOrder = japanese
                ? List.of(BundledFonts.Face.JAPANESE, BundledFonts.Face.TRADITIONAL_CHINESE)
                : List.of(BundledFonts.Face.TRADITIONAL_CHINESE, BundledFonts.Face.JAPANESE);
    }

    /** Width of {@code text} at {@code size} points, as {@link #show} draws it. */
    float width(String text, float size) {
        float width = 0;
        for (Run run : runs(text)) {
            for (int i = 0; i < run.text.length(); ) {
                int cp = run.text.codePointAt(i);
                width += run.slot.width(cp);
                i += Character.charCount(cp);
            }
        }
        return width * size / 1000f;
    }

    /** Draws {@code text} at the current text position; call between beginText and endText. */
    void show(PDPageContentStream stream, String text, float size) throws IOException {
        for (Run run : runs(text)) {
            stream.setFont(run.slot.font(), size);
            stream.showText(run.text);
        }
    }

    /** What {@link #show} draws for {@code text}: NFC, control characters as spaces, unknown characters as '?'. */
    static String clean(String text) {
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(nfc.length());
        nfc.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return out.toString();
    }

    private List<Run> runs(String text) {
        String clean = clean(text);
        List<Run> runs = new ArrayList<>(2);
        Slot current = null;
        StringBuilder pending = new StringBuilder();
        for (int i = 0; i < clean.length(); ) {
            int cp = clean.codePointAt(i);
            i += Character.charCount(cp);
            Slot slot;
            // A space stays in the current font when it can, so "株式会社 山田" is one run, not three.
            if (current != null && Character.isSpaceChar(cp) && current.has(cp)) {
                slot = current;
            } else {
                slot = slotFor(cp);
                if (slot == null) {
                    cp = REPLACEMENT;
                    slot = slots.get(0);
                }
            }
            if (slot != current && pending.length() > 0) {
                runs.add(new Run(current, pending.toString()));
                pending.setLength(0);
            }
            current = slot;
            pending.appendCodePoint(cp);
        }
        if (pending.length() > 0) {
            runs.add(new Run(current, pending.toString()));
        }
        return runs;
    }

    private Slot slotFor(int codePoint) {
        for (Slot slot : slots) {
            if (slot.has(codePoint)) {
                return slot;
            }
        }
        // Load the next CJK face only when a character needs one.
        while (slots.size() - 1 < cjkOrder.size()) {
            Slot slot = new Slot(cjkOrder.get(slots.size() - 1));
            slots.add(slot);
            if (slot.has(codePoint)) {
                return slot;
            }
        }
        return null;
    }
}
