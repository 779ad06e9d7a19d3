package dev.billingportal.core.events;

/**
 * Hears every {@link PortalEvent}, synchronously, on the thread of the request, after the write it describes has
 * succeeded (committed, with a transactional store). A listener that throws is logged and ignored: it never undoes
 * the write nor changes the answer. Keep it quick; hand slow work (e-mails, webhooks) to a queue, or use the
 * {@link EventOutbox} and its relay, which survive a crash. Must be safe for concurrent use.
 */
@FunctionalInterface
public interface PortalEventListener {

    /** Called once per event. */
    void onEvent(PortalEvent event);

    /** A listener that ignores everything (the default). */
    static PortalEventListener none() {
        return NoListener.INSTANCE;
    }
}
