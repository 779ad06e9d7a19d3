package dev.billingportal.bench;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.jdbc.JdbcPortalStore;
import dev.billingportal.jdbc.PortalSchema;
import dev.billingportal.jdbc.SqlDialect;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Loads a {@link DataSet} into the portal's tables, created by {@link PortalSchema#migrate}: customers through the
 * library's own {@code save} (in one transaction), invoices with PostgreSQL's {@code COPY} (batched INSERTs on other
 * databases), then the totals table in one {@code INSERT ... SELECT ... GROUP BY} over finalized invoices (what every
 * {@code save} keeps up, computed at once; a test checks the two agree), then {@code VACUUM ANALYZE}. A marker row
 * names the data set, so a database that already holds it is left alone.
 *
 * <pre>
 * java -cp portal-bench/target/benchmarks.jar dev.billingportal.bench.DataGenerator [--force]
 *     [--customers 10000] [--invoices-per-customer 100] [--big 100000] [--seed 20261121]
 * </pre>
 */
public final class DataGenerator {
    private static final int BATCH = 5_000;
    private static final int COPY_BUFFER = 1 << 20;

    private DataGenerator() {
    }

    /**
     * What a call did.
     *
     * @param generated false when the database already held the data set
     * @param customers customers in the tables
     * @param invoices  invoices in the tables
     * @param seconds   time taken
     */
    public record Result(boolean generated, long customers, long invoices, double seconds) {
    }

    /**
     * Generates the full data set (or the one the arguments describe) into the benchmarks' database.
     *
     * @param args {@code --force} to generate again although the data set is there; {@code --customers},
     *             {@code --invoices-per-customer}, {@code --big}, {@code --seed} to change the data set
     */
    public static void main(String[] args) {
        DataSet full = DataSet.FULL;
        int customers = full.customers();
        int perCustomer = full.invoicesPerCustomer();
        int big = full.bigInvoices();
        long seed = full.seed();
        boolean force = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--force" -> force = true;
                case "--customers" -> customers = Integer.parseInt(args[++i]);
                case "--invoices-per-customer" -> perCustomer = Integer.parseInt(args[++i]);
                case "--big" -> big = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        DataSet set = new DataSet(customers, perCustomer, big, seed);
        try (BenchDatabase db = BenchDatabase.open()) {
            Result result = generate(db.pool("generator", 2, BenchDatabase.CUSTOM_PLANS), set,
                    JdbcPortalStore.DEFAULT_TABLE_PREFIX, force);
            System.out.printf(Locale.ROOT, "%s: %,d customers, %,d invoices (%s) in %.1f s%n",
                    result.generated() ? "generated" : "already there", result.customers(), result.invoices(),
                    set.describe(), result.seconds());
        }
    }

