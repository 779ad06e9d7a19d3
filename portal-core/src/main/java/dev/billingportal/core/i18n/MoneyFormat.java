package dev.billingportal.core.i18n;

import dev.billingportal.core.domain.Money;

import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.Objects;

/**
 * Formats amounts and dates for people, per locale (CLDR data of the JDK), always with the currency's own
 * fraction digits: {@code 1 234,56 €} in French, {@code ￥1,235} in Japanese, {@code 1.234,560 KWD} in German.
 * Thread-safe: formatters are made per call (NumberFormat is not thread-safe).
 */
public final class MoneyFormat {
    private MoneyFormat() {
    }

    /** {@code money} as a reader of {@code locale} expects it. */
    public static String format(Money money, Locale locale) {
        Objects.requireNonNull(money, "money");
        NumberFormat format = NumberFormat.getCurrencyInstance(Objects.requireNonNull(locale, "locale"));
        format.setCurrency(money.currency());
        format.setMinimumFractionDigits(money.fractionDigits());
        format.setMaximumFractionDigits(money.fractionDigits());
        return format.format(money.toBigDecimal());
    }

    /** A date in the locale's medium style, e.g. {@code 21 nov. 2026} in French. */
    public static String format(LocalDate date, Locale locale) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
                .withLocale(Objects.requireNonNull(locale, "locale"))
                .format(Objects.requireNonNull(date, "date"));
    }
}
