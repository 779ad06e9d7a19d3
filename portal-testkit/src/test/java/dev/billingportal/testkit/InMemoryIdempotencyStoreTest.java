package dev.billingportal.testkit;

import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.memory.InMemoryIdempotencyStore;

/** Runs the {@link IdempotencyStoreContract} against the in-memory adapter of portal-core. */
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore createStore() {
        return new InMemoryIdempotencyStore();
    }
}
