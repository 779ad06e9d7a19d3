package dev.billingportal.core.config;

import java.util.Locale;
import java.util.Optional;

/** Why a customer cancels; the list Stripe's portal offers. */
public enum CancellationReason {
    /** It costs too much. */
    TOO_EXPENSIVE,
    /** Something is missing. */
    MISSING_FEATURES,
    /** They moved to another service. */
    SWITCHED_SERVICE,
    /** They do not use it. */
    UNUSED,
    /** Unhappy with customer service. */
    CUSTOMER_SERVICE,
    /** Too hard to use. */
    TOO_COMPLEX,
    /** Quality was too low. */
    LOW_QUALITY,
    /** Anything else. */
    OTHER;

    /** The snake_case name used in JSON, e.g. {@code too_expensive}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The reason of this JSON name.
     *
     * @param jsonName e.g. {@code unused}
     * @return the reason, or empty for any other text
     */
    public static Optional<CancellationReason> ofJsonName(String jsonName) {
        for (CancellationReason reason : values()) {
            if (reason.jsonName().equals(jsonName)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
