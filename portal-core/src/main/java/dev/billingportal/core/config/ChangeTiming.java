package dev.billingportal.core.config;

/** When a plan change takes effect. */
public enum ChangeTiming {
    /** At once, prorated. */
    IMMEDIATELY,
    /** At the end of the current period, without proration. */
    PERIOD_END
}
