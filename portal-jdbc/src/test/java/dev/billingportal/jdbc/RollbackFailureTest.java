package dev.billingportal.jdbc;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A statement of an invoice save times out after the invoice row was written, and then the rollback times out too,
 * leaving the transaction open on a live connection (found by {@link FaultInjectionSuite}): the store must not switch
 * auto-commit back on, which would commit the invoice without its totals, nor hand the connection back as it is.
 */
class RollbackFailureTest {

    abstract static class Suite {
        abstract TestDatabase database();

        @Test
        @DisplayName("a save whose rollback fails leaves nothing behind, on the store's own connection")
        void ownConnection() throws Exception {
            JdbcPortalStore clean = database().emptyStore(getClass());
            Customer customer = TestData.customer(TestData.TENANT, "cus-r");
            clean.customers().save(customer);
            AtomicBoolean aborted = new AtomicBoolean();
            DataSource failing = failing(database().dataSource(), aborted);
            JdbcPortalStore store = JdbcPortalStore.builder(failing).tablePrefix(clean.tablePrefix())
                    .dialect(database().dialect()).build();
            Invoice invoice = TestData.invoice(customer, "inv-r", LocalDate.of(2026, 3, 1)).build();

            assertThatThrownBy(() -> store.invoices().save(invoice)).isInstanceOfSatisfying(PortalException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));

            assertThat(clean.invoices().findById(CustomerScope.of(customer), "inv-r")).as("the half-saved invoice").isEmpty();
            assertThat(clean.invoices().overview(CustomerScope.of(customer), TestData.TODAY).currencies()).isEmpty();
            assertThat(aborted).as("the connection with the open transaction was aborted").isTrue();
        }

        @Test
        @DisplayName("a save whose rollback fails on a host connection in auto-commit mode commits nothing")
        void hostConnectionInAutoCommit() throws Exception {
            JdbcPortalStore clean = database().emptyStore(getClass());
            Customer customer = TestData.customer(TestData.TENANT, "cus-h");
            clean.customers().save(customer);
            AtomicBoolean aborted = new AtomicBoolean();
            try (Connection host = failing(database().dataSource(), aborted).getConnection()) {
                assertThat(host.getAutoCommit()).isTrue();
                JdbcPortalStore store = JdbcPortalStore.builder(database().dataSource()).tablePrefix(clean.tablePrefix())
                        .dialect(database().dialect()).hostTransactions(() -> host).build();
                Invoice invoice = TestData.invoice(customer, "inv-h", LocalDate.of(2026, 3, 1)).build();

                assertThatThrownBy(() -> store.invoices().save(invoice)).isInstanceOf(PortalException.class);

                assertThat(clean.invoices().findById(CustomerScope.of(customer), "inv-h")).as("the half-saved invoice").isEmpty();
                assertThat(host.getAutoCommit()).as("auto-commit left off: switching it on would commit").isFalse();
                assertThat(aborted).as("the host's connection is the host's to close").isFalse();
                host.unwrap(Connection.class).rollback();
                host.unwrap(Connection.class).setAutoCommit(true);
            }
        }

        @Test
        @DisplayName("a transactions() unit that fails and whose rollback fails leaves nothing behind: the connection is aborted")
        void unitOfWorkOnOwnConnection() {
            JdbcPortalStore clean = database().emptyStore(getClass());
            Customer customer = TestData.customer(TestData.TENANT, "cus-u");
            clean.customers().save(customer);
            AtomicBoolean aborted = new AtomicBoolean();
            JdbcPortalStore store = JdbcPortalStore.builder(failing(database().dataSource(), aborted, Integer.MAX_VALUE))
                    .tablePrefix(clean.tablePrefix()).dialect(database().dialect()).build();

            assertThatThrownBy(() -> store.transactions().inTransaction(() -> {
                store.customers().update(CustomerScope.of(customer),
                        dev.billingportal.core.profile.CustomerUpdate.builder().name("Half done").build());
                store.outbox().append(new dev.billingportal.core.events.SessionRevoked("evt-u", customer.ref(), "ses-u",
                        TestData.NOW, 1));
                throw new IllegalStateException("the work failed");
            })).isInstanceOf(IllegalStateException.class).hasMessage("the work failed");

            assertThat(clean.customers().findById(TestData.TENANT, "cus-u")).as("the update of the failed unit")
                    .contains(customer);
            assertThat(clean.outbox().poll(10)).as("the event of the failed unit").isEmpty();
            assertThat(aborted).as("the connection with the open transaction was aborted").isTrue();
        }

