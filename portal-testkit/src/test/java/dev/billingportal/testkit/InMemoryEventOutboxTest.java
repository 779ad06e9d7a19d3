package dev.billingportal.testkit;

import dev.billingportal.core.events.EventOutbox;
import dev.billingportal.core.memory.InMemoryEventOutbox;

/** Runs the {@link EventOutboxContract} against the in-memory adapter of portal-core. */
class InMemoryEventOutboxTest extends EventOutboxContract {

    @Override
    protected EventOutbox createOutbox() {
        return new InMemoryEventOutbox();
    }
}
