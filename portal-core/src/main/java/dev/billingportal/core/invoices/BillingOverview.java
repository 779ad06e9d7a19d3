package dev.billingportal.core.invoices;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Currency;

/**
 * Where a customer stands, one row per currency they were billed in (ordered by currency code).
 * A customer billed in EUR and USD gets two rows, never a sum across currencies.
 *
 * @param asOf       the customer's "today" the overdue split was computed for
 * @param currencies one row per currency, at most one per currency, sorted by ISO code
 */
public record BillingOverview(LocalDate asOf, List<CurrencyOverview> currencies) {

    /** Validates, sorts rows by currency code and refuses duplicate currencies. */
    public BillingOverview {
        Checks.required(asOf, "as_of");
        Checks.required(currencies, "currencies");
        List<CurrencyOverview> sorted = new ArrayList<>(currencies);
        sorted.sort(Comparator.comparing(row -> row.currency().getCurrencyCode()));
        Set<Currency> seen = new HashSet<>();
        for (CurrencyOverview row : sorted) {
            if (!seen.add(row.currency())) {
                throw PortalException.invalid("currencies", "duplicate row for " + row.currency());
            }
        }
        currencies = List.copyOf(sorted);
    }

    /** The row of {@code currency}, if the customer was billed in it. */
    public Optional<CurrencyOverview> currency(Currency currency) {
        return currencies.stream().filter(row -> row.currency().equals(currency)).findFirst();
    }
}
