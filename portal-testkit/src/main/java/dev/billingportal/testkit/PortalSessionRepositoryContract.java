package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import static dev.billingportal.testkit.SessionRepositoryFixtures.ALICE;
import static dev.billingportal.testkit.SessionRepositoryFixtures.ALICE_ELSEWHERE;
import static dev.billingportal.testkit.SessionRepositoryFixtures.BOB;
import static dev.billingportal.testkit.SessionRepositoryFixtures.TTL;
import static dev.billingportal.testkit.SessionRepositoryFixtures.assertConflict;
import static dev.billingportal.testkit.TestData.NOW;
import static dev.billingportal.testkit.TestData.fullSession;
import static dev.billingportal.testkit.TestData.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@link PortalSessionRepository}: subclass it, implement {@link #createRepository()}, and
 * run it as an ordinary JUnit Jupiter test class.
 *
 * <pre>{@code
 * class MySessionRepositoryTest extends PortalSessionRepositoryContract {
 *     @Override
 *     protected PortalSessionRepository createRepository() {
 *         truncateTables();
 *         return new MySessionRepository(dataSource);
 *     }
 * }
 * }</pre>
 *
 * <p>What it pins down, beyond the Javadoc of the interface: session ids are unique across all tenants
 * (revocation takes only the id), lookups are exact and case-sensitive, instants keep at least millisecond
 * precision and work after 2038, {@code deleteExpired(before)} deletes sessions whose expiry is strictly
 * before {@code before}, revocation is idempotent and keeps the first revocation instant, and the counts
 * returned stay exact when several threads revoke and create at once. For one-time links: a link is exchanged at
 * most once however many threads try, never after its revocation, and revoking it revokes what was exchanged from
 * it; last-seen instants only move forward and never touch a revoked session.
 */
public abstract class PortalSessionRepositoryContract {

    private PortalSessionRepository repository;

    /**
     * Return a repository over EMPTY storage; called before each test. Clear tables here (or use a fresh
     * schema) when the storage outlives one test.
     *
     * @return the repository under test
     */
    protected abstract PortalSessionRepository createRepository();

    /**
     * The repository the current test runs against, for subclasses that add tests of their own.
     *
     * @return the repository {@link #createRepository()} returned for this test
     */
    protected final PortalSessionRepository repository() {
        return repository;
    }

    @BeforeEach
    final void createRepositoryUnderTest() {
        repository = createRepository();
        assertThat(repository).as("createRepository()").isNotNull();
    }

    // ---------------------------------------------------------------- create and find

    @Test
    @DisplayName("a created session is found by its customer, equal in every field and not revoked")
    void createdSessionIsFound() {
        SessionRecord session = fullSession("ses-1", ALICE);
        repository.create(session);

        SessionRecord found = repository.find(ALICE, "ses-1").orElseThrow();
        assertThat(found).isEqualTo(session);
        assertThat(found.revoked()).isFalse();
        assertThat(found.revokedAt()).isNull();
        assertThat(found.activeAt(NOW)).isTrue();
    }

    @Test
    @DisplayName("a session with only the required fields round-trips with nulls kept null")
    void minimalSessionRoundTrips() {
        SessionRecord session = session("ses-1", ALICE, NOW, TTL);
        repository.create(session);

        SessionRecord found = repository.find(ALICE, "ses-1").orElseThrow();
        assertThat(found).isEqualTo(session);
        assertThat(found.locale()).isNull();
        assertThat(found.returnUrl()).isNull();
        assertThat(found.configurationName()).isNull();
        assertThat(found.flow()).isNull();
    }

    @Test
    @DisplayName("Unicode texts, locales with script and region, and URLs with query and fragment round-trip")
    void unicodeAndUrlsRoundTrip() {
        CustomerRef customer = CustomerRef.of("租户-🏢", "客户-😀-عميل");
        SessionRecord session = new SessionRecord("ses-ü-1", customer, NOW, NOW.plus(TTL),
                Locale.forLanguageTag("zh-Hant-TW"),
                URI.create("https://app.example.com/r%C3%A9glages/billing?q=a%20b&x=%E2%9C%93#section-2"),
                "企業-🏢-شركة", "請求書/facture", null);
        repository.create(session);

        assertThat(repository.find(customer, "ses-ü-1")).contains(session);
    }

    @Test
    @DisplayName("instants keep millisecond precision")
    void instantsKeepMillisecondPrecision() {
        Instant issued = NOW.plusMillis(123);
        Instant revokedAt = NOW.plusMillis(4_567);
        SessionRecord session = new SessionRecord("ses-1", ALICE, issued, issued.plus(TTL).plusMillis(1), null, null,
                null, null, null);
        repository.create(session);
        assertThat(repository.revoke("ses-1", revokedAt)).isTrue();

        assertThat(repository.find(ALICE, "ses-1")).contains(session.revokedAt(revokedAt));
    }

    @Test
    @DisplayName("instants after 2038 round-trip")
    void instantsAfter2038RoundTrip() {
        Instant issued = Instant.parse("2039-06-30T23:59:59Z");
        SessionRecord session = session("ses-1", ALICE, issued, Duration.ofDays(400));
        repository.create(session);
        assertThat(repository.revoke("ses-1", Instant.parse("2040-02-29T12:00:00Z"))).isTrue();

        assertThat(repository.find(ALICE, "ses-1"))
                .contains(session.revokedAt(Instant.parse("2040-02-29T12:00:00Z")));
    }

    @Test
    @DisplayName("unknown session ids are not found, on empty storage or not")
    void unknownSessionIsNotFound() {
        assertThat(repository.find(ALICE, "ses-1")).isEmpty();
        repository.create(session("ses-1", ALICE, NOW, TTL));

        assertThat(repository.find(ALICE, "ses-2")).isEmpty();
        assertThat(repository.find(ALICE, "ses-")).as("a prefix").isEmpty();
        assertThat(repository.find(ALICE, "ses_1")).as("_ is no wildcard").isEmpty();
        assertThat(repository.find(ALICE, "ses%")).as("% is no wildcard").isEmpty();
        assertThat(repository.find(ALICE, "SES-1")).as("another case").isEmpty();
    }

    @Test
    @DisplayName("find is scoped by customer: another customer of the tenant, or the same external id elsewhere, finds nothing")
    void findIsScopedByCustomer() {
        repository.create(session("ses-1", ALICE, NOW, TTL));

        assertThat(repository.find(BOB, "ses-1")).isEmpty();
        assertThat(repository.find(ALICE_ELSEWHERE, "ses-1")).isEmpty();
        assertThat(repository.find(ALICE, "ses-1")).isPresent();
    }

    @Test
    @DisplayName("session ids differing only in letter case are different sessions")
    void idsDifferingOnlyInCaseAreDistinct() {
        SessionRecord lower = session("ses-a", ALICE, NOW, TTL);
        SessionRecord upper = session("SES-A", ALICE, NOW, Duration.ofHours(1));
        repository.create(lower);
        repository.create(upper);

        assertThat(repository.find(ALICE, "ses-a")).contains(lower);
        assertThat(repository.find(ALICE, "SES-A")).contains(upper);
        assertThat(repository.revoke("SES-A", NOW)).isTrue();
        assertThat(repository.find(ALICE, "ses-a")).as("the other-case session is not revoked").contains(lower);
    }

    @Test
    @DisplayName("CONFLICT when the id exists for the same customer; the stored session is unchanged")
    void duplicateIdIsAConflict() {
        SessionRecord original = fullSession("ses-1", ALICE);
        repository.create(original);

        assertConflict(() -> repository.create(session("ses-1", ALICE, NOW.plusSeconds(60), TTL)));

        assertThat(repository.find(ALICE, "ses-1")).contains(original);
    }

    @Test
    @DisplayName("CONFLICT when the id exists for another customer or tenant; nothing is written")
    void duplicateIdOfAnotherCustomerIsAConflict() {
        SessionRecord original = session("ses-1", ALICE, NOW, TTL);
        repository.create(original);

        assertConflict(() -> repository.create(session("ses-1", BOB, NOW, TTL)));
        assertConflict(() -> repository.create(session("ses-1", ALICE_ELSEWHERE, NOW, TTL)));

        assertThat(repository.find(BOB, "ses-1")).isEmpty();
        assertThat(repository.find(ALICE_ELSEWHERE, "ses-1")).isEmpty();
        assertThat(repository.find(ALICE, "ses-1")).contains(original);
        assertThat(repository.revokeAll(BOB, NOW)).isZero();
    }

    @Test
    @DisplayName("a CONFLICT on a revoked session does not un-revoke it")
    void conflictDoesNotUnrevoke() {
        repository.create(session("ses-1", ALICE, NOW, TTL));
        assertThat(repository.revoke("ses-1", NOW.plusSeconds(5))).isTrue();

        assertConflict(() -> repository.create(session("ses-1", ALICE, NOW, TTL)));

        assertThat(repository.find(ALICE, "ses-1")).map(SessionRecord::revokedAt).contains(NOW.plusSeconds(5));
    }

    // ---------------------------------------------------------------- revoke

    @Test
    @DisplayName("revoke returns true once, then false; the first revocation instant is kept")
    void revokeReturnsTrueOnce() {
        new SessionRepositoryRevocations(repository).revokeReturnsTrueOnce();
    }

    @Test
    @DisplayName("revoke of an unknown id returns false and creates nothing")
    void revokeOfAnUnknownIdReturnsFalse() {
        new SessionRepositoryRevocations(repository).revokeOfAnUnknownIdReturnsFalse();
    }

    @Test
    @DisplayName("revoke touches only the session named")
    void revokeTouchesOnlyTheSessionNamed() {
        new SessionRepositoryRevocations(repository).revokeTouchesOnlyTheSessionNamed();
    }

    @Test
    @DisplayName("an expired session can still be revoked")
    void anExpiredSessionCanBeRevoked() {
        new SessionRepositoryRevocations(repository).anExpiredSessionCanBeRevoked();
    }

    // ---------------------------------------------------------------- revokeAll

    @Test
    @DisplayName("revokeAll revokes only that tenant's customer's not-yet-revoked sessions and returns how many")
    void revokeAllTouchesOnlyThatCustomer() {
        new SessionRepositoryRevocations(repository).revokeAllTouchesOnlyThatCustomer();
    }

    @Test
    @DisplayName("revokeAll of a customer without sessions returns 0 and changes nothing")
    void revokeAllWithoutSessionsReturnsZero() {
        new SessionRepositoryRevocations(repository).revokeAllWithoutSessionsReturnsZero();
    }

    @Test
    @DisplayName("a session created after revokeAll is not revoked")
    void sessionCreatedAfterRevokeAllIsActive() {
        new SessionRepositoryRevocations(repository).sessionCreatedAfterRevokeAllIsActive();
    }

    // ---------------------------------------------------------------- deleteExpired

    @Test
    @DisplayName("deleteExpired deletes exactly the sessions that expired strictly before the instant, in every tenant")
    void deleteExpiredDeletesOnlyExpiredSessions() {
        new SessionRepositoryRevocations(repository).deleteExpiredDeletesOnlyExpiredSessions();
    }

    @Test
    @DisplayName("deleteExpired on empty storage returns 0")
    void deleteExpiredOnEmptyStorage() {
        new SessionRepositoryRevocations(repository).deleteExpiredOnEmptyStorage();
    }

    @Test
    @DisplayName("a deleted session's id can be used again")
    void deletedSessionIdCanBeReused() {
        new SessionRepositoryRevocations(repository).deletedSessionIdCanBeReused();
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(120)
    @DisplayName("concurrent creates and finds on several threads: no error, no session lost")
    void concurrentCreatesAndFinds() {
        new SessionRepositoryRaces(repository).concurrentCreatesAndFinds();
    }

    @Test
    @Timeout(120)
    @DisplayName("several threads creating one id at once: exactly one succeeds, the others get CONFLICT")
    void concurrentCreatesOfOneIdHaveOneWinner() {
        new SessionRepositoryRaces(repository).concurrentCreatesOfOneIdHaveOneWinner();
    }

    @Test
    @Timeout(120)
    @DisplayName("several threads revoking one session at once: exactly one gets true, and its instant is stored")
    void concurrentRevokesHaveOneWinner() {
        new SessionRepositoryRaces(repository).concurrentRevokesHaveOneWinner();
    }

    @Test
    @Timeout(120)
    @DisplayName("revokeAll racing creates: no session lost, and the counts add up to exactly the sessions revoked")
    void concurrentRevokeAllAndCreate() {
        new SessionRepositoryRaces(repository).concurrentRevokeAllAndCreate();
    }

    @Test
    @Timeout(120)
    @DisplayName("deleteExpired racing revokes of the same sessions: each expired session deleted and counted once")
    void concurrentDeleteExpiredAndRevoke() {
        new SessionRepositoryRaces(repository).concurrentDeleteExpiredAndRevoke();
    }

    // ---------------------------------------------------------------- one-time links and exchanged sessions

    @Test
    @DisplayName("a link's exchange instant and an exchanged session's link id and last-seen instant round-trip")
    void exchangeStateRoundTrips() {
        new SessionRepositoryLinks(repository).exchangeStateRoundTrips();
    }

    @Test
    @DisplayName("markExchanged returns true once, keeps the first instant and changes nothing else")
    void markExchangedSucceedsOnce() {
        new SessionRepositoryLinks(repository).markExchangedSucceedsOnce();
    }

    @Test
    @DisplayName("markExchanged refuses unknown ids, other cases, patterns, revoked links and exchanged sessions")
    void markExchangedRefusesWhatIsNoLiveLink() {
        new SessionRepositoryLinks(repository).markExchangedRefusesWhatIsNoLiveLink();
    }

    @Test
    @DisplayName("revoking a link revokes the sessions exchanged from it, no others; true only for the session named")
    void revokingALinkRevokesItsSessions() {
        new SessionRepositoryLinks(repository).revokingALinkRevokesItsSessions();
    }

    @Test
    @DisplayName("revoking a link reaches its sessions even when the link is revoked already or deleted")
    void revokingAGoneLinkStillRevokesItsSessions() {
        new SessionRepositoryLinks(repository).revokingAGoneLinkStillRevokesItsSessions();
    }

    @Test
    @DisplayName("revokeAll revokes a customer's links and exchanged sessions alike")
    void revokeAllCoversExchangedSessions() {
        new SessionRepositoryLinks(repository).revokeAllCoversExchangedSessions();
    }

    @Test
    @DisplayName("touch moves last-seen forward only, and changes nothing else")
    void touchMovesForwardOnly() {
        new SessionRepositoryLinks(repository).touchMovesForwardOnly();
    }

    @Test
    @DisplayName("touch refuses unknown ids and revoked sessions, and never undoes a revocation")
    void touchNeverUndoesARevocation() {
        new SessionRepositoryLinks(repository).touchNeverUndoesARevocation();
    }

    @Test
    @DisplayName("findById finds a session of any customer or tenant, by its exact id only")
    void findByIdIsExact() {
        new SessionRepositoryLinks(repository).findByIdIsExact();
    }

    @Test
    @Timeout(120)
    @DisplayName("8 threads exchanging one link at once, 25 links over: exactly one true per link, and its instant is stored")
    void concurrentExchangesHaveOneWinner() {
        new SessionRepositoryRaces(repository).concurrentExchangesHaveOneWinner();
    }

    @Test
    @Timeout(120)
    @DisplayName("exchanges racing revocations: every revocation succeeds, and a link is stored exchanged exactly when markExchanged said so")
    void exchangesRacingRevocations() {
        new SessionRepositoryRaces(repository).exchangesRacingRevocations();
    }

    @Test
    @Timeout(120)
    @DisplayName("4 threads touching one session with their own instants: the latest one is stored")
    void concurrentTouchesKeepTheLatest() {
        new SessionRepositoryRaces(repository).concurrentTouchesKeepTheLatest();
    }
}
