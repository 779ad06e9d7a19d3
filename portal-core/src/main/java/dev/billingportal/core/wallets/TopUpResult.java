package dev.billingportal.core.wallets;

import dev.billingportal.core.internal.Checks;

/**
 * What a top-up made: the pending inbound transaction and, when the provider bills it, the payment to make.
 *
 * @param transaction the transaction, {@linkplain WalletTransactionStatus#PENDING pending} until paid
 * @param payment     the payment to make, or null when nothing is to be paid in the portal (the host charges it)
 */
public record TopUpResult(WalletTransaction transaction, TopUpPayment payment) {

    /** Validates the result. */
    public TopUpResult {
        Checks.required(transaction, "transaction");
    }
}
