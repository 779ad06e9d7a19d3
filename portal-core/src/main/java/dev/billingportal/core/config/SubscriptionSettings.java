package dev.billingportal.core.config;

import dev.billingportal.core.internal.Checks;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What customers may do to their subscriptions.
 *
 * @param view           whether subscriptions are shown at all
 * @param change         whether the plan can be changed
 * @param plans          the plan codes offered, or empty for every plan the provider offers
 * @param plansPerPlan   per current plan code, the plan codes offered instead of {@code plans} (may be empty)
 * @param upgrades       when an upgrade takes effect (default {@link ChangeTiming#IMMEDIATELY})
 * @param downgrades     when a downgrade takes effect (default {@link ChangeTiming#PERIOD_END})
 * @param cancel         whether the customer may cancel
 * @param cancelMode     how a cancellation ends the subscription (default {@link CancelMode#AT_PERIOD_END})
 * @param reasons        the reasons offered when cancelling; empty: none asked
 * @param reasonRequired whether a reason must be given (only with reasons)
 * @param comment        whether a free-text comment (at most {@value #MAX_COMMENT_LENGTH} characters) is asked
 * @param resume         whether a scheduled cancellation can be undone before the period ends
 */
public record SubscriptionSettings(boolean view, boolean change, List<String> plans,
                                   Map<String, List<String>> plansPerPlan, ChangeTiming upgrades,
                                   ChangeTiming downgrades, boolean cancel, CancelMode cancelMode,
                                   List<CancellationReason> reasons, boolean reasonRequired, boolean comment,
                                   boolean resume) {

    /** Longest cancellation comment accepted. */
    public static final int MAX_COMMENT_LENGTH = 500;

    /**
     * View, change to any plan (upgrades at once, downgrades at period end), cancel at period end without reasons,
     * resume: each still needs a subscription provider.
     */
    public static final SubscriptionSettings DEFAULT = new SubscriptionSettings(true, true, List.of(), Map.of(),
            ChangeTiming.IMMEDIATELY, ChangeTiming.PERIOD_END, true, CancelMode.AT_PERIOD_END, List.of(), false,
            false, true);

    /** Everything off. */
    public static final SubscriptionSettings DISABLED = new SubscriptionSettings(false, false, List.of(), Map.of(),
            ChangeTiming.IMMEDIATELY, ChangeTiming.PERIOD_END, false, CancelMode.AT_PERIOD_END, List.of(), false,
            false, false);

    /** Validates and copies. */
    public SubscriptionSettings {
        plans = List.copyOf(Objects.requireNonNull(plans, "plans"));
        plans.forEach(code -> Checks.id(code, "subscriptions.plans"));
        plansPerPlan = Map.copyOf(Objects.requireNonNull(plansPerPlan, "plansPerPlan"));
        plansPerPlan.forEach((from, to) -> {
            Checks.id(from, "subscriptions.plans_per_plan");
            List.copyOf(to).forEach(code -> Checks.id(code, "subscriptions.plans_per_plan"));
        });
        Objects.requireNonNull(upgrades, "upgrades");
        Objects.requireNonNull(downgrades, "downgrades");
        Objects.requireNonNull(cancelMode, "cancelMode");
        reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons"));
        if (reasonRequired && reasons.isEmpty()) {
            throw new IllegalArgumentException("subscriptions.reason_required needs at least one reason");
        }
    }

    /** The plan codes offered to a subscription on {@code currentPlan}; empty means every plan of the provider. */
    public List<String> plansOfferedFrom(String currentPlan) {
        List<String> specific = plansPerPlan.get(currentPlan);
        return specific != null ? List.copyOf(specific) : plans;
    }

    /** A copy with {@code change} set. */
    public SubscriptionSettings withChange(boolean change) {
        return new SubscriptionSettings(view, change, plans, plansPerPlan, upgrades, downgrades, cancel, cancelMode,
                reasons, reasonRequired, comment, resume);
    }

    /** A copy offering these plan codes (empty: all). */
    public SubscriptionSettings withPlans(List<String> plans) {
        return new SubscriptionSettings(view, change, plans, plansPerPlan, upgrades, downgrades, cancel, cancelMode,
                reasons, reasonRequired, comment, resume);
    }

    /** A copy offering, per current plan code, these plan codes. */
    public SubscriptionSettings withPlansPerPlan(Map<String, List<String>> plansPerPlan) {
        return new SubscriptionSettings(view, change, plans, plansPerPlan, upgrades, downgrades, cancel, cancelMode,
                reasons, reasonRequired, comment, resume);
    }

    /** A copy with these change timings. */
    public SubscriptionSettings withTimings(ChangeTiming upgrades, ChangeTiming downgrades) {
        return new SubscriptionSettings(view, change, plans, plansPerPlan, upgrades, downgrades, cancel, cancelMode,
                reasons, reasonRequired, comment, resume);
    }

    /** A copy with cancellation on or off, in this mode. */
    public SubscriptionSettings withCancel(boolean cancel, CancelMode mode) {
        return new SubscriptionSettings(view, change, plans, plansPerPlan, upgrades, downgrades, cancel, mode,
                reasons, reasonRequired, comment, resume);
    }

    /** A copy asking these reasons (required or not) and a comment or not. */
    public SubscriptionSettings withReasons(List<CancellationReason> reasons, boolean required, boolean comment) {
        return new SubscriptionSettings(view, change, plans, plansPerPlan, upgrades, downgrades, cancel, cancelMode,
                reasons, required, comment, resume);
    }

    /** A copy with resume on or off. */
    public SubscriptionSettings withResume(boolean resume) {
        return new SubscriptionSettings(view, change, plans, plansPerPlan, upgrades, downgrades, cancel, cancelMode,
                reasons, reasonRequired, comment, resume);
    }
}
