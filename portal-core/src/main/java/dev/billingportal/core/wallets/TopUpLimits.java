package dev.billingportal.core.wallets;

import java.math.BigDecimal;

/**
 * The credits one top-up of a wallet may buy in this session: the tighter of the configured limits and the
 * wallet's own, inclusive.
 *
 * @param minCredits the fewest, or null for no minimum (beyond one step of the wallet's decimals)
 * @param maxCredits the most, or null for no maximum
 */
public record TopUpLimits(BigDecimal minCredits, BigDecimal maxCredits) {

    /** The tighter of two limits; either may be null (none). */
    static BigDecimal tighter(BigDecimal a, BigDecimal b, boolean min) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return min ? a.max(b) : a.min(b);
    }
}
