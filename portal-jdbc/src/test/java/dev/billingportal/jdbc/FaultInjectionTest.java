package dev.billingportal.jdbc;

import org.junit.jupiter.api.Nested;

/** {@link FaultInjectionSuite} on PostgreSQL, MariaDB and H2. */
class FaultInjectionTest {

    @Nested
    class PostgreSql extends FaultInjectionSuite {
        @Override
        TestDatabase database() {
            return TestDatabase.postgres();
        }
    }

    @Nested
    class MariaDb extends FaultInjectionSuite {
        @Override
        TestDatabase database() {
            return TestDatabase.mariadb();
        }
    }

    @Nested
    class H2 extends FaultInjectionSuite {
        @Override
        TestDatabase database() {
            return TestDatabase.h2();
        }
    }
}
