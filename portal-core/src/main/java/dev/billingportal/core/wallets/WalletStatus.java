package dev.billingportal.core.wallets;

import java.util.Locale;

/** Whether a wallet can be used and topped up. */
public enum WalletStatus {
    /** In use: its credits pay usage, and it may be topped up. */
    ACTIVE,
    /** Closed or expired: shown, never topped up. */
    TERMINATED;

    /** The JSON name, e.g. {@code active}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
