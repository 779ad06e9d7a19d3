package dev.billingportal.testkit;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.memory.InMemoryAuditTrail;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs the {@link AuditTrailContract} against the in-memory trail of portal-core, plus its capacity. */
class InMemoryAuditTrailTest extends AuditTrailContract {

    @Override
    protected AuditTrail createTrail() {
        return new InMemoryAuditTrail();
    }

    @Test
    @DisplayName("beyond its capacity the in-memory trail forgets the oldest recorded events, and their ids")
    void capacityForgetsTheOldest() {
        InMemoryAuditTrail small = new InMemoryAuditTrail(3);
        CustomerRef alice = CustomerRef.of("t", "alice");
        for (int i = 0; i < 5; i++) {
            small.record(AuditEvent.of("ae-" + i, AuditEventType.SESSION_CREATED, TestData.NOW.plusSeconds(i), alice,
                    AuditActor.HOST, null, null, null, ClientInfo.UNKNOWN));
        }

        assertThat(small.size()).isEqualTo(3);
        assertThat(small.capacity()).isEqualTo(3);
        assertThat(small.find(alice, Instant.EPOCH, 10)).extracting(AuditEvent::id).containsExactly("ae-2", "ae-3", "ae-4");
        small.record(AuditEvent.of("ae-0", AuditEventType.SESSION_CREATED, TestData.NOW, alice, AuditActor.HOST, null,
                null, null, null));
        assertThat(small.find(alice, Instant.EPOCH, 10)).extracting(AuditEvent::id).containsExactly("ae-0", "ae-3", "ae-4");
        assertThat(new InMemoryAuditTrail().capacity()).isEqualTo(InMemoryAuditTrail.DEFAULT_CAPACITY);
        assertThatThrownBy(() -> new InMemoryAuditTrail(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
    }
}
