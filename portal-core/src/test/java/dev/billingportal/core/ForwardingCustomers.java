package dev.billingportal.core;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.profile.CustomerRepository;

import java.util.Optional;

/** A customer repository written before profile edits existed: it implements only the original three methods. */
final class ForwardingCustomers implements CustomerRepository {
    private final CustomerRepository delegate;

    ForwardingCustomers(CustomerRepository delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<Customer> findByExternalId(CustomerRef ref) {
        return delegate.findByExternalId(ref);
    }

    @Override
    public Optional<Customer> findById(String tenantId, String customerId) {
        return delegate.findById(tenantId, customerId);
    }

    @Override
    public void save(Customer customer) {
        delegate.save(customer);
    }
}
