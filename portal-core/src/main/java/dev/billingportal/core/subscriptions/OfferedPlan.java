package dev.billingportal.core.subscriptions;

import dev.billingportal.core.internal.Checks;

/**
 * A plan offered to one subscription, with how it compares to the current one.
 *
 * @param plan      the plan
 * @param direction upgrade, downgrade or same price
 */
public record OfferedPlan(Plan plan, PlanDirection direction) {

    /** Validates both. */
    public OfferedPlan {
        Checks.required(plan, "plan");
        Checks.required(direction, "direction");
    }
}
