package dev.billingportal.core.i18n;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every language has exactly the English keys, each with a real text, and every locale reads the right bundle. */
class PortalMessagesBundleTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d}");

    static Stream<Locale> translations() {
        return PortalLocales.SUPPORTED.stream().filter(locale -> !locale.equals(Locale.ENGLISH));
    }

    /** The bundle file of exactly this locale, read as the JDK reads it (UTF-8), without any fallback. */
    static Properties file(Locale locale) throws IOException {
        String suffix = locale.equals(Locale.ENGLISH) ? "" : "_" + locale.toString(); // pt_BR, zh_TW
        String name = PortalMessages.BUNDLE.replace('.', '/') + suffix + ".properties";
        try (InputStream in = PortalMessages.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("bundle file " + name).isNotNull();
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        }
    }

    /** What differs between a bundle and English: missing keys, extra keys, empty texts, other placeholders. */
    static List<String> problems(Properties english, Properties translation) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(english.stringPropertyNames())) {
            String text = translation.getProperty(key);
            if (text == null) {
                problems.add("missing " + key);
            } else if (text.isBlank()) {
                problems.add("empty " + key);
            } else if (!placeholders(text).equals(placeholders(english.getProperty(key)))) {
                problems.add("placeholders differ in " + key);
            }
        }
        for (String key : new TreeSet<>(translation.stringPropertyNames())) {
            if (!english.containsKey(key)) {
                problems.add("extra " + key);
            }
        }
        return problems;
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    @ParameterizedTest
    @MethodSource("translations")
    void everyBundleHasExactlyTheEnglishKeys(Locale locale) throws IOException {
        assertThat(problems(file(Locale.ENGLISH), file(locale))).as(locale.toLanguageTag()).isEmpty();
    }

    @Test
    void englishHasNoEmptyText() throws IOException {
        Properties english = file(Locale.ENGLISH);
        assertThat(english.stringPropertyNames()).hasSizeGreaterThan(40);
        assertThat(english.stringPropertyNames()).allSatisfy(key -> assertThat(english.getProperty(key)).isNotBlank());
    }

    @Test
    void theComparisonCatchesEveryKindOfDifference() {
        // Guards the guard: a bundle with a gap, an extra key, an empty text and a lost placeholder must all fail.
        Properties english = new Properties();
        english.setProperty("a", "A");
        english.setProperty("b", "B {0}");
        english.setProperty("c", "C");
        Properties broken = new Properties();
        broken.setProperty("b", "B");
        broken.setProperty("c", " ");
        broken.setProperty("d", "D");
        assertThat(problems(english, broken)).containsExactly("missing a", "placeholders differ in b", "empty c", "extra d");
    }

    @Test
    void translationsAreTranslatedNotCopied() throws IOException {
        Properties english = file(Locale.ENGLISH);
        for (Locale locale : translations().toList()) {
            Properties translation = file(locale);
            long same = english.stringPropertyNames().stream()
                    .filter(key -> english.getProperty(key).equals(translation.getProperty(key))).count();
            // A few words are the same in some languages (Status, Page {0}, Email); most must not be.
            assertThat(same).as(locale.toLanguageTag() + " texts equal to English").isLessThan(6);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "en, English", "en-US, English", "fr, Français", "fr-CA, Français", "de-CH, Deutsch", "es, Español",
            "it, Italiano", "nb, Norsk bokmål", "no, Norsk bokmål", "nn, Norsk bokmål", "nb-NO, Norsk bokmål",
            "sv, Svenska", "pt-BR, Português (Brasil)", "pt, Português (Brasil)", "pt-PT, Português (Brasil)",
            "zh-TW, 繁體中文（台灣）", "zh-Hant-HK, 繁體中文（台灣）", "ja, 日本語", "ja-JP, 日本語", "nl-BE, Nederlands",
            "zh-CN, English", "ko, English", "und, English"})
    void eachLocaleReadsTheBundleOfItsLanguage(String tag, String languageName) {
        assertThat(PortalMessages.label(Locale.forLanguageTag(tag), PortalMessages.LANGUAGE_NAME)).isEqualTo(languageName);
    }

    @Test
    void legacyNorwegianLocaleObjectsReadBokmal() {
        assertThat(PortalMessages.label(new Locale("no"), "invoices.title")).isEqualTo("Fakturahistorikk");
        assertThat(PortalMessages.label(new Locale("no", "NO"), "invoices.title")).isEqualTo("Fakturahistorikk");
        assertThat(PortalMessages.label(new Locale("nb"), "invoices.title")).isEqualTo("Fakturahistorikk");
        assertThat(PortalMessages.language(new Locale("no"))).isEqualTo(PortalLocales.NB);
    }

    @Test
    void labelsAreNativeAndReadAsUtf8() {
        assertThat(PortalMessages.label(Locale.FRENCH, "invoices.title")).isEqualTo("Historique des factures");
        assertThat(PortalMessages.label(Locale.GERMAN, "status.overdue")).isEqualTo("Überfällig");
        assertThat(PortalMessages.label(PortalLocales.ZH_TW, "invoices.download")).isEqualTo("下載");
        assertThat(PortalMessages.label(Locale.JAPANESE, "status.paid")).isEqualTo("支払済み");
        assertThat(PortalMessages.label(Locale.forLanguageTag("nl"), "status.to_pay")).isEqualTo("Te betalen");
        assertThat(PortalMessages.label(Locale.FRENCH, "no.such.key")).isEqualTo("no.such.key");
    }

    @Test
    void languageNamesListEveryLanguageInItsOwnWords() {
        assertThat(PortalMessages.languageNames()).containsExactly(
                java.util.Map.entry("en", "English"), java.util.Map.entry("fr", "Français"),
                java.util.Map.entry("de", "Deutsch"), java.util.Map.entry("es", "Español"),
                java.util.Map.entry("it", "Italiano"), java.util.Map.entry("nb", "Norsk bokmål"),
                java.util.Map.entry("sv", "Svenska"), java.util.Map.entry("pt-BR", "Português (Brasil)"),
                java.util.Map.entry("zh-TW", "繁體中文（台灣）"), java.util.Map.entry("ja", "日本語"),
                java.util.Map.entry("nl", "Nederlands"));
    }

    @Test
    void labelsOfALocaleAreCompleteThroughTheBundleChain() throws IOException {
        Set<String> englishKeys = file(Locale.ENGLISH).stringPropertyNames();
        for (Locale locale : PortalLocales.SUPPORTED) {
            assertThat(PortalMessages.labels(locale).keySet()).as(locale.toLanguageTag()).isEqualTo(englishKeys);
        }
    }
}
