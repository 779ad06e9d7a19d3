package dev.billingportal.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.events.PortalEvent;
import dev.billingportal.core.session.PortalContext;
import org.slf4j.Logger;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A provider's write with its audit record and its event, in one transaction of the storage; the listener hears the
 * event after commit. The provider acts first (a charge cannot be taken back): when the audit trail or the outbox then
 * fails, the failure is logged and rethrown, the caller answers {@code UNAVAILABLE}, and a retry with the same
 * idempotency key is the same attempt, which the provider does not act on twice. Not API.
 */
public final class RecordedWrites {
    private final PortalRuntime rt;
    private final Auditor auditor;
    private final EventPublisher events;

    /**
     * Writes over these.
     *
     * @param rt      the service's settings (its transactions)
     * @param auditor the audit trail
     * @param events  the outbox and listener
     */
    public RecordedWrites(PortalRuntime rt, Auditor auditor, EventPublisher events) {
        this.rt = rt;
        this.auditor = auditor;
        this.events = events;
    }

    /**
     * Runs {@code write}, then records and announces what it did.
     *
     * @param ctx       the session acting
     * @param type      what the audit trail records
     * @param invoiceId the invoice concerned, or null
     * @param write     the provider's write (checked by the caller)
     * @param eventOf   the event of its result
     * @param detailsOf the audit details of its result
     * @param log       where a write that could not be recorded is logged
     * @param <T>       the write's result
     * @return the write's result
     */
    public <T> T run(PortalContext ctx, AuditEventType type, String invoiceId, Supplier<T> write,
                     Function<T, PortalEvent> eventOf, Function<T, ObjectNode> detailsOf, Logger log) {
        PortalEvent[] sent = new PortalEvent[1];
        T result = rt.transactions().inTransaction(() -> {
            T done = write.get();
            PortalEvent event = eventOf.apply(done);
            try {
                auditor.inTransaction(auditor.event(type, ctx.customerRef(), AuditActor.CUSTOMER, ctx.sessionId(),
                        null, invoiceId, ctx.client()).withDetails(detailsOf.apply(done).toString()));
                events.inTransaction(event);
            } catch (RuntimeException e) {
                log.error("tenant {}: the provider did {} (event {}) but it could not be recorded",
                        ctx.scope().tenantId(), type, event.id(), e);
                throw e;
            }
            sent[0] = event;
            return done;
        });
        events.afterCommit(sent[0]);
        return result;
    }
}
