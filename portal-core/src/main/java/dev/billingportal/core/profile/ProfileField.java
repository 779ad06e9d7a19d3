package dev.billingportal.core.profile;

import java.util.Locale;
import java.util.Optional;

/**
 * A field of the customer's profile that a configuration may let the customer edit. The JSON name
 * ({@link #jsonName()}) is the one of {@code GET /portal/api/customer} and {@code PATCH /portal/api/customer}.
 */
public enum ProfileField {
    /** Display name. */
    NAME,
    /** Legal name for documents. */
    LEGAL_NAME,
    /** Billing e-mail. */
    EMAIL,
    /** Phone number. */
    PHONE,
    /** Tax identification number. */
    TAX_ID,
    /** Billing address. */
    BILLING_ADDRESS,
    /** Shipping address. */
    SHIPPING_ADDRESS,
    /** Language of documents and the portal. */
    DOCUMENT_LOCALE;

    /** The snake_case name used in JSON and configurations, e.g. {@code billing_address}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The field of this JSON name.
     *
     * @param jsonName e.g. {@code tax_id}
     * @return the field, or empty for any other name
     */
    public static Optional<ProfileField> ofJsonName(String jsonName) {
        for (ProfileField field : values()) {
            if (field.jsonName().equals(jsonName)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }
}
