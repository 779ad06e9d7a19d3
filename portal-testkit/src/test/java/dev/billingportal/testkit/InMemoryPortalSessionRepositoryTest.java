package dev.billingportal.testkit;

import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.session.PortalSessionRepository;

/** Runs the {@link PortalSessionRepositoryContract} against the in-memory adapter of portal-core. */
class InMemoryPortalSessionRepositoryTest extends PortalSessionRepositoryContract {

    @Override
    protected PortalSessionRepository createRepository() {
        return new InMemoryPortalSessionRepository();
    }
}
