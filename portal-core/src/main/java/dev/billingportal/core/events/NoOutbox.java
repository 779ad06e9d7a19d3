package dev.billingportal.core.events;

import java.util.Collection;
import java.util.List;

/** The outbox of {@link EventOutbox#none()}. */
enum NoOutbox implements EventOutbox {
    INSTANCE;

    @Override
    public void append(PortalEvent event) {
        // no outbox configured
    }

    @Override
    public List<OutboxEvent> poll(int limit) {
        return List.of();
    }

    @Override
    public void markDelivered(Collection<Long> sequences) {
        // nothing was polled
    }
}
