package dev.billingportal.core.wallets;

import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One movement of a wallet's credits. Pages are ordered newest first by ({@link #createdAt()}, {@link #id()}).
 *
 * @param id        its id
 * @param walletId  the wallet
 * @param type      inbound or outbound
 * @param status    pending, settled or failed
 * @param credits   how many credits moved (positive, an exact decimal)
 * @param amount    what they are worth in the wallet's currency
 * @param createdAt when it was made
 */
public record WalletTransaction(String id, String walletId, WalletTransactionType type,
                                WalletTransactionStatus status, BigDecimal credits, Money amount, Instant createdAt) {

    /** Validates the transaction. */
    public WalletTransaction {
        Checks.id(id, "id");
        Checks.id(walletId, "wallet_id");
        Checks.required(type, "type");
        Checks.required(status, "status");
        Checks.required(credits, "credits");
        Checks.required(amount, "amount");
        Checks.required(createdAt, "created_at");
        if (credits.signum() <= 0) {
            throw new IllegalArgumentException("a wallet transaction moves a positive number of credits");
        }
    }

    /** Its position in the newest-first order, for keyset pages. */
    public WalletTransactionKey key() {
        return new WalletTransactionKey(createdAt, id);
    }
}
