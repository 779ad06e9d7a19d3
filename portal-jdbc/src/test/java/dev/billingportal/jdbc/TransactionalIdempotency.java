package dev.billingportal.jdbc;

import dev.billingportal.core.PortalTransactions;
import dev.billingportal.core.idempotency.IdempotencyRecord;
import dev.billingportal.core.idempotency.IdempotencyStore;

import java.time.Instant;
import java.util.Optional;

/** An idempotency store whose every call runs inside a transaction of the store, each committed on its own. */
final class TransactionalIdempotency implements IdempotencyStore {
    private final IdempotencyStore store;
    private final PortalTransactions transactions;

    private TransactionalIdempotency(IdempotencyStore store, PortalTransactions transactions) {
        this.store = store;
        this.transactions = transactions;
    }

    static IdempotencyStore of(IdempotencyStore store, PortalTransactions transactions) {
        return new TransactionalIdempotency(store, transactions);
    }

    @Override
    public Optional<IdempotencyRecord> begin(IdempotencyRecord started, Instant now) {
        return transactions.inTransaction(() -> store.begin(started, now));
    }

    @Override
    public void complete(IdempotencyRecord completed) {
        transactions.inTransaction(() -> {
            store.complete(completed);
            return null;
        });
    }

    @Override
    public void release(IdempotencyRecord started) {
        transactions.inTransaction(() -> {
            store.release(started);
            return null;
        });
    }

    @Override
    public int purgeExpired(Instant now) {
        return transactions.inTransaction(() -> store.purgeExpired(now));
    }
}