        @Test
        @DisplayName("a transactions() unit on a host connection in auto-commit mode whose rollback fails commits nothing")
        void unitOfWorkOnHostConnectionInAutoCommit() throws Exception {
            JdbcPortalStore clean = database().emptyStore(getClass());
            Customer customer = TestData.customer(TestData.TENANT, "cus-hu");
            clean.customers().save(customer);
            AtomicBoolean aborted = new AtomicBoolean();
            try (Connection host = failing(database().dataSource(), aborted, Integer.MAX_VALUE).getConnection()) {
                JdbcPortalStore store = JdbcPortalStore.builder(database().dataSource()).tablePrefix(clean.tablePrefix())
                        .dialect(database().dialect()).hostTransactions(() -> host).build();

                assertThatThrownBy(() -> store.transactions().inTransaction(() -> {
                    store.outbox().append(new dev.billingportal.core.events.SessionRevoked("evt-hu", customer.ref(),
                            "ses-hu", TestData.NOW, 1));
                    throw new IllegalStateException("the work failed");
                })).isInstanceOf(IllegalStateException.class);

                assertThat(clean.outbox().poll(10)).as("the event of the failed unit").isEmpty();
                assertThat(host.getAutoCommit()).as("auto-commit left off: switching it on would commit").isFalse();
                assertThat(aborted).as("the host's connection is the host's to close").isFalse();
                host.unwrap(Connection.class).rollback();
                host.unwrap(Connection.class).setAutoCommit(true);
            }
            assertThat(clean.outbox().poll(10)).as("after the host's rollback").isEmpty();
        }
    }

    /** PostgreSQL runs a migration in one transaction; a failed rollback must not let part of it commit. */
    @Test
    @DisplayName("a migration whose rollback fails commits none of its statements")
    void migrationOnPostgreSql() throws Exception {
        TestDatabase postgres = TestDatabase.postgres();
        String prefix = postgres.newPrefix();
        AtomicBoolean aborted = new AtomicBoolean();
        // Statements 1-3 take the lock, create the history table and read it; the 6th is inside V1's transaction.
        assertThatThrownBy(() -> PortalSchema.migrate(failing(postgres.dataSource(), aborted, 6), prefix, SqlDialect.POSTGRESQL))
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        try (Connection c = postgres.dataSource().getConnection(); Statement query = c.createStatement();
             java.sql.ResultSet tables = query.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '"
                     + prefix + "%' AND table_name <> '" + prefix + "schema_history'")) {
            tables.next();
            assertThat(tables.getInt(1)).as("tables V1 created before the failure").isZero();
        }
        assertThat(aborted).as("the connection with the open transaction was aborted").isTrue();
        assertThat(PortalSchema.migrate(postgres.dataSource(), prefix, SqlDialect.POSTGRESQL))
                .as("a clean run applies every version").startsWith(1).endsWith(PortalSchema.latestVersion());
    }

    @Nested
    class H2 extends Suite {
        @Override
        TestDatabase database() {
            return TestDatabase.h2();
        }
    }

    @Nested
    class PostgreSql extends Suite {
        @Override
        TestDatabase database() {
            return TestDatabase.postgres();
        }
    }

    /**
     * Connections whose third statement times out and whose rollback always times out without rolling back; each
     * records an abort (and passes it on).
     */
    static DataSource failing(DataSource real, AtomicBoolean aborted) {
        return failing(real, aborted, 3);
    }

    /** As {@link #failing(DataSource, AtomicBoolean)}, with the {@code failAt}-th statement timing out. */
    static DataSource failing(DataSource real, AtomicBoolean aborted, int failAt) {
        return (DataSource) Proxy.newProxyInstance(RollbackFailureTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    AtomicInteger executed = new AtomicInteger();
                    return Proxy.newProxyInstance(RollbackFailureTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                switch (m.getName()) {
                                    case "rollback" -> {
                                        if (a == null) {
                                            throw new SQLTimeoutException("simulated: rollback timed out", "57014");
                                        }
                                    }
                                    case "abort" -> aborted.set(true);
                                    case "unwrap" -> {
                                        return connection;
                                    }
                                    default -> { }
                                }
                                Object value = invoke(connection, m, a);
                                if (value instanceof Statement statement) {
                                    return Proxy.newProxyInstance(RollbackFailureTest.class.getClassLoader(),
                                            new Class<?>[] {m.getReturnType()}, (sp, sm, sa) -> {
                                                if (sm.getName().startsWith("execute") && executed.incrementAndGet() == failAt) {
                                                    throw new SQLTimeoutException("simulated: statement timed out", "57014");
                                                }
                                                return invoke(statement, sm, sa);
                                            });
                                }
                                return value;
                            });
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
