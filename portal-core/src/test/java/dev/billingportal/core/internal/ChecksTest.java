package dev.billingportal.core.internal;

import dev.billingportal.core.PortalException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChecksTest {

    @Test
    @DisplayName("text: every char of the Basic Multilingual Plane is refused exactly when it is a control or a lone surrogate")
    void everyCharIsJudgedAsBefore() {
        int refused = 0;
        for (int c = 0; c <= 0xFFFF; c++) {
            String text = "a" + (char) c + "b";
            boolean expectRefused = Character.isISOControl(c) || Character.isSurrogate((char) c);
            boolean wasRefused;
            try {
                Checks.optionalText(text, "name");
                wasRefused = false;
            } catch (PortalException e) {
                wasRefused = true;
                assertThat(e.details()).containsOnlyKeys("name");
            }
            assertThat(wasRefused).as("U+%04X", c).isEqualTo(expectRefused);
            refused += wasRefused ? 1 : 0;
        }
        assertThat(refused).isEqualTo(65 + 2048); // C0, DEL and C1 controls; every surrogate alone
    }

    @Test
    @DisplayName("text: a surrogate pair is one character and passes; a pair cut at either end is refused")
    void surrogatePairs() {
        String emoji = "\uD83D\uDE00";
        assertThat(Checks.optionalText("ok " + emoji, "name")).isEqualTo("ok " + emoji);
        assertThat(Checks.id(emoji + "-1", "id")).isEqualTo(emoji + "-1");
        assertThatThrownBy(() -> Checks.optionalText("x" + emoji.charAt(0), "name"))
                .isInstanceOf(PortalException.class).hasMessageContaining("valid Unicode");
        assertThatThrownBy(() -> Checks.optionalText(emoji.charAt(1) + "x", "name"))
                .isInstanceOf(PortalException.class).hasMessageContaining("valid Unicode");
    }

    @Test
    @DisplayName("id: blank, padded, too long or with a control is refused with the field named; plain ids pass")
    void ids() {
        assertThat(Checks.id("inv_2026-000100", "id")).isEqualTo("inv_2026-000100");
        assertThat(Checks.id("Zoë Ñandú", "id")).isEqualTo("Zoë Ñandú");
        for (String bad : new String[] {"", "   ", " a", "a ", "a\tb", "a\u0085b", "x".repeat(Checks.MAX_ID_LENGTH + 1)}) {
            assertThatThrownBy(() -> Checks.id(bad, "invoice_id")).as("%s", bad.length() > 20 ? "long" : bad)
                    .isInstanceOfSatisfying(PortalException.class,
                            e -> assertThat(e.details()).containsOnlyKeys("invoice_id"));
        }
    }
}
