package dev.billingportal.core;

import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.SessionRequest;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.core.token.TokenClaims;
import dev.billingportal.core.token.TokenKind;
import dev.billingportal.core.token.JwtTokenSigner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One-time links: exchanged exactly once for a short-lived session with a sliding idle timeout. */
class OneTimeLinkTest {
    private static final ClientInfo BROWSER = ClientInfo.of("203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131");
    private static final ClientInfo ATTACKER = ClientInfo.of("198.51.100.66", "curl/8.5.0");

    private static void assertPortalError(Throwable thrown, ErrorCode code, String reason) {
        assertThat(thrown).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).as("code").isEqualTo(code);
            assertThat(e.reason()).as("reason").isEqualTo(reason);
        });
    }

    private static List<AuditEvent> events(TestPortal t, Customer customer) {
        return t.audit.find(customer.ref(), Instant.EPOCH, 1000);
    }

    private static List<AuditEventType> types(TestPortal t, Customer customer) {
        return events(t, customer).stream().map(AuditEvent::type).toList();
    }

    @Nested
    class Settings {
        @Test
        @DisplayName("defaults: reusable links, a 30-minute idle timeout, no audit trail")
        void defaults() {
            TestPortal t = new TestPortal();
            PortalService service = PortalService.builder().customers(t.customers).invoices(t.invoices)
                    .sessions(t.sessions).tokenSigner(JwtTokenSigner.hs256(t.keyRing))
                    .portalUrl(java.net.URI.create("https://billing.example.com/portal")).build();

            assertThat(PortalService.DEFAULT_LINK_MODE).isEqualTo(LinkMode.REUSABLE);
            assertThat(service.linkMode()).isEqualTo(LinkMode.REUSABLE);
            assertThat(PortalService.DEFAULT_EXCHANGED_SESSION_TTL).isEqualTo(Duration.ofMinutes(30));
            assertThat(service.exchangedSessionTtl()).isEqualTo(Duration.ofMinutes(30));
            assertThat(service.auditTrail()).isSameAs(dev.billingportal.core.audit.AuditTrail.none());
            assertThat(t.service.auditTrail()).isSameAs(t.audit);
        }

        @Test
        @DisplayName("the idle timeout is 1 minute to 12 hours; anything else fails at once, naming the setting")
        void exchangedSessionTtlIsBounded() {
            PortalServiceBuilder builder = PortalService.builder();
            for (Duration bad : List.of(Duration.ofSeconds(59), Duration.ZERO, Duration.ofMinutes(-5), Duration.ofHours(12).plusSeconds(1))) {
                assertThatThrownBy(() -> builder.exchangedSessionTtl(bad)).as(bad.toString())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exchangedSessionTtl");
            }
            assertThatThrownBy(() -> builder.exchangedSessionTtl(null)).hasMessageContaining("exchangedSessionTtl");
            assertThatThrownBy(() -> builder.linkMode(null)).hasMessageContaining("linkMode");
            assertThatThrownBy(() -> builder.audit(null)).hasMessageContaining("audit");
            builder.exchangedSessionTtl(Duration.ofMinutes(1)).exchangedSessionTtl(Duration.ofHours(12));
        }

        @Test
        @DisplayName("toBuilder keeps the link mode, the idle timeout and the audit trail")
        void toBuilderKeepsTheNewSettings() {
            TestPortal t = new TestPortal(b -> b.linkMode(LinkMode.ONE_TIME).exchangedSessionTtl(Duration.ofMinutes(5)));
            PortalService copy = t.service.toBuilder().build();

            assertThat(copy.linkMode()).isEqualTo(LinkMode.ONE_TIME);
            assertThat(copy.exchangedSessionTtl()).isEqualTo(Duration.ofMinutes(5));
            Customer alice = t.customer("alice");
            copy.createSession(SessionRequest.forCustomer(alice.ref()));
            assertThat(types(t, alice)).as("the copy writes to the same trail").containsExactly(AuditEventType.SESSION_CREATED);
        }
    }

    @Nested
    class Exchange {
        private final TestPortal t = TestPortal.oneTime();
        private final Customer alice = t.customer("alice");

        @Test
        @DisplayName("the exchange returns a new session: its own id and token, no URL, a session-kind token")
        void exchangeReturnsANewSession() {
            PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()).locale(Locale.FRENCH));
            PortalSession session = t.service.exchange(link.token(), BROWSER);

            assertThat(session.id()).isNotEqualTo(link.id()).startsWith("ps_");
            assertThat(session.token()).isNotEqualTo(link.token());
            assertThat(session.url()).as("a session is no link").isNull();
            assertThat(session.customer()).isEqualTo(alice.ref());
            assertThat(session.locale()).isEqualTo(Locale.FRENCH);
            assertThat(session.issuedAt()).isEqualTo(TestPortal.NOW);
            assertThat(session.expiresAt()).as("absolute cap: one session TTL after the exchange")
                    .isEqualTo(TestPortal.NOW.plus(PortalService.DEFAULT_SESSION_TTL));
            TokenClaims claims = JwtTokenSigner.hs256(t.keyRing).verify(session.token());
            assertThat(claims.kind()).isEqualTo(TokenKind.SESSION);
            assertThat(claims.jwtId()).isEqualTo(session.id());
            assertThat(JwtTokenSigner.hs256(t.keyRing).verify(link.token()).kind()).isEqualTo(TokenKind.LINK);

            PortalContext ctx = t.service.authenticate(session.token(), BROWSER);
            assertThat(ctx.sessionId()).isEqualTo(session.id());
            assertThat(ctx.customer()).isEqualTo(alice);
            assertThat(ctx.locale()).isEqualTo(Locale.FRENCH);
            assertThat(ctx.client()).isEqualTo(BROWSER);
            SessionRecord stored = t.sessions.find(alice.ref(), session.id()).orElseThrow();
            assertThat(stored.linkId()).isEqualTo(link.id());
            assertThat(stored.lastSeenAt()).isEqualTo(TestPortal.NOW);
            assertThat(t.sessions.find(alice.ref(), link.id()).orElseThrow().exchangedAt()).isEqualTo(TestPortal.NOW);
        }

        @Test
        @DisplayName("a one-time link's token cannot call the API: exchange_required")
        void linkTokenCannotAuthenticate() {
            PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()));

            assertPortalError(catchThrowable(() -> t.service.authenticate(link.token())), ErrorCode.UNAUTHORIZED, "exchange_required");
            t.service.exchange(link.token(), BROWSER);
            assertPortalError(catchThrowable(() -> t.service.authenticate(link.token())), ErrorCode.UNAUTHORIZED, "exchange_required");
        }

        @Test
        @DisplayName("the second exchange is refused (link_already_used), audited with its client; the first session lives on")
        void secondExchangeIsRefusedAndAudited() {
            PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref())
                    .client(ClientInfo.of("10.0.0.2", "billing-backend/2.1")));
            PortalSession session = t.service.exchange(link.token(), BROWSER);
            t.clock.advance(Duration.ofMinutes(3));

            assertPortalError(catchThrowable(() -> t.service.exchange(link.token(), ATTACKER)),
                    ErrorCode.UNAUTHORIZED, "link_already_used");
            assertPortalError(catchThrowable(() -> t.service.exchange(link.token(), ATTACKER)),
                    ErrorCode.UNAUTHORIZED, "link_already_used");

            assertThat(t.service.authenticate(session.token()).sessionId()).isEqualTo(session.id());
            List<AuditEvent> events = events(t, alice);
            assertThat(events).extracting(AuditEvent::type).containsExactly(AuditEventType.SESSION_CREATED,
                    AuditEventType.SESSION_EXCHANGED, AuditEventType.LINK_REPLAY_REFUSED, AuditEventType.LINK_REPLAY_REFUSED);
            assertThat(events.get(0).client()).isEqualTo(ClientInfo.of("10.0.0.2", "billing-backend/2.1"));
            assertThat(events.get(0).sessionId()).isEqualTo(link.id());
            assertThat(events.get(1).sessionId()).isEqualTo(session.id());
            assertThat(events.get(1).linkId()).isEqualTo(link.id());
            assertThat(events.get(1).client()).isEqualTo(BROWSER);
            assertThat(events.get(2).sessionId()).isEqualTo(link.id());
            assertThat(events.get(2).client()).isEqualTo(ATTACKER);
            assertThat(events.get(2).occurredAt()).isEqualTo(TestPortal.NOW.plus(Duration.ofMinutes(3)));
            assertThat(events).allSatisfy(event -> assertThat(event.toString())
                    .doesNotContain(link.token()).doesNotContain(session.token()));
        }

        @Test
        @DisplayName("a session's token can never be exchanged, not even for another session")
        void sessionTokenCannotBeExchanged() {
            PortalSession session = t.service.exchange(t.service.createSession(SessionRequest.forCustomer(alice.ref())).token(), BROWSER);

            assertPortalError(catchThrowable(() -> t.service.exchange(session.token(), BROWSER)), ErrorCode.UNAUTHORIZED, "invalid_token");
            assertThat(types(t, alice)).doesNotContain(AuditEventType.LINK_REPLAY_REFUSED);
        }

        @Test
        @DisplayName("a token whose signed kind does not match its stored session is refused both ways")
        void kindMustMatchTheStoredSession() {
            PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
            PortalSession session = t.service.exchange(link.token(), BROWSER);
            JwtTokenSigner signer = JwtTokenSigner.hs256(t.keyRing);
            Instant now = TestPortal.NOW;
            // Tokens only the key holder could mint: a session-kind token naming the link, a link-kind one naming the session.
            String sessionKindForLink = signer.sign(new TokenClaims("billing-portal", "billing-portal", "alice", "default",
                    now, now, now.plusSeconds(600), link.id(), null, TokenKind.SESSION));
            String linkKindForSession = signer.sign(new TokenClaims("billing-portal", "billing-portal", "alice", "default",
                    now, now, now.plusSeconds(600), session.id(), null, TokenKind.LINK));

            assertPortalError(catchThrowable(() -> t.service.authenticate(sessionKindForLink)), ErrorCode.UNAUTHORIZED, "invalid_token");
            assertPortalError(catchThrowable(() -> t.service.exchange(linkKindForSession, BROWSER)), ErrorCode.UNAUTHORIZED, "invalid_token");
            PortalService reusable = t.service.toBuilder().linkMode(LinkMode.REUSABLE).build();
            assertPortalError(catchThrowable(() -> reusable.authenticate(linkKindForSession)), ErrorCode.UNAUTHORIZED, "invalid_token");
        }

        @Test
        @DisplayName("revoked or expired links cannot be exchanged, and that is no replay")
        void revokedOrExpiredLinksCannotBeExchanged() {
            PortalSession revoked = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
            t.service.revokeSession(revoked.id());
            PortalSession expiring = t.service.createSession(SessionRequest.forCustomer(alice.ref()).ttl(Duration.ofMinutes(5)));
            t.clock.advance(Duration.ofMinutes(5).plus(PortalService.DEFAULT_CLOCK_SKEW));

            assertPortalError(catchThrowable(() -> t.service.exchange(revoked.token(), BROWSER)), ErrorCode.UNAUTHORIZED, "session_revoked");
            assertPortalError(catchThrowable(() -> t.service.exchange(expiring.token(), BROWSER)), ErrorCode.TOKEN_EXPIRED, "token_expired");
            assertThat(types(t, alice)).doesNotContain(AuditEventType.LINK_REPLAY_REFUSED, AuditEventType.SESSION_EXCHANGED);
        }

        @Test
        @DisplayName("a link whose customer was deleted cannot be exchanged")
        void deletedCustomerCannotExchange() {
            PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
            PortalService withoutCustomer = t.service.toBuilder()
                    .customers(new dev.billingportal.core.memory.InMemoryCustomerRepository()).build();

            assertPortalError(catchThrowable(() -> withoutCustomer.exchange(link.token(), BROWSER)), ErrorCode.UNAUTHORIZED, "invalid_token");
            assertThat(t.sessions.find(alice.ref(), link.id()).orElseThrow().exchanged()).as("the link is not used up").isFalse();
        }

        @Test
        @DisplayName("revoking the link ends the session exchanged from it on the very next request; so does revokeAll")
        void revokingTheLinkEndsItsSession() {
            PortalSession link1 = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
            PortalSession session1 = t.service.exchange(link1.token(), BROWSER);
            PortalSession link2 = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
            PortalSession session2 = t.service.exchange(link2.token(), BROWSER);
            t.service.authenticate(session1.token());

            assertThat(t.service.revokeSession(link1.id())).isTrue();
            assertPortalError(catchThrowable(() -> t.service.authenticate(session1.token())), ErrorCode.UNAUTHORIZED, "session_revoked");
            assertThat(t.service.authenticate(session2.token()).sessionId()).as("another link's session").isEqualTo(session2.id());

            assertThat(t.service.revokeAllSessions(alice.ref())).as("link 2 and its session").isEqualTo(2);
            assertPortalError(catchThrowable(() -> t.service.authenticate(session2.token())), ErrorCode.UNAUTHORIZED, "session_revoked");
        }

        @Test
        @DisplayName("an exchanged session can be revoked by its own id")
        void exchangedSessionCanBeRevokedByItsId() {
            PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
            PortalSession session = t.service.exchange(link.token(), BROWSER);

            assertThat(t.service.revokeSession(session.id(), BROWSER)).isTrue();

            assertPortalError(catchThrowable(() -> t.service.authenticate(session.token())), ErrorCode.UNAUTHORIZED, "session_revoked");
            assertThat(t.sessions.find(alice.ref(), link.id()).orElseThrow().revoked()).as("the link was not named").isFalse();
        }

        @Test
        @DisplayName("a revocation landing between storing the session and marking the link wins: nothing is handed out")
        void revocationDuringTheExchangeWins() {
            InMemoryPortalSessionRepository storage = new InMemoryPortalSessionRepository();
            PortalSessionRepository revokedInBetween = new ForwardingSessions(storage) {
                @Override
                public boolean markExchanged(String sessionId, Instant at) {
                    storage.revoke(sessionId, at); // the host revokes the link right now
                    return super.markExchanged(sessionId, at);
                }
            };
            PortalService service = t.service.toBuilder().sessions(revokedInBetween).build();
            PortalSession link = service.createSession(SessionRequest.forCustomer(alice.ref()));

            assertPortalError(catchThrowable(() -> service.exchange(link.token(), BROWSER)), ErrorCode.UNAUTHORIZED, "session_revoked");
            assertThat(storage.size()).as("the link and the session stored for the exchange").isEqualTo(2);
            assertThat(storage.revokeAll(alice.ref(), TestPortal.NOW)).as("both already revoked").isZero();
            assertThat(types(t, alice)).doesNotContain(AuditEventType.SESSION_EXCHANGED, AuditEventType.LINK_REPLAY_REFUSED);
        }

        @Test
        @DisplayName("storage failing while marking the link: UNAVAILABLE, the link is not used up, the session stored for it is revoked")
        void storageFailingWhileMarkingLeavesTheLinkUsable() {
            InMemoryPortalSessionRepository storage = new InMemoryPortalSessionRepository();
            AtomicInteger failures = new AtomicInteger(1);
            PortalSessionRepository flaky = new ForwardingSessions(storage) {
                @Override
                public boolean markExchanged(String sessionId, Instant at) {
                    if (failures.getAndDecrement() > 0) {
                        throw PortalException.unavailable("database restarting", null);
                    }
                    return super.markExchanged(sessionId, at);
                }
            };
            PortalService service = t.service.toBuilder().sessions(flaky).build();
            PortalSession link = service.createSession(SessionRequest.forCustomer(alice.ref()));

            assertPortalError(catchThrowable(() -> service.exchange(link.token(), BROWSER)), ErrorCode.UNAVAILABLE, "unavailable");

            SessionRecord stored = storage.find(alice.ref(), link.id()).orElseThrow();
            assertThat(stored.exchanged()).isFalse();
            assertThat(stored.revoked()).isFalse();
            assertThat(storage.size()).as("the link and the session stored for the exchange").isEqualTo(2);
            assertThat(storage.revokeAll(alice.ref(), TestPortal.NOW)).as("only the link was live").isEqualTo(1);
        }

        @Test
        @DisplayName("storage failing while marking the link: a retry of the exchange succeeds")
        void aRetryAfterAStorageFailureSucceeds() {
            InMemoryPortalSessionRepository storage = new InMemoryPortalSessionRepository();
            AtomicInteger failures = new AtomicInteger(1);
            PortalService service = t.service.toBuilder().sessions(new ForwardingSessions(storage) {
                @Override
                public boolean markExchanged(String sessionId, Instant at) {
                    if (failures.getAndDecrement() > 0) {
                        throw PortalException.unavailable("database restarting", null);
                    }
                    return super.markExchanged(sessionId, at);
                }
            }).build();
            PortalSession link = service.createSession(SessionRequest.forCustomer(alice.ref()));

            assertPortalError(catchThrowable(() -> service.exchange(link.token(), BROWSER)), ErrorCode.UNAVAILABLE, "unavailable");
            PortalSession session = service.exchange(link.token(), BROWSER);

            assertThat(service.authenticate(session.token()).sessionId()).isEqualTo(session.id());
            assertThat(types(t, alice)).containsExactly(AuditEventType.SESSION_CREATED, AuditEventType.SESSION_EXCHANGED);
        }

        @Test
        @Timeout(60)
        @DisplayName("16 threads exchanging one link at once, 20 times over: exactly one wins each time, every loser is audited")
        void concurrentExchangesHaveOneWinner() throws Exception {
            int threads = 16;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int round = 0; round < 20; round++) {
                    PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
                    CyclicBarrier together = new CyclicBarrier(threads);
                    AtomicInteger used = new AtomicInteger();
                    List<Future<Optional<PortalSession>>> results = new ArrayList<>();
                    for (int i = 0; i < threads; i++) {
                        results.add(pool.submit((Callable<Optional<PortalSession>>) () -> {
                            together.await(30, TimeUnit.SECONDS);
                            try {
                                return Optional.of(t.service.exchange(link.token(), BROWSER));
                            } catch (PortalException e) {
                                assertThat(e.reason()).isEqualTo("link_already_used");
                                used.incrementAndGet();
                                return Optional.empty();
                            }
                        }));
                    }
                    List<PortalSession> winners = new ArrayList<>();
                    for (Future<Optional<PortalSession>> result : results) {
                        result.get(30, TimeUnit.SECONDS).ifPresent(winners::add);
                    }
                    assertThat(winners).as("round %d", round).hasSize(1);
                    assertThat(used).as("round %d", round).hasValue(threads - 1);
                    assertThat(t.service.authenticate(winners.get(0).token()).sessionId()).isEqualTo(winners.get(0).id());
                }
            } finally {
                pool.shutdownNow();
            }
            List<AuditEventType> types = types(t, alice);
            assertThat(types).filteredOn(AuditEventType.SESSION_EXCHANGED::equals).hasSize(20);
            assertThat(types).filteredOn(AuditEventType.LINK_REPLAY_REFUSED::equals).hasSize(20 * (threads - 1));
            assertThat(t.service.revokeAllSessions(alice.ref())).as("20 links and 20 sessions were live; the losers' were revoked")
                    .isEqualTo(40);
        }
    }

    @Nested
    class IdleTimeout {
        private final CountingSessions counting = new CountingSessions(new InMemoryPortalSessionRepository());
        private final TestPortal t = new TestPortal(b -> b.linkMode(LinkMode.ONE_TIME).sessions(counting));
        private final Customer alice = t.customer("alice");

        private PortalSession exchangedSession() {
            return t.service.exchange(t.service.createSession(SessionRequest.forCustomer(alice.ref())).token(), BROWSER);
        }

        @Test
        @DisplayName("an exchanged session ends after 30 idle minutes (session_expired), and each request slides it")
        void idleTimeoutSlides() {
            PortalSession session = exchangedSession();

            t.clock.advance(Duration.ofMinutes(29));
            t.service.authenticate(session.token());
            t.clock.advance(Duration.ofMinutes(29));
            assertThat(t.service.authenticate(session.token()).sessionId()).as("58 minutes in, 29 idle").isEqualTo(session.id());
            t.clock.advance(Duration.ofMinutes(29).plusSeconds(59));
            t.service.authenticate(session.token());

            t.clock.advance(Duration.ofMinutes(30));
            assertPortalError(catchThrowable(() -> t.service.authenticate(session.token())), ErrorCode.TOKEN_EXPIRED, "session_expired");
            assertPortalError(catchThrowable(() -> t.service.authenticate(session.token())), ErrorCode.TOKEN_EXPIRED, "session_expired");
        }

        @Test
        @DisplayName("a page of requests writes the activity at most once a minute")
        void activityWritesAreThrottled() {
            PortalSession session = exchangedSession();

            for (int second = 0; second < 59; second++) {
                t.service.authenticate(session.token());
                t.clock.advance(Duration.ofSeconds(1));
            }
            assertThat(counting.touches).as("within the first minute").hasValue(0);
            t.clock.advance(Duration.ofSeconds(1));
            for (int i = 0; i < 50; i++) {
                t.service.authenticate(session.token());
            }
            assertThat(counting.touches).as("one write once a minute has passed").hasValue(1);
            assertThat(counting.find(alice.ref(), session.id()).orElseThrow().lastSeenAt())
                    .isEqualTo(TestPortal.NOW.plusSeconds(60));
        }

        @Test
        @DisplayName("with a 1-minute timeout the activity is written every 6 seconds, so a request every 30 seconds keeps it alive")
        void shortTimeoutsWriteMoreOften() {
            TestPortal quick = new TestPortal(b -> b.linkMode(LinkMode.ONE_TIME).sessions(counting)
                    .exchangedSessionTtl(Duration.ofMinutes(1)));
            Customer bob = quick.customer("bob");
            PortalSession session = quick.service.exchange(
                    quick.service.createSession(SessionRequest.forCustomer(bob.ref())).token(), BROWSER);

            for (int i = 0; i < 20; i++) {
                quick.clock.advance(Duration.ofSeconds(30));
                quick.service.authenticate(session.token());
            }
            assertThat(counting.touches).hasValue(20);
            quick.clock.advance(Duration.ofSeconds(60));
            assertPortalError(catchThrowable(() -> quick.service.authenticate(session.token())), ErrorCode.TOKEN_EXPIRED, "session_expired");
        }

        @Test
        @DisplayName("sliding never outlives the absolute cap: one session TTL after the exchange")
        void slidingStopsAtTheCap() {
            PortalSession session = exchangedSession();

            Duration elapsed = Duration.ZERO;
            while (elapsed.compareTo(PortalService.DEFAULT_SESSION_TTL.minusMinutes(10)) < 0) {
                t.clock.advance(Duration.ofMinutes(10));
                elapsed = elapsed.plusMinutes(10);
                t.service.authenticate(session.token());
            }
            t.clock.advance(Duration.ofMinutes(10).plus(PortalService.DEFAULT_CLOCK_SKEW));
            assertPortalError(catchThrowable(() -> t.service.authenticate(session.token())), ErrorCode.TOKEN_EXPIRED, "token_expired");
        }

        @Test
        @DisplayName("activity never undoes a revocation, and links are never touched")
        void activityNeverUndoesARevocation() {
            PortalSession session = exchangedSession();
            t.clock.advance(Duration.ofMinutes(2));
            t.service.authenticate(session.token());
            t.service.revokeAllSessions(alice.ref());
            t.clock.advance(Duration.ofMinutes(2));

            assertPortalError(catchThrowable(() -> t.service.authenticate(session.token())), ErrorCode.UNAUTHORIZED, "session_revoked");
            assertThat(counting.touches).hasValue(1);
            PortalService reusable = t.service.toBuilder().linkMode(LinkMode.REUSABLE).build();
            PortalSession link = reusable.createSession(SessionRequest.forCustomer(alice.ref()));
            t.clock.advance(Duration.ofMinutes(40));
            reusable.authenticate(link.token());
            assertThat(counting.touches).as("a link has no idle timeout").hasValue(1);
        }
    }

    @Nested
    class ReusableLinks {
        private final TestPortal t = new TestPortal();
        private final Customer alice = t.customer("alice");

        @Test
        @DisplayName("exchanging a reusable link returns the link itself, as often as asked, unaudited")
        void exchangeReturnsTheLinkItself() {
            PortalSession link = t.service.createSession(SessionRequest.forCustomer(alice.ref()));

            for (int i = 0; i < 3; i++) {
                PortalSession same = t.service.exchange(link.token(), BROWSER);
                assertThat(same.id()).isEqualTo(link.id());
                assertThat(same.token()).isEqualTo(link.token());
                assertThat(same.url()).isEqualTo(link.url());
                assertThat(same.expiresAt()).isEqualTo(link.expiresAt());
            }
            assertThat(t.service.authenticate(link.token()).sessionId()).isEqualTo(link.id());
            assertThat(types(t, alice)).containsExactly(AuditEventType.SESSION_CREATED);
        }

        @Test
        @DisplayName("a link used once while links were one-time stays used; its session keeps working")
        void aUsedLinkStaysUsedAfterSwitchingBack() {
            PortalService oneTime = t.service.toBuilder().linkMode(LinkMode.ONE_TIME).build();
            PortalSession link = oneTime.createSession(SessionRequest.forCustomer(alice.ref()));
            PortalSession session = oneTime.exchange(link.token(), BROWSER);

            assertPortalError(catchThrowable(() -> t.service.authenticate(link.token())), ErrorCode.UNAUTHORIZED, "link_already_used");
            assertPortalError(catchThrowable(() -> t.service.exchange(link.token(), ATTACKER)), ErrorCode.UNAUTHORIZED, "link_already_used");
            assertThat(t.service.authenticate(session.token()).sessionId()).isEqualTo(session.id());
            assertThat(types(t, alice)).endsWith(AuditEventType.LINK_REPLAY_REFUSED);
        }
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }

    /** Storage that counts activity writes. */
    static final class CountingSessions extends ForwardingSessions {
        final AtomicInteger touches = new AtomicInteger();

        CountingSessions(PortalSessionRepository delegate) {
            super(delegate);
        }

        @Override
        public boolean touch(String sessionId, Instant at) {
            touches.incrementAndGet();
            return super.touch(sessionId, at);
        }
    }
}
