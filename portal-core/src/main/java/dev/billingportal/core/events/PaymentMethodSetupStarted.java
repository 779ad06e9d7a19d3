package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A customer started adding a payment method in the portal: they were sent to the provider's hosted page. The host learns whether they completed it from its provider.
 *
 * @param id         the event's id
 * @param customer   who
 * @param sessionId  the session they did it in
 * @param occurredAt when
 * @param setupId    the provider's id of the setup session
 */
public record PaymentMethodSetupStarted(String id, CustomerRef customer, String sessionId, Instant occurredAt, String setupId) implements PortalEvent {

    /** Validates the event. */
    public PaymentMethodSetupStarted {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(occurredAt, "occurred_at");
        Checks.asciiId(setupId, "setup_id");
    }

    @Override
    public String type() {
        return "payment_method.setup_started";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("setup_id", setupId);
        return data;
    }
}
