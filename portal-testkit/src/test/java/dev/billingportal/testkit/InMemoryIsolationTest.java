package dev.billingportal.testkit;

import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;

/** Runs the {@link PortalIsolationContract} against the in-memory adapters of portal-core. */
class InMemoryIsolationTest extends PortalIsolationContract {

    @Override
    protected PortalStorage createStorage() {
        return new PortalStorage(new InMemoryCustomerRepository(), new InMemoryInvoiceRepository(),
                new InMemoryPortalSessionRepository());
    }
}
