package dev.billingportal.core.profile;

import dev.billingportal.core.internal.Checks;

/**
 * One changed field, with its value before and after, as text (an address as its JSON object text), for the audit
 * trail and the {@code CustomerUpdated} event.
 *
 * @param field    the field's JSON name
 * @param oldValue the value before, or null
 * @param newValue the value after, or null
 */
public record FieldChange(String field, String oldValue, String newValue) {

    /** Validates the change. */
    public FieldChange {
        Checks.id(field, "field");
    }
}
