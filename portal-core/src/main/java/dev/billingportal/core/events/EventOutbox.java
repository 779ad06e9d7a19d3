package dev.billingportal.core.events;

import java.util.Collection;
import java.util.List;

/**
 * A transactional outbox: the portal appends each event in the same transaction as the write it describes
 * (portal-jdbc's {@code JdbcEventOutbox} does, also inside the host's transaction), so no event is lost and none is
 * announced for a write that rolled back. A relay (the host's own, or the webhook relay of this package) polls it and marks what it
 * delivered; delivery is therefore at least once: consumers deduplicate by {@link OutboxEvent#eventId()}.
 *
 * <p>Implementations must be safe for concurrent use. Failures surface as {@code PortalException UNAVAILABLE}.
 */
public interface EventOutbox {

    /** Appends one event, as part of the current transaction when there is one. */
    void append(PortalEvent event);

    /**
     * Up to {@code limit} undelivered events, oldest first; for each customer in the order they were appended. An
     * event stays until {@link #markDelivered}: polling twice without marking returns it again.
     */
    List<OutboxEvent> poll(int limit);

    /** Marks these events (by {@link OutboxEvent#sequence()}) delivered; they are not polled again. */
    void markDelivered(Collection<Long> sequences);

    /**
     * Records a failed delivery attempt of these events (by sequence), so a relay can back off; default: nothing.
     *
     * @param sequences the events whose delivery failed
     */
    default void markFailed(Collection<Long> sequences) {
    }

    /** An outbox that drops everything (the default when none is configured). */
    static EventOutbox none() {
        return NoOutbox.INSTANCE;
    }
}
