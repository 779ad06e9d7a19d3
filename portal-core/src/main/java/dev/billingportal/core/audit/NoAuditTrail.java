package dev.billingportal.core.audit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.List;

/** {@link AuditTrail#none()}: records nothing. */
final class NoAuditTrail implements AuditTrail {
    static final NoAuditTrail INSTANCE = new NoAuditTrail();

    private NoAuditTrail() {
    }

    @Override
    public void record(AuditEvent event) {
        Checks.required(event, "event");
    }

    @Override
    public List<AuditEvent> find(CustomerRef customer, Instant since, int limit) {
        AuditTrail.checkFind(customer, since, limit);
        return List.of();
    }

    @Override
    public String toString() {
        return "AuditTrail.none()";
    }
}
