package dev.billingportal.testkit;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.wallets.TopUp;
import dev.billingportal.core.wallets.TopUpResult;
import dev.billingportal.core.wallets.Wallet;
import dev.billingportal.core.wallets.WalletProvider;
import dev.billingportal.core.wallets.WalletStatus;
import dev.billingportal.core.wallets.WalletTransaction;
import dev.billingportal.core.wallets.WalletTransactionKey;
import dev.billingportal.core.wallets.WalletTransactionStatus;
import dev.billingportal.core.wallets.WalletTransactionType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link WalletProvider}: subclass it, return your provider over the data {@link Seed} describes, and
 * run it as an ordinary JUnit Jupiter test class.
 *
 * <pre>{@code
 * class MyWalletProviderTest extends WalletProviderContract {
 *     @Override
 *     protected Seeded createProvider() {
 *         resetSandbox(); // your billing system's test account, emptied
 *         // owner: an active wallet "w-1" with at least three transactions;
 *         // stranger: a customer of ANOTHER tenant whose wallet is also called "w-1"
 *         return new Seeded(new MyWalletProvider(client), new Seed(owner, "w-1", stranger));
 *     }
 * }
 * }</pre>
 *
 * <p>What it pins down, beyond the Javadoc of the interface: every method is scoped (the same wallet id in another
 * tenant is another wallet, untouched by anything done to the owner's); transactions come in keyset pages, newest
 * first, each exactly once however the pages are cut; a top-up makes one pending inbound transaction of exactly the
 * credits asked for, at most once per request id, also when {@value #RACERS} threads send the same request at once.
 */
public abstract class WalletProviderContract {
    /** Threads that race one top-up request. */
    public static final int RACERS = 8;

    /**
     * What the provider under test holds.
     *
     * @param owner    a customer with the wallet below
     * @param walletId an ACTIVE wallet of the owner with at least three transactions
     * @param stranger a customer of another tenant (ideally with the same customer id) who also has a wallet called
     *                 {@code walletId}
     */
    public record Seed(CustomerScope owner, String walletId, CustomerScope stranger) {
        /** Requires all three; the stranger must be in another tenant. */
        public Seed {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(walletId, "walletId");
            Objects.requireNonNull(stranger, "stranger");
            if (owner.tenantId().equals(stranger.tenantId())) {
                throw new IllegalArgumentException("the stranger must be of another tenant");
            }
        }
    }

    /**
     * A provider and what it was seeded with.
     *
     * @param provider the provider under test
     * @param seed     its data
     */
    public record Seeded(WalletProvider provider, Seed seed) {
        /** Requires both. */
        public Seeded {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(seed, "seed");
        }
    }

    private WalletProvider provider;
    private Seed seed;
    private Wallet strangersWallet;
    private List<WalletTransaction> strangersTransactions;

    /**
     * Return a provider over FRESH data as {@link Seed} describes; called before each test.
     *
     * @return the provider and its seed
     */
    protected abstract Seeded createProvider();

    @BeforeEach
    final void createProviderUnderTest() {
        Seeded seeded = createProvider();
        assertThat(seeded).as("createProvider()").isNotNull();
        provider = seeded.provider();
        seed = seeded.seed();
        strangersWallet = provider.wallet(seed.stranger(), seed.walletId()).orElse(null);
        assertThat(strangersWallet).as("rule: the stranger has a wallet of the same id (the seed's trap)").isNotNull();
        strangersTransactions = provider.transactions(seed.stranger(), seed.walletId(), null, 1000);
    }

    private Wallet own() {
        return provider.wallet(seed.owner(), seed.walletId()).orElseThrow(
                () -> new AssertionError("the owner's wallet " + seed.walletId() + " is gone"));
    }

    private List<WalletTransaction> all(CustomerScope scope) {
        return provider.transactions(scope, seed.walletId(), null, 1000);
    }

    private void assertStrangerUntouched() {
        assertThat(provider.wallet(seed.stranger(), seed.walletId())).as(
                "rule: nothing done to the owner's %s changes the stranger's wallet of the same id", seed.walletId())
                .contains(strangersWallet);
        assertThat(all(seed.stranger())).as("rule: nothing done to the owner's %s adds to the stranger's transactions",
                seed.walletId()).isEqualTo(strangersTransactions);
    }

    private BigDecimal credits(String value) {
        return new BigDecimal(value).setScale(own().creditsScale(), java.math.RoundingMode.UNNECESSARY);
    }

    // ---------------------------------------------------------------- reading

    @Test
    @DisplayName("wallets are scoped: the owner's list holds theirs, a missing id is empty, the stranger's is theirs")
    void scoped() {
        Wallet own = own();
        assertThat(own.status()).as("rule: the seeded wallet is active").isEqualTo(WalletStatus.ACTIVE);
        assertThat(provider.wallets(seed.owner())).as("rule: the owner's list holds the owner's wallet").contains(own);
        assertThat(own).as("rule: the same wallet id in another tenant is another wallet").isNotEqualTo(strangersWallet);
        assertThat(provider.wallet(seed.owner(), "w-missing-" + System.nanoTime())).as("rule: a missing wallet")
                .isEmpty();
        CustomerScope nobody = new CustomerScope(seed.owner().tenantId(), "cus-nobody-" + System.nanoTime());
        assertThat(provider.wallet(nobody, seed.walletId())).as("rule: another customer of the tenant sees nothing")
                .isEmpty();
        assertThat(provider.wallets(nobody)).as("rule: a customer without wallets has none").isEmpty();
        assertThat(provider.transactions(nobody, seed.walletId(), null, 10))
                .as("rule: another customer of the tenant sees no transaction of the owner's wallet").isEmpty();
        assertThat(own.balance().currency()).as("rule: the balance is in the wallet's currency").isEqualTo(own.currency());
    }

    @Test
    @DisplayName("transactions come newest first, and pages of any size hold each transaction exactly once")
    void pages() {
        List<WalletTransaction> all = all(seed.owner());
        assertThat(all).as("rule: the seeded wallet has at least three transactions").hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i - 1).key().isBefore(all.get(i).key()))
                    .as("rule: newest first (time, then id, descending) at %d", i).isTrue();
        }
        all.forEach(t -> assertThat(t.walletId()).as("rule: only this wallet's transactions").isEqualTo(seed.walletId()));
        for (int size : List.of(1, 2, 3)) {
            List<WalletTransaction> paged = new ArrayList<>();
            WalletTransactionKey after = null;
            for (int guard = 0; guard <= all.size(); guard++) {
                List<WalletTransaction> page = provider.transactions(seed.owner(), seed.walletId(), after, size);
                assertThat(page.size()).as("rule: at most the limit").isLessThanOrEqualTo(size);
                if (page.isEmpty()) {
                    break;
                }
                paged.addAll(page);
                after = page.get(page.size() - 1).key();
            }
            assertThat(paged).as("rule: pages of %d hold each transaction once, in order", size).isEqualTo(all);
        }
    }

    // ---------------------------------------------------------------- top-ups

    @Test
    @DisplayName("a top-up makes one pending inbound transaction of exactly the credits asked, and no other")
    void topUp() {
        List<WalletTransaction> before = all(seed.owner());
        BigDecimal credits = credits("12.5").stripTrailingZeros().scale() > own().creditsScale()
                ? credits("12") : credits("12.5");
        TopUpResult result = provider.topUp(seed.owner(), new TopUp(seed.walletId(), credits, "contract-1"));
        WalletTransaction made = result.transaction();
        assertThat(made.walletId()).as("rule: the transaction is of the wallet topped up").isEqualTo(seed.walletId());
        assertThat(made.type()).as("rule: a top-up is inbound").isEqualTo(WalletTransactionType.INBOUND);
        assertThat(made.status()).as("rule: a top-up is pending until paid").isEqualTo(WalletTransactionStatus.PENDING);
        assertThat(made.credits()).as("rule: exactly the credits asked").isEqualByComparingTo(credits);
        assertThat(made.amount().currency()).as("rule: in the wallet's currency").isEqualTo(own().currency());
        if (result.payment() != null) {
            assertThat(result.payment().amount().currency()).isEqualTo(own().currency());
        }
        List<WalletTransaction> after = all(seed.owner());
        assertThat(after).as("rule: one transaction more").hasSize(before.size() + 1).contains(made)
                .containsAll(before);
        assertStrangerUntouched();
    }

    @Test
    @DisplayName("the same request id tops up once: a retry answers the first transaction")
    void oncePerRequestId() {
        int before = all(seed.owner()).size();
        TopUp topUp = new TopUp(seed.walletId(), credits("5"), "contract-retry");
        TopUpResult first = provider.topUp(seed.owner(), topUp);
        TopUpResult again = provider.topUp(seed.owner(), topUp);
        assertThat(again.transaction().id()).as("rule: a retried request id answers the first transaction")
                .isEqualTo(first.transaction().id());
        assertThat(all(seed.owner())).as("rule: one transaction per request id").hasSize(before + 1);
        TopUpResult other = provider.topUp(seed.owner(), new TopUp(seed.walletId(), credits("5"), "contract-other"));
        assertThat(other.transaction().id()).as("rule: another request id is another top-up")
                .isNotEqualTo(first.transaction().id());
        assertThat(all(seed.owner())).hasSize(before + 2);
        assertStrangerUntouched();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("racing threads sending one request id make one transaction")
    void racing() throws Exception {
        int before = all(seed.owner()).size();
        TopUp topUp = new TopUp(seed.walletId(), credits("7"), "contract-race");
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        try {
            CyclicBarrier barrier = new CyclicBarrier(RACERS);
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                results.add(pool.submit(() -> {
                    barrier.await();
                    ids.add(provider.topUp(seed.owner(), topUp).transaction().id());
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ids).as("rule: every racer is answered the one transaction").hasSize(1);
        assertThat(all(seed.owner())).as("rule: %d racers, one transaction", RACERS).hasSize(before + 1);
        assertStrangerUntouched();
    }

    @Test
    @DisplayName("a top-up of a wallet not in the scope is NOT_FOUND wallet_not_found, and writes nothing")
    void foreign() {
        CustomerScope nobody = new CustomerScope(seed.owner().tenantId(), "cus-nobody-" + System.nanoTime());
        for (CustomerScope scope : List.of(nobody, seed.owner())) {
            String id = scope == nobody ? seed.walletId() : "w-missing-" + System.nanoTime();
            assertThatThrownBy(() -> provider.topUp(scope, new TopUp(id, credits("5"), "contract-foreign")))
                    .as("rule: a wallet not in the scope").isInstanceOfSatisfying(PortalException.class, e -> {
                        assertThat(e.code()).as("rule: the refusal's code").isEqualTo(ErrorCode.NOT_FOUND);
                        assertThat(e.reason()).as("rule: the refusal's reason").isEqualTo("wallet_not_found");
                    });
        }
        assertStrangerUntouched();
    }
}
