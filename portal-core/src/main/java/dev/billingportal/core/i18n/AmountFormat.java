package dev.billingportal.core.i18n;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/**
 * How one (locale, currency, fraction digits) writes an amount of minor units. Made once from the JDK's currency
 * {@link NumberFormat} and kept by {@link MoneyFormat}; immutable, so shared by every thread.
 *
 * <p>Why not just the {@link NumberFormat}: it is not thread-safe, so each call needs a clone, and formatting a
 * {@link BigDecimal} through it is most of the cost of a page of invoices. An amount of minor units in its
 * currency's own digits never needs rounding, so writing it is only the format's prefix, its digits grouped, its
 * decimal separator and its suffix. Those are read from the {@link DecimalFormat}, and then checked: the result for
 * a set of probe amounts (zero, signs, every grouping length, both ends of {@code long}) must equal what the
 * {@link DecimalFormat} itself writes. A format that does anything else (another kind of {@link NumberFormat}, a
 * multiplier, an unusual pattern) fails that check and is used as it is, cloned per call.
 */
final class AmountFormat {
    /** Amounts that exercise signs, zero, every grouping position and the ends of {@code long}. */
    private static final long[] PROBES = {0, 1, -1, 7, -9, 10, 99, 100, -100, 999, 1_000, 12_345, -12_345, 123_456,
        1_234_567, -7_654_321, 10_000_000, 123_456_789, 1_000_000_000, 98_765_432_109L, -98_765_432_109L,
        1_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};

    private final int digits;
    /** The configured format, never used to write: only cloned, when {@link #direct} is false. */
    private final NumberFormat prototype;
    /** Whether the fields below write exactly what {@link #prototype} writes. */
    private final boolean direct;
    private final String positivePrefix;
    private final String positiveSuffix;
    private final String negativePrefix;
    private final String negativeSuffix;
    private final char zero;
    private final char decimalSeparator;
    private final char groupingSeparator;
    /** Digits per group, 0 for none. */
    private final int groupingSize;
    private final int minimumIntegerDigits;

    private AmountFormat(NumberFormat format, int digits, boolean tryDirect) {
        this.digits = digits;
        this.prototype = format;
        if (tryDirect && format instanceof DecimalFormat decimal && decimal.getMultiplier() == 1) {
            DecimalFormatSymbols symbols = decimal.getDecimalFormatSymbols();
            positivePrefix = decimal.getPositivePrefix();
            positiveSuffix = decimal.getPositiveSuffix();
            negativePrefix = decimal.getNegativePrefix();
            negativeSuffix = decimal.getNegativeSuffix();
            zero = symbols.getZeroDigit();
            decimalSeparator = symbols.getMonetaryDecimalSeparator();
            groupingSeparator = symbols.getMonetaryGroupingSeparator();
            groupingSize = decimal.isGroupingUsed() ? decimal.getGroupingSize() : 0;
            minimumIntegerDigits = Math.max(1, Math.min(decimal.getMinimumIntegerDigits(), 19));
            direct = writesAsPrototype();
        } else {
            positivePrefix = positiveSuffix = negativePrefix = negativeSuffix = "";
            zero = decimalSeparator = groupingSeparator = '0';
            groupingSize = 0;
            minimumIntegerDigits = 1;
            direct = false;
        }
    }

    /** The format for amounts in {@code currency}, with {@code digits} fraction digits, as {@code locale} writes them. */
    static AmountFormat of(Locale locale, Currency currency, int digits) {
        return new AmountFormat(currencyFormat(locale, currency, digits), digits, true);
    }

    /**
     * The same, through the JDK's format on every call, without the probes' check: for a format used once and not
     * kept (past {@link MoneyFormat}'s cache bound), where checking would cost more than it saves.
     */
    static AmountFormat once(Locale locale, Currency currency, int digits) {
        return new AmountFormat(currencyFormat(locale, currency, digits), digits, false);
    }

    /** Amounts with {@code digits} fraction digits as {@code format} writes them; it must not change afterwards. */
    static AmountFormat of(NumberFormat format, int digits) {
        return new AmountFormat(format, digits, true);
    }

    private static NumberFormat currencyFormat(Locale locale, Currency currency, int digits) {
        NumberFormat format = NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(currency);
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        return format;
    }

    /** {@code amountMinor} minor units, e.g. {@code 123456} as {@code 1 234,56 €} in French for EUR. */
    String format(long amountMinor) {
        return direct ? write(amountMinor) : ((NumberFormat) prototype.clone()).format(BigDecimal.valueOf(amountMinor, digits));
    }

    /** Whether amounts are written without the JDK's format (for the tests). */
    boolean direct() {
        return direct;
    }

    private boolean writesAsPrototype() {
        for (long probe : PROBES) {
            String expected = ((NumberFormat) prototype.clone()).format(BigDecimal.valueOf(probe, digits));
            if (!expected.equals(write(probe))) {
                return false;
            }
        }
        return true;
    }

    private String write(long amountMinor) {
        boolean negative = amountMinor < 0;
        // Long.toString, not negation: Long.MIN_VALUE has no positive counterpart
        String all = Long.toString(amountMinor);
        int start = negative ? 1 : 0;
        int length = all.length() - start;
        int integerLength = Math.max(length - digits, minimumIntegerDigits);
        StringBuilder out = new StringBuilder(integerLength + digits + 16);
        out.append(negative ? negativePrefix : positivePrefix);
        for (int i = 0; i < integerLength; i++) {
            if (i > 0 && groupingSize > 0 && (integerLength - i) % groupingSize == 0) {
                out.append(groupingSeparator);
            }
            out.append(digit(all, start, length, i - integerLength + length - digits));
        }
        if (digits > 0) {
            out.append(decimalSeparator);
            for (int i = length - digits; i < length; i++) {
                out.append(digit(all, start, length, i));
            }
        }
        out.append(negative ? negativeSuffix : positiveSuffix);
        return out.toString();
    }

    /** The {@code index}-th of the amount's {@code length} digits in the locale's digits; zero before the first. */
    private char digit(String all, int start, int length, int index) {
        return index < 0 ? zero : (char) (all.charAt(start + index) - '0' + zero);
    }
}
