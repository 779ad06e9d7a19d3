package dev.billingportal.jdbc.internal;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.spi.PortalSessionRepository;
import dev.billingportal.core.spi.SessionRecord;

import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Sessions in the {@code sessions} table. Thread-safe; every method is one statement, atomic by itself, and
 * always runs on the primary database: a revocation must stop the very next authentication, which a lagging
 * replica would not see.
 */
public final class JdbcPortalSessionRepository implements PortalSessionRepository {
    private static final String INSERT = """
            INSERT INTO ${table_prefix}sessions (id, tenant_id, customer_external_id, issued_at, expires_at, locale,
                return_url, configuration_name, flow, revoked_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String SELECT = """
            SELECT id, tenant_id, customer_external_id, issued_at, expires_at, locale, return_url, configuration_name,
                   flow, revoked_at
            FROM ${table_prefix}sessions
            WHERE id = ? AND tenant_id = ? AND customer_external_id = ?
            """;

    private static final String REVOKE = """
            UPDATE ${table_prefix}sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL
            """;

    private static final String REVOKE_ALL = """
            UPDATE ${table_prefix}sessions SET revoked_at = ?
            WHERE tenant_id = ? AND customer_external_id = ? AND revoked_at IS NULL
            """;

    private static final String DELETE_EXPIRED = """
            DELETE FROM ${table_prefix}sessions WHERE expires_at < ?
            """;

    private final JdbcExecutor db;
    private final String insert;
    private final String select;
    private final String revoke;
    private final String revokeAll;
    private final String deleteExpired;

    /**
     * A repository over the prefixed {@code sessions} table.
     *
     * @param db     runs the SQL
     * @param prefix the table prefix
     */
    public JdbcPortalSessionRepository(JdbcExecutor db, TablePrefix prefix) {
        this.db = db;
        this.insert = prefix.apply(INSERT);
        this.select = prefix.apply(SELECT);
        this.revoke = prefix.apply(REVOKE);
        this.revokeAll = prefix.apply(REVOKE_ALL);
        this.deleteExpired = prefix.apply(DELETE_EXPIRED);
    }

    @Override
    public void create(SessionRecord session) {
        Checks.required(session, "session");
        db.update("creating a portal session", "session_exists", c -> {
            try (PreparedStatement statement = c.prepareStatement(insert)) {
                statement.setString(1, session.id());
                statement.setString(2, session.customer().tenantId());
                statement.setString(3, session.customer().externalId());
                db.dialect().setInstant(statement, 4, session.issuedAt());
                db.dialect().setInstant(statement, 5, session.expiresAt());
                statement.setString(6, session.locale() == null ? null : session.locale().toLanguageTag());
                statement.setString(7, session.returnUrl() == null ? null : session.returnUrl().toString());
                statement.setString(8, session.configurationName());
                statement.setString(9, session.flow());
                db.dialect().setInstant(statement, 10, session.revokedAt());
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public Optional<SessionRecord> find(CustomerRef customer, String sessionId) {
        Checks.required(customer, "customer");
        if (!storable(sessionId)) {
            return Optional.empty();
        }
        return db.read("finding a portal session", c -> {
            try (PreparedStatement statement = c.prepareStatement(select)) {
                statement.setString(1, sessionId);
                statement.setString(2, customer.tenantId());
                statement.setString(3, customer.externalId());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(session(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean revoke(String sessionId, Instant at) {
        Checks.required(sessionId, "session_id");
        Checks.required(at, "at");
        if (!storable(sessionId)) {
            return false;
        }
        return db.update("revoking a portal session", null, c -> {
            try (PreparedStatement statement = c.prepareStatement(revoke)) {
                db.dialect().setInstant(statement, 1, at);
                statement.setString(2, sessionId);
                return statement.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int revokeAll(CustomerRef customer, Instant at) {
        Checks.required(customer, "customer");
        Checks.required(at, "at");
        return db.update("revoking a customer's portal sessions", null, c -> {
            try (PreparedStatement statement = c.prepareStatement(revokeAll)) {
                db.dialect().setInstant(statement, 1, at);
                statement.setString(2, customer.tenantId());
                statement.setString(3, customer.externalId());
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public int deleteExpired(Instant before) {
        Checks.required(before, "before");
        return db.update("deleting expired portal sessions", null, c -> {
            try (PreparedStatement statement = c.prepareStatement(deleteExpired)) {
                db.dialect().setInstant(statement, 1, before);
                return statement.executeUpdate();
            }
        });
    }

    /**
     * Whether a session could have this id. Asked before every lookup by id: MariaDB and MySQL compare with
     * trailing blanks ignored, so "ses-1 " would otherwise find "ses-1".
     */
    private static boolean storable(String sessionId) {
        try {
            Checks.id(sessionId, "session_id");
            return true;
        } catch (PortalException e) {
            return false;
        }
    }

    private SessionRecord session(ResultSet rows) throws SQLException {
        String locale = rows.getString("locale");
        String returnUrl = rows.getString("return_url");
        return new SessionRecord(rows.getString("id"),
                CustomerRef.of(rows.getString("tenant_id"), rows.getString("customer_external_id")),
                db.dialect().getInstant(rows, "issued_at"), db.dialect().getInstant(rows, "expires_at"),
                locale == null ? null : Locale.forLanguageTag(locale), returnUrl == null ? null : URI.create(returnUrl),
                rows.getString("configuration_name"), rows.getString("flow"), db.dialect().getInstant(rows, "revoked_at"));
    }
}
