package dev.billingportal.jdbc;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.events.EventJson;
import dev.billingportal.core.events.EventOutbox;
import dev.billingportal.core.events.OutboxEvent;
import dev.billingportal.core.events.PortalEvent;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.jdbc.internal.JdbcExecutor;
import dev.billingportal.jdbc.internal.TablePrefix;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The transactional outbox in the {@code <prefix>event_outbox} table. {@link #append} writes the event's row on the
 * connection of the current transaction: inside {@link JdbcPortalStore#transactions()} (how {@code PortalService}
 * runs every write) or a host transaction joined through {@link HostTransactions}, the event commits or rolls back
 * with the write it announces; outside any, it is a statement of its own.
 *
 * <p>{@link #poll} answers undelivered events in the order of their {@code seq}, the database's increasing number,
 * so the events of one customer come out in the order they were appended, as long as that customer's writes commit
 * one after the other (the portal's do: each is one request). An event stays until {@link #markDelivered}: delivery
 * is at least once. Delivered rows are kept until {@link #purgeDelivered}. Thread-safe.
 */
public final class JdbcEventOutbox implements EventOutbox {
    private static final String INSERT = """
            INSERT INTO ${table_prefix}event_outbox (event_id, event_type, tenant_id, customer_id, occurred_at, payload,
                attempts)
            VALUES (?, ?, ?, ?, ?, ?, 0)
            """;
    private static final String POLL = """
            SELECT seq, event_id, event_type, tenant_id, customer_id, occurred_at, payload, attempts
            FROM ${table_prefix}event_outbox
            WHERE delivered_at IS NULL
            ORDER BY seq
            LIMIT ?
            """;
    private static final String DELIVERED = """
            UPDATE ${table_prefix}event_outbox SET delivered_at = ? WHERE seq = ? AND delivered_at IS NULL
            """;
    private static final String FAILED = """
            UPDATE ${table_prefix}event_outbox SET attempts = attempts + 1 WHERE seq = ? AND delivered_at IS NULL
            """;
    private static final String PURGE = """
            DELETE FROM ${table_prefix}event_outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?
            """;

    private final JdbcExecutor db;
    private final Clock clock;
    private final String insert;
    private final String poll;
    private final String delivered;
    private final String failed;
    private final String purge;

    JdbcEventOutbox(JdbcExecutor db, TablePrefix prefix, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.insert = prefix.apply(INSERT);
        this.poll = prefix.apply(POLL);
        this.delivered = prefix.apply(DELIVERED);
        this.failed = prefix.apply(FAILED);
        this.purge = prefix.apply(PURGE);
    }

    /**
     * Appends one event, on the current transaction's connection when there is one.
     *
     * @param event the event
     * @throws PortalException {@code UNAVAILABLE} when the database fails (inside a transaction, the write it
     *                         announces then rolls back with it); {@code CONFLICT} when an event of this id exists
     */
    @Override
    public void append(PortalEvent event) {
        Checks.required(event, "event");
        String payload = EventJson.payload(event);
        db.update("appending an event to the outbox", "event_exists", c -> {
            try (PreparedStatement statement = c.prepareStatement(insert)) {
                statement.setString(1, event.id());
                statement.setString(2, event.type());
                statement.setString(3, event.customer().tenantId());
                statement.setString(4, event.customer().externalId());
                db.dialect().setInstant(statement, 5, event.occurredAt());
                statement.setString(6, payload);
                return statement.executeUpdate();
            }
        });
    }

    /**
     * Up to {@code limit} undelivered events, lowest {@code seq} first.
     *
     * @param limit at least 1
     * @return the events
     * @throws PortalException {@code UNAVAILABLE} when the database fails
     */
    @Override
    public List<OutboxEvent> poll(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return db.read("polling the event outbox", c -> {
            try (PreparedStatement statement = c.prepareStatement(poll)) {
                statement.setInt(1, limit);
                List<OutboxEvent> events = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        events.add(new OutboxEvent(rows.getLong("seq"), rows.getString("event_id"),
                                rows.getString("event_type"),
                                CustomerRef.of(rows.getString("tenant_id"), rows.getString("customer_id")),
                                db.dialect().getInstant(rows, "occurred_at"), rows.getString("payload"),
                                rows.getInt("attempts")));
                    }
                }
                return events;
            }
        });
    }

    /**
     * Marks these events delivered (an unknown or already delivered sequence is ignored).
     *
     * @param sequences the events' {@link OutboxEvent#sequence()}
     * @throws PortalException {@code UNAVAILABLE} when the database fails (then none is marked)
     */
    @Override
    public void markDelivered(Collection<Long> sequences) {
        Checks.required(sequences, "sequences");
        if (sequences.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        db.transaction("marking outbox events delivered", null, c -> {
            try (PreparedStatement statement = c.prepareStatement(delivered)) {
                for (Long seq : sequences) {
                    db.dialect().setInstant(statement, 1, now);
                    statement.setLong(2, Checks.required(seq, "sequence"));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }

    /**
     * Counts one more failed delivery attempt of these undelivered events.
     *
     * @param sequences the events' {@link OutboxEvent#sequence()}
     * @throws PortalException {@code UNAVAILABLE} when the database fails (then none is counted)
     */
    @Override
    public void markFailed(Collection<Long> sequences) {
        Checks.required(sequences, "sequences");
        if (sequences.isEmpty()) {
            return;
        }
        db.transaction("counting failed outbox deliveries", null, c -> {
            try (PreparedStatement statement = c.prepareStatement(failed)) {
                for (Long seq : sequences) {
                    statement.setLong(1, Checks.required(seq, "sequence"));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }

    /**
     * Deletes the rows of events delivered before {@code deliveredBefore}: run it now and then, the table keeps
     * delivered rows otherwise (a relay's audit of what it sent).
     *
     * @param deliveredBefore the cut-off
     * @return how many rows were deleted
     * @throws PortalException {@code UNAVAILABLE} when the database fails
     */
    public int purgeDelivered(Instant deliveredBefore) {
        Checks.required(deliveredBefore, "deliveredBefore");
        return db.update("purging delivered outbox events", null, c -> {
            try (PreparedStatement statement = c.prepareStatement(purge)) {
                db.dialect().setInstant(statement, 1, deliveredBefore);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public String toString() {
        return "JdbcEventOutbox";
    }
}
