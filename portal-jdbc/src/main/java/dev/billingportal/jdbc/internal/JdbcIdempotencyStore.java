package dev.billingportal.jdbc.internal;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.idempotency.IdempotencyRecord;
import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.internal.Checks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.Optional;

/**
 * Idempotency records in the {@code idempotency_keys} table. Exactly once across threads and nodes rests on the
 * primary key (tenant, customer, key): {@link #begin} inserts, and the one insert the database accepts acts; every
 * other reads the record that is there. An expired record is replaced by a conditional delete (only while it is still
 * expired) and one more insert, so two requests replacing it race for the key again. The insert runs under a
 * savepoint, so a duplicate inside a longer transaction (PostgreSQL aborts a transaction on any failed statement)
 * leaves that transaction usable. Thread-safe; joins the store's and the host's transactions.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {
    /** Rounds of insert, read, delete-if-expired before giving up (each round loses only to a concurrent change). */
    private static final int MAX_ROUNDS = 5;

    private static final String INSERT = """
            INSERT INTO ${table_prefix}idempotency_keys (tenant_id, customer_id, idem_key, request_digest, status,
                response_body, created_at, expires_at)
            VALUES (?, ?, ?, ?, 0, NULL, ?, ?)
            """;
    private static final String SELECT = """
            SELECT request_digest, status, response_body, created_at, expires_at FROM ${table_prefix}idempotency_keys
            WHERE tenant_id = ? AND customer_id = ? AND idem_key = ?
            """;
    private static final String DELETE_EXPIRED_ONE = """
            DELETE FROM ${table_prefix}idempotency_keys
            WHERE tenant_id = ? AND customer_id = ? AND idem_key = ? AND expires_at <= ?
            """;
    private static final String COMPLETE = """
            UPDATE ${table_prefix}idempotency_keys SET status = ?, response_body = ?
            WHERE tenant_id = ? AND customer_id = ? AND idem_key = ? AND status = 0 AND request_digest = ?
            """;
    private static final String RELEASE = """
            DELETE FROM ${table_prefix}idempotency_keys
            WHERE tenant_id = ? AND customer_id = ? AND idem_key = ? AND status = 0 AND request_digest = ?
            """;
    private static final String PURGE = """
            DELETE FROM ${table_prefix}idempotency_keys WHERE expires_at <= ?
            """;

    private final JdbcExecutor db;
    private final String insert;
    private final String select;
    private final String deleteExpiredOne;
    private final String complete;
    private final String release;
    private final String purge;

    /**
     * A store over the prefixed {@code idempotency_keys} table.
     *
     * @param db     runs the SQL
     * @param prefix the table prefix
     */
    public JdbcIdempotencyStore(JdbcExecutor db, TablePrefix prefix) {
        this.db = db;
        this.insert = prefix.apply(INSERT);
        this.select = prefix.apply(SELECT);
        this.deleteExpiredOne = prefix.apply(DELETE_EXPIRED_ONE);
        this.complete = prefix.apply(COMPLETE);
        this.release = prefix.apply(RELEASE);
        this.purge = prefix.apply(PURGE);
    }

    @Override
    public Optional<IdempotencyRecord> begin(IdempotencyRecord started, Instant now) {
        Checks.required(started, "record");
        Checks.required(now, "now");
        if (!started.inProgress()) {
            throw new IllegalArgumentException("begin takes the record of a request that has just started");
        }
        return db.transaction("storing an idempotency key", null, c -> {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                if (tryInsert(c, started)) {
                    return Optional.<IdempotencyRecord>empty();
                }
                Optional<IdempotencyRecord> existing = find(c, started);
                if (existing.isPresent() && existing.get().expiresAt().isAfter(now)) {
                    return existing;
                }
                if (existing.isPresent()) {
                    deleteIfExpired(c, started, now);
                }
                // gone meanwhile (released, purged, replaced): race for the key again
            }
            throw PortalException.unavailable("storing an idempotency key failed: the key kept changing under it", null);
        });
    }

    private boolean tryInsert(Connection c, IdempotencyRecord r) throws SQLException {
        Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        try (PreparedStatement statement = c.prepareStatement(insert)) {
            statement.setString(1, r.tenantId());
            statement.setString(2, r.customerId());
            statement.setString(3, r.key());
            statement.setString(4, r.requestDigest());
            db.dialect().setInstant(statement, 5, r.createdAt());
            db.dialect().setInstant(statement, 6, r.expiresAt());
            statement.executeUpdate();
            if (savepoint != null) {
                c.releaseSavepoint(savepoint);
            }
            return true;
        } catch (SQLException e) {
            if (!db.dialect().isUniqueViolation(e)) {
                throw e;
            }
            if (savepoint != null) {
                c.rollback(savepoint);
            }
            return false;
        }
    }

    private Optional<IdempotencyRecord> find(Connection c, IdempotencyRecord r) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(select)) {
            bindKey(statement, r);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                int status = rows.getInt("status");
                byte[] body = rows.getBytes("response_body");
                return Optional.of(new IdempotencyRecord(r.tenantId(), r.customerId(), r.key(),
                        rows.getString("request_digest"), db.dialect().getInstant(rows, "created_at"),
                        db.dialect().getInstant(rows, "expires_at"), status,
                        status == 0 ? null : body == null ? new byte[0] : body));
            }
        }
    }

    private void deleteIfExpired(Connection c, IdempotencyRecord r, Instant now) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(deleteExpiredOne)) {
            bindKey(statement, r);
            db.dialect().setInstant(statement, 4, now);
            statement.executeUpdate();
        }
    }

    @Override
    public void complete(IdempotencyRecord completed) {
        Checks.required(completed, "record");
        if (completed.inProgress()) {
            throw new IllegalArgumentException("complete takes a record with its answer");
        }
        db.update("completing an idempotency key", null, c -> {
            try (PreparedStatement statement = c.prepareStatement(complete)) {
                statement.setInt(1, completed.status());
                statement.setBytes(2, completed.body());
                statement.setString(3, completed.tenantId());
                statement.setString(4, completed.customerId());
                statement.setString(5, completed.key());
                statement.setString(6, completed.requestDigest());
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public void release(IdempotencyRecord started) {
        Checks.required(started, "record");
        db.update("releasing an idempotency key", null, c -> {
            try (PreparedStatement statement = c.prepareStatement(release)) {
                bindKey(statement, started);
                statement.setString(4, started.requestDigest());
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public int purgeExpired(Instant now) {
        Checks.required(now, "now");
        return db.update("purging expired idempotency keys", null, c -> {
            try (PreparedStatement statement = c.prepareStatement(purge)) {
                db.dialect().setInstant(statement, 1, now);
                return statement.executeUpdate();
            }
        });
    }

    private static void bindKey(PreparedStatement statement, IdempotencyRecord r) throws SQLException {
        statement.setString(1, r.tenantId());
        statement.setString(2, r.customerId());
        statement.setString(3, r.key());
    }

    @Override
    public String toString() {
        return "JdbcIdempotencyStore";
    }
}
