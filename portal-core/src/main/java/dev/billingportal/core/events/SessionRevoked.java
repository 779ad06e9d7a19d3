package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Portal sessions of a customer were revoked: one ({@link #sessionId()} names it) or all of them
 * ({@link #sessionId()} is null, {@link #count()} says how many were live).
 *
 * @param id         the event's id
 * @param customer   whose sessions
 * @param sessionId  the revoked session, or null when all were revoked
 * @param occurredAt when
 * @param count      how many live sessions were revoked
 */
public record SessionRevoked(String id, CustomerRef customer, String sessionId, Instant occurredAt, int count)
        implements PortalEvent {

    /** Validates the event. */
    public SessionRevoked {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(occurredAt, "occurred_at");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
    }

    @Override
    public String type() {
        return "portal_session.revoked";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("session_id", sessionId);
        data.put("all", sessionId == null);
        data.put("count", count);
        return data;
    }
}
