package dev.billingportal.core.subscriptions;

import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

import java.util.Currency;

/**
 * A plan a subscription can be on, as the host's catalogue has it.
 *
 * @param code     the plan's stable code, e.g. {@code pro_monthly}
 * @param name     its display name, e.g. {@code Pro}
 * @param interval how often it bills
 * @param amount   the price of one unit per interval, in integer minor units of its currency
 */
public record Plan(String code, String name, PlanInterval interval, Money amount) {

    /** Validates the plan; the price may not be negative. */
    public Plan {
        Checks.id(code, "plan.code");
        Checks.required(name, "plan.name");
        Checks.required(interval, "plan.interval");
        Checks.required(amount, "plan.amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("plan.amount must not be negative");
        }
    }

    /** The currency of its price. */
    public Currency currency() {
        return amount.currency();
    }

    /**
     * Its price per year in minor units (a monthly price times 12), exact: what {@link PlanDirection} compares.
     *
     * @return the yearly price of one unit
     */
    public long yearlyAmountMinor() {
        return Math.multiplyExact(amount.amountMinor(), interval.perYear());
    }
}
