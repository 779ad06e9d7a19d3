package dev.billingportal.core.usage;

import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;

/**
 * The total of one past billing period of a subscription, for the usage chart.
 *
 * @param from  the period's start (inclusive)
 * @param to    its end (exclusive)
 * @param total what its usage cost
 */
public record UsagePeriod(Instant from, Instant to, Money total) {

    /** Validates the period. */
    public UsagePeriod {
        Checks.required(from, "from");
        Checks.required(to, "to");
        Checks.required(total, "total");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a usage period must end after it starts");
        }
    }
}
