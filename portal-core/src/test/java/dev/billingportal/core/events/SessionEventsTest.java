package dev.billingportal.core.events;

import dev.billingportal.core.PortalService;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.memory.InMemoryEventOutbox;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SessionCreated and SessionRevoked: emitted after success, into the outbox and to the listener, never otherwise. */
class SessionEventsTest {
    private final TestPortal t = new TestPortal();
    private final List<PortalEvent> heard = new ArrayList<>();
    private final InMemoryEventOutbox outbox = new InMemoryEventOutbox();
    private final PortalService portal = t.service.toBuilder().eventListener(heard::add).outbox(outbox).build();

    @Test
    void creatingAndRevokingSessionsIsAnnounced() {
        Customer alice = t.customer("alice");
        PortalSession session = portal.createSession(SessionRequest.forCustomer(alice.ref()));
        assertThat(heard).singleElement().isInstanceOfSatisfying(SessionCreated.class, e -> {
            assertThat(e.sessionId()).isEqualTo(session.id());
            assertThat(e.customer()).isEqualTo(alice.ref());
            assertThat(e.expiresAt()).isEqualTo(session.expiresAt());
            assertThat(e.data()).doesNotContainKey("token");
        });
        assertThat(outbox.pending()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("portal_session.created");
            assertThat(e.payload()).doesNotContain(session.token());
        });
        portal.revokeSession(session.id());
        assertThat(heard.get(1)).isInstanceOfSatisfying(SessionRevoked.class, e -> {
            assertThat(e.sessionId()).isEqualTo(session.id());
            assertThat(e.count()).isEqualTo(1);
        });
        assertThat(portal.revokeSession(session.id())).isFalse();
        assertThat(heard).as("revoking twice announces nothing").hasSize(2);
        portal.createSession(SessionRequest.forCustomer(alice.ref()));
        portal.createSession(SessionRequest.forCustomer(alice.ref()));
        assertThat(portal.revokeAllSessions(alice.ref())).isEqualTo(2);
        assertThat(heard.get(4)).isInstanceOfSatisfying(SessionRevoked.class, e -> {
            assertThat(e.sessionId()).isNull();
            assertThat(e.count()).isEqualTo(2);
            assertThat(e.data()).containsEntry("all", true);
        });
        assertThat(outbox.pending()).extracting(OutboxEvent::type).containsExactly("portal_session.created",
                "portal_session.revoked", "portal_session.created", "portal_session.created", "portal_session.revoked");
    }

    @Test
    void aSessionWhoseEventCannotBeWrittenIsNotHandedOutAndStaysUnusable() {
        Customer alice = t.customer("alice");
        List<String> attempted = new ArrayList<>();
        PortalService broken = portal.toBuilder().outbox(new EventOutbox() {
            @Override
            public void append(PortalEvent event) {
                attempted.add(((SessionCreated) event).sessionId());
                throw new IllegalStateException("outbox down");
            }

            @Override
            public List<OutboxEvent> poll(int limit) {
                return List.of();
            }

            @Override
            public void markDelivered(Collection<Long> sequences) {
            }
        }).build();
        assertThatThrownBy(() -> broken.createSession(SessionRequest.forCustomer(alice.ref())))
                .hasMessageContaining("outbox down");
        assertThat(attempted).hasSize(1);
        assertThat(t.sessions.findById(attempted.get(0))).hasValueSatisfying(s -> assertThat(s.revoked()).isTrue());
        assertThat(heard).isEmpty();
    }

    @Test
    void aRevocationStandsWhenItsEventCannotBeWritten() {
        Customer alice = t.customer("alice");
        PortalSession session = portal.createSession(SessionRequest.forCustomer(alice.ref()));
        PortalService broken = portal.toBuilder().outbox(new EventOutbox() {
            @Override
            public void append(PortalEvent event) {
                throw new IllegalStateException("outbox down");
            }

            @Override
            public List<OutboxEvent> poll(int limit) {
                return List.of();
            }

            @Override
            public void markDelivered(Collection<Long> sequences) {
            }
        }).build();
        assertThat(broken.revokeSession(session.id())).isTrue();
        assertThatThrownBy(() -> portal.authenticate(session.token())).hasMessageContaining("revoked");
    }

    @Test
    void aThrowingListenerChangesNothing() {
        Customer alice = t.customer("alice");
        PortalService loud = portal.toBuilder().eventListener(event -> {
            throw new IllegalStateException("listener down");
        }).build();
        PortalSession session = loud.createSession(SessionRequest.forCustomer(alice.ref()));
        assertThat(loud.authenticate(session.token()).customer()).isEqualTo(alice);
        assertThat(loud.revokeSession(session.id())).isTrue();
    }
}
