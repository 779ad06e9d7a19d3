package dev.billingportal.core.config;

/** How a cancellation from the portal ends a subscription. */
public enum CancelMode {
    /** The subscription runs until the end of its period, then ends (the default). */
    AT_PERIOD_END,
    /** The subscription ends now. */
    IMMEDIATELY
}
