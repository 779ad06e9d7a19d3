package dev.billingportal.core.payments;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;

/**
 * A saved way to pay, as the customer sees it: never a full card number, account number or security code. There is no
 * field that could hold one: {@link #last4()} is exactly four digits and {@link #brand()} refuses anything that
 * {@linkplain CardData#looksLikeCardData looks like card data}.
 *
 * @param id        the provider's id of the method (e.g. Stripe's {@code pm_...})
 * @param type      its kind
 * @param brand     the card brand or bank name shown (e.g. {@code visa}), or null
 * @param last4     the last four digits, or null
 * @param expMonth  the expiry month 1 to 12, or null
 * @param expYear   the expiry year (four digits), or null
 * @param isDefault whether invoices are charged to it
 */
public record PaymentMethod(String id, PaymentMethodType type, String brand, String last4, Integer expMonth,
                            Integer expYear, boolean isDefault) {
    /** Longest brand text. */
    public static final int MAX_BRAND_LENGTH = 64;

    /** Validates: no field can carry card data. */
    public PaymentMethod {
        Checks.asciiId(id, "id");
        if (CardData.looksLikeCardData(id)) {
            throw PortalException.invalid("id", "must not look like card data");
        }
        Checks.required(type, "type");
        if (brand != null) {
            Checks.optionalText(brand, "brand");
            if (brand.length() > MAX_BRAND_LENGTH || CardData.looksLikeCardData(brand)) {
                throw PortalException.invalid("brand", "must be a short name, never card data");
            }
        }
        if (last4 != null && !last4.matches("[0-9]{4}")) {
            throw PortalException.invalid("last4", "must be exactly four digits");
        }
        if (expMonth != null && (expMonth < 1 || expMonth > 12)) {
            throw PortalException.invalid("exp_month", "must be 1 to 12");
        }
        if (expYear != null && (expYear < 1000 || expYear > 9999)) {
            throw PortalException.invalid("exp_year", "must have four digits");
        }
        if ((expMonth == null) != (expYear == null)) {
            throw PortalException.invalid("exp_month", "expiry needs both month and year");
        }
    }

    /**
     * This method as the default one, or not.
     *
     * @param isDefault whether it is the default
     * @return a copy
     */
    public PaymentMethod withDefault(boolean isDefault) {
        return new PaymentMethod(id, type, brand, last4, expMonth, expYear, isDefault);
    }

    /**
     * A builder.
     *
     * @return an empty builder (type {@code card}, not default)
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link PaymentMethod}. */
    public static final class Builder {
        private String id;
        private PaymentMethodType type = PaymentMethodType.CARD;
        private String brand;
        private String last4;
        private Integer expMonth;
        private Integer expYear;
        private boolean isDefault;

        private Builder() {
        }

        /**
         * The provider's id.
         *
         * @param id the id
         * @return this
         */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /**
         * The kind.
         *
         * @param type the type
         * @return this
         */
        public Builder type(PaymentMethodType type) {
            this.type = type;
            return this;
        }

        /**
         * The brand or bank name.
         *
         * @param brand e.g. {@code visa}
         * @return this
         */
        public Builder brand(String brand) {
            this.brand = brand;
            return this;
        }

        /**
         * The last four digits.
         *
         * @param last4 four digits
         * @return this
         */
        public Builder last4(String last4) {
            this.last4 = last4;
            return this;
        }

        /**
         * The expiry.
         *
         * @param month 1 to 12
         * @param year  four digits
         * @return this
         */
        public Builder expires(int month, int year) {
            this.expMonth = month;
            this.expYear = year;
            return this;
        }

        /**
         * Whether it is the default method.
         *
         * @param isDefault true for the default
         * @return this
         */
        public Builder isDefault(boolean isDefault) {
            this.isDefault = isDefault;
            return this;
        }

        /**
         * Builds and validates.
         *
         * @return the method
         */
        public PaymentMethod build() {
            return new PaymentMethod(id, type, brand, last4, expMonth, expYear, isDefault);
        }
    }
}
