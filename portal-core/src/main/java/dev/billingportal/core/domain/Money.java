package dev.billingportal.core.domain;

import dev.billingportal.core.PortalException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * An amount of money in integer minor units of its currency, using that currency's own fraction
 * digits (JPY 0, EUR 2, KWD 3). Never a {@code double}.
 *
 * @param amountMinor the amount in minor units (cents for EUR, yen for JPY, fils for KWD)
 * @param currency    the ISO 4217 currency; pseudo-currencies without fraction digits (XAU, XXX) are refused
 */
public record Money(long amountMinor, Currency currency) implements Comparable<Money> {

    /** Validates the currency. */
    public Money {
        if (currency == null) {
            throw PortalException.invalid("currency", "is required");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw PortalException.invalid("currency", currency.getCurrencyCode() + " has no minor unit");
        }
    }

    /** {@code amountMinor} minor units of {@code currency}. */
    public static Money of(long amountMinor, Currency currency) {
        return new Money(amountMinor, currency);
    }

    /** {@code amountMinor} minor units of the currency with ISO code {@code currencyCode}. */
    public static Money of(long amountMinor, String currencyCode) {
        return new Money(amountMinor, currency(currencyCode));
    }

    /** Zero in {@code currency}. */
    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    /**
     * The exact amount {@code major} (e.g. {@code 12.34} EUR); refuses amounts with more decimals than
     * the currency has, instead of rounding them away.
     */
    public static Money ofMajor(BigDecimal major, Currency currency) {
        if (major == null) {
            throw PortalException.invalid("amount", "is required");
        }
        Money probe = zero(currency);
        try {
            BigDecimal minor = major.setScale(probe.fractionDigits(), RoundingMode.UNNECESSARY).movePointRight(probe.fractionDigits());
            return new Money(minor.longValueExact(), currency);
        } catch (ArithmeticException e) {
            throw PortalException.invalid("amount", major.toPlainString() + " is not an exact amount of "
                    + currency.getCurrencyCode() + " or is too large");
        }
    }

    /** Parses an ISO 4217 code such as {@code EUR}, with a validation error for unknown codes. */
    public static Currency currency(String code) {
        if (code == null) {
            throw PortalException.invalid("currency", "is required");
        }
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw PortalException.invalid("currency", "unknown ISO 4217 code");
        }
    }

    /** The currency's number of fraction digits (2 for EUR, 0 for JPY, 3 for KWD). */
    public int fractionDigits() {
        return currency.getDefaultFractionDigits();
    }

    /** The amount in major units, exact: {@code 1234} EUR minor units is {@code 12.34}. */
    public BigDecimal toBigDecimal() {
        return BigDecimal.valueOf(amountMinor, fractionDigits());
    }

    /** This plus {@code other}; both must be in the same currency. */
    public Money plus(Money other) {
        requireSameCurrency(other);
        try {
            return new Money(Math.addExact(amountMinor, other.amountMinor), currency);
        } catch (ArithmeticException e) {
            throw PortalException.invalid("amount", "sum overflows");
        }
    }

    /** Whether the amount is zero. */
    public boolean isZero() {
        return amountMinor == 0;
    }

    /** Whether the amount is below zero. */
    public boolean isNegative() {
        return amountMinor < 0;
    }

    /** Compares amounts of the same currency. */
    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(amountMinor, other.amountMinor);
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw PortalException.invalid("currency", "cannot combine " + currency.getCurrencyCode() + " with "
                    + other.currency.getCurrencyCode());
        }
    }

    /** For example {@code 12.34 EUR}; not meant for customers (see the portal's locale formatting). */
    @Override
    public String toString() {
        return toBigDecimal().toPlainString() + " " + currency.getCurrencyCode();
    }
}
