package dev.billingportal.core.token;

import java.util.Map;
import java.util.Optional;

/**
 * Gives each tenant its own {@link KeyRing}, so a key of one tenant can never sign (or forge) a token of
 * another, and a tenant's keys can be rotated or revoked on their own. Must be thread-safe and fast: it is
 * called for every token signed and verified.
 */
@FunctionalInterface
public interface KeyRingResolver {

    /** The ring of {@code tenantId}, or empty when the tenant has none (its tokens are then refused). */
    Optional<KeyRing> forTenant(String tenantId);

    /** A resolver over a fixed map of tenant id to ring (copied). */
    static KeyRingResolver of(Map<String, KeyRing> rings) {
        Map<String, KeyRing> copy = Map.copyOf(rings);
        return tenantId -> Optional.ofNullable(copy.get(tenantId));
    }
}
