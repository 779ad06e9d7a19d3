package dev.billingportal.core.i18n;

import dev.billingportal.core.domain.Money;

import java.time.LocalDate;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Formats amounts and dates for people, per locale (CLDR data of the JDK), always with the currency's own
 * fraction digits: {@code 1 234,56 €} in French, {@code ￥1,235} in Japanese, {@code 1.234,560 KWD} in German.
 *
 * <p>Thread-safe. A {@link java.text.NumberFormat} is not, and making one from the locale's data is the costly part
 * (a page of twenty invoices formats over a hundred amounts), so each (locale, currency, digits) keeps an
 * {@link AmountFormat} made from it once: it writes the amount's digits with the format's own symbols, checked
 * against the JDK's output when made. Date formatters are immutable and kept per locale, each with the texts of the
 * dates it last wrote ({@link LocalizedDates}). Both caches stop growing at
 * {@value #MAX_CACHED} entries (locales come from requests); past that, formatters are made per call.
 */
public final class MoneyFormat {
    /** The most formatters of each kind kept; real traffic uses a few dozen. */
    static final int MAX_CACHED = 512;

    private record Key(Locale locale, Currency currency, int digits) {
    }

    private static final ConcurrentMap<Key, AmountFormat> AMOUNTS = new ConcurrentHashMap<>();
    private static final ConcurrentMap<Locale, LocalizedDates> DATES = new ConcurrentHashMap<>();

    private MoneyFormat() {
    }

    /** {@code money} as a reader of {@code locale} expects it. */
    public static String format(Money money, Locale locale) {
        Objects.requireNonNull(money, "money");
        Key key = new Key(Objects.requireNonNull(locale, "locale"), money.currency(), money.fractionDigits());
        return amountFormat(key).format(money.amountMinor());
    }

    /** A date in the locale's medium style, e.g. {@code 21 nov. 2026} in French. */
    public static String format(LocalDate date, Locale locale) {
        Objects.requireNonNull(date, "date");
        LocalizedDates format = DATES.get(Objects.requireNonNull(locale, "locale"));
        if (format == null) {
            if (DATES.size() >= MAX_CACHED) {
                return dateFormatter(locale).format(date);
            }
            format = DATES.computeIfAbsent(locale, l -> new LocalizedDates(dateFormatter(l)));
        }
        return format.format(date);
    }

    /**
     * The locale's medium date pattern, resolved once: {@code ofLocalizedDate} looks the pattern up again on every
     * call (a string key built and hashed per date). Dates are ISO {@code LocalDate}s, so the ISO chronology's pattern
     * is the one the localized formatter would pick.
     */
    static DateTimeFormatter dateFormatter(Locale locale) {
        return DateTimeFormatter.ofPattern(DateTimeFormatterBuilder.getLocalizedDateTimePattern(FormatStyle.MEDIUM, null,
                IsoChronology.INSTANCE, locale), locale);
    }

    /** How many amount formats are kept (for the test of the bound). */
    static int cachedAmountFormats() {
        return AMOUNTS.size();
    }

    /** How many date formats are kept (for the test of the bound). */
    static int cachedDateFormats() {
        return DATES.size();
    }

    /** Whether amounts in {@code currency} for {@code locale} are written without the JDK's format (for the tests). */
    static boolean writesDirectly(Locale locale, Currency currency) {
        return amountFormat(new Key(locale, currency, currency.getDefaultFractionDigits())).direct();
    }

    private static AmountFormat amountFormat(Key key) {
        AmountFormat format = AMOUNTS.get(key);
        if (format == null) {
            if (AMOUNTS.size() >= MAX_CACHED) {
                return AmountFormat.once(key.locale(), key.currency(), key.digits());
            }
            format = AmountFormat.of(key.locale(), key.currency(), key.digits());
            AMOUNTS.putIfAbsent(key, format);
        }
        return format;
    }
}
