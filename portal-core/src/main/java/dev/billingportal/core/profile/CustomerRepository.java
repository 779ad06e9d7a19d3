package dev.billingportal.core.profile;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.domain.Customer;

import java.util.Optional;

/**
 * Stores customers. Implementations must be safe for concurrent use by many threads.
 *
 * <p>Identity: a customer is keyed by {@code (tenantId, id)}; {@code (tenantId, externalId)} is unique too.
 * Storage failures surface as {@code PortalException} with {@code UNAVAILABLE}; collisions as {@code CONFLICT}.
 */
public interface CustomerRepository {

    /** The customer with this external id in this tenant. */
    Optional<Customer> findByExternalId(CustomerRef ref);

    /** The customer with this internal id in this tenant. */
    Optional<Customer> findById(String tenantId, String customerId);

    /**
     * Inserts or replaces the customer keyed by {@code (tenantId, id)}. Fails with {@code CONFLICT},
     * writing nothing, when another customer of the tenant already has the same external id.
     */
    void save(Customer customer);
}
