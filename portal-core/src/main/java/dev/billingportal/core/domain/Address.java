package dev.billingportal.core.domain;

import dev.billingportal.core.internal.Checks;

/**
 * A postal address; every part is optional.
 *
 * @param line1   first address line
 * @param line2   second address line
 * @param city    city
 * @param state   state, region or province
 * @param zipcode postal code
 * @param country ISO 3166 alpha-2 country code, upper case (e.g. {@code FR})
 */
public record Address(String line1, String line2, String city, String state, String zipcode, String country) {

    /** An address with nothing in it. */
    public static final Address EMPTY = new Address(null, null, null, null, null, null);

    /** Validates lengths and the country code. */
    public Address {
        Checks.optionalText(line1, "address.line1");
        Checks.optionalText(line2, "address.line2");
        Checks.optionalText(city, "address.city");
        Checks.optionalText(state, "address.state");
        Checks.optionalText(zipcode, "address.zipcode");
        Checks.optionalCountry(country, "address.country");
    }

    /** Whether no part is set. */
    public boolean isEmpty() {
        return this.equals(EMPTY);
    }
}
