package dev.billingportal.core.config;

import dev.billingportal.core.profile.ProfileField;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which profile fields the customer may edit. Profile edits are on when {@code enabled} and at least one field is
 * editable (and the customer repository supports updates).
 *
 * @param enabled  whether the customer may edit their profile at all
 * @param editable the fields they may change
 */
public record ProfileSettings(boolean enabled, Set<ProfileField> editable) {

    /** Profile edits off (the default: a host opts in, naming the fields). */
    public static final ProfileSettings DISABLED = new ProfileSettings(false, Set.of());

    /** Validates and copies. */
    public ProfileSettings {
        Objects.requireNonNull(editable, "editable");
        editable = editable.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(editable));
    }

    /**
     * Edits on for exactly these fields.
     *
     * @param fields the editable fields (at least one)
     * @return the settings
     */
    public static ProfileSettings editable(ProfileField... fields) {
        if (fields.length == 0) {
            throw new IllegalArgumentException("name at least one editable profile field, or use ProfileSettings.DISABLED");
        }
        return new ProfileSettings(true, Set.of(fields));
    }

    /** Whether edits are on: enabled with at least one field. */
    public boolean on() {
        return enabled && !editable.isEmpty();
    }
}
