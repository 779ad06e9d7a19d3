package dev.billingportal.core;

import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.SessionRequest;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.memory.InMemoryAuditTrail;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.billingportal.core.invoices.InvoiceStatus.FINALIZED;
import static dev.billingportal.core.invoices.PaymentStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What the service writes to the audit trail, and what it does when the trail fails. */
class AuditPolicyTest {
    private static final ClientInfo ADMIN = ClientInfo.of("10.1.2.3", "admin-console/4.2");
    private static final ClientInfo BROWSER = ClientInfo.of("2001:db8::7", "Mozilla/5.0 Firefox/133.0");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

    private static List<AuditEvent> events(AuditTrail trail, Customer customer) {
        return trail.find(customer.ref(), Instant.EPOCH, 1000);
    }

    private static void assertPortalError(Throwable thrown, ErrorCode code, String reason) {
        assertThat(thrown).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).as("code").isEqualTo(code);
            assertThat(e.reason()).as("reason").isEqualTo(reason);
        });
    }

    @Nested
    class Recording {
        private final TestPortal t = new TestPortal();
        private final Customer alice = t.customer("acme", "alice", "UTC");
        private final Customer bob = t.customer("acme", "bob", "UTC");

        @Test
        @DisplayName("session created: HOST, the link's id, the host's client, the service's clock")
        void sessionCreated() {
            t.clock.advance(Duration.ofMillis(1_234));
            PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()).client(ADMIN));

            AuditEvent event = events(t.audit, alice).get(0);
            assertThat(event.type()).isEqualTo(AuditEventType.SESSION_CREATED);
            assertThat(event.actor()).isEqualTo(AuditActor.HOST);
            assertThat(event.customer()).isEqualTo(alice.ref());
            assertThat(event.sessionId()).isEqualTo(link.id());
            assertThat(event.linkId()).isNull();
            assertThat(event.invoiceId()).isNull();
            assertThat(event.client()).isEqualTo(ADMIN);
            assertThat(event.occurredAt()).isEqualTo(TestPortal.NOW.plusMillis(1_234));
            assertThat(event.id()).startsWith("ae_");
            assertThat(events(t.audit, bob)).isEmpty();
        }

        @Test
        @DisplayName("a session created without client information records an unknown client")
        void unknownClient() {
            t.service.createSession(SessionRequest.forCustomer(alice.ref()));

            assertThat(events(t.audit, alice).get(0).client()).isEqualTo(ClientInfo.UNKNOWN);
        }

        @Test
        @DisplayName("session revoked: once, when it was live; unknown ids and repeated revocations record nothing")
        void sessionRevoked() {
            PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
            t.clock.advance(Duration.ofMinutes(1));

            assertThat(t.service.revokeSession(link.id(), ADMIN)).isTrue();
            assertThat(t.service.revokeSession(link.id(), ADMIN)).isFalse();
            assertThat(t.service.revokeSession("ps_unknown", ADMIN)).isFalse();

            List<AuditEvent> events = events(t.audit, alice);
            assertThat(events).extracting(AuditEvent::type)
                    .containsExactly(AuditEventType.SESSION_CREATED, AuditEventType.SESSION_REVOKED);
            assertThat(events.get(1).sessionId()).isEqualTo(link.id());
            assertThat(events.get(1).actor()).isEqualTo(AuditActor.HOST);
            assertThat(events.get(1).client()).isEqualTo(ADMIN);
            assertThat(events.get(1).occurredAt()).isEqualTo(TestPortal.NOW.plus(Duration.ofMinutes(1)));
        }

        @Test
        @DisplayName("all sessions revoked: one event for the customer, even when none was live; no one else's")
        void allSessionsRevoked() {
            t.service.createSession(SessionRequest.forCustomer(alice.ref()));
            t.service.createSession(SessionRequest.forCustomer(alice.ref()));

            assertThat(t.service.revokeAllSessions(alice.ref(), ADMIN)).isEqualTo(2);
            assertThat(t.service.revokeAllSessions(bob.ref())).isZero();

            List<AuditEvent> events = events(t.audit, alice);
            assertThat(events).extracting(AuditEvent::type).containsExactly(AuditEventType.SESSION_CREATED,
                    AuditEventType.SESSION_CREATED, AuditEventType.ALL_SESSIONS_REVOKED);
            assertThat(events.get(2).sessionId()).isNull();
            assertThat(events.get(2).client()).isEqualTo(ADMIN);
            assertThat(events(t.audit, bob)).extracting(AuditEvent::type).containsExactly(AuditEventType.ALL_SESSIONS_REVOKED);
        }

        @Test
        @DisplayName("invoice downloaded: CUSTOMER, the session, the invoice and the client that authenticated")
        void invoiceDownloaded() {
            t.documents.put(t.invoice(alice, "inv-1", TODAY, TODAY.plusDays(30), 100_00, "EUR", FINALIZED, PENDING),
                    InvoiceDocument.bytes("INV-1.pdf", "application/pdf", new byte[] {1, 2}));
            PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
            PortalContext ctx = t.service.authenticate(link.token(), BROWSER);

            t.service.downloadInvoice(ctx, "inv-1");
            assertPortalError(catchThrowable(() -> t.service.downloadInvoice(ctx, "inv-missing")), ErrorCode.NOT_FOUND,
                    "invoice_not_found");

            List<AuditEvent> events = events(t.audit, alice);
            assertThat(events).extracting(AuditEvent::type)
                    .containsExactly(AuditEventType.SESSION_CREATED, AuditEventType.INVOICE_DOWNLOADED);
            AuditEvent download = events.get(1);
            assertThat(download.actor()).isEqualTo(AuditActor.CUSTOMER);
            assertThat(download.sessionId()).isEqualTo(link.id());
            assertThat(download.invoiceId()).isEqualTo("inv-1");
            assertThat(download.client()).isEqualTo(BROWSER);
        }

        @Test
        @DisplayName("events of one millisecond keep the order they happened in")
        void eventsOfOneMillisecondKeepTheirOrder() {
            for (int i = 0; i < 50; i++) {
                PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
                t.service.revokeSession(link.id());
            }

            List<AuditEvent> events = events(t.audit, alice);
            assertThat(events).hasSize(100);
            for (int i = 0; i < 100; i++) {
                assertThat(events.get(i).type()).as("event %d", i)
                        .isEqualTo(i % 2 == 0 ? AuditEventType.SESSION_CREATED : AuditEventType.SESSION_REVOKED);
            }
        }
    }

    @Nested
    class WhenTheTrailFails {
        private final FailingTrail trail = new FailingTrail();
        private final TestPortal t = new TestPortal(b -> b.audit(trail));
        private final Customer alice = t.customer("alice");

        @Test
        @DisplayName("no link without its event: createSession answers UNAVAILABLE and the stored session is revoked")
        void createSessionIsRefused() {
            trail.failing.set(true);

            assertPortalError(catchThrowable(() -> t.service.createSession(SessionRequest.forCustomer(alice.ref()))),
                    ErrorCode.UNAVAILABLE, "unavailable");

            assertThat(t.sessions.size()).isEqualTo(1);
            assertThat(t.sessions.revokeAll(alice.ref(), TestPortal.NOW)).as("already revoked").isZero();
        }

        @Test
        @DisplayName("no session without its event: the exchange answers UNAVAILABLE, revokes the new session, and the link is used up")
        void exchangeIsRefused() {
            PortalService oneTime = t.service.toBuilder().linkMode(LinkMode.ONE_TIME).build();
            PortalSession link = oneTime.createSession(SessionRequest.forCustomer(alice.ref()));
            trail.failing.set(true);

            assertPortalError(catchThrowable(() -> oneTime.exchange(link.token(), BROWSER)), ErrorCode.UNAVAILABLE, "unavailable");

            assertThat(t.sessions.size()).isEqualTo(2);
            assertThat(t.sessions.revokeAll(alice.ref(), TestPortal.NOW)).as("only the link was live").isEqualTo(1);
            trail.failing.set(false);
            assertPortalError(catchThrowable(() -> oneTime.exchange(link.token(), BROWSER)), ErrorCode.UNAUTHORIZED,
                    "session_revoked");
        }

        @Test
        @DisplayName("no document without its event: the download answers UNAVAILABLE")
        void downloadIsRefused() {
            t.documents.put(t.invoice(alice, "inv-1", TODAY, TODAY.plusDays(30), 100_00, "EUR", FINALIZED, PENDING),
                    InvoiceDocument.bytes("INV-1.pdf", "application/pdf", new byte[] {1}));
            PortalContext ctx = t.service.authenticate(t.service.createSession(SessionRequest.forCustomer(alice.ref())).token());
            trail.failing.set(true);

            assertPortalError(catchThrowable(() -> t.service.downloadInvoice(ctx, "inv-1")), ErrorCode.UNAVAILABLE, "unavailable");
            trail.failing.set(false);
            assertThat(t.service.downloadInvoice(ctx, "inv-1")).isInstanceOf(InvoiceDocument.Stream.class);
        }

        @Test
        @DisplayName("revocations always take effect and answer as usual")
        void revocationsStand() {
            PortalSession one = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
            PortalSession two = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
            trail.failing.set(true);

            assertThat(t.service.revokeSession(one.id(), ADMIN)).isTrue();
            assertThat(t.service.revokeAllSessions(alice.ref(), ADMIN)).isEqualTo(1);

            assertPortalError(catchThrowable(() -> t.service.authenticate(one.token())), ErrorCode.UNAUTHORIZED, "session_revoked");
            assertPortalError(catchThrowable(() -> t.service.authenticate(two.token())), ErrorCode.UNAUTHORIZED, "session_revoked");
        }

        @Test
        @DisplayName("a replay is refused as link_already_used whether or not its event can be written")
        void replaysAreRefused() {
            PortalService oneTime = t.service.toBuilder().linkMode(LinkMode.ONE_TIME).build();
            PortalSession link = oneTime.createSession(SessionRequest.forCustomer(alice.ref()));
            oneTime.exchange(link.token(), BROWSER);
            trail.failing.set(true);

            assertPortalError(catchThrowable(() -> oneTime.exchange(link.token(), BROWSER)), ErrorCode.UNAUTHORIZED,
                    "link_already_used");
        }
    }

    @Test
    @DisplayName("AuditTrail.none() records nothing, finds nothing, and still checks its arguments")
    void noneRecordsNothing() {
        AuditTrail none = AuditTrail.none();
        none.record(AuditEvent.of("ae_1", AuditEventType.SESSION_CREATED, TestPortal.NOW, CustomerRef.of("alice"),
                AuditActor.HOST, "ps_1", null, null, ClientInfo.UNKNOWN));

        assertThat(none.find(CustomerRef.of("alice"), Instant.EPOCH, 10)).isEmpty();
        assertThat(none).isSameAs(AuditTrail.none());
        assertThatThrownBy(() -> none.record(null)).isInstanceOf(PortalException.class);
        assertThatThrownBy(() -> none.find(CustomerRef.of("alice"), Instant.EPOCH, 0)).isInstanceOf(PortalException.class);
        assertThatThrownBy(() -> none.find(CustomerRef.of("alice"), Instant.EPOCH, AuditTrail.MAX_FIND_LIMIT + 1))
                .isInstanceOf(PortalException.class);
        assertThatThrownBy(() -> none.find(null, Instant.EPOCH, 1)).isInstanceOf(PortalException.class);
        assertThatThrownBy(() -> none.find(CustomerRef.of("alice"), null, 1)).isInstanceOf(PortalException.class);
    }

    @Test
    @DisplayName("without an audit trail, revocation reads no extra session and everything works as before")
    void withoutATrailNothingIsRecorded() {
        TestPortal t = new TestPortal(b -> b.audit(AuditTrail.none()));
        Customer alice = t.customer("alice");
        PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()).client(ADMIN));

        assertThat(t.service.revokeSession(link.id(), ADMIN)).isTrue();
        assertThat(t.audit.size()).as("the unused in-memory trail").isZero();
    }

    /** A trail that fails while told to. */
    static final class FailingTrail implements AuditTrail {
        final AtomicBoolean failing = new AtomicBoolean();
        private final InMemoryAuditTrail delegate = new InMemoryAuditTrail();

        @Override
        public void record(AuditEvent event) {
            if (failing.get()) {
                throw PortalException.unavailable("audit storage down", null);
            }
            delegate.record(event);
        }

        @Override
        public List<AuditEvent> find(CustomerRef customer, Instant since, int limit) {
            return delegate.find(customer, since, limit);
        }
    }
}
