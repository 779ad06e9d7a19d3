package dev.billingportal.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * MariaDB and MySQL: DATETIME(6) in UTC, an expanded keyset condition, INSERT ... ON DUPLICATE KEY UPDATE,
 * GET_LOCK.
 */
public final class MySqlDialect extends Dialect {
    private static final int ER_DUP_ENTRY = 1062;
    private static final int ER_NO_REFERENCED_ROW = 1216;
    private static final int ER_NO_REFERENCED_ROW_2 = 1452;
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_CHECKREAD = 1020;
    /** How long a starting instance waits for another one's migration. */
    private static final int SCHEMA_LOCK_TIMEOUT_SECONDS = 600;

    /** The one instance {@code SqlDialect.MYSQL} holds. */
    public MySqlDialect() {
    }

    @Override
    public String schemaFolder() {
        return "mysql";
    }

    /** DATETIME has no zone: the UTC wall-clock time goes in (TIMESTAMP would end in 2038). */
    @Override
    public void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setObject(index, value == null ? null : LocalDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    @Override
    public Instant getInstant(ResultSet rows, String column) throws SQLException {
        LocalDateTime value = rows.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    @Override
    public Instant getInstant(ResultSet rows, int column) throws SQLException {
        LocalDateTime value = rows.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /**
     * MariaDB does not turn a row-value comparison into an index range; this form gives it the range
     * {@code issuing_date <= ?} on the portal-order index and filters only the key's own date.
     */
    @Override
    public String keysetCondition() {
        return "issuing_date <= ? AND (issuing_date < ? OR id < ?)";
    }

    @Override
    public int bindKeyset(PreparedStatement statement, int index, LocalDate date, String id) throws SQLException {
        statement.setObject(index, date);
        statement.setObject(index + 1, date);
        statement.setString(index + 2, id);
        return index + 3;
    }

    /** Safe here: the totals table has no unique key but its primary key. */
    @Override
    public void addToTotals(Connection connection, String table, String tenantId, String customerId, String currency,
                            long deltaMinor, long deltaCount) throws SQLException {
        String sql = """
                INSERT INTO %1$s (tenant_id, customer_id, currency, invoiced_minor, invoice_count)
                VALUES (?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE invoiced_minor = invoiced_minor + ?, invoice_count = invoice_count + ?
                """.formatted(table);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenantId);
            statement.setString(2, customerId);
            statement.setString(3, currency);
            statement.setLong(4, deltaMinor);
            statement.setLong(5, deltaCount);
            statement.setLong(6, deltaMinor);
            statement.setLong(7, deltaCount);
            statement.executeUpdate();
        }
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return hasVendorCode(e, ER_DUP_ENTRY);
    }

    @Override
    public boolean isForeignKeyViolation(SQLException e) {
        return hasVendorCode(e, ER_NO_REFERENCED_ROW, ER_NO_REFERENCED_ROW_2);
    }

    /** Deadlocks roll the whole transaction back; so does a lock wait timeout once the store rolls back. */
    @Override
    public boolean isRetryable(SQLException e) {
        return hasState(e, "40001") || hasVendorCode(e, ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, ER_CHECKREAD);
    }

    /** A named user lock of the connection's session. */
    @Override
    public SchemaLock lockSchema(Connection connection, String lockName) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            statement.setString(1, lockName);
            statement.setInt(2, SCHEMA_LOCK_TIMEOUT_SECONDS);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next() || rows.getInt(1) != 1) {
                    throw new SQLException("schema lock " + lockName + " not acquired within "
                            + SCHEMA_LOCK_TIMEOUT_SECONDS + " s", "55P03");
                }
            }
        }
        return () -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                statement.setString(1, lockName);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                }
            }
        };
    }
}
