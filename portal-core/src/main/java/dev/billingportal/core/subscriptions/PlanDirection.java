package dev.billingportal.core.subscriptions;

import java.util.Locale;

/**
 * Whether a plan costs more or less than the current one, compared per year (so a yearly plan cheaper than twelve
 * months of the monthly one is a downgrade). Decides when the change takes effect: see
 * {@link dev.billingportal.core.config.SubscriptionSettings#upgrades()} and {@code downgrades()}.
 */
public enum PlanDirection {
    /** The new plan costs more per year. */
    UPGRADE,
    /** The new plan costs less per year. */
    DOWNGRADE,
    /** Both cost the same per year (same-price changes take effect as upgrades do). */
    SAME_PRICE;

    /** The snake_case name used in JSON. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The direction of moving from {@code current} to {@code target}, both in the same currency.
     *
     * @param current the plan now
     * @param target  the plan asked for
     * @return the direction
     */
    public static PlanDirection of(Plan current, Plan target) {
        int compared = Long.compare(target.yearlyAmountMinor(), current.yearlyAmountMinor());
        return compared > 0 ? UPGRADE : compared < 0 ? DOWNGRADE : SAME_PRICE;
    }
}
