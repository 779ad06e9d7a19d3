package dev.billingportal.jdbc;

/** The contract suites, the isolation matrix and the JDBC suite on H2 in its default mode. */
class H2ContractsTest extends DatabaseContracts {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
