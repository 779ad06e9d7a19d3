package dev.billingportal.core.wallets;

import dev.billingportal.core.PortalException;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Reads a number of credits as the customer sends it: a JSON string of plain decimal digits with an optional
 * fraction ({@code "50"}, {@code "50.25"}). Anything else is refused with a stable code under {@code credits}:
 * {@code must_be_positive} (negative or zero), {@code invalid_format} (signs, exponents, spaces, letters, a bare
 * point), {@code too_large} (more than {@value #MAX_INTEGER_DIGITS} digits before the point),
 * {@code too_many_decimals} (more than the wallet has). Never parses through floating point.
 */
final class Credits {
    /** Most digits before the decimal point. */
    static final int MAX_INTEGER_DIGITS = 12;
    /** Longest text read at all. */
    static final int MAX_LENGTH = 64;
    private static final Pattern PLAIN = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final Pattern NEGATIVE = Pattern.compile("-[0-9]+(\\.[0-9]+)?");

    private Credits() {
    }

    /**
     * The credits {@code text} names, with at most {@code scale} decimals.
     *
     * @param text  the text sent
     * @param scale the wallet's decimals
     * @return the exact amount, positive
     * @throws PortalException {@code VALIDATION_ERROR} on {@code credits}
     */
    static BigDecimal parse(String text, int scale) {
        if (text.length() > MAX_LENGTH) {
            throw problem("too_large");
        }
        if (NEGATIVE.matcher(text).matches()) {
            throw problem("must_be_positive");
        }
        if (!PLAIN.matcher(text).matches()) {
            throw problem("invalid_format");
        }
        int point = text.indexOf('.');
        String integer = point < 0 ? text : text.substring(0, point);
        String fraction = point < 0 ? "" : text.substring(point + 1);
        String digits = integer.replaceFirst("^0+(?=.)", "");
        if (digits.length() > MAX_INTEGER_DIGITS) {
            throw problem("too_large");
        }
        BigDecimal value = new BigDecimal(text);
        if (value.signum() <= 0) {
            throw problem("must_be_positive");
        }
        if (fraction.length() > scale) { // as sent: "50.000" has three decimals
            throw problem("too_many_decimals");
        }
        return value.setScale(scale); // exact: only zeros added
    }

    static PortalException problem(String code) {
        return PortalException.invalid("credits", code);
    }
}
