package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A customer made another of their payment methods the default in the portal.
 *
 * @param id         the event's id
 * @param customer   who
 * @param sessionId  the session they did it in
 * @param occurredAt when
 * @param paymentMethodId         the new default method
 * @param previousPaymentMethodId the previous default, or null
 */
public record DefaultPaymentMethodChanged(String id, CustomerRef customer, String sessionId, Instant occurredAt, String paymentMethodId, String previousPaymentMethodId) implements PortalEvent {

    /** Validates the event. */
    public DefaultPaymentMethodChanged {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(occurredAt, "occurred_at");
        Checks.asciiId(paymentMethodId, "payment_method_id");
    }

    @Override
    public String type() {
        return "payment_method.default_changed";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("payment_method_id", paymentMethodId);
        data.put("previous_payment_method_id", previousPaymentMethodId);
        return data;
    }
}
