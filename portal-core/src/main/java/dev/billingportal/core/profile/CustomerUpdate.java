package dev.billingportal.core.profile;

import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.internal.Checks;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A change a customer asks for to their own profile: a value for each field to change (null clears it); fields not
 * named stay as they are. Built with {@link #builder()}; every value is validated as {@link Customer} validates it.
 *
 * @param values the new value of each changed field: a {@code String}, an {@link Address} for the addresses, a
 *               {@link Locale} for {@link ProfileField#DOCUMENT_LOCALE}, or null to clear
 */
public record CustomerUpdate(Map<ProfileField, Object> values) {

    /** Validates types and values. */
    public CustomerUpdate {
        Checks.required(values, "values");
        EnumMap<ProfileField, Object> copy = new EnumMap<>(ProfileField.class);
        values.forEach((field, value) -> {
            Objects.requireNonNull(field, "field");
            Class<?> type = switch (field) {
                case BILLING_ADDRESS, SHIPPING_ADDRESS -> Address.class;
                case DOCUMENT_LOCALE -> Locale.class;
                default -> String.class;
            };
            if (value != null && !type.isInstance(value)) {
                throw new IllegalArgumentException(field.jsonName() + " must be a " + type.getSimpleName());
            }
            copy.put(field, value);
        });
        values = Collections.unmodifiableMap(copy);
    }

    /** An empty update to fill. */
    public static Builder builder() {
        return new Builder();
    }

    /** The fields this update changes. */
    public Set<ProfileField> fields() {
        return values.keySet();
    }

    /** Whether it changes nothing. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * The new value of one field, if this update changes it ({@code Optional.empty()} inside means "cleared" is not
     * distinguishable here: use {@link #fields()} to know whether it is changed).
     *
     * @param field the field
     * @return its new value, empty when cleared or not changed
     */
    public Optional<Object> value(ProfileField field) {
        return Optional.ofNullable(values.get(field));
    }

    /**
     * The customer with this update applied: validated as a whole (an invalid e-mail fails here).
     *
     * @param customer the customer as stored
     * @return the changed customer (same ids, tenant, currency and time zone)
     */
    public Customer applyTo(Customer customer) {
        Customer.Builder b = customer.toBuilder();
        values.forEach((field, value) -> {
            switch (field) {
                case NAME -> b.name((String) value);
                case LEGAL_NAME -> b.legalName((String) value);
                case EMAIL -> b.email((String) value);
                case PHONE -> b.phone((String) value);
                case TAX_ID -> b.taxId((String) value);
                case BILLING_ADDRESS -> b.billingAddress(value == null ? Address.EMPTY : (Address) value);
                case SHIPPING_ADDRESS -> b.shippingAddress(value == null ? Address.EMPTY : (Address) value);
                case DOCUMENT_LOCALE -> b.documentLocale((Locale) value);
            }
        });
        return b.build();
    }

    /** Collects the fields of an update. */
    public static final class Builder {
        private final EnumMap<ProfileField, Object> values = new EnumMap<>(ProfileField.class);

        private Builder() {
        }

        /** Sets one field (null clears it); the value's type must fit the field. */
        public Builder set(ProfileField field, Object value) {
            values.put(Objects.requireNonNull(field, "field"), value);
            return this;
        }

        /** New display name. */
        public Builder name(String name) { return set(ProfileField.NAME, name); }

        /** New legal name. */
        public Builder legalName(String legalName) { return set(ProfileField.LEGAL_NAME, legalName); }

        /** New billing e-mail. */
        public Builder email(String email) { return set(ProfileField.EMAIL, email); }

        /** New phone number. */
        public Builder phone(String phone) { return set(ProfileField.PHONE, phone); }

        /** New tax identification number. */
        public Builder taxId(String taxId) { return set(ProfileField.TAX_ID, taxId); }

        /** New billing address. */
        public Builder billingAddress(Address address) { return set(ProfileField.BILLING_ADDRESS, address); }

        /** New shipping address. */
        public Builder shippingAddress(Address address) { return set(ProfileField.SHIPPING_ADDRESS, address); }

        /** New document language. */
        public Builder documentLocale(Locale locale) { return set(ProfileField.DOCUMENT_LOCALE, locale); }

        /** The update. */
        public CustomerUpdate build() {
            return new CustomerUpdate(values);
        }
    }
}
