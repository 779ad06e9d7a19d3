package dev.billingportal.core.usage;

import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.List;

/**
 * The usage of one active subscription in its current period: the period, the total so far, the charges per billable
 * metric and, when the provider knows it, the projected total at the period's end.
 *
 * @param subscriptionId the subscription
 * @param from           the current period's start (inclusive)
 * @param to             its end (exclusive)
 * @param total          what the usage has cost so far
 * @param charges        per billable metric, in the provider's order
 * @param projectedTotal the projected total at the period's end, or null when unknown
 */
public record UsageSummary(String subscriptionId, Instant from, Instant to, Money total, List<Charge> charges,
                           Money projectedTotal) {

    /** Validates the summary: every amount is in the total's currency. */
    public UsageSummary {
        Checks.id(subscriptionId, "subscription_id");
        Checks.required(from, "from");
        Checks.required(to, "to");
        Checks.required(total, "total");
        charges = List.copyOf(Checks.required(charges, "charges"));
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a usage period must end after it starts");
        }
        for (Charge c : charges) {
            if (!c.amount().currency().equals(total.currency())) {
                throw new IllegalArgumentException("every charge must be in the total's currency");
            }
        }
        if (projectedTotal != null && !projectedTotal.currency().equals(total.currency())) {
            throw new IllegalArgumentException("the projected total must be in the total's currency");
        }
    }
}
