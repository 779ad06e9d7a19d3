package dev.billingportal.jdbc;

import dev.billingportal.testkit.PortalIsolationContract;
import dev.billingportal.testkit.PortalStorage;
import org.junit.jupiter.api.Nested;

/**
 * The isolation matrix of portal-testkit over JdbcPortalStore on every database: H2 (default and PostgreSQL mode),
 * PostgreSQL and MariaDB, each the run's shared server.
 */
class JdbcIsolationTest {

    private static PortalStorage storage(TestDatabase database, Class<?> owner) {
        JdbcPortalStore store = database.emptyStore(owner);
        return new PortalStorage(store.customers(), store.invoices(), store.sessions(), store.audit());
    }

    @Nested
    class H2 extends PortalIsolationContract {
        @Override
        protected PortalStorage createStorage() {
            return storage(TestDatabase.h2(), H2.class);
        }
    }

    @Nested
    class H2PostgresMode extends PortalIsolationContract {
        @Override
        protected PortalStorage createStorage() {
            return storage(TestDatabase.h2PostgresMode(), H2PostgresMode.class);
        }
    }

    @Nested
    class PostgreSql extends PortalIsolationContract {
        @Override
        protected PortalStorage createStorage() {
            return storage(TestDatabase.postgres(), PostgreSql.class);
        }
    }

    @Nested
    class MariaDb extends PortalIsolationContract {
        @Override
        protected PortalStorage createStorage() {
            return storage(TestDatabase.mariadb(), MariaDb.class);
        }
    }
}
