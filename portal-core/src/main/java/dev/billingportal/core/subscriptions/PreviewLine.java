package dev.billingportal.core.subscriptions;

import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

/**
 * One line of a {@link PlanChangePreview}: a proration credit (negative) or charge (positive).
 *
 * @param description what it is, in the provider's words, e.g. {@code Remaining time on Pro (10 of 30 days)}
 * @param amount      the amount in minor units; negative for a credit
 */
public record PreviewLine(String description, Money amount) {

    /** Validates both. */
    public PreviewLine {
        Checks.required(description, "line.description");
        Checks.required(amount, "line.amount");
    }
}
