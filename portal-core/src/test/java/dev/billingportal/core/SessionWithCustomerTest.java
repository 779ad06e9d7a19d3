package dev.billingportal.core;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.session.SessionWithCustomer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authentication reads the session and its customer with one {@code findWithCustomer}, and checks what it got. */
class SessionWithCustomerTest {
    private final TestPortal t = new TestPortal();
    private final Customer alice = t.customer("alice");
    private final Customer bob = t.customer("bob");

    private SessionRecord aliceSession() {
        return new SessionRecord("ses-1", alice.ref(), TestPortal.NOW, TestPortal.NOW.plus(Duration.ofHours(1)), null,
                null, null, null, null, null, null, null);
    }

    @Test
    @DisplayName("the record takes the session's own customer, or none; another customer is refused")
    void recordChecksTheCustomer() {
        assertThat(new SessionWithCustomer(aliceSession(), alice).existingCustomer()).contains(alice);
        assertThat(new SessionWithCustomer(aliceSession(), null).existingCustomer()).isEmpty();
        assertThatThrownBy(() -> new SessionWithCustomer(aliceSession(), bob))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ses-1").hasMessageNotContaining("bob");
        Customer aliceElsewhere = alice.toBuilder().tenantId("other-tenant").build();
        assertThatThrownBy(() -> new SessionWithCustomer(aliceSession(), aliceElsewhere))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionWithCustomer(null, alice)).isInstanceOf(PortalException.class);
    }

    @Test
    @DisplayName("authenticate makes one findWithCustomer call and no separate session or customer read")
    void authenticateReadsOnce() {
        AtomicInteger combined = new AtomicInteger();
        AtomicInteger finds = new AtomicInteger();
        PortalService service = t.service.toBuilder().sessions(new ForwardingSessions(t.sessions) {
            @Override
            public Optional<SessionWithCustomer> findWithCustomer(CustomerRef customer, String sessionId,
                                                                  CustomerRepository customers) {
                combined.incrementAndGet();
                return t.sessions.findWithCustomer(customer, sessionId, customers);
            }

            @Override
            public Optional<SessionRecord> find(CustomerRef customer, String sessionId) {
                finds.incrementAndGet();
                return super.find(customer, sessionId);
            }
        }).build();
        PortalSession session = service.createSession(SessionRequest.forCustomer(alice.ref()));

        PortalContext ctx = service.authenticate(session.token());

        assertThat(ctx.customer()).isEqualTo(alice);
        assertThat(combined).hasValue(1);
        assertThat(finds).as("no find besides the combined read").hasValue(0);
    }

    @Test
    @DisplayName("a session whose customer is gone is refused as invalid_token")
    void customerGone() {
        PortalService service = t.service.toBuilder().sessions(new ForwardingSessions(t.sessions) {
            @Override
            public Optional<SessionWithCustomer> findWithCustomer(CustomerRef customer, String sessionId,
                                                                  CustomerRepository customers) {
                return find(customer, sessionId).map(s -> new SessionWithCustomer(s, null));
            }
        }).build();
        PortalSession session = service.createSession(SessionRequest.forCustomer(alice.ref()));

        assertThatThrownBy(() -> service.authenticate(session.token())).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(e.reason()).isEqualTo("invalid_token");
            assertThat(e.getMessage()).contains("no longer exists");
        });
    }
}
