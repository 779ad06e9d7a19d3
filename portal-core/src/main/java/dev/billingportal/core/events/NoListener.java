package dev.billingportal.core.events;

/** The listener of {@link PortalEventListener#none()}. */
enum NoListener implements PortalEventListener {
    INSTANCE;

    @Override
    public void onEvent(PortalEvent event) {
        // nothing to do
    }
}
