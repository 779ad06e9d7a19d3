package dev.billingportal.core.wallets;

import java.util.Locale;

/** Where a wallet transaction stands. */
public enum WalletTransactionStatus {
    /** Requested; its credits arrive once it is paid. */
    PENDING,
    /** Done: its credits are in (or out of) the balance. */
    SETTLED,
    /** Did not go through (its payment failed): no credits moved. */
    FAILED;

    /** The JSON name, e.g. {@code pending}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
