package dev.billingportal.core;

import java.util.function.Supplier;

/**
 * Runs a unit of the portal's work (a write, its audit record, its outbox event, its idempotency record) in one
 * transaction of the storage, so that all of it happens or none. portal-jdbc's store provides one; in memory, or
 * over storage without transactions, {@link #none()} runs the work as it is.
 *
 * <p>Implementations must be safe for concurrent use; nested calls join the outer transaction.
 */
@FunctionalInterface
public interface PortalTransactions {

    /**
     * Runs {@code work} in a transaction: committed when it returns, rolled back when it throws (the exception is
     * rethrown unchanged).
     *
     * @param work what to do
     * @param <T>  its result
     * @return its result
     */
    <T> T inTransaction(Supplier<T> work);

    /** No transactions: runs the work directly (the default). */
    static PortalTransactions none() {
        return NoTransactions.INSTANCE;
    }
}
