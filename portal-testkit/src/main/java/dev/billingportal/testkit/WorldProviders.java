package dev.billingportal.testkit;

import dev.billingportal.core.domain.Money;
import dev.billingportal.core.memory.InMemorySubscriptionProvider;
import dev.billingportal.core.memory.InMemoryUsageProvider;
import dev.billingportal.core.memory.InMemoryWalletProvider;
import dev.billingportal.core.subscriptions.Plan;
import dev.billingportal.core.subscriptions.PlanInterval;
import dev.billingportal.core.subscriptions.Subscription;
import dev.billingportal.core.usage.Charge;
import dev.billingportal.core.usage.UsagePeriod;
import dev.billingportal.core.usage.UsageSummary;
import dev.billingportal.core.wallets.Wallet;
import dev.billingportal.core.wallets.WalletTransaction;
import dev.billingportal.core.wallets.WalletTransactionStatus;
import dev.billingportal.core.wallets.WalletTransactionType;
import dev.billingportal.testkit.PortalWorld.Who;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.billingportal.testkit.PortalWorld.EUR;
import static dev.billingportal.testkit.PortalWorld.NOW;
import static dev.billingportal.testkit.PortalWorld.TENANT_T;
import static dev.billingportal.testkit.PortalWorld.TENANT_U;

/**
 * The subscription, payment method, usage and wallet providers of {@link PortalWorld}, the world of
 * {@link PortalIsolationContract} and {@link PortalApiFuzzContract}: in memory, seeded with each customer's data (the
 * same ids in both tenants where the customers share them), with what was seeded kept to compare against and to put
 * back. Every portal of the world reads these providers (through the views its constructor is given), and the checks
 * read them directly to see what a request did.
 */
final class WorldProviders {

    /** The subscription provider every portal of the world reads (seeded by {@link #seedSubscriptions}). */
    final InMemorySubscriptionProvider subscriptions = new InMemorySubscriptionProvider(Clock.fixed(NOW, ZoneOffset.UTC));
    /** Each customer's subscriptions as seeded, by id. */
    final Map<Who, Map<String, Subscription>> seededSubscriptions = new EnumMap<>(Who.class);

    /** The providers, seeded: the subscriptions, then the payment methods, then usage and wallets. */
    WorldProviders() {
        seedSubscriptions();
        restorePayments();
        seedUsageAndWallets();
    }

    /**
     * Plans per tenant (the same codes in T and U, other prices), and subscriptions: A and A' both have
     * {@code sub-shared-1} (the same id in both tenants), B and A' both have {@code sub-shared-b}, and each has one of
     * its own ({@code sub-<tag>-1}); every name ends with the customer's marker suffix.
     */
    private void seedSubscriptions() {
        for (String tenant : List.of(TENANT_T, TENANT_U)) {
            long factor = tenant.equals(TENANT_T) ? 1 : 2;
            subscriptions.savePlan(tenant, new Plan("starter", "Starter", PlanInterval.MONTH, Money.of(1000 * factor, EUR)))
                    .savePlan(tenant, new Plan("pro", "Pro", PlanInterval.MONTH, Money.of(2999 * factor, EUR)))
                    .savePlan(tenant, new Plan("business", "Business", PlanInterval.MONTH, Money.of(9900 * factor, EUR)))
                    .savePlan(tenant, new Plan("pro_year", "Pro yearly", PlanInterval.YEAR, Money.of(29900 * factor, EUR)))
                    .savePlan(tenant, new Plan("secret", "Secret", PlanInterval.MONTH, Money.of(1, EUR)));
        }
        for (Who who : Who.values()) {
            Map<String, Subscription> own = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>(List.of("sub-" + who.tag + "-1"));
            if (who != Who.B) {
                ids.add("sub-shared-1");
            }
            if (who != Who.A) {
                ids.add("sub-shared-b");
            }
            int i = 0;
            for (String id : ids) {
                String plan = List.of("starter", "pro", "business").get((who.ordinal() + i++) % 3);
                Subscription s = Subscription.builder().id(id).name("Plan of " + who.suffix + " " + i)
                        .plan(subscriptions.plans(who.scope(), null).stream().filter(p -> p.code().equals(plan))
                                .findFirst().orElseThrow())
                        .startedAt(Instant.parse("2026-01-01T00:00:00Z"))
                        .currentPeriodStart(Instant.parse("2026-11-01T00:00:00Z"))
                        .currentPeriodEnd(Instant.parse("2026-12-01T00:00:00Z")).build();
                subscriptions.save(who.scope(), s);
                own.put(id, s);
            }
            seededSubscriptions.put(who, own);
        }
    }

    /** Every subscription id of the world, in any tenant. */
    Set<String> allSubscriptionIds() {
        Set<String> ids = new LinkedHashSet<>();
        seededSubscriptions.values().forEach(own -> ids.addAll(own.keySet()));
        return ids;
    }

    /** Puts every subscription back as seeded. */
    void restoreSubscriptions() {
        seededSubscriptions.forEach((who, own) -> own.values().forEach(s -> subscriptions.save(who.scope(), s)));
    }

    // ---------------------------------------------------------------- payments

