package dev.billingportal.core;

import java.util.function.Supplier;

/** The transactions of {@link PortalTransactions#none()}. */
enum NoTransactions implements PortalTransactions {
    INSTANCE;

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return work.get();
    }
}
