package dev.billingportal.core.internal;

import dev.billingportal.core.events.EventOutbox;
import dev.billingportal.core.events.PortalEvent;
import dev.billingportal.core.events.PortalEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces events: into the outbox inside the write's transaction, to the listener after it committed. Not API.
 */
public final class EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final EventOutbox outbox;
    private final PortalEventListener listener;

    /**
     * A publisher over these.
     *
     * @param outbox   receives events inside the transaction
     * @param listener hears them after commit
     */
    public EventPublisher(EventOutbox outbox, PortalEventListener listener) {
        this.outbox = outbox;
        this.listener = listener;
    }

    /**
     * Appends to the outbox; call inside the write's transaction, so a failure rolls the write back.
     *
     * @param event the event
     */
    public void inTransaction(PortalEvent event) {
        outbox.append(event);
    }

    /**
     * Tells the listener; call after the write committed. A listener that throws is logged, never rethrown.
     *
     * @param event the event
     */
    public void afterCommit(PortalEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            // The write stands: a listener is told, it does not decide.
            LOG.warn("portal event listener failed on {} {} (tenant {}); the write stands", event.type(), event.id(),
                    event.customer().tenantId(), e);
        }
    }
}
