package dev.billingportal.pdf.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileNamesTest {

    @Test
    void keepsUnicodeLettersAndAddsTheExtension() {
        assertThat(FileNames.of("請求-2026-01", ".pdf")).isEqualTo("請求-2026-01.pdf");
        assertThat(FileNames.of("Счёт №7 été", ".pdf")).isEqualTo("Счёт №7 été.pdf");
    }

    @Test
    void replacesPathSeparatorsAndCharactersFileSystemsRefuse() {
        assertThat(FileNames.of("ACME/2026\\0042", ".pdf")).isEqualTo("ACME_2026_0042.pdf");
        assertThat(FileNames.of("a:b*c?d\"e<f>g|h", ".pdf")).isEqualTo("a_b_c_d_e_f_g_h.pdf");
    }

    @Test
    void replacesControlAndInvisibleFormattingCharacters() {
        assertThat(FileNames.of("inv\u0000\u001f\u007f1", ".pdf")).isEqualTo("inv___1.pdf");
        // A right-to-left override would make "INV\u202Efdp.exe" display as "INVexe.pdf".
        assertThat(FileNames.of("INV\u202Eexe", ".pdf")).isEqualTo("INV_exe.pdf");
        assertThat(FileNames.of("zero\u200Bwidth", ".pdf")).isEqualTo("zero_width.pdf");
    }

    @Test
    void cannotNameAHiddenFileOrAParentDirectory() {
        assertThat(FileNames.of("..", ".pdf")).isEqualTo("invoice.pdf");
        assertThat(FileNames.of(" ..hidden. ", ".pdf")).isEqualTo("hidden.pdf");
        assertThat(FileNames.of("../../etc/passwd", ".pdf")).isEqualTo("_.._etc_passwd.pdf");
        assertThat(FileNames.of("", ".pdf")).isEqualTo("invoice.pdf");
    }

    @Test
    void longNumbersAreCutWithoutSplittingACharacter() {
        String name = FileNames.of("😀".repeat(100), ".pdf");

        assertThat(name).isEqualTo("😀".repeat(FileNames.MAX_CODE_POINTS) + ".pdf");
        assertThat(name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    }
}
