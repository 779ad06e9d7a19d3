package dev.billingportal.jdbc.internal;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.core.session.SessionWithCustomer;

import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Sessions in the {@code sessions} table. Thread-safe; every method is one statement, atomic by itself (a revocation
 * is two, in one transaction), and always runs on the primary database: a revocation must stop the very next
 * authentication, and an exchange must see the one before it, which a lagging replica would not.
 *
 * <p>A one-time link is exchanged by a single conditional {@code UPDATE ... WHERE exchanged_at IS NULL}: the database
 * lets one of any number of concurrent updates of the row match (PostgreSQL and InnoDB re-check the condition on the
 * row version the winner committed), so exactly one caller sees an update count of 1.
 */
public final class JdbcPortalSessionRepository implements PortalSessionRepository {
    private static final String INSERT = """
            INSERT INTO ${table_prefix}sessions (id, tenant_id, customer_external_id, issued_at, expires_at, locale,
                return_url, configuration_name, flow, revoked_at, link_id, exchanged_at, last_seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String COLUMNS = """
            SELECT id, tenant_id, customer_external_id, issued_at, expires_at, locale, return_url, configuration_name,
                   flow, revoked_at, link_id, exchanged_at, last_seen_at
            FROM ${table_prefix}sessions
            """;

    private static final String SELECT = COLUMNS + """
            WHERE id = ? AND tenant_id = ? AND customer_external_id = ?
            """;

    private static final String SELECT_BY_ID = COLUMNS + """
            WHERE id = ?
            """;

    /**
     * A session and its customer in one statement: both rows are found by their keys (the session's primary key, the
     * customers' unique tenant and external id), and the customer is matched on the values bound, exactly as
     * {@code JdbcCustomerRepository#findByExternalId} matches it.
     */
    private static final String SELECT_WITH_CUSTOMER = """
            SELECT s.id, s.tenant_id, s.customer_external_id, s.issued_at, s.expires_at, s.locale, s.return_url,
                   s.configuration_name, s.flow, s.revoked_at, s.link_id, s.exchanged_at, s.last_seen_at, %s
            FROM ${table_prefix}sessions s
            LEFT JOIN ${table_prefix}customers c ON c.tenant_id = ? AND c.external_id = ?
            WHERE s.id = ? AND s.tenant_id = ? AND s.customer_external_id = ?
            """.formatted(JdbcCustomerRepository.columnsOf("c"));

    /** The session's columns come first in every query of this class, in this many positions. */
    private static final int SESSION_COLUMNS = 13;

    private static final String REVOKE = """
            UPDATE ${table_prefix}sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL
            """;

    private static final String REVOKE_EXCHANGED = """
            UPDATE ${table_prefix}sessions SET revoked_at = ? WHERE link_id = ? AND revoked_at IS NULL
            """;

    private static final String MARK_EXCHANGED = """
            UPDATE ${table_prefix}sessions SET exchanged_at = ?
            WHERE id = ? AND link_id IS NULL AND exchanged_at IS NULL AND revoked_at IS NULL
            """;

    private static final String TOUCH = """
            UPDATE ${table_prefix}sessions SET last_seen_at = ?
            WHERE id = ? AND revoked_at IS NULL AND (last_seen_at IS NULL OR last_seen_at < ?)
            """;

    private static final String REVOKE_ALL = """
            UPDATE ${table_prefix}sessions SET revoked_at = ?
            WHERE tenant_id = ? AND customer_external_id = ? AND revoked_at IS NULL
            """;

    /**
     * The second statement of a revokeAll, with a snapshot of its own: a session exchanged from one of the customer's
     * links while the first statement ran (stored before the link was marked, so invisible to that statement, which
     * still revoked the freshly marked link) is committed by now and revoked here.
     */
    private static final String REVOKE_ALL_EXCHANGED = """
            UPDATE ${table_prefix}sessions SET revoked_at = ?
            WHERE tenant_id = ? AND customer_external_id = ? AND link_id IS NOT NULL AND revoked_at IS NULL
            """;

    private static final String DELETE_EXPIRED = """
            DELETE FROM ${table_prefix}sessions WHERE expires_at < ?
            """;

    private final JdbcExecutor db;
    private final JdbcCustomerRepository customers;
    private final String insert;
    private final String selectWithCustomer;
    private final String select;
    private final String selectById;
    private final String revoke;
    private final String revokeExchanged;
    private final String markExchanged;
    private final String touch;
    private final String revokeAll;
    private final String revokeAllExchanged;
    private final String deleteExpired;

    /**
     * A repository over the prefixed {@code sessions} table.
     *
     * @param db        runs the SQL
     * @param prefix    the table prefix
     * @param customers the customer repository over the same database and prefix: {@link #findWithCustomer} joins
     *                  its table when asked for exactly this repository
     */
    public JdbcPortalSessionRepository(JdbcExecutor db, TablePrefix prefix, JdbcCustomerRepository customers) {
        this.db = db;
        this.customers = Checks.required(customers, "customers");
        this.insert = prefix.apply(INSERT);
        this.selectWithCustomer = prefix.apply(SELECT_WITH_CUSTOMER);
        this.select = prefix.apply(SELECT);
        this.selectById = prefix.apply(SELECT_BY_ID);
        this.revoke = prefix.apply(REVOKE);
        this.revokeExchanged = prefix.apply(REVOKE_EXCHANGED);
        this.markExchanged = prefix.apply(MARK_EXCHANGED);
        this.touch = prefix.apply(TOUCH);
        this.revokeAll = prefix.apply(REVOKE_ALL);
        this.revokeAllExchanged = prefix.apply(REVOKE_ALL_EXCHANGED);
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
                statement.setString(11, session.linkId());
                db.dialect().setInstant(statement, 12, session.exchangedAt());
                db.dialect().setInstant(statement, 13, session.lastSeenAt());
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

    /**
     * One statement on the primary when {@code customers} is this store's own repository (its table is then on the
     * same database, under the same prefix); otherwise the two calls of the default, since the host's customers live
     * elsewhere.
     */
    @Override
    public Optional<SessionWithCustomer> findWithCustomer(CustomerRef customer, String sessionId,
                                                          CustomerRepository customers) {
        if (customers != this.customers) {
            return PortalSessionRepository.super.findWithCustomer(customer, sessionId, customers);
        }
        Checks.required(customer, "customer");
        if (!storable(sessionId)) {
            return Optional.empty();
        }
        return db.read("finding a portal session and its customer", c -> {
            try (PreparedStatement statement = c.prepareStatement(selectWithCustomer)) {
                statement.setString(1, customer.tenantId());
                statement.setString(2, customer.externalId());
                statement.setString(3, sessionId);
                statement.setString(4, customer.tenantId());
                statement.setString(5, customer.externalId());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new SessionWithCustomer(session(rows), JdbcCustomerRepository.customer(rows, SESSION_COLUMNS + 1)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<SessionRecord> findById(String sessionId) {
        if (!storable(sessionId)) {
            return Optional.empty();
        }
        return db.read("finding a portal session by id", c -> {
            try (PreparedStatement statement = c.prepareStatement(selectById)) {
                statement.setString(1, sessionId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(session(rows)) : Optional.empty();
                }
            }
        });
    }

    /** The session, then what was exchanged from it, in one transaction: all revoked, or none. */
    @Override
    public boolean revoke(String sessionId, Instant at) {
        Checks.required(sessionId, "session_id");
        Checks.required(at, "at");
        if (!storable(sessionId)) {
            return false;
        }
        return db.transaction("revoking a portal session", null, c -> {
            boolean revoked;
            try (PreparedStatement statement = c.prepareStatement(revoke)) {
                db.dialect().setInstant(statement, 1, at);
                statement.setString(2, sessionId);
                revoked = statement.executeUpdate() == 1;
            }
            try (PreparedStatement statement = c.prepareStatement(revokeExchanged)) {
                db.dialect().setInstant(statement, 1, at);
                statement.setString(2, sessionId);
                statement.executeUpdate();
            }
            return revoked;
        });
    }

    @Override
    public boolean markExchanged(String sessionId, Instant at) {
        Checks.required(sessionId, "session_id");
        Checks.required(at, "at");
        if (!storable(sessionId)) {
            return false;
        }
        return db.update("exchanging a portal link", null, c -> {
            try (PreparedStatement statement = c.prepareStatement(markExchanged)) {
                db.dialect().setInstant(statement, 1, at);
                statement.setString(2, sessionId);
                return statement.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean touch(String sessionId, Instant at) {
        Checks.required(sessionId, "session_id");
        Checks.required(at, "at");
        if (!storable(sessionId)) {
            return false;
        }
        return db.update("recording a portal session's activity", null, c -> {
            try (PreparedStatement statement = c.prepareStatement(touch)) {
                db.dialect().setInstant(statement, 1, at);
                statement.setString(2, sessionId);
                db.dialect().setInstant(statement, 3, at);
                return statement.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int revokeAll(CustomerRef customer, Instant at) {
        Checks.required(customer, "customer");
        Checks.required(at, "at");
        // Two statements in one transaction: see REVOKE_ALL_EXCHANGED for the exchange the first one cannot see.
        return db.transaction("revoking a customer's portal sessions", null, c -> {
            int revoked = 0;
            for (String sql : new String[] {revokeAll, revokeAllExchanged}) {
                try (PreparedStatement statement = c.prepareStatement(sql)) {
                    db.dialect().setInstant(statement, 1, at);
                    statement.setString(2, customer.tenantId());
                    statement.setString(3, customer.externalId());
                    revoked += statement.executeUpdate();
                }
            }
            return revoked;
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

    /** The session of the current row, by position from column 1 (the order of {@link #COLUMNS}). */
    private SessionRecord session(ResultSet rows) throws SQLException {
        String locale = rows.getString(6);
        String returnUrl = rows.getString(7);
        return new SessionRecord(rows.getString(1), CustomerRef.of(rows.getString(2), rows.getString(3)),
                db.dialect().getInstant(rows, 4), db.dialect().getInstant(rows, 5),
                locale == null ? null : Locale.forLanguageTag(locale), returnUrl == null ? null : URI.create(returnUrl),
                rows.getString(8), rows.getString(9), db.dialect().getInstant(rows, 10), rows.getString(11),
                db.dialect().getInstant(rows, 12), db.dialect().getInstant(rows, 13));
    }
}
