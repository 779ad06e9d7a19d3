package dev.billingportal.core.invoices;

import dev.billingportal.core.domain.Money;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;

import java.util.Currency;

/**
 * One currency's row of a {@link BillingOverview}. Amounts of different currencies are never summed.
 *
 * @param currency         the currency of every amount in the row
 * @param totalInvoiced    sum of the totals of finalized invoices (voided ones excluded), paid or not
 * @param overdue          sum of the amounts due of overdue invoices
 * @param overdueCount     number of overdue invoices
 * @param outstanding      sum of the amounts due of unpaid finalized invoices not overdue yet
 * @param outstandingCount number of those invoices
 */
public record CurrencyOverview(Currency currency, Money totalInvoiced, Money overdue, long overdueCount,
                               Money outstanding, long outstandingCount) {

    /** Validates that every amount is in {@code currency} and counts are not negative. */
    public CurrencyOverview {
        Checks.required(currency, "currency");
        for (Money m : new Money[] {Checks.required(totalInvoiced, "total_invoiced"),
                Checks.required(overdue, "overdue"), Checks.required(outstanding, "outstanding")}) {
            if (!m.currency().equals(currency)) {
                throw PortalException.invalid("currency", "every amount of a row must be in " + currency);
            }
        }
        if (overdueCount < 0 || outstandingCount < 0) {
            throw PortalException.invalid("count", "must not be negative");
        }
    }

    /** A row with everything zero. */
    public static CurrencyOverview zero(Currency currency) {
        Money zero = Money.zero(currency);
        return new CurrencyOverview(currency, zero, zero, 0, zero, 0);
    }
}
