package dev.billingportal.core.internal;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.PortalConfigurations;

import java.util.Optional;

/**
 * Finds the configuration of a session: the one it names, else its tenant's default, else the service's. Not API.
 */
public final class ConfigurationResolver {
    private final PortalConfigurations configurations;
    private final PortalConfiguration fallback;

    /**
     * A resolver over these.
     *
     * @param configurations the tenants' configurations
     * @param fallback       the service's default
     */
    public ConfigurationResolver(PortalConfigurations configurations, PortalConfiguration fallback) {
        this.configurations = configurations;
        this.fallback = fallback;
    }

    /**
     * The configuration for a new session.
     *
     * @param tenantId the tenant
     * @param name     the name the host asked for, or null
     * @return the configuration
     * @throws PortalException {@code VALIDATION_ERROR} naming {@code configuration} when the tenant has no
     *                         configuration of that name
     */
    public PortalConfiguration forNewSession(String tenantId, String name) {
        if (name != null) {
            return lookup(tenantId, name).orElseThrow(() -> PortalException.invalid("configuration",
                    "the tenant has no portal configuration of this name"));
        }
        return lookup(tenantId, null).orElse(fallback);
    }

    /**
     * The configuration of an existing session. A session naming a configuration deleted since is refused rather
     * than given the (possibly more permissive) default.
     *
     * @param tenantId the tenant
     * @param name     the session's configuration name, or null
     * @return the configuration
     * @throws PortalException {@code UNAUTHORIZED configuration_not_found} when the named one is gone
     */
    public PortalConfiguration forSession(String tenantId, String name) {
        if (name != null) {
            return lookup(tenantId, name).orElseThrow(() -> new PortalException(ErrorCode.UNAUTHORIZED,
                    "configuration_not_found", "the portal configuration of this session no longer exists"));
        }
        return lookup(tenantId, null).orElse(fallback);
    }

    /**
     * The configuration for presentation (frame ancestors of the page): never throws, falls back to the default.
     *
     * @param tenantId the tenant
     * @param name     the configuration name, or null
     * @return the configuration, or the service's default
     */
    public PortalConfiguration forPage(String tenantId, String name) {
        try {
            return lookup(tenantId, name).orElse(fallback);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private Optional<PortalConfiguration> lookup(String tenantId, String name) {
        Optional<PortalConfiguration> found = configurations.find(tenantId, name);
        return found == null ? Optional.empty() : found;
    }
}
