package dev.billingportal.core.config;

import java.math.BigDecimal;

/**
 * Prepaid wallets and their top-ups.
 *
 * @param enabled    whether wallets are shown
 * @param topUp      whether the customer may top up
 * @param minCredits the fewest credits one top-up may buy, or null for no minimum (beyond one minor step)
 * @param maxCredits the most credits one top-up may buy, or null for no maximum
 */
public record WalletSettings(boolean enabled, boolean topUp, BigDecimal minCredits, BigDecimal maxCredits) {

    /** On, top-ups on, no limits (each still needs a provider). */
    public static final WalletSettings DEFAULT = new WalletSettings(true, true, null, null);

    /** Validates the limits. */
    public WalletSettings {
        if (minCredits != null && minCredits.signum() <= 0) {
            throw new IllegalArgumentException("wallets.min_credits must be positive");
        }
        if (maxCredits != null && maxCredits.signum() <= 0) {
            throw new IllegalArgumentException("wallets.max_credits must be positive");
        }
        if (minCredits != null && maxCredits != null && minCredits.compareTo(maxCredits) > 0) {
            throw new IllegalArgumentException("wallets.min_credits must not exceed wallets.max_credits");
        }
    }
}
