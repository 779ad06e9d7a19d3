package dev.billingportal.testkit;

import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.profile.CustomerRepository;

/** Runs the {@link CustomerRepositoryContract} against the in-memory adapter of portal-core. */
class InMemoryCustomerRepositoryTest extends CustomerRepositoryContract {

    @Override
    protected CustomerRepository createRepository() {
        return new InMemoryCustomerRepository();
    }
}
