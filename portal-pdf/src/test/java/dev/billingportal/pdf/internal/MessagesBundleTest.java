package dev.billingportal.pdf.internal;

import dev.billingportal.core.i18n.PortalLocales;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every portal language has a complete document bundle of its own. */
class MessagesBundleTest {

    static Stream<Locale> translations() {
        return PortalLocales.SUPPORTED.stream().filter(l -> !l.equals(Locale.ENGLISH));
    }

    @ParameterizedTest
    @MethodSource("translations")
    void bundleHasExactlyTheKeysOfEnglish(Locale locale) throws IOException {
        Set<String> english = new TreeSet<>(read(Locale.ENGLISH).stringPropertyNames());
        Properties translation = read(locale);

        assertThat(new TreeSet<>(translation.stringPropertyNames())).as("keys of %s", locale).isEqualTo(english);
        assertThat(translation.values()).as("values of %s", locale).allSatisfy(v -> assertThat(v.toString()).isNotBlank());
    }

    @ParameterizedTest
    @MethodSource("translations")
    void patternsTakeTheSameArgumentsAsInEnglish(Locale locale) throws IOException {
        Properties english = read(Locale.ENGLISH);
        Properties translation = read(locale);
        for (String key : english.stringPropertyNames()) {
            int expected = new MessageFormat(english.getProperty(key)).getFormats().length;
            assertThat(new MessageFormat(translation.getProperty(key)).getFormats()).as("%s in %s", key, locale).hasSize(expected);
        }
    }

    @Test
    void documentTitleIsTheInvoiceWordOfEachLanguage() {
        Map<String, String> expected = Map.ofEntries(Map.entry("en", "Invoice"), Map.entry("fr", "Facture"),
                Map.entry("de", "Rechnung"), Map.entry("es", "Factura"), Map.entry("it", "Fattura"),
                Map.entry("nb", "Faktura"), Map.entry("sv", "Faktura"), Map.entry("pt-BR", "Fatura"),
                Map.entry("zh-TW", "發票"), Map.entry("ja", "請求書"), Map.entry("nl", "Factuur"));

        for (Locale locale : PortalLocales.SUPPORTED) {
            assertThat(new PdfMessages(locale).get("document.title")).as("%s", locale).isEqualTo(expected.get(locale.toLanguageTag()));
        }
    }

    @Test
    void lookupUsesTheBundleOfTheLanguageNotTheJvmDefault() {
        Locale jvmDefault = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMAN);
            assertThat(new PdfMessages(Locale.ENGLISH).get("document.title")).isEqualTo("Invoice");
            assertThat(new PdfMessages(Locale.forLanguageTag("zh-Hant-TW")).get("document.title")).isEqualTo("發票");
            assertThat(new PdfMessages(Locale.forLanguageTag("pt-BR")).format("page.number", 2, 3)).isEqualTo("Página 2/3");
        } finally {
            Locale.setDefault(jvmDefault);
        }
    }

    /** The file of exactly {@code locale}, read as UTF-8 (as ResourceBundle does), without any fallback. */
    private static Properties read(Locale locale) throws IOException {
        String suffix = locale.equals(Locale.ENGLISH) ? "" : "_" + locale.toString();
        String name = "/" + PdfMessages.BUNDLE.replace('.', '/') + suffix + ".properties";
        try (InputStream in = MessagesBundleTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        }
    }
}
