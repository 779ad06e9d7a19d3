package dev.billingportal.jdbc;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Under PostgreSQL's default {@code plan_cache_mode = auto}, the search is planned for its pattern on every execution
 * (never prepared on the server, so no generic plan can ignore the trigram index), while the other statements are
 * prepared and may keep their generic plans, which saves their planning. Read from {@code pg_prepared_statements} of
 * the one connection the store used.
 */
class PostgresPlanCacheTest {

    @Test
    @DisplayName("PostgreSQL, plan_cache_mode auto: the search is never server-prepared; a page is, with generic plans")
    void searchGetsCustomPlansOthersKeepGenericOnes() throws SQLException {
        TestDatabase db = TestDatabase.postgres();
        String prefix = db.emptyStore(PostgresPlanCacheTest.class).tablePrefix();
        try (Connection connection = db.dataSource().getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET plan_cache_mode = auto"); // PostgreSQL's default; the test server forces custom
                statement.execute("DEALLOCATE ALL");
            }
            JdbcPortalStore store = JdbcPortalStore.builder(onThis(connection)).tablePrefix(prefix).build();
            Customer customer = TestData.customer(TENANT, "cus-plans");
            store.customers().save(customer);
            for (int i = 0; i < 30; i++) {
                store.invoices().save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
            }
            CustomerScope scope = CustomerScope.of(customer);
            for (int i = 0; i < 12; i++) {
                assertThat(store.invoices().find(scope, TestData.search().limit(5).build())).hasSize(5);
                assertThat(store.invoices().find(scope, TestData.search().search("no-inv-2" + (7 + i % 3)).limit(5).build()))
                        .hasSize(1);
            }

            List<String> searches = new ArrayList<>();
            long pageGenericPlans = -1;
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(
                         "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")) {
                while (rows.next()) {
                    String sql = rows.getString(1);
                    if (!sql.contains(prefix + "invoices")) {
                        continue;
                    }
                    if (sql.contains("LIKE")) {
                        searches.add(sql + " (generic " + rows.getLong(2) + ", custom " + rows.getLong(3) + ")");
                    } else if (sql.contains("LIMIT")) {
                        pageGenericPlans = rows.getLong(2);
                    }
                }
            }
            assertThat(searches).as("server-prepared searches").isEmpty();
            assertThat(pageGenericPlans).as("generic plans of the page, prepared on the server").isPositive();
        }
    }

    /** A data source handing out {@code connection} and leaving it open when the store closes it. */
    private static DataSource onThis(Connection connection) {
        Connection unclosable = (Connection) Proxy.newProxyInstance(PostgresPlanCacheTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p, m, a) -> {
                    if (m.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return m.invoke(connection, a);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(PostgresPlanCacheTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (p, m, a) -> switch (m.getName()) {
                    case "getConnection" -> unclosable;
                    case "unwrap", "isWrapperFor" -> throw new SQLException("not a wrapper");
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
