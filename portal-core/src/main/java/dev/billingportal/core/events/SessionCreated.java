package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The host created a portal session (a link) for a customer.
 *
 * @param id            the event's id
 * @param customer      whose session
 * @param sessionId     the session (the token's {@code jti})
 * @param occurredAt    when
 * @param expiresAt     when the link expires
 * @param configuration the configuration name the session uses, or null for the tenant's default
 * @param flow          the flow's type the link opens, or null
 */
public record SessionCreated(String id, CustomerRef customer, String sessionId, Instant occurredAt, Instant expiresAt,
                             String configuration, String flow) implements PortalEvent {

    /** Validates the event. */
    public SessionCreated {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.id(sessionId, "session_id");
        Checks.required(occurredAt, "occurred_at");
        Checks.required(expiresAt, "expires_at");
    }

    @Override
    public String type() {
        return "portal_session.created";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("session_id", sessionId);
        data.put("expires_at", expiresAt.toString());
        data.put("configuration", configuration);
        data.put("flow", flow);
        return data;
    }
}
