package dev.billingportal.core.i18n;

import dev.billingportal.core.domain.Money;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AmountFormat} writes amounts itself instead of through the JDK's {@link NumberFormat}: these tests hold it to
 * exactly the JDK's output, for every locale the JDK knows, and check that the portal's own languages really take
 * the direct path (a check that silently fell back everywhere would pass the first test and speed nothing up).
 */
class AmountFormatTest {
    /** No digits, two, three and four (CLF), and currencies whose symbols differ by locale. */
    private static final List<Currency> CURRENCIES = List.of("EUR", "USD", "JPY", "KWD", "CLF", "GBP", "BRL", "NOK",
            "CHF", "INR").stream().map(Currency::getInstance).toList();

    private static String jdk(Locale locale, Currency currency, long amountMinor) {
        NumberFormat format = NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(currency);
        int digits = currency.getDefaultFractionDigits();
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        return format.format(BigDecimal.valueOf(amountMinor, digits));
    }

    @Test
    void everyLocaleWritesWhatTheJdkWrites() {
        SplittableRandom random = new SplittableRandom(20_261_203L);
        List<String> mismatches = new ArrayList<>();
        for (Locale locale : Locale.getAvailableLocales()) {
            for (Currency currency : CURRENCIES) {
                AmountFormat format = AmountFormat.of(locale, currency, currency.getDefaultFractionDigits());
                for (int i = 0; i < 12; i++) {
                    // amounts of every length, from a few cents to the end of long
                    long amount = random.nextLong() >> random.nextInt(64);
                    String expected = jdk(locale, currency, amount);
                    String got = format.format(amount);
                    if (!expected.equals(got)) {
                        mismatches.add(locale.toLanguageTag() + " " + currency + " " + amount + ": " + got
                                + " instead of " + expected);
                    }
                }
            }
        }
        assertThat(mismatches).as("amounts written differently from the JDK's NumberFormat").isEmpty();
    }

    @Test
    void thePortalsLanguagesTakeTheDirectPath() {
        for (Locale locale : PortalLocales.SUPPORTED) {
            for (Currency currency : CURRENCIES) {
                // AmountFormat itself, not MoneyFormat's cache, which another test may have filled
                assertThat(AmountFormat.of(locale, currency, currency.getDefaultFractionDigits()).direct())
                        .as("%s in %s written without a NumberFormat clone", currency, locale.toLanguageTag())
                        .isTrue();
            }
        }
    }

    @Test
    void edgeAmountsMatchTheJdkInThePortalsLanguages() {
        long[] amounts = {0, 1, -1, 5, 10, 99, 100, 101, 999, 1_000, -1_000, 1_000_000, 999_999_999,
            Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1};
        for (Locale locale : PortalLocales.SUPPORTED) {
            for (Currency currency : CURRENCIES) {
                for (long amount : amounts) {
                    assertThat(MoneyFormat.format(Money.of(amount, currency), locale))
                            .as("%d %s in %s", amount, currency, locale.toLanguageTag())
                            .isEqualTo(jdk(locale, currency, amount));
                }
            }
        }
    }

    @Test
    void aFormatTheDirectPathCannotMatchIsUsedAsItIs() {
        // a decimal point after yen without decimals: the probes differ, so every call goes through the format
        java.text.DecimalFormat trailingPoint = (java.text.DecimalFormat) NumberFormat.getCurrencyInstance(Locale.JAPAN);
        trailingPoint.setMaximumFractionDigits(0);
        trailingPoint.setDecimalSeparatorAlwaysShown(true);
        AmountFormat format = AmountFormat.of(trailingPoint, 0);
        assertThat(format.direct()).isFalse();
        assertThat(format.format(1_235)).isEqualTo(trailingPoint.format(1_235)).endsWith(".");

        // not a DecimalFormat at all: compact numbers
        NumberFormat compact = NumberFormat.getCompactNumberInstance(Locale.US, NumberFormat.Style.SHORT);
        AmountFormat compactFormat = AmountFormat.of(compact, 0);
        assertThat(compactFormat.direct()).isFalse();
        assertThat(compactFormat.format(1_200_000)).isEqualTo("1M");
    }
}
