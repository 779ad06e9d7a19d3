package dev.billingportal.core.memory;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditTrail;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Audit events in memory, for tests and single-node hosts that ship events elsewhere themselves. It keeps at most
 * {@link #capacity()} events (default {@value #DEFAULT_CAPACITY}) and forgets the oldest recorded beyond that, so a
 * long-running process cannot run out of memory through its audit trail; a host that must keep every event uses a
 * durable trail (portal-jdbc's). Thread-safe: every method holds one lock.
 */
public final class InMemoryAuditTrail implements AuditTrail {
    /** Events kept when no capacity is given. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private static final Comparator<AuditEvent> CHRONOLOGICAL =
            Comparator.comparing(AuditEvent::occurredAt).thenComparing(AuditEvent::id);

    private final int capacity;
    private final Map<CustomerRef, NavigableSet<AuditEvent>> byCustomer = new HashMap<>();
    private final Deque<AuditEvent> inRecordingOrder = new ArrayDeque<>();
    private final Set<String> ids = new HashSet<>();

    /** A trail keeping the {@value #DEFAULT_CAPACITY} most recently recorded events. */
    public InMemoryAuditTrail() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * A trail keeping the {@code capacity} most recently recorded events.
     *
     * @param capacity at least 1
     * @throws IllegalArgumentException naming {@code capacity} when it is below 1
     */
    public InMemoryAuditTrail(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized void record(AuditEvent event) {
        Checks.required(event, "event");
        if (!ids.add(event.id())) {
            throw new PortalException(ErrorCode.CONFLICT, "audit_event_exists", "an audit event with this id exists");
        }
        byCustomer.computeIfAbsent(event.customer(), key -> new TreeSet<>(CHRONOLOGICAL)).add(event);
        inRecordingOrder.addLast(event);
        while (inRecordingOrder.size() > capacity) {
            AuditEvent oldest = inRecordingOrder.removeFirst();
            ids.remove(oldest.id());
            NavigableSet<AuditEvent> events = byCustomer.get(oldest.customer());
            events.remove(oldest);
            if (events.isEmpty()) {
                byCustomer.remove(oldest.customer());
            }
        }
    }

    @Override
    public synchronized List<AuditEvent> find(CustomerRef customer, Instant since, int limit) {
        AuditTrail.checkFind(customer, since, limit);
        NavigableSet<AuditEvent> events = byCustomer.get(customer);
        List<AuditEvent> found = new ArrayList<>();
        if (events == null) {
            return found;
        }
        for (AuditEvent event : events) {
            if (found.size() == limit) {
                break;
            }
            if (!event.occurredAt().isBefore(since)) {
                found.add(event);
            }
        }
        return found;
    }

    /** How many events are kept at most. */
    public int capacity() {
        return capacity;
    }

    /** How many events are kept now. */
    public synchronized int size() {
        return inRecordingOrder.size();
    }
}
