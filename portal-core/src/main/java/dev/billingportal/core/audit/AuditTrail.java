package dev.billingportal.core.audit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.List;

/**
 * Where the portal writes its audit events: sessions created, exchanged and revoked, one-time links replayed, invoices
 * downloaded. Reads are scoped to one customer, like every other read of the library.
 *
 * <p>Implementations must be safe for concurrent use; an event {@link #record}ed is seen by every {@link #find} that
 * starts after {@code record} returned. {@link #none()} records nothing;
 * {@code dev.billingportal.core.memory.InMemoryAuditTrail} and portal-jdbc's {@code store.audit()} keep them.
 */
public interface AuditTrail {
    /** Largest {@code limit} {@link #find} accepts. */
    int MAX_FIND_LIMIT = 1000;

    /**
     * Stores one event.
     *
     * @param event the event
     * @throws PortalException {@code CONFLICT} if an event with this id exists (nothing is written);
     *                         {@code UNAVAILABLE} when the storage fails
     */
    void record(AuditEvent event);

    /**
     * The events of one customer (that tenant and external id only) that occurred at or after {@code since}, oldest
     * first ({@code occurredAt}, then {@code id}), at most {@code limit} of them.
     *
     * @param customer whose events
     * @param since    the earliest instant, inclusive
     * @param limit    at most this many, 1 to {@value #MAX_FIND_LIMIT}
     * @return the events, oldest first
     * @throws PortalException {@code VALIDATION_ERROR} for a null customer or instant or a limit out of bounds
     */
    List<AuditEvent> find(CustomerRef customer, Instant since, int limit);

    /**
     * Checks the arguments of {@link #find}, for implementations.
     *
     * @param customer whose events
     * @param since    the earliest instant
     * @param limit    the limit
     * @throws PortalException {@code VALIDATION_ERROR} naming the first bad argument
     */
    static void checkFind(CustomerRef customer, Instant since, int limit) {
        Checks.required(customer, "customer");
        Checks.required(since, "since");
        if (limit < 1 || limit > MAX_FIND_LIMIT) {
            throw PortalException.invalid("limit", "must be between 1 and " + MAX_FIND_LIMIT);
        }
    }

    /**
     * An audit trail that records nothing and finds nothing: the service's default.
     *
     * @return the no-op trail
     */
    static AuditTrail none() {
        return NoAuditTrail.INSTANCE;
    }
}
