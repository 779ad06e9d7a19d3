package dev.billingportal.core.internal;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the audit trail with the portal's policy: what grants access or hands out data is refused when it cannot be
 * recorded; what removes access stands whether or not it could. Not API.
 */
public final class Auditor {
    private static final Logger LOG = LoggerFactory.getLogger(Auditor.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final AuditTrail trail;
    private final Clock clock;

    /**
     * An auditor writing to {@code trail}.
     *
     * @param trail where events go
     * @param clock the time of events
     */
    public Auditor(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    /** Whether events go anywhere (lookups done only for the trail can be skipped otherwise). */
    public boolean enabled() {
        return trail != AuditTrail.none();
    }

    /**
     * An event now. Its id starts with the millisecond and a sequence number of this JVM, so events of one node within
     * one millisecond keep their order in the trail (ordered by instant, then id); random bytes make it unique.
     *
     * @param type      what happened
     * @param customer  whose
     * @param actor     who did it
     * @param sessionId the session, or null
     * @param linkId    the link, or null
     * @param invoiceId the invoice, or null
     * @param client    the client
     * @return the event
     */
    public AuditEvent event(AuditEventType type, CustomerRef customer, AuditActor actor, String sessionId,
                            String linkId, String invoiceId, ClientInfo client) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = String.format("ae_%012x%08x", Math.max(0, at.toEpochMilli()), SEQUENCE.getAndIncrement() & 0xffffffffL)
                + Ids.random().substring(0, 11);
        return AuditEvent.of(id, type, at, customer, actor, sessionId, linkId, invoiceId, client);
    }

    /**
     * Records the event of something that grants access or hands out data: when the trail fails, {@code withdraw}
     * takes back what was stored for it and the caller gets {@code UNAVAILABLE}.
     *
     * @param event    the event
     * @param withdraw undoes what the event records
     */
    public void granting(AuditEvent event, Runnable withdraw) {
        try {
            trail.record(event);
        } catch (RuntimeException e) {
            try {
                withdraw.run();
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            LOG.error("audit trail failed to record {} (event {}, session {}, tenant {}): refused", event.type(),
                    event.id(), event.sessionId(), event.tenantId(), e);
            throw PortalException.unavailable("the audit trail is unavailable: " + event.type() + " refused", e);
        }
    }

    /**
     * Records the event of a write inside its transaction: when the trail fails, the write rolls back with it.
     *
     * @param event the event
     */
    public void inTransaction(AuditEvent event) {
        try {
            trail.record(event);
        } catch (PortalException e) {
            throw e;
        } catch (RuntimeException e) {
            throw PortalException.unavailable("the audit trail is unavailable: " + event.type() + " refused", e);
        }
    }

    /**
     * Records the event of something that removes or refuses access, which stands whether or not the trail works.
     *
     * @param event the event
     */
    public void refusing(AuditEvent event) {
        try {
            trail.record(event);
        } catch (RuntimeException e) {
            LOG.error("audit trail failed to record {} (event {}, session {}, tenant {}); it took effect unaudited",
                    event.type(), event.id(), event.sessionId(), event.tenantId(), e);
        }
    }
}