    /** The payment provider every portal of the world reads (seeded by {@link #restorePayments}). */
    final dev.billingportal.core.memory.InMemoryPaymentMethodProvider payments =
            new dev.billingportal.core.memory.InMemoryPaymentMethodProvider();

    /**
     * Each customer's payment method ids: A and A' both have {@code pm-shared-1} (the same id in both tenants), A
     * and A' have two of their own ({@code pm-<tag>-1}, {@code -2}), B only one (so removing it is refused while its
     * subscriptions run). The first is the default.
     */
    List<String> seededPaymentMethods(Who who) {
        List<String> ids = new ArrayList<>(List.of("pm-" + who.tag + "-1"));
        if (who != Who.B) {
            ids.add("pm-shared-1");
            ids.add("pm-" + who.tag + "-2");
        }
        return ids;
    }

    /** Every payment method id of the world, in any tenant. */
    Set<String> allPaymentMethodIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Who who : Who.values()) {
            ids.addAll(seededPaymentMethods(who));
        }
        return ids;
    }

    /** Puts every payment method back as seeded, and forgets every charge. */
    void restorePayments() {
        payments.clear();
        for (Who who : Who.values()) {
            int i = 0;
            for (String id : seededPaymentMethods(who)) {
                i++;
                payments.save(who.scope(), dev.billingportal.core.payments.PaymentMethod.builder().id(id)
                        .brand(i == 2 ? "mastercard" : "visa").last4(String.format("%04d", who.ordinal() * 10 + i))
                        .expires(i, 2030 + i).isDefault(i == 1).build());
            }
        }
    }

    // ---------------------------------------------------------------- usage and wallets

    /** The usage provider every portal of the world reads: a summary per seeded subscription. */
    final InMemoryUsageProvider usage = new InMemoryUsageProvider();
    /** The wallet provider every portal of the world reads (seeded by {@link #seedUsageAndWallets}). */
    final InMemoryWalletProvider wallets = new InMemoryWalletProvider(Clock.fixed(NOW, ZoneOffset.UTC));
    /** Each customer's wallets as seeded, by id. */
    final Map<Who, Map<String, Wallet>> seededWallets = new EnumMap<>(Who.class);
    /** Each customer's wallet transactions as seeded, by wallet id, newest first. */
    final Map<Who, Map<String, List<WalletTransaction>>> seededWalletTransactions = new EnumMap<>(Who.class);

    /**
     * Usage for each seeded subscription (metric names end with the owner's marker suffix), and wallets: A and A'
     * both have {@code wal-shared-1} (the same id in both tenants, with transactions of the same ids), B and A' both
     * have {@code wal-shared-b}, and each has one of its own ({@code wal-<tag>-1}).
     */
    private void seedUsageAndWallets() {
        for (Who who : Who.values()) {
            for (Subscription s : seededSubscriptions.get(who).values()) {
                Money total = Money.of(who.amountBase + 11, EUR);
                usage.put(who.scope(), new UsageSummary(s.id(), s.currentPeriodStart(), s.currentPeriodEnd(), total,
                        List.of(new Charge("api_calls", "API calls " + who.suffix, new BigDecimal("1234.5"), total)),
                        null), List.of(new UsagePeriod(Instant.parse("2026-10-01T00:00:00Z"),
                        s.currentPeriodStart(), Money.of(who.amountBase + 12, EUR))));
            }
            List<String> ids = new ArrayList<>(List.of("wal-" + who.tag + "-1"));
            if (who != Who.B) {
                ids.add("wal-shared-1");
            }
            if (who != Who.A) {
                ids.add("wal-shared-b");
            }
            Map<String, Wallet> own = new LinkedHashMap<>();
            Map<String, List<WalletTransaction>> txs = new LinkedHashMap<>();
            for (String id : ids) {
                Wallet w = Wallet.builder().id(id).name("Credits of " + who.suffix).currency(EUR)
                        .balance(Money.of(who.amountBase, EUR)).creditsBalance(BigDecimal.valueOf(who.amountBase, 2))
                        .build();
                own.put(id, w);
                List<WalletTransaction> list = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    list.add(new WalletTransaction(id.replace("wal-", "wtx-") + "-" + i, id,
                            WalletTransactionType.INBOUND, WalletTransactionStatus.SETTLED,
                            BigDecimal.valueOf(who.amountBase + i, 2), Money.of(who.amountBase + i, EUR),
                            NOW.minusSeconds(3600L * (i + 1))));
                }
                txs.put(id, List.copyOf(list));
            }
            seededWallets.put(who, own);
            seededWalletTransactions.put(who, txs);
        }
        restoreWallets();
    }

    /** Every wallet id of the world, in any tenant. */
    Set<String> allWalletIds() {
        Set<String> ids = new LinkedHashSet<>();
        seededWallets.values().forEach(own -> ids.addAll(own.keySet()));
        return ids;
    }

    /** Puts every wallet and its transactions back as seeded (top-ups made since are gone). */
    void restoreWallets() {
        seededWallets.forEach((who, own) -> own.values().forEach(w -> {
            wallets.remove(who.scope(), w.id()).put(who.scope(), w);
            seededWalletTransactions.get(who).get(w.id()).forEach(t -> wallets.record(who.scope(), t));
        }));
    }
}
