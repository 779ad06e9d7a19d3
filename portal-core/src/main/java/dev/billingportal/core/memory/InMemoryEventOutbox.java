package dev.billingportal.core.memory;

import dev.billingportal.core.events.EventJson;
import dev.billingportal.core.events.EventOutbox;
import dev.billingportal.core.events.OutboxEvent;
import dev.billingportal.core.events.PortalEvent;
import dev.billingportal.core.internal.Checks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An outbox in memory, for tests and demos (events are lost on restart: use portal-jdbc's {@code JdbcEventOutbox}
 * for at-least-once delivery). Not transactional: an event is appended when the write it follows has succeeded.
 * Thread-safe.
 */
public final class InMemoryEventOutbox implements EventOutbox {
    private final TreeMap<Long, OutboxEvent> pending = new TreeMap<>();
    private long sequence;
    private int delivered;

    @Override
    public synchronized void append(PortalEvent event) {
        Checks.required(event, "event");
        long next = ++sequence;
        pending.put(next, new OutboxEvent(next, event.id(), event.type(), event.customer(), event.occurredAt(),
                EventJson.payload(event), 0));
    }

    @Override
    public synchronized List<OutboxEvent> poll(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        List<OutboxEvent> events = new ArrayList<>();
        for (OutboxEvent event : pending.values()) {
            if (events.size() == limit) {
                break;
            }
            events.add(event);
        }
        return events;
    }

    @Override
    public synchronized void markDelivered(Collection<Long> sequences) {
        for (Long seq : sequences) {
            if (pending.remove(seq) != null) {
                delivered++;
            }
        }
    }

    @Override
    public synchronized void markFailed(Collection<Long> sequences) {
        for (Long seq : sequences) {
            pending.computeIfPresent(seq, (k, e) -> new OutboxEvent(e.sequence(), e.eventId(), e.type(), e.customer(),
                    e.occurredAt(), e.payload(), e.attempts() + 1));
        }
    }

    /** Every undelivered event, oldest first. */
    public synchronized List<OutboxEvent> pending() {
        return List.copyOf(pending.values());
    }

    /** How many events were marked delivered. */
    public synchronized int deliveredCount() {
        return delivered;
    }

    /** Undelivered events by sequence (a copy). */
    public synchronized Map<Long, OutboxEvent> snapshot() {
        return new TreeMap<>(pending);
    }
}
