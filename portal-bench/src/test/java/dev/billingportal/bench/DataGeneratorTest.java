package dev.billingportal.bench;

import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.jdbc.JdbcPortalStore;
import dev.billingportal.jdbc.PortalSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data generator at a tiny scale, on H2 (batched INSERTs) and on a real PostgreSQL (COPY): the expected counts,
 * rows identical to those the library's own {@code save} writes, totals identical to the ones {@code save} keeps and
 * to a live recomputation, and the benchmarks' raw SQL identical to the library's. No timing here: speed is measured
 * by the benchmarks only.
 */
class DataGeneratorTest {
    /** Three average customers of 40 invoices, one big customer of 600. */
    private static final DataSet TINY = new DataSet(3, 40, 600, 7L);
    private static final String GENERATED = "gen_";
    private static final String SAVED = "saved_";

    /** The same checks on each database. */
    abstract static class OnDatabase {
        abstract DataSource dataSource();

        /** The page SQL the library runs here: the benchmarks' raw SQL, as PostgreSQL gets it. */
        String expectedPageSql() {
            return PortalFixture.PAGE_SQL;
        }

        @Test
        @DisplayName("generates the expected counts once, then finds them there")
        void countsAndMarker() throws SQLException {
            DataGenerator.Result first = DataGenerator.generate(dataSource(), TINY, GENERATED, true);
            assertThat(first.generated()).isTrue();
            assertThat(first.customers()).isEqualTo(4);
            assertThat(first.invoices()).isEqualTo(TINY.invoiceCount()).isEqualTo(720);
            assertThat(query("SELECT COUNT(*) FROM gen_invoices i JOIN gen_customers c ON c.tenant_id = i.tenant_id"
                    + " AND c.id = i.customer_id WHERE c.external_id = '" + DataSet.BIG_CUSTOMER + "'"))
                    .containsExactly(List.of(600L));

            DataGenerator.Result second = DataGenerator.generate(dataSource(), TINY, GENERATED, false);
            assertThat(second.generated()).isFalse();
            assertThat(second.invoices()).isEqualTo(720);
        }

        @Test
        @DisplayName("writes exactly the rows and totals that the library's own saves write, and exact totals")
        void sameAsTheLibrarysSavePath() throws SQLException {
            DataGenerator.generate(dataSource(), TINY, GENERATED, true);
            PortalSchema.migrate(dataSource(), SAVED);
            try (Connection c = dataSource().getConnection(); Statement statement = c.createStatement()) {
                for (String table : List.of("invoice_totals", "invoices", "customers")) {
                    statement.executeUpdate("DELETE FROM " + SAVED + table);
                }
            }
            JdbcPortalStore store = JdbcPortalStore.builder(dataSource()).tablePrefix(SAVED).build();
            List<Customer> customers = new ArrayList<>();
            for (int i = 0; i < SyntheticBilling.customerCount(TINY); i++) {
                Customer customer = SyntheticBilling.customer(TINY, i);
                customers.add(customer);
                store.customers().save(customer);
                SyntheticBilling.invoices(TINY, i, customer, store.invoices()::save);
            }

            String invoices = "SELECT tenant_id, id, customer_id, number, number_lower, invoice_type, status,"
                    + " payment_status, issuing_date, payment_due_date, currency, subtotal_minor, taxes_minor,"
                    + " total_minor, amount_due_minor, document_ref FROM %sinvoices ORDER BY tenant_id, id";
            assertThat(query(invoices.formatted(GENERATED))).hasSize(720).isEqualTo(query(invoices.formatted(SAVED)));
            String customerRows = "SELECT * FROM %scustomers ORDER BY tenant_id, id";
            assertThat(query(customerRows.formatted(GENERATED))).isEqualTo(query(customerRows.formatted(SAVED)));

            String totals = "SELECT tenant_id, customer_id, currency, invoiced_minor, invoice_count FROM %sinvoice_totals"
                    + " WHERE invoice_count > 0 ORDER BY tenant_id, customer_id, currency";
            String live = "SELECT tenant_id, customer_id, currency, SUM(total_minor), COUNT(*) FROM gen_invoices"
                    + " WHERE status = 'FINALIZED' GROUP BY tenant_id, customer_id, currency"
                    + " ORDER BY tenant_id, customer_id, currency";
            List<List<Object>> generatedTotals = query(totals.formatted(GENERATED));
            assertThat(generatedTotals).as("the big customer bills in two currencies").hasSizeGreaterThanOrEqualTo(5)
                    .isEqualTo(query(totals.formatted(SAVED)))
                    .isEqualTo(query(live));

            JdbcPortalStore generated = JdbcPortalStore.builder(dataSource()).tablePrefix(GENERATED).build();
            for (Customer customer : customers) {
                assertThat(generated.invoices().overview(CustomerScope.of(customer), DataSet.TODAY))
                        .isEqualTo(store.invoices().overview(CustomerScope.of(customer), DataSet.TODAY));
            }
        }

