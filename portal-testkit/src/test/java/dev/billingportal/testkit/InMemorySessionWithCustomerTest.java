package dev.billingportal.testkit;

import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;

/** Runs the {@link SessionWithCustomerContract} against the in-memory adapters: the interface's default, two reads. */
class InMemorySessionWithCustomerTest extends SessionWithCustomerContract {

    @Override
    protected Storage createStorage() {
        return new Storage(new InMemoryPortalSessionRepository(), new InMemoryCustomerRepository());
    }
}
