package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A customer removed one of their payment methods in the portal.
 *
 * @param id         the event's id
 * @param customer   who
 * @param sessionId  the session they did it in
 * @param occurredAt when
 * @param paymentMethodId the removed method
 * @param wasDefault      whether it was the default
 */
public record PaymentMethodRemoved(String id, CustomerRef customer, String sessionId, Instant occurredAt, String paymentMethodId, boolean wasDefault) implements PortalEvent {

    /** Validates the event. */
    public PaymentMethodRemoved {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(occurredAt, "occurred_at");
        Checks.asciiId(paymentMethodId, "payment_method_id");
    }

    @Override
    public String type() {
        return "payment_method.removed";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("payment_method_id", paymentMethodId);
        data.put("was_default", wasDefault);
        return data;
    }
}
