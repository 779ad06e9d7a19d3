package dev.billingportal.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * H2: TIMESTAMP WITH TIME ZONE, row-value keyset, update-or-insert, and an in-process schema lock (H2 has no
 * advisory lock; its schema file is idempotent, so instances in other processes are safe too).
 */
public final class H2Dialect extends Dialect {
    private static final int LOCK_TIMEOUT = 50200;
    private static final int CONCURRENT_UPDATE = 90131;
    private static final Map<String, ReentrantLock> SCHEMA_LOCKS = new ConcurrentHashMap<>();

    /** The one instance {@code SqlDialect.H2} holds. */
    public H2Dialect() {
    }

    @Override
    public String schemaFolder() {
        return "h2";
    }



    /**
     * Update, else insert; an insert that loses a race for the new row falls back to its savepoint and
     * updates the winner's row.
     */
    @Override
    public void addToTotals(Connection connection, String table, String tenantId, String customerId, String currency,
                            long deltaMinor, long deltaCount) throws SQLException {
        if (update(connection, table, tenantId, customerId, currency, deltaMinor, deltaCount) == 1) {
            return;
        }
        Savepoint savepoint = connection.setSavepoint();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (tenant_id, customer_id, currency, invoiced_minor, invoice_count) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, tenantId);
            insert.setString(2, customerId);
            insert.setString(3, currency);
            insert.setLong(4, deltaMinor);
            insert.setLong(5, deltaCount);
            insert.executeUpdate();
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            connection.rollback(savepoint);
            update(connection, table, tenantId, customerId, currency, deltaMinor, deltaCount);
        }
    }

    private static int update(Connection connection, String table, String tenantId, String customerId, String currency,
                              long deltaMinor, long deltaCount) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                + " SET invoiced_minor = invoiced_minor + ?, invoice_count = invoice_count + ?"
                + " WHERE tenant_id = ? AND customer_id = ? AND currency = ?")) {
            update.setLong(1, deltaMinor);
            update.setLong(2, deltaCount);
            update.setString(3, tenantId);
            update.setString(4, customerId);
            update.setString(5, currency);
            return update.executeUpdate();
        }
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return hasState(e, "23505");
    }

    @Override
    public boolean isForeignKeyViolation(SQLException e) {
        return hasState(e, "23506");
    }

    @Override
    public boolean isRetryable(SQLException e) {
        return hasState(e, "40001") || hasVendorCode(e, LOCK_TIMEOUT, CONCURRENT_UPDATE);
    }

    /**
     * One lock per database URL and prefix within this JVM. DDL commits in H2, so no database lock would last
     * through a migration; other processes are covered by the idempotent schema file and the history table's key.
     */
    @Override
    public SchemaLock lockSchema(Connection connection, String lockName) throws SQLException {
        ReentrantLock lock = SCHEMA_LOCKS.computeIfAbsent(connection.getMetaData().getURL() + "#" + lockName,
                key -> new ReentrantLock());
        lock.lock();
        return lock::unlock;
    }

    /**
     * H2 costs the foreign key's index (tenant, customer) and the portal-order index alike for a first page, takes
     * the former and sorts every invoice of the customer (101 rows read for a page of 20 out of 100; with the hint,
     * 22). A keyset page chose the portal-order index by itself.
     */
    @Override
    public String portalOrderTable(String table) {
        return table + " USE INDEX (" + table + "_portal_order_ix)";
    }
}
