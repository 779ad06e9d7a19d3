package dev.billingportal.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.zip.CRC32;

/** PostgreSQL: timestamptz, row-value keyset, INSERT ... ON CONFLICT, advisory locks. */
public final class PostgresDialect extends Dialect {

    /** The one instance {@code SqlDialect.POSTGRESQL} holds. */
    public PostgresDialect() {
    }

    @Override
    public String schemaFolder() {
        return "postgresql";
    }



    @Override
    public void addToTotals(Connection connection, String table, String tenantId, String customerId, String currency,
                            long deltaMinor, long deltaCount) throws SQLException {
        String sql = """
                INSERT INTO %1$s AS t (tenant_id, customer_id, currency, invoiced_minor, invoice_count)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, customer_id, currency) DO UPDATE
                SET invoiced_minor = t.invoiced_minor + EXCLUDED.invoiced_minor,
                    invoice_count = t.invoice_count + EXCLUDED.invoice_count
                """.formatted(table);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenantId);
            statement.setString(2, customerId);
            statement.setString(3, currency);
            statement.setLong(4, deltaMinor);
            statement.setLong(5, deltaCount);
            statement.executeUpdate();
        }
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return hasState(e, "23505");
    }

    @Override
    public boolean isForeignKeyViolation(SQLException e) {
        return hasState(e, "23503");
    }

    @Override
    public boolean isRetryable(SQLException e) {
        return hasState(e, "40001", "40P01");
    }

    @Override
    public boolean transactionalDdl() {
        return true;
    }

    /** A session-level advisory lock keyed by a hash of the name: held until released, even across commits. */
    @Override
    public SchemaLock lockSchema(Connection connection, String lockName) throws SQLException {
        CRC32 crc = new CRC32();
        crc.update(lockName.getBytes(StandardCharsets.UTF_8));
        // A fixed high half keeps clear of small integer keys an application may use for its own locks.
        long key = (0x42504F52L << 32) | crc.getValue();
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
            statement.setLong(1, key);
            statement.execute();
        }
        return () -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                statement.setLong(1, key);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                }
            }
        };
    }

    /**
     * pgJDBC prepares a statement on the server from its fifth execution, and PostgreSQL may then keep a generic plan
     * (with {@code plan_cache_mode = auto}, its default): for the search that plan ignores the trigram index and walks
     * a big customer's invoices one by one, a hundred times slower. A prepare threshold of 0 keeps this one statement
     * unnamed, so it is planned for its values every time, while every other statement keeps its cached generic plan
     * (which saves the planning). Through {@code unwrap}, without a compile-time dependency on pgJDBC; with another
     * driver nothing changes, and {@code plan_cache_mode = force_custom_plan} is the host's remedy.
     */
    @Override
    public void preferCustomPlan(PreparedStatement statement) throws SQLException {
        Class<?> pgStatement = PgStatement.type(statement);
        if (pgStatement == null || !statement.isWrapperFor(pgStatement)) {
            return;
        }
        try {
            PgStatement.setPrepareThreshold(pgStatement).invoke(statement.unwrap(pgStatement), 0);
        } catch (ReflectiveOperationException e) {
            throw new SQLException("pgJDBC's PGStatement.setPrepareThreshold could not be called", e);
        }
    }

    /** pgJDBC's {@code org.postgresql.PGStatement}, looked up in the driver's own class loader. */
    private static final class PgStatement {
        private static final String NAME = "org.postgresql.PGStatement";

        private PgStatement() {
        }

        static Class<?> type(PreparedStatement statement) {
            try {
                return Class.forName(NAME, false, statement.getClass().getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return null; // not pgJDBC
            }
        }

        static java.lang.reflect.Method setPrepareThreshold(Class<?> type) throws NoSuchMethodException {
            return type.getMethod("setPrepareThreshold", int.class);
        }
    }
}
