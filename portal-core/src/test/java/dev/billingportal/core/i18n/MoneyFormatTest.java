package dev.billingportal.core.i18n;

import dev.billingportal.core.domain.Money;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class MoneyFormatTest {

    /** Replaces the no-break spaces CLDR uses, to compare with readable literals. */
    private static String plain(String formatted) {
        return formatted.replace('\u00a0', ' ').replace('\u202f', ' ');
    }

    @Test
    void frenchGroupsWithSpacesAndPutsTheEuroAfter() {
        assertThat(plain(MoneyFormat.format(Money.of(123_456, "EUR"), Locale.FRENCH))).isEqualTo("1 234,56 €");
    }

    @Test
    void japaneseYenHasNoDecimals() {
        assertThat(MoneyFormat.format(Money.of(1_235, "JPY"), Locale.JAPANESE)).matches("[¥￥]1,235");
    }

    @Test
    void eachCurrencyKeepsItsOwnFractionDigits() {
        assertThat(MoneyFormat.format(Money.of(1_234, "USD"), Locale.ENGLISH)).isEqualTo("$12.34");
        assertThat(plain(MoneyFormat.format(Money.of(1_234_560, "KWD"), Locale.GERMAN))).isEqualTo("1.234,560 KWD");
        assertThat(MoneyFormat.format(Money.of(0, "EUR"), Locale.forLanguageTag("en-US"))).isEqualTo("€0.00");
    }

    @Test
    @DisplayName("the resolved medium date pattern writes what the JDK's localized formatter writes, in every locale")
    void resolvedDatePatternMatchesTheJdk() {
        java.util.List<LocalDate> days = java.util.List.of(LocalDate.of(2026, 11, 21), LocalDate.of(1999, 1, 1),
                LocalDate.of(2038, 2, 28), LocalDate.of(2024, 2, 29), LocalDate.of(9999, 12, 31), LocalDate.of(1, 6, 5));
        int compared = 0;
        for (Locale locale : Locale.getAvailableLocales()) {
            java.time.format.DateTimeFormatter jdk = java.time.format.DateTimeFormatter
                    .ofLocalizedDate(java.time.format.FormatStyle.MEDIUM).withLocale(locale);
            java.time.format.DateTimeFormatter resolved = MoneyFormat.dateFormatter(locale);
            for (LocalDate day : days) {
                assertThat(resolved.format(day)).as("%s on %s", locale.toLanguageTag(), day).isEqualTo(jdk.format(day));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(500 * days.size());
    }

    @Test
    void datesFollowTheLocale() {
        LocalDate day = LocalDate.of(2026, 11, 21);
        assertThat(MoneyFormat.format(day, Locale.forLanguageTag("en-US"))).isEqualTo("Nov 21, 2026");
        assertThat(MoneyFormat.format(day, Locale.GERMAN)).isEqualTo("21.11.2026");
    }

    @Test
    void requestedLocalesMapOntoSupportedOnes() {
        assertThat(PortalLocales.match("fr-CA")).contains(Locale.FRENCH);
        assertThat(PortalLocales.match("pt")).contains(PortalLocales.PT_BR);
        assertThat(PortalLocales.match("pt-PT")).contains(PortalLocales.PT_BR);
        assertThat(PortalLocales.match("no")).contains(PortalLocales.NB);
        assertThat(PortalLocales.match("zh-Hant-HK")).contains(PortalLocales.ZH_TW);
        assertThat(PortalLocales.match("zh-CN")).isEmpty();
        assertThat(PortalLocales.match("ko")).isEmpty();
        assertThat(PortalLocales.match("!!")).isEmpty();
        assertThat(PortalLocales.match((String) null)).isEmpty();
        assertThat(PortalLocales.SUPPORTED).hasSize(11);
    }

    @Test
    void cachedFormatsGiveTheSameAnswersFromManyThreadsAtOnce() throws Exception {
        // every thread formats the same mix, interleaved: one formatter per locale re-set to each currency would mix
        // symbols and digits between threads
        Money[] amounts = {Money.of(123_456, "EUR"), Money.of(1_235, "JPY"), Money.of(1_234_560, "KWD"),
            Money.of(-99, "USD")};
        Locale[] locales = {Locale.FRENCH, Locale.JAPANESE, Locale.GERMAN, Locale.forLanguageTag("pt-BR")};
        List<String> expected = new ArrayList<>();
        for (Locale locale : locales) {
            for (Money amount : amounts) {
                expected.add(MoneyFormat.format(amount, locale));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<List<String>>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> {
                    List<String> last = null;
                    for (int round = 0; round < 2_000; round++) {
                        List<String> got = new ArrayList<>();
                        for (Locale locale : locales) {
                            for (Money amount : amounts) {
                                got.add(MoneyFormat.format(amount, locale));
                            }
                        }
                        if (!got.equals(expected)) {
                            return got;
                        }
                        last = got;
                    }
                    return last;
                });
            }
            for (Future<List<String>> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).as("formats made concurrently from the cached prototypes").isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFormatCacheStopsGrowingWhateverLocalesRequestsName() {
        for (int i = 0; i < MoneyFormat.MAX_CACHED + 100; i++) {
            Locale odd = Locale.forLanguageTag("en-x-n" + i);
            assertThat(MoneyFormat.format(Money.of(1_234, "USD"), odd)).isEqualTo("$12.34");
            assertThat(MoneyFormat.format(LocalDate.of(2026, 11, 21), odd)).isEqualTo("Nov 21, 2026");
        }
        assertThat(MoneyFormat.cachedAmountFormats()).isLessThanOrEqualTo(MoneyFormat.MAX_CACHED);
        // past the bound a format is used once, through the JDK, without the probes' check
        assertThat(MoneyFormat.writesDirectly(Locale.forLanguageTag("en-x-past"), java.util.Currency.getInstance("USD")))
                .isFalse();
        assertThat(MoneyFormat.cachedDateFormats()).isLessThanOrEqualTo(MoneyFormat.MAX_CACHED);
    }
}
