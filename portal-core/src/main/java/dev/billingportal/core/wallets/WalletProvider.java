package dev.billingportal.core.wallets;

import dev.billingportal.core.CustomerScope;

import java.util.List;
import java.util.Optional;

/**
 * The host's prepaid wallets (its billing system: Lago, its own), as the portal shows and tops them up. Every method
 * is scoped by {@link CustomerScope}: another customer's (or tenant's) wallet must be invisible (empty, never an
 * error telling it exists). Credits are exact decimals, money integer minor units: never floating point.
 *
 * <p>The portal checks a top-up before it calls {@link #topUp} (positive, at most the wallet's decimals, inside the
 * configured and the wallet's limits, wallet active). Refusals: throw {@link dev.billingportal.core.PortalException}
 * with {@code CONFLICT} or {@code VALIDATION_ERROR} and a stable reason (e.g. {@code wallet_not_active}); the portal
 * passes it on. Any other exception means the provider is unavailable: the customer gets
 * {@code 503 provider_unavailable} and may retry with the same key. Implementations must be thread-safe; testkit's
 * {@code WalletProviderContract} checks an implementation.
 */
public interface WalletProvider {

    /**
     * The customer's wallets, in a stable order.
     *
     * @param scope the customer
     * @return their wallets
     */
    List<Wallet> wallets(CustomerScope scope);

    /**
     * One wallet of the customer.
     *
     * @param scope    the customer
     * @param walletId its id
     * @return it, or empty when it does not exist or is another customer's
     */
    Optional<Wallet> wallet(CustomerScope scope, String walletId);

    /**
     * A page of a wallet's transactions, newest first ({@link WalletTransactionKey#NEWEST_FIRST}).
     *
     * @param scope    the customer
     * @param walletId one of their wallets
     * @param after    the last transaction of the previous page, or null for the first page
     * @param limit    most transactions to answer (at least 1)
     * @return at most {@code limit} transactions strictly after {@code after}; empty for a wallet not in the scope
     */
    List<WalletTransaction> transactions(CustomerScope scope, String walletId, WalletTransactionKey after, int limit);

    /**
     * Buys credits, atomically and at most once per {@link TopUp#requestId()}: a request id seen before answers the
     * transaction it made then, without acting again. The new transaction is {@code INBOUND} and
     * {@code PENDING} with exactly the requested credits.
     *
     * @param scope the customer
     * @param topUp the checked request
     * @return the pending transaction and, when the provider bills it, the payment to make
     * @throws dev.billingportal.core.PortalException {@code NOT_FOUND wallet_not_found} for a wallet not in the
     *                                                scope, or a refusal
     */
    TopUpResult topUp(CustomerScope scope, TopUp topUp);
}
