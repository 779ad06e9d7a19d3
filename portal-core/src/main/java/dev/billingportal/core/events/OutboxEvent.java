package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;

/**
 * An event as the outbox keeps it, waiting for delivery.
 *
 * @param sequence   the outbox's own increasing number: events of one customer come out of
 *                   {@link EventOutbox#poll} in this order
 * @param eventId    the event's {@link PortalEvent#id()}
 * @param type       the event's {@link PortalEvent#type()}
 * @param customer   whose event
 * @param occurredAt when it happened
 * @param payload    the event as JSON ({@link EventJson#payload}), what a webhook sends as its body
 * @param attempts   delivery attempts that failed so far
 */
public record OutboxEvent(long sequence, String eventId, String type, CustomerRef customer, Instant occurredAt,
                          String payload, int attempts) {

    /** Validates the entry. */
    public OutboxEvent {
        Checks.id(eventId, "event_id");
        Checks.id(type, "type");
        Checks.required(customer, "customer");
        Checks.required(occurredAt, "occurred_at");
        Checks.required(payload, "payload");
    }
}
