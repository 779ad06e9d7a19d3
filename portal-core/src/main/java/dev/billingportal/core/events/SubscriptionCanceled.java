package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.config.CancelMode;
import dev.billingportal.core.config.CancellationReason;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A customer cancelled a subscription in the portal, now or at the end of its period.
 *
 * @param id             the event's id
 * @param customer       who
 * @param sessionId      the session they did it in
 * @param occurredAt     when
 * @param subscriptionId the subscription
 * @param mode           now or at period end
 * @param endingAt       when it ends (or ended)
 * @param reason         the reason given, or null
 * @param comment        the customer's comment, or null
 */
public record SubscriptionCanceled(String id, CustomerRef customer, String sessionId, Instant occurredAt,
                                   String subscriptionId, CancelMode mode, Instant endingAt,
                                   CancellationReason reason, String comment) implements PortalEvent {

    /** Validates the event. */
    public SubscriptionCanceled {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(occurredAt, "occurred_at");
        Checks.id(subscriptionId, "subscription_id");
        Checks.required(mode, "mode");
    }

    @Override
    public String type() {
        return "subscription.canceled";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscription_id", subscriptionId);
        data.put("mode", mode.name().toLowerCase(Locale.ROOT));
        data.put("ending_at", endingAt == null ? null : endingAt.toString());
        data.put("reason", reason == null ? null : reason.jsonName());
        data.put("comment", comment);
        return data;
    }
}
