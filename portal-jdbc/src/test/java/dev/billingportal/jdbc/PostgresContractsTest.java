package dev.billingportal.jdbc;

/** The contract suites, the isolation matrix and the JDBC suite on PostgreSQL (embedded 18.6, or PORTAL_TEST_POSTGRES_URL). */
class PostgresContractsTest extends DatabaseContracts {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
