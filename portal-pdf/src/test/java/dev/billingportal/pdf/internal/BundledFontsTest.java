package dev.billingportal.pdf.internal;

import org.apache.fontbox.ttf.CmapLookup;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The jar carries TrueType fonts for every script the portal's customers write, and their licence. */
class BundledFontsTest {

    @Test
    void latinFaceCoversLatinGreekCyrillicAndTheSpacesOfFormattedAmounts() throws IOException {
        CmapLookup latin = BundledFonts.get(BundledFonts.Face.LATIN).getUnicodeCmapLookup();

        assertThat(uncovered(latin, "AZaz ÀÿĄžŒ€£¥₽ ΑΩαω Ѐӿ №«»—’\u00a0\u202f")).isEmpty();
    }

    @Test
    void cjkFacesCoverHanInTheirOwnFormsAndKana() throws IOException {
        CmapLookup chinese = BundledFonts.get(BundledFonts.Face.TRADITIONAL_CHINESE).getUnicodeCmapLookup();
        CmapLookup japanese = BundledFonts.get(BundledFonts.Face.JAPANESE).getUnicodeCmapLookup();

        assertThat(uncovered(chinese, "發票統一編號臺灣積體電路ㄅㄆㄇ，。（）")).isEmpty();
        assertThat(uncovered(japanese, "請求書株式会社様髙﨑ひらがなカタカナ￥、。")).isEmpty();
    }

    @Test
    void fontsAreTrueTypeOutlinesThatMayBeEmbedded() throws IOException {
        for (BundledFonts.Face face : BundledFonts.Face.values()) {
            var font = BundledFonts.get(face);
            assertThat(font.getGlyph()).as("%s has glyf outlines", face).isNotNull();
            // fsType 0: installable embedding, no restriction (bits 1-3 would restrict it).
            assertThat(font.getOS2Windows().getFsType() & 0x000e).as("%s embedding restrictions", face).isZero();
        }
    }

    @Test
    void everyFontsOpenFontLicenceShipsInTheJar() throws IOException {
        for (String licence : new String[] {"NotoSans-OFL.txt", "NotoSansTC-OFL.txt", "NotoSansJP-OFL.txt"}) {
            try (InputStream in = BundledFontsTest.class.getResourceAsStream("/META-INF/fonts/" + licence)) {
                assertThat(in).as(licence).isNotNull();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(licence).contains("SIL OPEN FONT LICENSE Version 1.1");
            }
        }
    }

    private static String uncovered(CmapLookup cmap, String text) {
        StringBuilder missing = new StringBuilder();
        text.codePoints().filter(cp -> cp != ' ' && cmap.getGlyphId(cp) == 0).forEach(missing::appendCodePoint);
        return missing.toString();
    }
}
