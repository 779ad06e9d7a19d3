package dev.billingportal.testkit;

import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;

/** Runs the {@link PortalApiFuzzContract} (10,000 requests) against the in-memory adapters of portal-core. */
class InMemoryFuzzTest extends PortalApiFuzzContract {

    @Override
    protected PortalStorage createStorage() {
        return new PortalStorage(new InMemoryCustomerRepository(), new InMemoryInvoiceRepository(),
                new InMemoryPortalSessionRepository());
    }
}
