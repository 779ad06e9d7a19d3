package dev.billingportal.jdbc;

/** The contract suites, the isolation matrix and the JDBC suite on H2 in PostgreSQL mode. */
class H2PostgresModeContractsTest extends DatabaseContracts {
    @Override
    TestDatabase database() {
        return TestDatabase.h2PostgresMode();
    }
}
