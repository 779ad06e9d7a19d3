package dev.billingportal.core.config;

import java.util.Optional;

/**
 * Where the portal finds each tenant's named {@link PortalConfiguration}s (SPI). portal-core ships an in-memory
 * adapter, portal-jdbc one over a table a host can edit from its own admin. Must be safe for concurrent use; reads
 * are on every session creation and authentication, so an adapter over slow storage should cache.
 */
public interface PortalConfigurations {

    /**
     * The tenant's configuration of this name, or, when {@code name} is null, the tenant's default configuration.
     *
     * @param tenantId the tenant
     * @param name     the configuration's name, or null for the tenant's default
     * @return the configuration, or empty when the tenant has none of that name (or no default)
     */
    Optional<PortalConfiguration> find(String tenantId, String name);

    /** No configurations at all: every session uses the service's default. */
    static PortalConfigurations none() {
        return (tenantId, name) -> Optional.empty();
    }
}
