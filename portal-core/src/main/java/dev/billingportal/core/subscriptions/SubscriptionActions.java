package dev.billingportal.core.subscriptions;

/**
 * What one session may do to one subscription now: by the session's configuration and the subscription's state. The
 * page shows exactly these buttons and the API refuses the others.
 *
 * @param change whether its plan can be changed (and some plan is offered)
 * @param cancel whether it can be cancelled
 * @param resume whether its scheduled cancellation can be undone
 */
public record SubscriptionActions(boolean change, boolean cancel, boolean resume) {

    /** Nothing allowed. */
    public static final SubscriptionActions NONE = new SubscriptionActions(false, false, false);
}
