package dev.billingportal.testkit;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.memory.InMemoryWalletProvider;
import dev.billingportal.core.wallets.Wallet;
import dev.billingportal.core.wallets.WalletTransaction;
import dev.billingportal.core.wallets.WalletTransactionStatus;
import dev.billingportal.core.wallets.WalletTransactionType;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;

/** The in-memory wallet provider passes the contract hosts run against theirs. */
class InMemoryWalletProviderTest extends WalletProviderContract {
    @Override
    protected Seeded createProvider() {
        InMemoryWalletProvider provider = new InMemoryWalletProvider(Clock.fixed(TestData.NOW, ZoneOffset.UTC));
        CustomerScope owner = new CustomerScope("tenant-a", "cus-1");
        CustomerScope stranger = new CustomerScope("tenant-b", "cus-1");
        long factor = 1;
        for (CustomerScope scope : List.of(owner, stranger)) {
            provider.put(scope, Wallet.builder().id("w-1").name("Credits " + scope.tenantId())
                    .currency(Currency.getInstance("EUR")).balance(Money.of(1000 * factor, "EUR"))
                    .creditsBalance(BigDecimal.valueOf(1000 * factor, 2)).build());
            for (int i = 0; i < 5; i++) {
                // two share a time: the order falls back to the id
                provider.record(scope, new WalletTransaction("wt-" + i, "w-1", WalletTransactionType.INBOUND,
                        WalletTransactionStatus.SETTLED, new BigDecimal("1.00"), Money.of(100, "EUR"),
                        TestData.NOW.minusSeconds(3600L * (i / 2 + 1))));
            }
            factor++;
        }
        return new Seeded(provider, new Seed(owner, "w-1", stranger));
    }
}
