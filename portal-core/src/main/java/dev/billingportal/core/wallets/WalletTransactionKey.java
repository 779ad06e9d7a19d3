package dev.billingportal.core.wallets;

import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.Comparator;

/**
 * A position in a wallet's transactions, newest first: later {@code createdAt} first, and among equal times the
 * greater {@code id} first. A page {@linkplain WalletProvider#transactions after} a key holds only transactions that
 * come strictly after it in that order.
 *
 * @param createdAt the transaction's time
 * @param id        its id
 */
public record WalletTransactionKey(Instant createdAt, String id) {

    /** Newest first: descending time, then descending id. */
    public static final Comparator<WalletTransactionKey> NEWEST_FIRST =
            Comparator.comparing(WalletTransactionKey::createdAt).thenComparing(WalletTransactionKey::id).reversed();

    /** Validates the key. */
    public WalletTransactionKey {
        Checks.required(createdAt, "created_at");
        Checks.id(id, "id");
    }

    /**
     * Whether {@code other} comes strictly after this key, newest first.
     *
     * @param other another transaction's key
     * @return whether it belongs on a page after this key
     */
    public boolean isBefore(WalletTransactionKey other) {
        return NEWEST_FIRST.compare(this, other) < 0;
    }
}
