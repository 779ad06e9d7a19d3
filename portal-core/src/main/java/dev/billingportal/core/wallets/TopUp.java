package dev.billingportal.core.wallets;

import dev.billingportal.core.internal.Checks;

import java.math.BigDecimal;

/**
 * A customer's request to buy credits, as the portal hands it to the {@link WalletProvider} after checking it (a
 * positive amount, at most the wallet's {@linkplain Wallet#creditsScale() decimals}, inside the configured and the
 * wallet's limits).
 *
 * @param walletId  the wallet
 * @param credits   how many credits to buy
 * @param requestId identifies this request: the provider acts at most once per id (the same for every retry with one
 *                  {@code Idempotency-Key}; fresh for a request without one)
 */
public record TopUp(String walletId, BigDecimal credits, String requestId) {

    /** Validates the request. */
    public TopUp {
        Checks.id(walletId, "wallet_id");
        Checks.required(credits, "credits");
        Checks.id(requestId, "request_id");
        if (credits.signum() <= 0) {
            throw new IllegalArgumentException("a top-up buys a positive number of credits");
        }
    }
}
