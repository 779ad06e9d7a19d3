package dev.billingportal.core.memory;

import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.PortalConfigurations;
import dev.billingportal.core.internal.Checks;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Configurations in memory, per tenant and name, for tests, demos and hosts that configure the portal in code.
 * Thread-safe.
 */
public final class InMemoryPortalConfigurations implements PortalConfigurations {
    private record Key(String tenantId, String name) {
    }

    private final Map<Key, PortalConfiguration> configurations = new ConcurrentHashMap<>();
    private final Map<String, String> defaults = new ConcurrentHashMap<>();

    @Override
    public Optional<PortalConfiguration> find(String tenantId, String name) {
        Checks.id(tenantId, "tenant_id");
        String wanted = name != null ? name : defaults.get(tenantId);
        return wanted == null ? Optional.empty() : Optional.ofNullable(configurations.get(new Key(tenantId, wanted)));
    }

    /**
     * Stores (or replaces) a configuration of the tenant under its {@linkplain PortalConfiguration#name() name}.
     *
     * @param tenantId      the tenant
     * @param configuration the configuration
     * @return this, to chain
     */
    public InMemoryPortalConfigurations save(String tenantId, PortalConfiguration configuration) {
        Checks.required(configuration, "configuration");
        configurations.put(new Key(Checks.id(tenantId, "tenant_id"), configuration.name()), configuration);
        return this;
    }

    /**
     * Stores a configuration and makes it the tenant's default.
     *
     * @param tenantId      the tenant
     * @param configuration the configuration
     * @return this, to chain
     */
    public InMemoryPortalConfigurations saveDefault(String tenantId, PortalConfiguration configuration) {
        save(tenantId, configuration);
        defaults.put(tenantId, configuration.name());
        return this;
    }

    /**
     * Removes one configuration (and the tenant's default, if it was that one).
     *
     * @param tenantId the tenant
     * @param name     the configuration's name
     * @return whether it existed
     */
    public boolean delete(String tenantId, String name) {
        defaults.remove(tenantId, name);
        return configurations.remove(new Key(tenantId, name)) != null;
    }
}
