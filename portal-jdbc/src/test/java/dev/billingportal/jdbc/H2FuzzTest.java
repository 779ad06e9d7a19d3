package dev.billingportal.jdbc;

import dev.billingportal.testkit.PortalApiFuzzContract;
import dev.billingportal.testkit.PortalStorage;

/**
 * The PortalApi fuzz of portal-testkit over JdbcPortalStore on H2: a smaller share than in memory (6,000 requests:
 * enough for every route, writes included, to succeed often), so that the SQL paths (percent signs, quotes, NULs, huge
 * ids, bad dates reaching a query) and the store's transactions, outbox and idempotency keys are fuzzed too.
 */
class H2FuzzTest extends PortalApiFuzzContract {

    @Override
    protected PortalStorage createStorage() {
        JdbcPortalStore store = TestDatabase.h2().emptyStore(H2FuzzTest.class);
        return new PortalStorage(store.customers(), store.invoices(), store.sessions(), store.audit(),
                store.configurations(), store.idempotency(), store.outbox(), store.transactions());
    }

    @Override
    protected int requests() {
        return 6_000;
    }
}
