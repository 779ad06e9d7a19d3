package dev.billingportal.jdbc;

/** The contract suites, the isolation matrix and the JDBC suite on MariaDB (embedded 11.4, or PORTAL_TEST_MARIADB_URL). */
class MariaDbContractsTest extends DatabaseContracts {
    @Override
    TestDatabase database() {
        return TestDatabase.mariadb();
    }
}
