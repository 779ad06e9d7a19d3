package dev.billingportal.core.subscriptions;

import dev.billingportal.core.internal.Checks;

import java.time.Instant;

/**
 * A plan change that takes effect later (at the end of the current period).
 *
 * @param plan        the plan the subscription moves to
 * @param effectiveAt when
 */
public record ScheduledChange(Plan plan, Instant effectiveAt) {

    /** Validates both. */
    public ScheduledChange {
        Checks.required(plan, "pending_change.plan");
        Checks.required(effectiveAt, "pending_change.effective_at");
    }
}
