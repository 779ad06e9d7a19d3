package dev.billingportal.core.session;

import java.util.Locale;
import java.util.Optional;

/** What a deep link opens the portal on; see {@link Flow}. */
public enum FlowType {
    /** The profile edit form. */
    PROFILE_UPDATE,
    /** The plan picker of one subscription (needs its id). */
    SUBSCRIPTION_UPDATE,
    /** The confirmation of one plan change (needs the subscription's id and the plan's code). */
    SUBSCRIPTION_UPDATE_CONFIRM,
    /** The cancel dialog of one subscription (needs its id). */
    SUBSCRIPTION_CANCEL,
    /** Adding a payment method. */
    PAYMENT_METHOD_UPDATE,
    /** Paying one invoice (needs its id). */
    INVOICE_PAY,
    /** Topping up one wallet (needs its id). */
    WALLET_TOP_UP;

    /** The snake_case name used in JSON, e.g. {@code profile_update}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The flow type of this JSON name.
     *
     * @param jsonName e.g. {@code invoice_pay}
     * @return the type, or empty for any other text
     */
    public static Optional<FlowType> ofJsonName(String jsonName) {
        for (FlowType type : values()) {
            if (type.jsonName().equals(jsonName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
