package dev.billingportal.pdf;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

import java.math.BigDecimal;

/**
 * One line of an invoice, printed as the host gives it: the document's totals come from the
 * {@link dev.billingportal.core.invoices.Invoice}, never from adding lines up, so rounding stays the host's.
 *
 * @param description what is billed (required; at most {@value #MAX_DESCRIPTION_LENGTH} characters; a
 *                    {@code \n} starts a new printed line, other control characters are refused)
 * @param quantity    how many units (required; may be fractional, e.g. {@code 1.5} hours, or negative for returns)
 * @param unitAmount  price of one unit before tax (required)
 * @param amount      line amount before tax (required; a discount line may be negative)
 * @param taxRate     tax rate in percent (e.g. {@code 20} or {@code 5.5}), or null when no rate is shown
 */
public record InvoiceLine(String description, BigDecimal quantity, Money unitAmount, Money amount, BigDecimal taxRate) {

    /** Longest description accepted; a longer one would not fit on one page. */
    public static final int MAX_DESCRIPTION_LENGTH = 1000;

    /** Validates every part. */
    public InvoiceLine {
        Checks.required(description, "line.description");
        if (description.isBlank()) {
            throw PortalException.invalid("line.description", "must not be blank");
        }
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            throw PortalException.invalid("line.description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        for (int i = 0; i < description.length(); i++) {
            char c = description.charAt(i);
            if (Character.isISOControl(c) && c != '\n') {
                throw PortalException.invalid("line.description", "must not contain control characters other than \\n");
            }
        }
        Checks.required(quantity, "line.quantity");
        Checks.required(unitAmount, "line.unit_amount");
        Checks.required(amount, "line.amount");
        if (!unitAmount.currency().equals(amount.currency())) {
            throw PortalException.invalid("line.currency", "unit amount and amount must be in one currency");
        }
        if (taxRate != null && taxRate.signum() < 0) {
            throw PortalException.invalid("line.tax_rate", "must not be negative");
        }
    }

    /** A line of {@code quantity} units at {@code unitAmount}, amounting to {@code amount}, without a tax rate. */
    public static InvoiceLine of(String description, BigDecimal quantity, Money unitAmount, Money amount) {
        return new InvoiceLine(description, quantity, unitAmount, amount, null);
    }
}
