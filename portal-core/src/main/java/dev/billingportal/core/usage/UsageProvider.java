package dev.billingportal.core.usage;

import dev.billingportal.core.CustomerScope;

import java.util.List;

/**
 * The host's metered usage (its billing system: Lago, Flexprice, its own), as the portal shows it. Every method is
 * scoped by {@link CustomerScope}: another customer's (or tenant's) subscription must be invisible (empty, never an
 * error telling it exists). Units are exact decimals ({@link java.math.BigDecimal}), amounts integer minor units.
 *
 * <p>Any exception other than a {@link dev.billingportal.core.PortalException} means the provider is unavailable:
 * the customer gets {@code 503 provider_unavailable}. Implementations must be thread-safe; testkit's
 * {@code UsageProviderContract} checks an implementation.
 */
public interface UsageProvider {

    /**
     * The current period's usage of each of the customer's active subscriptions.
     *
     * @param scope the customer
     * @return one summary per active subscription, in a stable order
     */
    List<UsageSummary> currentUsage(CustomerScope scope);

    /**
     * The totals of the periods before the current one, newest first.
     *
     * @param scope          the customer
     * @param subscriptionId one of their subscriptions
     * @param periods        how many past periods at most, 1 to 24
     * @return at most {@code periods} totals, newest first; empty for a subscription not in the scope
     */
    List<UsagePeriod> pastUsage(CustomerScope scope, String subscriptionId, int periods);
}
