package dev.billingportal.core.session;

import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.domain.Customer;

/**
 * Checks, when a session is created, that its flow may run: the feature it needs is on for the session's
 * configuration, and the objects it names (a subscription, an invoice, a wallet) are the customer's. Each feature
 * contributes the check of its own flows. Not an SPI hosts implement.
 */
@FunctionalInterface
public interface FlowValidator {

    /**
     * Refuses a flow that cannot run.
     *
     * @param customer      the session's customer
     * @param configuration the session's configuration
     * @param flow          the flow asked for
     * @throws dev.billingportal.core.PortalException {@code VALIDATION_ERROR} naming {@code flow} when it cannot
     */
    void check(Customer customer, PortalConfiguration configuration, Flow flow);
}
