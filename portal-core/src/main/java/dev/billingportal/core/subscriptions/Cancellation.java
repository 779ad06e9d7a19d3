package dev.billingportal.core.subscriptions;

import dev.billingportal.core.config.CancelMode;
import dev.billingportal.core.config.CancellationReason;
import dev.billingportal.core.config.SubscriptionSettings;
import dev.billingportal.core.internal.Checks;

/**
 * A customer's cancellation of one subscription, as the portal hands it to the provider.
 *
 * @param subscriptionId the subscription
 * @param mode           now, or at the end of the period (by the configuration)
 * @param reason         why, or null when none was asked or given
 * @param comment        the customer's words, at most {@value SubscriptionSettings#MAX_COMMENT_LENGTH} characters,
 *                       or null
 */
public record Cancellation(String subscriptionId, CancelMode mode, CancellationReason reason, String comment) {

    /** Validates the cancellation. */
    public Cancellation {
        Checks.id(subscriptionId, "subscription_id");
        Checks.required(mode, "mode");
        if (comment != null && comment.length() > SubscriptionSettings.MAX_COMMENT_LENGTH) {
            throw new IllegalArgumentException("comment is longer than " + SubscriptionSettings.MAX_COMMENT_LENGTH);
        }
    }
}
