package dev.billingportal.core.subscriptions;

import java.util.Locale;

/** Where a subscription stands, as the host's billing system says. */
public enum SubscriptionStatus {
    /** Running and paid up. */
    ACTIVE,
    /** In its trial: nothing has been charged yet. */
    TRIALING,
    /** A payment failed; still running. */
    PAST_DUE,
    /** Ended. */
    CANCELED,
    /** Created, not started yet. */
    PENDING;

    /** The snake_case name used in JSON, e.g. {@code past_due}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the subscription still runs (and can be changed or cancelled): active, trialing or past due. */
    public boolean running() {
        return this == ACTIVE || this == TRIALING || this == PAST_DUE;
    }
}
