package dev.billingportal.core.wallets;

import java.util.List;

/**
 * One page of a wallet's transactions, newest first.
 *
 * @param transactions the page
 * @param nextCursor   the signed cursor of the next page, or null when this is the last
 */
public record WalletTransactionPage(List<WalletTransaction> transactions, String nextCursor) {

    /** Copies the list. */
    public WalletTransactionPage {
        transactions = List.copyOf(transactions);
    }
}
