package dev.billingportal.core.wallets;

import java.util.Locale;

/** Which way credits moved. */
public enum WalletTransactionType {
    /** Credits into the wallet (a top-up, a grant). */
    INBOUND,
    /** Credits out of the wallet (usage paid with them, a void). */
    OUTBOUND;

    /** The JSON name, e.g. {@code inbound}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
