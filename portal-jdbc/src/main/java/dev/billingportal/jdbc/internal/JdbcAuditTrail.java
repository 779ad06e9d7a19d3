package dev.billingportal.jdbc.internal;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Audit events in the {@code audit_events} table. Thread-safe; every method is one statement on the primary database
 * (an event just recorded must be found at once). Joins the host's transaction like every repository of the store,
 * so a session created inside one is recorded, or not, with it.
 */
public final class JdbcAuditTrail implements AuditTrail {
    private static final String INSERT = """
            INSERT INTO ${table_prefix}audit_events (id, tenant_id, customer_external_id, occurred_at, event_type, actor,
                session_id, link_id, invoice_id, client_address, user_agent, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    // ORDER BY starts with the index's equality columns, so that H2 too walks the index instead of sorting.
    private static final String FIND = """
            SELECT id, tenant_id, customer_external_id, occurred_at, event_type, actor, session_id, link_id, invoice_id,
                   client_address, user_agent, details
            FROM ${table_prefix}audit_events
            WHERE tenant_id = ? AND customer_external_id = ? AND occurred_at >= ?
            ORDER BY tenant_id, customer_external_id, occurred_at, id
            LIMIT ?
            """;

    private final JdbcExecutor db;
    private final String insert;
    private final String find;

    /**
     * A trail over the prefixed {@code audit_events} table.
     *
     * @param db     runs the SQL
     * @param prefix the table prefix
     */
    public JdbcAuditTrail(JdbcExecutor db, TablePrefix prefix) {
        this.db = db;
        this.insert = prefix.apply(INSERT);
        this.find = prefix.apply(FIND);
    }

    @Override
    public void record(AuditEvent event) {
        Checks.required(event, "event");
        db.update("recording an audit event", "audit_event_exists", c -> {
            try (PreparedStatement statement = c.prepareStatement(insert)) {
                statement.setString(1, event.id());
                statement.setString(2, event.tenantId());
                statement.setString(3, event.customerExternalId());
                db.dialect().setInstant(statement, 4, event.occurredAt());
                statement.setString(5, event.type().name());
                statement.setString(6, event.actor().name());
                statement.setString(7, event.sessionId());
                statement.setString(8, event.linkId());
                statement.setString(9, event.invoiceId());
                statement.setString(10, event.clientAddress());
                statement.setString(11, event.userAgent());
                statement.setString(12, event.details());
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public List<AuditEvent> find(CustomerRef customer, Instant since, int limit) {
        AuditTrail.checkFind(customer, since, limit);
        return db.read("reading audit events", c -> {
            try (PreparedStatement statement = c.prepareStatement(find)) {
                statement.setString(1, customer.tenantId());
                statement.setString(2, customer.externalId());
                db.dialect().setInstant(statement, 3, since);
                statement.setInt(4, limit);
                List<AuditEvent> events = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        events.add(event(rows));
                    }
                }
                return events;
            }
        });
    }

    private AuditEvent event(ResultSet rows) throws SQLException {
        AuditEventType type;
        AuditActor actor;
        try {
            type = AuditEventType.valueOf(rows.getString("event_type"));
            actor = AuditActor.valueOf(rows.getString("actor"));
        } catch (IllegalArgumentException e) {
            // written by a newer version of the library: this one cannot tell what it means
            throw PortalException.unavailable("an audit event of a type this version does not know was found", null);
        }
        return new AuditEvent(rows.getString("id"), type, db.dialect().getInstant(rows, "occurred_at"),
                rows.getString("tenant_id"), rows.getString("customer_external_id"), actor, rows.getString("session_id"),
                rows.getString("link_id"), rows.getString("invoice_id"), rows.getString("client_address"),
                rows.getString("user_agent"), rows.getString("details"));
    }
}
