package dev.billingportal.core.session;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.internal.Checks;

import java.util.Optional;

/**
 * A session and its customer, read together to authenticate a request
 * ({@link PortalSessionRepository#findWithCustomer}).
 *
 * @param session  the session, revoked and expired ones included
 * @param customer the customer the session belongs to, or null when that customer no longer exists
 */
public record SessionWithCustomer(SessionRecord session, Customer customer) {

    /**
     * Checks that the customer is the session's own: the same tenant and external id. A store that joined the wrong
     * row fails here, before anything of that customer can be shown.
     *
     * @throws IllegalArgumentException when the customer belongs to someone else
     */
    public SessionWithCustomer {
        Checks.required(session, "session");
        if (customer != null && !customer.ref().equals(session.customer())) {
            throw new IllegalArgumentException("the customer read with session " + session.id()
                    + " is not the session's own (tenant and external id differ)");
        }
    }

    /**
     * The customer, if it still exists.
     *
     * @return the customer, or empty when it was deleted
     */
    public Optional<Customer> existingCustomer() {
        return Optional.ofNullable(customer);
    }
}