        @Test
        @DisplayName("the data set looks real: skewed statuses, overdue invoices, several currencies, number-like numbers")
        void realisticShape() throws SQLException {
            DataGenerator.generate(dataSource(), TINY, GENERATED, false);
            List<List<Object>> statuses = query("SELECT status, COUNT(*) FROM gen_invoices GROUP BY status ORDER BY status");
            assertThat(statuses).extracting(row -> row.get(0)).contains("FINALIZED", "VOIDED");
            assertThat(query("SELECT COUNT(*) FROM gen_invoices WHERE status = 'FINALIZED' AND payment_status = 'SUCCEEDED'"))
                    .singleElement().satisfies(row -> assertThat((Long) row.get(0)).isGreaterThan(600));
            assertThat(query("SELECT COUNT(*) FROM gen_invoices WHERE status = 'FINALIZED'"
                    + " AND payment_status <> 'SUCCEEDED' AND payment_due_date < DATE '2026-11-20'"))
                    .singleElement().satisfies(row -> assertThat((Long) row.get(0)).isPositive());
            assertThat(query("SELECT COUNT(DISTINCT currency) FROM gen_invoices"))
                    .singleElement().satisfies(row -> assertThat((Long) row.get(0)).isGreaterThanOrEqualTo(2));
            assertThat(query("SELECT number FROM gen_invoices WHERE number LIKE 'WHAL-%-000600'")).hasSize(1);
        }

        @Test
        @DisplayName("the benchmarks' raw JDBC page is the library's SQL, and returns the portal's page")
        void rawPageIsTheLibrarysSql() {
            DataGenerator.generate(dataSource(), TINY, GENERATED, false);
            // the benchmarks' SQL names the default prefix: give the library that prefix here too
            DataGenerator.generate(dataSource(), TINY, JdbcPortalStore.DEFAULT_TABLE_PREFIX, false);
            SqlRecorder recorder = new SqlRecorder(dataSource());
            PortalService portal = PortalFixture.portal(recorder.dataSource());
            PortalContext big = portal.authenticate(portal.createSession(
                    SessionRequest.forCustomer(DataSet.BIG_CUSTOMER).tenant(DataSet.TENANT)).token());
            List<Invoice> page = portal.invoices(big, InvoiceQuery.firstPage()).items();
            assertThat(page).hasSize(InvoiceQuery.DEFAULT_LIMIT);
            assertThat(recorder.last()).isEqualTo(expectedPageSql());
        }

        List<List<Object>> query(String sql) throws SQLException {
            List<List<Object>> rows = new ArrayList<>();
            try (Connection c = dataSource().getConnection(); Statement statement = c.createStatement();
                 ResultSet result = statement.executeQuery(sql)) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        Object value = result.getObject(i);
                        row.add(value instanceof Number n && !(value instanceof Double) ? (Object) n.longValue() : value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    @Nested
    @DisplayName("H2 (batched INSERTs)")
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class H2 extends OnDatabase {
        private final org.h2.jdbcx.JdbcDataSource dataSource = new org.h2.jdbcx.JdbcDataSource();

        H2() {
            dataSource.setURL("jdbc:h2:mem:bench_smoke;DB_CLOSE_DELAY=-1");
            dataSource.setUser("sa");
        }

        @Override
        DataSource dataSource() {
            return dataSource;
        }

        /** H2 is told which index walks the portal order (see {@code H2Dialect#portalOrderTable}). */
        @Override
        String expectedPageSql() {
            return PortalFixture.PAGE_SQL.replace("FROM portal_invoices ",
                    "FROM portal_invoices USE INDEX (portal_invoices_portal_order_ix) ");
        }
    }

    @Nested
    @DisplayName("PostgreSQL (COPY)")
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Postgres extends OnDatabase {
        private BenchDatabase db;
        private DataSource dataSource;

        @BeforeAll
        void start() {
            db = BenchDatabase.embedded(Path.of("target", "smoke-postgres").toAbsolutePath(), true);
            dataSource = db.pool("smoke", 4, BenchDatabase.CUSTOM_PLANS);
        }

        @AfterAll
        void stop() {
            db.close();
        }

        @Override
        DataSource dataSource() {
            return dataSource;
        }
    }

    @Test
    @DisplayName("the benchmark list (what benchmarks.jar runs) holds every benchmark")
    void benchmarkListIsComplete() throws IOException {
        List<String> benchmarks = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertThat(in).as("META-INF/BenchmarkList, written by JMH's annotation processor").isNotNull();
            // one line per benchmark: JMH S <n> <class> S <n> <generated class> S <n> <method> ...
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.split(" ");
                benchmarks.add(parts[3].substring(parts[3].lastIndexOf('.') + 1) + "." + parts[9]);
            }
        }
        assertThat(benchmarks).contains("AuthenticateBenchmark.authenticate", "InvoiceReadBenchmark.pageAverageCustomer",
                "InvoiceReadBenchmark.pageAverageCustomerRawJdbc", "InvoiceReadBenchmark.pageBigCustomerFirst",
                "InvoiceReadBenchmark.pageBigCustomer5000Keyset", "InvoiceReadBenchmark.pageBigCustomer5000Offset",
                "InvoiceReadBenchmark.overviewBigCustomer", "InvoiceReadBenchmark.searchBigCustomer",
                "GenericPlanBenchmark.searchAverageThenBig", "SearchFallbackBenchmark.searchBigCustomerWithoutTrigramIndex",
                "KeepAliveLatencyBenchmark.portalConfig", "KeepAliveLatencyBenchmark.helloWorld",
                "KeepAliveLatencyBenchmark.helloWorldWithoutNoDelay", "KeepAliveLatencyBenchmark.portalConfigWithoutNoDelay",
                "JettyThroughputBenchmark.helloWorld", "JettyThroughputBenchmark.portalConfig",
                "JettyThroughputBenchmark.portalInvoices", "JettyThroughputBenchmark.cachedConfig",
                "JettyThroughputBenchmark.roundTrip",
                "UsageAnswerBenchmark.usageAnswer", "UsageAnswerBenchmark.providerOnly");
    }
}
