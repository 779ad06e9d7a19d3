package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A customer undid the scheduled cancellation of a subscription in the portal: it renews again.
 *
 * @param id             the event's id
 * @param customer       who
 * @param sessionId      the session they did it in
 * @param occurredAt     when
 * @param subscriptionId the subscription
 */
public record SubscriptionResumed(String id, CustomerRef customer, String sessionId, Instant occurredAt,
                                  String subscriptionId) implements PortalEvent {

    /** Validates the event. */
    public SubscriptionResumed {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(occurredAt, "occurred_at");
        Checks.id(subscriptionId, "subscription_id");
    }

    @Override
    public String type() {
        return "subscription.resumed";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscription_id", subscriptionId);
        return data;
    }
}
