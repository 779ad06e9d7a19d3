package dev.billingportal.core.usage;

import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

import java.math.BigDecimal;

/**
 * What one billable metric has cost so far in a period: its units (an exact decimal, never floating point) and
 * their amount.
 *
 * @param metricCode the billable metric's code (e.g. {@code api_calls})
 * @param metricName its name, as shown to the customer
 * @param units      the units consumed, zero or more
 * @param amount     what they cost, in the subscription's currency
 */
public record Charge(String metricCode, String metricName, BigDecimal units, Money amount) {

    /** Validates the charge. */
    public Charge {
        Checks.id(metricCode, "metric_code");
        Checks.required(metricName, "metric_name");
        Checks.required(units, "units");
        Checks.required(amount, "amount");
        if (units.signum() < 0) {
            throw new IllegalArgumentException("units must not be negative");
        }
    }
}
