package dev.billingportal.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Predicate;

/**
 * What differs between databases, one subclass per database: instants, keyset conditions, upserts, error
 * classification and the schema lock. Everything else is the same SQL, in the repositories' text blocks.
 */
public abstract class Dialect {
    /** The escape character of every LIKE pattern: not a backslash, which MySQL also treats as one in literals. */
    public static final char LIKE_ESCAPE = '!';

    /** Only the dialects of this package. */
    Dialect() {
    }

    /**
     * The folder below {@code dev/billingportal/jdbc/schema/} with this database's migrations.
     *
     * @return for example {@code postgresql}
     */
    public abstract String schemaFolder();

    // ---------------------------------------------------------------- values

    /**
     * Binds an instant as a UTC timestamp.
     *
     * @param statement the statement
     * @param index     the parameter index
     * @param value     the instant, or null
     * @throws SQLException from the driver
     */
    public void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setObject(index, value == null ? null : value.atOffset(ZoneOffset.UTC));
    }

    /**
     * Reads a UTC timestamp column.
     *
     * @param rows   the result set
     * @param column the column
     * @return the instant, or null
     * @throws SQLException from the driver
     */
    public Instant getInstant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * Reads a UTC timestamp column by position: what the repositories' row mappers use, since a lookup by name costs
     * some drivers (H2) a search of the columns on every call.
     *
     * @param rows   the result set
     * @param column the column's position, from 1
     * @return the instant, or null
     * @throws SQLException from the driver
     */
    public Instant getInstant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    // ---------------------------------------------------------------- queries

    /**
     * Asks for a plan made for this execution's own values, where the database would otherwise reuse a generic plan
     * made once for all values: for a statement whose best plan depends on its values (a substring search, whose
     * generic plan cannot know whether the trigram index pays). By default nothing: only PostgreSQL caches plans so.
     *
     * @param statement the prepared statement, before it runs
     * @throws SQLException from the driver
     */
    public void preferCustomPlan(PreparedStatement statement) throws SQLException {
    }

    /**
     * What follows {@code FROM} in a page of a customer's invoices in portal order, when no filter could be served
     * better by another index: the table, plus a hint where this database's planner needs one to walk the
     * portal-order index ({@code <table>_portal_order_ix}) instead of reading all of the customer's invoices and
     * sorting them.
     *
     * @param table the prefixed invoices table
     * @return the table expression
     */
    public String portalOrderTable(String table) {
        return table;
    }

    /**
     * The condition "strictly after {@code (issuing_date, id)} in portal order" ({@code issuing_date DESC, id
     * DESC}), written so this database walks the portal-order index from the key instead of filtering from the
     * customer's newest invoice.
     *
     * <p>By default a row-value comparison, which PostgreSQL and H2 turn into one index range on the portal-order
     * index; a database whose planner does not (MariaDB) overrides it.
     *
     * @return an SQL condition with the placeholders {@link #bindKeyset} fills
     */
    public String keysetCondition() {
        return "(issuing_date, id) < (?, ?)";
    }

    /**
     * Binds the placeholders of {@link #keysetCondition()}.
     *
     * @param statement the statement
     * @param index     the first parameter index
     * @param date      the issuing date of the key
     * @param id        the id of the key
     * @return the next free parameter index
     * @throws SQLException from the driver
     */
    public int bindKeyset(PreparedStatement statement, int index, LocalDate date, String id) throws SQLException {
        statement.setObject(index, date);
        statement.setString(index + 1, id);
        return index + 2;
    }

    /**
     * Adds {@code deltaMinor} and {@code deltaCount} to the totals row of one customer and currency, creating it
     * when missing, atomically even when another transaction creates it at the same time.
     *
     * @param connection the connection of the current transaction
     * @param table      the totals table
     * @param tenantId   the tenant
     * @param customerId the customer
     * @param currency   the ISO currency code
     * @param deltaMinor what to add to the invoiced amount (may be negative)
     * @param deltaCount what to add to the number of finalized invoices (may be negative)
     * @throws SQLException from the driver
     */
    public abstract void addToTotals(Connection connection, String table, String tenantId, String customerId,
                                     String currency, long deltaMinor, long deltaCount) throws SQLException;

    // ---------------------------------------------------------------- errors

    /**
     * Whether the failure is a unique or primary key violation.
     *
     * @param e the failure
     * @return true for a duplicate key
     */
    public abstract boolean isUniqueViolation(SQLException e);

    /**
     * Whether the failure is a foreign key violation (a missing parent row).
     *
     * @param e the failure
     * @return true for a missing parent
     */
    public abstract boolean isForeignKeyViolation(SQLException e);

    /**
     * Whether the database rolled the transaction back to break a deadlock or a serialization conflict, so that
     * running it again from the start may succeed.
     *
     * @param e the failure
     * @return true when a retry is safe and may succeed
     */
    public abstract boolean isRetryable(SQLException e);

    // ---------------------------------------------------------------- schema

    /**
     * Whether DDL takes part in transactions, so a migration can apply all or nothing.
     *
     * @return true when a failed migration leaves no trace
     */
    public boolean transactionalDdl() {
        return false;
    }

    /**
     * The DDL of the schema history table, idempotent.
     *
     * @param table the table name
     * @return one statement
     */
    public String historyTableDdl(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " ("
                + "version INT NOT NULL PRIMARY KEY, "
                + "description VARCHAR(200) NOT NULL, "
                + "script VARCHAR(200) NOT NULL, "
                + "checksum BIGINT NOT NULL, "
                + "installed_on VARCHAR(40) NOT NULL, "
                + "execution_ms BIGINT NOT NULL)";
    }

    /**
     * Takes the lock that serialises schema migrations of one table prefix across every application instance.
     *
     * @param connection the connection the migration runs on; the lock lives as long as it is held
     * @param lockName   a name unique to the table prefix, at most 60 characters
     * @return the held lock; closing it releases it
     * @throws SQLException when the lock cannot be taken
     */
    public abstract SchemaLock lockSchema(Connection connection, String lockName) throws SQLException;

    /** A held schema lock. */
    @FunctionalInterface
    public interface SchemaLock extends AutoCloseable {
        /** Releases the lock. */
        @Override
        void close() throws SQLException;
    }

    // ---------------------------------------------------------------- helpers for subclasses

    /** Whether {@code e} or anything chained to it satisfies {@code test}. */
    static boolean anyInChain(SQLException e, Predicate<SQLException> test) {
        int guard = 0;
        for (Throwable t = e; t != null && guard < 20; t = next(t), guard++) {
            if (t instanceof SQLException sql && test.test(sql)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof SQLException sql && sql.getNextException() != null && sql.getNextException() != t) {
            return sql.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    /** Whether the SQLState of {@code e} (or of anything chained to it) is one of {@code states}. */
    static boolean hasState(SQLException e, String... states) {
        return anyInChain(e, sql -> {
            String state = sql.getSQLState();
            if (state == null) {
                return false;
            }
            for (String s : states) {
                if (s.equals(state)) {
                    return true;
                }
            }
            return false;
        });
    }

    /** Whether the vendor error code of {@code e} (or of anything chained to it) is one of {@code codes}. */
    static boolean hasVendorCode(SQLException e, int... codes) {
        return anyInChain(e, sql -> {
            for (int code : codes) {
                if (sql.getErrorCode() == code) {
                    return true;
                }
            }
            return false;
        });
    }
}
