package dev.billingportal.core.payments;

import java.util.Locale;
import java.util.Optional;

/** The kind of a {@link PaymentMethod}; its JSON name is the lower-case constant, e.g. {@code sepa_debit}. */
public enum PaymentMethodType {
    /** A credit or debit card. */
    CARD,
    /** A SEPA direct debit mandate. */
    SEPA_DEBIT,
    /** Another bank account debit (ACH, BACS, ...). */
    BANK_ACCOUNT,
    /** A PayPal account. */
    PAYPAL,
    /** Anything else the provider offers. */
    OTHER;

    /**
     * The snake_case name used in JSON.
     *
     * @return e.g. {@code sepa_debit}
     */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type of this JSON name.
     *
     * @param jsonName e.g. {@code card}
     * @return the type, or empty for any other text
     */
    public static Optional<PaymentMethodType> ofJsonName(String jsonName) {
        for (PaymentMethodType type : values()) {
            if (type.jsonName().equals(jsonName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
