package dev.billingportal.core.subscriptions;

import java.time.LocalDate;
import java.util.Locale;

/** How often a plan bills. */
public enum PlanInterval {
    /** Every calendar month. */
    MONTH,
    /** Every year. */
    YEAR;

    /** The snake_case name used in JSON: {@code month} or {@code year}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The day one period after {@code start}. */
    public LocalDate next(LocalDate start) {
        return this == MONTH ? start.plusMonths(1) : start.plusYears(1);
    }

    /** How many periods of this interval make a year (12 or 1): to compare monthly and yearly prices. */
    public int perYear() {
        return this == MONTH ? 12 : 1;
    }
}
