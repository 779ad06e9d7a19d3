package dev.billingportal.testkit;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.usage.Charge;
import dev.billingportal.core.usage.UsagePeriod;
import dev.billingportal.core.usage.UsageProvider;
import dev.billingportal.core.usage.UsageSummary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@link UsageProvider}: subclass it, return your provider over the data {@link Seed} describes, and
 * run it as an ordinary JUnit Jupiter test class.
 *
 * <pre>{@code
 * class MyUsageProviderTest extends UsageProviderContract {
 *     @Override
 *     protected Seeded createProvider() {
 *         // owner: an active subscription "sub-1" with some metered usage and at least two past periods;
 *         // stranger: a customer of ANOTHER tenant whose subscription is also called "sub-1"
 *         return new Seeded(new MyUsageProvider(client), new Seed(owner, "sub-1", stranger));
 *     }
 * }
 * }</pre>
 *
 * <p>What it pins down, beyond the Javadoc of the interface: every method is scoped (the same subscription id in
 * another tenant is another subscription); the figures are exact (units are decimals that survive as text, every
 * amount is in the total's currency); past periods come newest first, end where the next begins or earlier, never
 * overlap the current period, and are cut to the number asked for.
 */
public abstract class UsageProviderContract {

    /**
     * What the provider under test holds.
     *
     * @param owner          a customer with the subscription below
     * @param subscriptionId an ACTIVE subscription of the owner with usage in its current period and at least two
     *                       past periods
     * @param stranger       a customer of another tenant (ideally with the same customer id) who also has an active
     *                       subscription called {@code subscriptionId}
     */
    public record Seed(CustomerScope owner, String subscriptionId, CustomerScope stranger) {
        /** Requires all three; the stranger must be in another tenant. */
        public Seed {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(subscriptionId, "subscriptionId");
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
    public record Seeded(UsageProvider provider, Seed seed) {
        /** Requires both. */
        public Seeded {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(seed, "seed");
        }
    }

    private UsageProvider provider;
    private Seed seed;

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
    }

    private UsageSummary current(CustomerScope scope) {
        return provider.currentUsage(scope).stream().filter(s -> s.subscriptionId().equals(seed.subscriptionId()))
                .findFirst().orElseThrow(() -> new AssertionError("no current usage of " + seed.subscriptionId()
                        + " for " + scope));
    }

    @Test
    @DisplayName("current usage is scoped: the owner's and the stranger's subscription of the same id are two")
    void scoped() {
        UsageSummary own = current(seed.owner());
        UsageSummary theirs = current(seed.stranger());
        assertThat(own).as("rule: the same subscription id in another tenant is another subscription's usage")
                .isNotEqualTo(theirs);
        assertThat(provider.currentUsage(new CustomerScope(seed.owner().tenantId(), "cus-nobody-" + System.nanoTime())))
                .as("rule: a customer without subscriptions has no usage").isEmpty();
    }

    @Test
    @DisplayName("figures are exact: units are non-negative decimals that survive as text, amounts in one currency")
    void exact() {
        UsageSummary own = current(seed.owner());
        assertThat(own.charges()).as("rule: the seeded subscription has charges").isNotEmpty();
        for (Charge charge : own.charges()) {
            assertThat(charge.units().signum()).as("rule: units are never negative").isGreaterThanOrEqualTo(0);
            assertThat(new BigDecimal(charge.units().toPlainString())).as("rule: units survive as plain text")
                    .isEqualTo(charge.units());
            assertThat(charge.amount().currency()).as("rule: every charge is in the total's currency")
                    .isEqualTo(own.total().currency());
        }
        assertThat(own.from()).as("rule: the period starts before it ends").isBefore(own.to());
        assertThat(provider.currentUsage(seed.owner()).stream().map(UsageSummary::subscriptionId).distinct().count())
                .as("rule: one summary per subscription").isEqualTo(provider.currentUsage(seed.owner()).size());
        assertThat(provider.currentUsage(seed.owner())).as("rule: reading twice answers the same")
                .isEqualTo(provider.currentUsage(seed.owner()));
    }

    @Test
    @DisplayName("past periods come newest first, before the current one, cut to the number asked for")
    void history() {
        UsageSummary own = current(seed.owner());
        List<UsagePeriod> all = provider.pastUsage(seed.owner(), seed.subscriptionId(), 24);
        assertThat(all).as("rule: the seeded subscription has at least two past periods").hasSizeGreaterThanOrEqualTo(2);
        assertThat(all.size()).as("rule: never more than asked").isLessThanOrEqualTo(24);
        for (int i = 0; i < all.size(); i++) {
            UsagePeriod p = all.get(i);
            assertThat(p.to()).as("rule: a past period ends by the current one's start")
                    .isBeforeOrEqualTo(own.from());
            if (i > 0) {
                assertThat(p.to()).as("rule: newest first, without overlap").isBeforeOrEqualTo(all.get(i - 1).from());
            }
            assertThat(p.total().currency()).isEqualTo(own.total().currency());
        }
        assertThat(provider.pastUsage(seed.owner(), seed.subscriptionId(), 1)).as("rule: cut to the number asked")
                .containsExactly(all.get(0));
    }

    @Test
    @DisplayName("history is scoped: a missing subscription has none, the stranger's of the same id is theirs")
    void historyScoped() {
        assertThat(provider.pastUsage(seed.owner(), "sub-missing-" + System.nanoTime(), 6))
                .as("rule: a missing subscription has no history").isEmpty();
        CustomerScope nobody = new CustomerScope(seed.owner().tenantId(), "cus-nobody-" + System.nanoTime());
        assertThat(provider.pastUsage(nobody, seed.subscriptionId(), 6))
                .as("rule: another customer of the tenant sees no history of the owner's subscription").isEmpty();
        assertThat(provider.pastUsage(seed.stranger(), seed.subscriptionId(), 24))
                .as("rule: the stranger's history of the same id is not the owner's")
                .isNotEqualTo(provider.pastUsage(seed.owner(), seed.subscriptionId(), 24));
    }
}
