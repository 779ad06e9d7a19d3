package dev.billingportal.testkit;

import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.PortalConfigurations;
import dev.billingportal.core.memory.InMemoryPortalConfigurations;

/** Runs the {@link PortalConfigurationsContract} against the in-memory adapter of portal-core. */
class InMemoryPortalConfigurationsTest extends PortalConfigurationsContract {
    private InMemoryPortalConfigurations configurations;

    @Override
    protected PortalConfigurations createConfigurations() {
        configurations = new InMemoryPortalConfigurations();
        return configurations;
    }

    @Override
    protected void save(String tenantId, PortalConfiguration configuration) {
        configurations.save(tenantId, configuration);
    }

    @Override
    protected void saveDefault(String tenantId, PortalConfiguration configuration) {
        configurations.saveDefault(tenantId, configuration);
    }

    @Override
    protected boolean delete(String tenantId, String name) {
        return configurations.delete(tenantId, name);
    }
}
