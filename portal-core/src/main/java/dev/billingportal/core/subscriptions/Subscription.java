package dev.billingportal.core.subscriptions;

import dev.billingportal.core.internal.Checks;

import java.time.Instant;

/**
 * One subscription of a customer, as the host's billing system has it. Build with {@link #builder()}; change with
 * {@link #toBuilder()}.
 *
 * @param id                 its id (unique within the customer's scope)
 * @param name               its display name (often the product's), or null
 * @param status             where it stands
 * @param plan               the plan it is on now
 * @param quantity           how many units of the plan (at least 1)
 * @param startedAt          when it started
 * @param currentPeriodStart when the current billing period started
 * @param currentPeriodEnd   when it ends (the next renewal)
 * @param trialEnd           when the trial ends, or null without a trial
 * @param cancelAtPeriodEnd  whether it ends at the end of the current period (a scheduled cancellation)
 * @param canceledAt         when it was cancelled (immediately or scheduled), or null
 * @param endingAt           when it ends or ended, or null while it renews
 * @param pendingChange      a plan change scheduled for later, or null
 * @param version            increases with every change the provider makes: the compare-and-set token of
 *                           {@link PlanChange}s and the figures of a preview
 */
public record Subscription(String id, String name, SubscriptionStatus status, Plan plan, int quantity,
                           Instant startedAt, Instant currentPeriodStart, Instant currentPeriodEnd, Instant trialEnd,
                           boolean cancelAtPeriodEnd, Instant canceledAt, Instant endingAt,
                           ScheduledChange pendingChange, long version) {

    /** Validates the subscription. */
    public Subscription {
        Checks.id(id, "subscription.id");
        Checks.required(status, "subscription.status");
        Checks.required(plan, "subscription.plan");
        if (quantity < 1) {
            throw new IllegalArgumentException("subscription.quantity must be at least 1");
        }
        Checks.required(startedAt, "subscription.started_at");
        Checks.required(currentPeriodStart, "subscription.current_period_start");
        Checks.required(currentPeriodEnd, "subscription.current_period_end");
        if (!currentPeriodEnd.isAfter(currentPeriodStart)) {
            throw new IllegalArgumentException("subscription.current_period_end must be after its start");
        }
    }

    /** Whether a cancellation is scheduled and could still be undone at {@code now}. */
    public boolean resumableAt(Instant now) {
        return cancelAtPeriodEnd && status.running() && now.isBefore(currentPeriodEnd);
    }

    /** A builder with nothing set (quantity 1, version 0). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this subscription's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.name = name;
        b.status = status;
        b.plan = plan;
        b.quantity = quantity;
        b.startedAt = startedAt;
        b.currentPeriodStart = currentPeriodStart;
        b.currentPeriodEnd = currentPeriodEnd;
        b.trialEnd = trialEnd;
        b.cancelAtPeriodEnd = cancelAtPeriodEnd;
        b.canceledAt = canceledAt;
        b.endingAt = endingAt;
        b.pendingChange = pendingChange;
        b.version = version;
        return b;
    }

    /** Builds a {@link Subscription}; each setter names its field. */
    public static final class Builder {
        private String id;
        private String name;
        private SubscriptionStatus status = SubscriptionStatus.ACTIVE;
        private Plan plan;
        private int quantity = 1;
        private Instant startedAt;
        private Instant currentPeriodStart;
        private Instant currentPeriodEnd;
        private Instant trialEnd;
        private boolean cancelAtPeriodEnd;
        private Instant canceledAt;
        private Instant endingAt;
        private ScheduledChange pendingChange;
        private long version;

        private Builder() {
        }

        /**
         * Sets the id.
         *
         * @param v the id
         * @return this
         */
        public Builder id(String v) { id = v; return this; }
        /**
         * Sets the display name.
         *
         * @param v the display name
         * @return this
         */
        public Builder name(String v) { name = v; return this; }
        /**
         * Sets the status (default active).
         *
         * @param v the status (default active)
         * @return this
         */
        public Builder status(SubscriptionStatus v) { status = v; return this; }
        /**
         * Sets the plan.
         *
         * @param v the plan
         * @return this
         */
        public Builder plan(Plan v) { plan = v; return this; }
        /**
         * Sets the quantity (default 1).
         *
         * @param v the quantity (default 1)
         * @return this
         */
        public Builder quantity(int v) { quantity = v; return this; }
        /**
         * Sets when it started.
         *
         * @param v when it started
         * @return this
         */
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        /**
         * Sets the current period's start.
         *
         * @param v the current period's start
         * @return this
         */
        public Builder currentPeriodStart(Instant v) { currentPeriodStart = v; return this; }
        /**
         * Sets the current period's end.
         *
         * @param v the current period's end
         * @return this
         */
        public Builder currentPeriodEnd(Instant v) { currentPeriodEnd = v; return this; }
        /**
         * Sets the trial's end, or null.
         *
         * @param v the trial's end, or null
         * @return this
         */
        public Builder trialEnd(Instant v) { trialEnd = v; return this; }
        /**
         * Sets whether it ends at period end.
         *
         * @param v whether it ends at period end
         * @return this
         */
        public Builder cancelAtPeriodEnd(boolean v) { cancelAtPeriodEnd = v; return this; }
        /**
         * Sets when it was cancelled, or null.
         *
         * @param v when it was cancelled, or null
         * @return this
         */
        public Builder canceledAt(Instant v) { canceledAt = v; return this; }
        /**
         * Sets when it ends, or null.
         *
         * @param v when it ends, or null
         * @return this
         */
        public Builder endingAt(Instant v) { endingAt = v; return this; }
        /**
         * Sets the scheduled change, or null.
         *
         * @param v the scheduled change, or null
         * @return this
         */
        public Builder pendingChange(ScheduledChange v) { pendingChange = v; return this; }
        /**
         * Sets the version.
         *
         * @param v the version
         * @return this
         */
        public Builder version(long v) { version = v; return this; }

        /**
         * The subscription.
         *
         * @return it
         */
        public Subscription build() {
            return new Subscription(id, name, status, plan, quantity, startedAt, currentPeriodStart,
                    currentPeriodEnd, trialEnd, cancelAtPeriodEnd, canceledAt, endingAt, pendingChange, version);
        }
    }
}
