package dev.billingportal.pdf.internal;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The Noto fonts shipped in this jar (SIL Open Font License 1.1, texts under {@code META-INF/fonts/}).
 *
 * <p>Each font is parsed once per JVM and shared by every document: parsing copies the whole file into
 * memory (7 MB for Traditional Chinese), which per download would defeat the flat memory profile. A parsed
 * {@link TrueTypeFont} reads its tables lazily and not all of that is synchronized, so {@link #get} reads every
 * table a document needs before handing the font out; from then on documents only read it.
 */
final class BundledFonts {

    /** A bundled font face. */
    enum Face {
        /** Noto Sans: Latin (all of Latin Extended-A), Greek, Cyrillic, currency signs, typographic spaces. */
        LATIN("NotoSans-Regular.ttf"),
        /** Noto Sans TC: Han characters in Traditional Chinese forms, bopomofo, CJK punctuation. */
        TRADITIONAL_CHINESE("NotoSansTC-Regular.ttf"),
        /** Noto Sans JP: Han characters in Japanese forms, kana, CJK punctuation. */
        JAPANESE("NotoSansJP-Regular.ttf");

        private final String resource;

        Face(String resource) {
            this.resource = resource;
        }
    }

    private static final String DIRECTORY = "fonts/";
    private static final Map<Face, TrueTypeFont> LOADED = new EnumMap<>(Face.class);

    private BundledFonts() {
    }

    /** The shared, fully read font; loads it on first use. */
    static TrueTypeFont get(Face face) {
        synchronized (LOADED) {
            TrueTypeFont font = LOADED.get(face);
            if (font == null) {
                font = load(face);
                LOADED.put(face, font);
            }
            return font;
        }
    }

    private static TrueTypeFont load(Face face) {
        try (InputStream in = BundledFonts.class.getResourceAsStream(DIRECTORY + face.resource)) {
            if (in == null) {
                throw new IllegalStateException("font " + face.resource + " is missing from the portal-pdf jar");
            }
            TrueTypeFont font = new TTFParser().parse(new RandomAccessReadBuffer(in));
            // Without GSUB, PDFBox writes one glyph per character: no ligatures whose text could not be
            // extracted or searched, and widths measured per character are exactly what is drawn.
            font.setEnableGsub(false);
            readEveryTable(font);
            return font;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled font " + face.resource, e);
        }
    }

    private static void readEveryTable(TrueTypeFont font) throws IOException {
        font.getHeader();
        font.getHorizontalHeader();
        font.getMaximumProfile();
        font.getHorizontalMetrics();
        font.getIndexToLocation();
        font.getGlyph();
        font.getNaming();
        font.getOS2Windows();
        font.getPostScript();
        font.getCmap();
        font.getUnicodeCmapLookup();
        font.getGsubData();
        font.getNumberOfGlyphs();
        font.getUnitsPerEm();
    }
}
