package dev.billingportal.jdbc;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.InvoiceKey;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.billingportal.testkit.TestData.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans of the queries the repository really runs (recorded, then explained), over a customer with a few
 * thousand invoices among others: keyset pages walk the portal-order index from the key without sorting, and the
 * overview reads the unpaid index. Small data, so the point is the plan's shape, not its speed.
 */
class QueryPlansTest {
    private static final int BIG = 3_000;
    private static final LocalDate FIRST_DAY = LocalDate.of(2020, 1, 1);

    /** Loads a big customer and two small neighbours with plain batched INSERTs; the plans need no totals. */
    private static Fixture load(TestDatabase db) {
        JdbcPortalStore plain = db.emptyStore(QueryPlansTest.class.getName() + "/" + db.name());
        String prefix = plain.tablePrefix();
        Customer big = TestData.customer(TENANT, "cus-big");
        plain.customers().save(big);
        plain.customers().save(TestData.customer(TENANT, "cus-small-1"));
        plain.customers().save(TestData.customer(TENANT, "cus-small-2"));
        try (Connection c = db.dataSource().getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO " + prefix + "invoices (tenant_id, id, customer_id, number, number_lower, invoice_type,"
                        + " status, payment_status, issuing_date, payment_due_date, currency, subtotal_minor, taxes_minor,"
                        + " total_minor, amount_due_minor) VALUES (?, ?, ?, ?, ?, 'SUBSCRIPTION', 'FINALIZED', ?, ?, ?,"
                        + " 'EUR', 100, 0, 100, ?)")) {
            c.setAutoCommit(false);
            int rows = 0;
            for (String customer : List.of("cus-big", "cus-small-1", "cus-small-2")) {
                int count = customer.equals("cus-big") ? BIG : 100;
                for (int i = 0; i < count; i++) {
                    LocalDate issued = FIRST_DAY.plusDays(i / 3);
                    boolean paid = i % 50 != 0;
                    String number = "INV-" + customer.toUpperCase(Locale.ROOT) + "-" + i;
                    insert.setString(1, TENANT);
                    insert.setString(2, customer + "-" + i);
                    insert.setString(3, customer);
                    insert.setString(4, number);
                    insert.setString(5, number.toLowerCase(Locale.ROOT));
                    insert.setString(6, paid ? "SUCCEEDED" : "PENDING");
                    insert.setObject(7, issued);
                    insert.setObject(8, issued.plusDays(30));
                    insert.setLong(9, paid ? 0 : 100);
                    insert.addBatch();
                    if (++rows % 500 == 0) {
                        insert.executeBatch();
                    }
                }
            }
            insert.executeBatch();
            c.commit();
            c.setAutoCommit(true);
            try (Statement statement = c.createStatement()) {
                if (db.dialect() == SqlDialect.POSTGRESQL) {
                    statement.execute("ANALYZE " + prefix + "invoices");
                } else if (db.dialect() == SqlDialect.MYSQL) {
                    statement.executeQuery("ANALYZE TABLE " + prefix + "invoices").close();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        RecordingDataSource recording = new RecordingDataSource(db.dataSource());
        JdbcPortalStore store = JdbcPortalStore.builder(recording.dataSource()).tablePrefix(prefix).build();
        return new Fixture(db, store, recording, CustomerScope.of(big));
    }

    private record Fixture(TestDatabase db, JdbcPortalStore store, RecordingDataSource recording, CustomerScope scope) {

        /** Runs page 2 of the big customer, far from the newest invoice, and explains it. */
        String explainDeepPage() {
            LocalDate middle = FIRST_DAY.plusDays(BIG / 6);
            List<?> page = store.invoices().find(scope, TestData.search()
                    .after(new InvoiceKey(middle, "cus-big-" + (BIG / 2))).limit(21).build());
            assertThat(page).hasSize(21);
            return explain(recording.lastQueryWithLiterals());
        }

        /** Runs the big customer's first page, as the portal's invoice list opens, and explains it. */
        String explainFirstPage() {
            assertThat(store.invoices().find(scope, TestData.search().limit(21).build())).hasSize(21);
            return explain(recording.lastQueryWithLiterals());
        }

        String explainOverview() {
            store.invoices().overview(scope, TestData.TODAY);
            return explain(recording.lastQueryWithLiterals());
        }

        String explain(String sql) {
            List<String> lines = new ArrayList<>();
            try (Connection c = db.dataSource().getConnection(); Statement statement = c.createStatement()) {
                if (db.dialect() == SqlDialect.POSTGRESQL) {
                    // on a few thousand rows a sequential scan may be as cheap; the question is which index is usable
                    statement.execute("SET enable_seqscan = off");
                }
                try (ResultSet rows = statement.executeQuery("EXPLAIN " + sql)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        StringBuilder line = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            line.append(rows.getMetaData().getColumnLabel(i)).append('=').append(rows.getString(i)).append(' ');
                        }
                        lines.add(line.toString());
                    }
                }
                if (db.dialect() == SqlDialect.POSTGRESQL) {
                    statement.execute("RESET enable_seqscan");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return String.join("\n", lines);
        }
    }

    @Nested
    class Postgres {
        private final Fixture fixture = load(TestDatabase.postgres());

        @Test
        @DisplayName("PostgreSQL: a deep keyset page is one index range on the portal-order index, never a sort")
        void deepPageWalksTheIndex() {
            String plan = fixture.explainDeepPage();
            assertThat(plan).contains("invoices_portal_order_ix").doesNotContain("Sort").contains("Index Cond");
        }

        @Test
        @DisplayName("PostgreSQL: the overview reads the partial index of unpaid finalized invoices")
        void overviewReadsTheUnpaidIndex() {
            assertThat(fixture.explainOverview()).contains("invoices_unpaid_ix");
        }

        @Test
        @DisplayName("PostgreSQL: pg_trgm is installed and its index serves an escaped substring search")
        void trigramIndexServesSearch() {
            String prefix = fixture.store().tablePrefix();
            String plan = fixture.explain("SELECT id FROM " + prefix + "invoices WHERE number_lower LIKE '%big-1!%%' ESCAPE '!'");
            assertThat(plan).contains(prefix + "invoices_number_trgm_ix");
        }
    }

    @Nested
    class MariaDb {
        private final Fixture fixture = load(TestDatabase.mariadb());

        @Test
        @DisplayName("MariaDB: a deep keyset page is a range on the portal-order index, without filesort")
        void deepPageWalksTheIndex() {
            String plan = fixture.explainDeepPage();
            assertThat(plan).contains("key=" + fixture.store().tablePrefix() + "invoices_portal_order_ix")
                    .contains("type=range").doesNotContain("filesort");
        }

        @Test
        @DisplayName("MariaDB: the overview reads the unpaid index")
        void overviewReadsTheUnpaidIndex() {
            assertThat(fixture.explainOverview()).contains(fixture.store().tablePrefix() + "invoices_unpaid_ix");
        }
    }

    @Nested
    class H2 {
        private final Fixture fixture = load(TestDatabase.h2());

        @Test
        @DisplayName("H2: a deep keyset page reads the portal-order index in order (no sort)")
        void deepPageWalksTheIndex() {
            String plan = fixture.explainDeepPage().toLowerCase(Locale.ROOT);
            assertThat(plan).contains("invoices_portal_order_ix").contains("index sorted");
        }

        @Test
        @DisplayName("H2: the first page reads the portal-order index in order, not the foreign key's index and a sort")
        void firstPageWalksTheIndex() {
            String plan = fixture.explainFirstPage().toLowerCase(Locale.ROOT);
            assertThat(plan).contains("invoices_portal_order_ix").contains("/* index sorted */")
                    .doesNotContain("index sorted:");
        }
    }
}
