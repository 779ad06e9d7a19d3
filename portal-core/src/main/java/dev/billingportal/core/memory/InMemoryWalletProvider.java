package dev.billingportal.core.memory;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.wallets.TopUp;
import dev.billingportal.core.wallets.TopUpPayment;
import dev.billingportal.core.wallets.TopUpResult;
import dev.billingportal.core.wallets.Wallet;
import dev.billingportal.core.wallets.WalletProvider;
import dev.billingportal.core.wallets.WalletStatus;
import dev.billingportal.core.wallets.WalletTransaction;
import dev.billingportal.core.wallets.WalletTransactionKey;
import dev.billingportal.core.wallets.WalletTransactionStatus;
import dev.billingportal.core.wallets.WalletTransactionType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link WalletProvider} in memory, for tests and the demo: wallets and their transactions per customer scope.
 * A top-up makes a pending inbound transaction worth {@code credits × rate} in minor units of the wallet's currency
 * (rounded half-even to a whole minor unit) and, when {@linkplain #billing(boolean) billing} is on (the default),
 * an invoice id to pay ({@code inv_topup_...}); the balance moves only when the host settles it
 * ({@link #settle}). Top-ups are at most once per request id: the same id answers the first result again.
 *
 * <p>Thread-safe: every method is synchronized, so the request-id check and the write are one atomic step.
 */
public final class InMemoryWalletProvider implements WalletProvider {
    private final Clock clock;
    private final Map<CustomerScope, Map<String, Wallet>> wallets = new HashMap<>();
    private final Map<CustomerScope, Map<String, List<WalletTransaction>>> transactions = new HashMap<>();
    private final Map<CustomerScope, Map<String, TopUpResult>> requests = new HashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private boolean billing = true;

    /**
     * A provider whose transactions are stamped by {@code clock}.
     *
     * @param clock time
     */
    public InMemoryWalletProvider(Clock clock) {
        this.clock = Checks.required(clock, "clock");
    }

    /**
     * Whether top-ups come with an invoice to pay (default true).
     *
     * @param billing on or off
     * @return this
     */
    public synchronized InMemoryWalletProvider billing(boolean billing) {
        this.billing = billing;
        return this;
    }

    /**
     * Adds (or replaces) a customer's wallet.
     *
     * @param scope  the customer
     * @param wallet the wallet
     * @return this
     */
    public synchronized InMemoryWalletProvider put(CustomerScope scope, Wallet wallet) {
        Checks.required(scope, "scope");
        Checks.required(wallet, "wallet");
        wallets.computeIfAbsent(scope, k -> new LinkedHashMap<>()).put(wallet.id(), wallet);
        transactions.computeIfAbsent(scope, k -> new HashMap<>()).computeIfAbsent(wallet.id(), k -> new ArrayList<>());
        return this;
    }

    /**
     * Removes a customer's wallet with its transactions and the top-up requests it remembers (to reseed it).
     *
     * @param scope    the customer
     * @param walletId the wallet
     * @return this
     */
    public synchronized InMemoryWalletProvider remove(CustomerScope scope, String walletId) {
        wallets.getOrDefault(scope, new HashMap<>()).remove(walletId);
        transactions.getOrDefault(scope, new HashMap<>()).remove(walletId);
        requests.getOrDefault(scope, new HashMap<>()).values()
                .removeIf(r -> r.transaction().walletId().equals(walletId));
        return this;
    }

    /**
     * Records a transaction of a customer's wallet as it is (its balance is not touched).
     *
     * @param scope       the customer
     * @param transaction the transaction, of a wallet {@linkplain #put put} before
     * @return this
     */
    public synchronized InMemoryWalletProvider record(CustomerScope scope, WalletTransaction transaction) {
        List<WalletTransaction> list = list(scope, transaction.walletId());
        if (list == null) {
            throw new IllegalArgumentException("no such wallet: " + transaction.walletId());
        }
        list.add(transaction);
        return this;
    }

    /**
     * Settles a pending inbound transaction, as the host does once it is paid: its credits and money join the
     * balance.
     *
     * @param scope         the customer
     * @param walletId      the wallet
     * @param transactionId the transaction
     * @return the settled transaction
     */
    public synchronized WalletTransaction settle(CustomerScope scope, String walletId, String transactionId) {
        List<WalletTransaction> list = list(scope, walletId);
        for (int i = 0; list != null && i < list.size(); i++) {
            WalletTransaction t = list.get(i);
            if (t.id().equals(transactionId) && t.status() == WalletTransactionStatus.PENDING) {
                WalletTransaction settled = new WalletTransaction(t.id(), t.walletId(), t.type(),
                        WalletTransactionStatus.SETTLED, t.credits(), t.amount(), t.createdAt());
                list.set(i, settled);
                Wallet w = wallets.get(scope).get(walletId);
                wallets.get(scope).put(walletId, w.toBuilder().creditsBalance(w.creditsBalance().add(t.credits()))
                        .balance(w.balance().plus(t.amount())).build());
                return settled;
            }
        }
        throw new IllegalArgumentException("no pending transaction " + transactionId);
    }

    @Override
    public synchronized List<Wallet> wallets(CustomerScope scope) {
        return List.copyOf(wallets.getOrDefault(scope, Map.of()).values());
    }

    @Override
    public synchronized Optional<Wallet> wallet(CustomerScope scope, String walletId) {
        return Optional.ofNullable(wallets.getOrDefault(scope, Map.of()).get(walletId));
    }

    @Override
    public synchronized List<WalletTransaction> transactions(CustomerScope scope, String walletId,
                                                             WalletTransactionKey after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        List<WalletTransaction> list = list(scope, walletId);
        if (list == null) {
            return List.of();
        }
        return list.stream()
                .filter(t -> after == null || after.isBefore(t.key()))
                .sorted((a, b) -> WalletTransactionKey.NEWEST_FIRST.compare(a.key(), b.key()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized TopUpResult topUp(CustomerScope scope, TopUp topUp) {
        TopUpResult seen = requests.getOrDefault(scope, Map.of()).get(topUp.requestId());
        if (seen != null) {
            if (!seen.transaction().walletId().equals(topUp.walletId())
                    || seen.transaction().credits().compareTo(topUp.credits()) != 0) {
                throw new PortalException(ErrorCode.CONFLICT, "top_up_request_reused",
                        "this request id was used for another top-up");
            }
            return seen;
        }
        Wallet wallet = wallet(scope, topUp.walletId()).orElseThrow(() -> PortalException.notFound("wallet"));
        if (wallet.status() != WalletStatus.ACTIVE) {
            throw new PortalException(ErrorCode.CONFLICT, "wallet_not_active", "this wallet cannot be topped up");
        }
        if (topUp.credits().scale() > wallet.creditsScale()
                && topUp.credits().stripTrailingZeros().scale() > wallet.creditsScale()) {
            throw PortalException.invalid("credits", "too_many_decimals");
        }
        long minor = topUp.credits().multiply(wallet.rateAmount())
                .movePointRight(wallet.currency().getDefaultFractionDigits() < 0 ? 0
                        : wallet.currency().getDefaultFractionDigits())
                .setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        Money amount = Money.of(minor, wallet.currency());
        WalletTransaction t = new WalletTransaction(String.format("wtx_%s_%06d", wallet.id(), sequence.incrementAndGet()),
                wallet.id(), WalletTransactionType.INBOUND, WalletTransactionStatus.PENDING, topUp.credits(), amount,
                clock.instant());
        list(scope, wallet.id()).add(t);
        TopUpResult result = new TopUpResult(t, billing
                ? new TopUpPayment("inv_topup_" + t.id().substring(4), amount) : null);
        requests.computeIfAbsent(scope, k -> new HashMap<>()).put(topUp.requestId(), result);
        return result;
    }

    /**
     * Every transaction this provider made or recorded for a customer's wallet, in the order they were added (for
     * tests that count top-ups).
     *
     * @param scope    the customer
     * @param walletId the wallet
     * @return them
     */
    public synchronized List<WalletTransaction> allTransactions(CustomerScope scope, String walletId) {
        List<WalletTransaction> list = list(scope, walletId);
        return list == null ? List.of() : List.copyOf(list);
    }

    private List<WalletTransaction> list(CustomerScope scope, String walletId) {
        return transactions.getOrDefault(scope, Map.of()).get(walletId);
    }
}
