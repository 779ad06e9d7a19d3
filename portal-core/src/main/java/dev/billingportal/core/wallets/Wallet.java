package dev.billingportal.core.wallets;

import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;

/**
 * A prepaid wallet of credits (Lago's model): its balance in credits and in money, the rate of one credit, its
 * expiry, and its own limits of one top-up. Credits are exact decimals with at most {@link #creditsScale()} decimals.
 * Build with {@link #builder()}.
 *
 * @param id             its id
 * @param name           its name, as shown to the customer (may be empty)
 * @param currency       the currency its credits are bought in
 * @param status         active or terminated
 * @param balance        the balance in money
 * @param creditsBalance the balance in credits
 * @param rateAmount     what one credit costs, in major units of {@code currency} (e.g. {@code 1.00})
 * @param creditsScale   how many decimals a number of credits may have (0 to 6)
 * @param expiresAt      when its credits expire, or null
 * @param minTopUp       the wallet's own fewest credits per top-up, or null
 * @param maxTopUp       the wallet's own most credits per top-up, or null
 */
public record Wallet(String id, String name, Currency currency, WalletStatus status, Money balance,
                     BigDecimal creditsBalance, BigDecimal rateAmount, int creditsScale, Instant expiresAt,
                     BigDecimal minTopUp, BigDecimal maxTopUp) {
    /** Most decimals credits may have. */
    public static final int MAX_CREDITS_SCALE = 6;

    /** Validates the wallet. */
    public Wallet {
        Checks.id(id, "id");
        Checks.required(name, "name");
        Checks.required(currency, "currency");
        Checks.required(status, "status");
        Checks.required(balance, "balance");
        Checks.required(creditsBalance, "credits_balance");
        Checks.required(rateAmount, "rate_amount");
        if (!balance.currency().equals(currency)) {
            throw new IllegalArgumentException("a wallet's balance must be in its currency");
        }
        if (rateAmount.signum() <= 0) {
            throw new IllegalArgumentException("a wallet's rate must be positive");
        }
        if (creditsScale < 0 || creditsScale > MAX_CREDITS_SCALE) {
            throw new IllegalArgumentException("a wallet's credits scale must be 0 to " + MAX_CREDITS_SCALE);
        }
        if (minTopUp != null && minTopUp.signum() <= 0 || maxTopUp != null && maxTopUp.signum() <= 0) {
            throw new IllegalArgumentException("a wallet's top-up limits must be positive");
        }
        if (minTopUp != null && maxTopUp != null && minTopUp.compareTo(maxTopUp) > 0) {
            throw new IllegalArgumentException("a wallet's minimum top-up must not exceed its maximum");
        }
    }

    /** A builder: name empty, active, scale 2, rate 1, no expiry, no limits; id, currency and balances needed. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this wallet, to build a variant. */
    public Builder toBuilder() {
        return new Builder().id(id).name(name).currency(currency).status(status).balance(balance)
                .creditsBalance(creditsBalance).rateAmount(rateAmount).creditsScale(creditsScale).expiresAt(expiresAt)
                .minTopUp(minTopUp).maxTopUp(maxTopUp);
    }

    /** Builds a {@link Wallet}. */
    public static final class Builder {
        private String id;
        private String name = "";
        private Currency currency;
        private WalletStatus status = WalletStatus.ACTIVE;
        private Money balance;
        private BigDecimal creditsBalance;
        private BigDecimal rateAmount = BigDecimal.ONE;
        private int creditsScale = 2;
        private Instant expiresAt;
        private BigDecimal minTopUp;
        private BigDecimal maxTopUp;

        private Builder() {
        }

        /** Sets its id. */
        public Builder id(String id) { this.id = id; return this; }

        /** Sets its name. */
        public Builder name(String name) { this.name = name; return this; }

        /** Sets its currency. */
        public Builder currency(Currency currency) { this.currency = currency; return this; }

        /** Sets its status. */
        public Builder status(WalletStatus status) { this.status = status; return this; }

        /** Sets the balance in money. */
        public Builder balance(Money balance) { this.balance = balance; return this; }

        /** Sets the balance in credits. */
        public Builder creditsBalance(BigDecimal creditsBalance) { this.creditsBalance = creditsBalance; return this; }

        /** Sets what one credit costs. */
        public Builder rateAmount(BigDecimal rateAmount) { this.rateAmount = rateAmount; return this; }

        /** Sets decimals of credits. */
        public Builder creditsScale(int creditsScale) { this.creditsScale = creditsScale; return this; }

        /** Sets expiry, or null. */
        public Builder expiresAt(Instant expiresAt) { this.expiresAt = expiresAt; return this; }

        /** Sets the wallet's own minimum, or null. */
        public Builder minTopUp(BigDecimal minTopUp) { this.minTopUp = minTopUp; return this; }

        /** Sets the wallet's own maximum, or null. */
        public Builder maxTopUp(BigDecimal maxTopUp) { this.maxTopUp = maxTopUp; return this; }

        /** The wallet. */
        public Wallet build() {
            return new Wallet(id, name, currency, status, balance, creditsBalance, rateAmount, creditsScale,
                    expiresAt, minTopUp, maxTopUp);
        }
    }
}
