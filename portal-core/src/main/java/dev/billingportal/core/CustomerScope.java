package dev.billingportal.core;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.internal.Checks;

/**
 * The scope every invoice query runs in: one customer of one tenant. Repository methods take it as
 * their first argument, so an adapter cannot forget to scope a query.
 *
 * @param tenantId   the tenant
 * @param customerId the customer's internal {@link Customer#id() id}
 */
public record CustomerScope(String tenantId, String customerId) {

    /** Validates both parts. */
    public CustomerScope {
        Checks.id(tenantId, "tenant_id");
        Checks.id(customerId, "customer_id");
    }

    /** The scope of {@code customer}. */
    public static CustomerScope of(Customer customer) {
        return new CustomerScope(customer.tenantId(), customer.id());
    }
}
