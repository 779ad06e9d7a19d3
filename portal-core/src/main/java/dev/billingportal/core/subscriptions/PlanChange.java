package dev.billingportal.core.subscriptions;

import dev.billingportal.core.config.ChangeTiming;
import dev.billingportal.core.internal.Checks;

/**
 * A plan change the portal asks the provider to {@linkplain SubscriptionProvider#preview preview} or to
 * {@linkplain SubscriptionProvider#change apply}. The timing is decided by the portal's configuration, never by the
 * customer.
 *
 * <p>To apply, it carries {@link #changeId()} (the provider applies each id at most once and answers a repeated one
 * with the subscription as it is) and {@link #expectedFingerprint()} (the {@link PlanChangePreview#fingerprint()} of
 * what the customer was shown: the provider applies the change only if its own preview of it, at that moment, has
 * the same fingerprint, atomically, so the customer is charged exactly what they saw).
 *
 * @param subscriptionId      the subscription
 * @param planCode            the plan it moves to
 * @param timing              when the change takes effect
 * @param changeId            for {@code change}: the change's id (the same for every retry of one confirmation);
 *                            null for a preview
 * @param expectedFingerprint for {@code change}: the fingerprint of the preview shown; null for a preview
 */
public record PlanChange(String subscriptionId, String planCode, ChangeTiming timing, String changeId,
                         String expectedFingerprint) {

    /** Validates the change; an id and a fingerprint come together or not at all. */
    public PlanChange {
        Checks.id(subscriptionId, "subscription_id");
        Checks.id(planCode, "plan_code");
        Checks.required(timing, "timing");
        if ((changeId == null) != (expectedFingerprint == null)) {
            throw new IllegalArgumentException("a change id and an expected fingerprint come together");
        }
        if (changeId != null) {
            Checks.id(changeId, "change_id");
        }
    }

    /**
     * A change to preview.
     *
     * @param subscriptionId the subscription
     * @param planCode       the target plan
     * @param timing         when it would take effect
     * @return the change
     */
    public static PlanChange preview(String subscriptionId, String planCode, ChangeTiming timing) {
        return new PlanChange(subscriptionId, planCode, timing, null, null);
    }

    /**
     * This change, confirmed: to apply once, only at the previewed figures.
     *
     * @param changeId    the id of this confirmation
     * @param fingerprint the fingerprint of the preview the customer saw
     * @return the change to apply
     */
    public PlanChange confirmed(String changeId, String fingerprint) {
        return new PlanChange(subscriptionId, planCode, timing, changeId, fingerprint);
    }

    /** Whether this is a change to apply (not a preview). */
    public boolean isConfirmed() {
        return changeId != null;
    }
}
