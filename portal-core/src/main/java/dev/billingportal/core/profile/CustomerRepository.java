package dev.billingportal.core.profile;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
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

    /**
     * Whether {@link #update} is implemented: the portal offers profile edits only then. Default false, so a
     * repository written before profile edits existed keeps working and the portal never offers a form it refuses.
     *
     * @return true when {@link #update} stores changes
     */
    default boolean supportsUpdate() {
        return false;
    }

    /**
     * Changes the fields of {@code update} (and only those) of the customer of {@code scope}, atomically, and returns
     * the customer as stored afterwards. The portal has validated the update against the configuration; the
     * repository stays the system of record (it may refuse with {@code VALIDATION_ERROR} or {@code CONFLICT}).
     *
     * <p>The default refuses with {@code FORBIDDEN feature_disabled}, so repositories written before this method
     * existed keep compiling and never half-apply a change.
     *
     * @param scope  whose profile (tenant and internal customer id)
     * @param update the fields to change
     * @return the customer after the change
     * @throws PortalException {@code NOT_FOUND customer_not_found} when the scope names no customer
     */
    default Customer update(CustomerScope scope, CustomerUpdate update) {
        throw new PortalException(ErrorCode.FORBIDDEN, "feature_disabled", "this customer repository does not support updates");
    }
}