    /**
     * Makes sure the tables with {@code prefix} hold exactly {@code set}, generating it unless the marker row says
     * they already do.
     *
     * @param dataSource the database
     * @param set        the data set
     * @param prefix     the portal's table prefix
     * @param force      generate even when the marker row names this data set
     * @return what was done
     */
    public static Result generate(DataSource dataSource, DataSet set, String prefix, boolean force) {
        long start = System.nanoTime();
        PortalSchema.migrate(dataSource, prefix);
        try (Connection c = dataSource.getConnection()) {
            boolean postgres = SqlDialect.detect(c) == SqlDialect.POSTGRESQL;
            String marker = prefix + "bench_dataset";
            try (Statement statement = c.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + marker + " (description varchar(500) NOT NULL)");
            }
            if (!force && set.describe().equals(markerOf(c, marker))) {
                return new Result(false, count(c, prefix + "customers"), count(c, prefix + "invoices"), seconds(start));
            }
            clear(c, prefix, marker, postgres);
            if (postgres) {
                // Commits flushed at once, even on a server with synchronous_commit off (the embedded one): VACUUM
                // marks a page all-visible only once its rows' commit is flushed, and without that every index-only
                // scan (the overview's) would visit the table as well.
                try (Statement statement = c.createStatement()) {
                    statement.execute("SET synchronous_commit = on");
                }
            }

            c.setAutoCommit(false);
            JdbcPortalStore store = JdbcPortalStore.builder(dataSource).tablePrefix(prefix).hostTransactions(() -> c)
                    .build();
            int total = SyntheticBilling.customerCount(set);
            Customer[] customers = new Customer[total];
            for (int i = 0; i < total; i++) {
                customers[i] = SyntheticBilling.customer(set, i);
                store.customers().save(customers[i]);
            }
            c.commit();
            if (postgres) {
                // Statistics before the invoices: the COPY checks every invoice's foreign key with a plan made now,
                // and over a just-truncated table that plan scans all customers per invoice (the load had not ended
                // after ten minutes; with statistics all of it takes about one).
                try (Statement statement = c.createStatement()) {
                    statement.execute("ANALYZE " + prefix + "customers");
                }
                c.commit();
            }
            try (InvoiceWriter writer = postgres ? new CopyWriter(c, prefix) : new BatchWriter(c, prefix)) {
                for (int i = 0; i < total; i++) {
                    SyntheticBilling.invoices(set, i, customers[i], writer::write);
                }
            }
            try (Statement statement = c.createStatement()) {
                statement.executeUpdate(totalsSql(prefix));
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement statement = c.createStatement()) {
                for (String table : new String[] {"customers", "invoices", "invoice_totals"}) {
                    statement.execute((postgres ? "VACUUM (ANALYZE) " : "ANALYZE TABLE ") + prefix + table);
                }
                statement.executeUpdate("INSERT INTO " + marker + " (description) VALUES ('" + set.describe() + "')");
            }
            return new Result(true, count(c, prefix + "customers"), count(c, prefix + "invoices"), seconds(start));
        } catch (SQLException e) {
            throw new IllegalStateException("generating " + set.describe() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The totals every invoice save keeps, computed at once: per customer and currency, the sum and count of
     * finalized invoices.
     *
     * @param prefix the table prefix
     * @return the statement
     */
    static String totalsSql(String prefix) {
        return "INSERT INTO " + prefix + "invoice_totals (tenant_id, customer_id, currency, invoiced_minor, invoice_count)"
                + " SELECT tenant_id, customer_id, currency, SUM(total_minor), COUNT(*) FROM " + prefix + "invoices"
                + " WHERE status = 'FINALIZED' GROUP BY tenant_id, customer_id, currency";
    }

    private static String markerOf(Connection c, String marker) throws SQLException {
        try (Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery("SELECT description FROM " + marker)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static void clear(Connection c, String prefix, String marker, boolean postgres) throws SQLException {
        try (Statement statement = c.createStatement()) {
            if (postgres) {
                statement.execute("TRUNCATE " + marker + ", " + prefix + "sessions, " + prefix + "invoice_totals, "
                        + prefix + "invoices, " + prefix + "customers");
            } else {
                for (String table : new String[] {"bench_dataset", "sessions", "invoice_totals", "invoices", "customers"}) {
                    statement.executeUpdate("DELETE FROM " + prefix + table);
                }
            }
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** The invoice columns, as {@code JdbcInvoiceRepository} writes them. */
    private static final String INVOICE_COLUMNS = "tenant_id, id, customer_id, number, number_lower, invoice_type,"
            + " status, payment_status, issuing_date, payment_due_date, currency, subtotal_minor, taxes_minor,"
            + " total_minor, amount_due_minor, document_ref";

    /** The values of {@link #INVOICE_COLUMNS}, in order; {@code number_lower} folded as the library folds it. */
    private static Object[] values(Invoice invoice) {
        return new Object[] {invoice.tenantId(), invoice.id(), invoice.customerId(), invoice.number(),
            invoice.number().toLowerCase(Locale.ROOT), invoice.type().name(), invoice.status().name(),
            invoice.paymentStatus().name(), invoice.issuingDate(), invoice.paymentDueDate(),
            invoice.currency().getCurrencyCode(), invoice.subtotal().amountMinor(), invoice.taxes().amountMinor(),
            invoice.total().amountMinor(), invoice.amountDue().amountMinor(), invoice.documentRef()};
    }

    /** Where generated invoices go. */
    private interface InvoiceWriter extends AutoCloseable {
        void write(Invoice invoice);

        @Override
        void close() throws SQLException;
    }

    /** PostgreSQL's COPY in text format, streamed in chunks of a megabyte. */
    private static final class CopyWriter implements InvoiceWriter {
        private final CopyIn copy;
        private final StringBuilder chunk = new StringBuilder(COPY_BUFFER + 4096);

        CopyWriter(Connection c, String prefix) throws SQLException {
            this.copy = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + prefix + "invoices (" + INVOICE_COLUMNS + ") FROM STDIN");
        }

        @Override
        public void write(Invoice invoice) {
            Object[] values = values(invoice);
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    chunk.append('\t');
                }
                if (values[i] == null) {
                    chunk.append("\\N");
                } else {
                    escape(values[i].toString());
                }
            }
            chunk.append('\n');
            if (chunk.length() >= COPY_BUFFER) {
                flush();
            }
        }

        /** COPY's text format: backslash, tab, newline and carriage return are escaped. */
        private void escape(String value) {
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                switch (ch) {
                    case '\\' -> chunk.append("\\\\");
                    case '\t' -> chunk.append("\\t");
                    case '\n' -> chunk.append("\\n");
                    case '\r' -> chunk.append("\\r");
                    default -> chunk.append(ch);
                }
            }
        }

        private void flush() {
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            chunk.setLength(0);
            try {
                copy.writeToCopy(bytes, 0, bytes.length);
            } catch (SQLException e) {
                throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws SQLException {
            flush();
            copy.endCopy();
        }
    }

    /** Batched INSERTs, for databases without COPY. */
    private static final class BatchWriter implements InvoiceWriter {
        private final PreparedStatement insert;
        private int pending;

        BatchWriter(Connection c, String prefix) throws SQLException {
            this.insert = c.prepareStatement("INSERT INTO " + prefix + "invoices (" + INVOICE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        }

        @Override
        public void write(Invoice invoice) {
            try {
                Object[] values = values(invoice);
                for (int i = 0; i < values.length; i++) {
                    insert.setObject(i + 1, values[i]);
                }
                insert.addBatch();
                if (++pending == BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("INSERT failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                if (pending > 0) {
                    insert.executeBatch();
                }
            } finally {
                insert.close();
            }
        }
    }
}
