package dev.billingportal.testkit;

import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import static dev.billingportal.testkit.SessionRepositoryFixtures.ALICE;
import static dev.billingportal.testkit.SessionRepositoryFixtures.ALICE_ELSEWHERE;
import static dev.billingportal.testkit.SessionRepositoryFixtures.BOB;
import static dev.billingportal.testkit.SessionRepositoryFixtures.TTL;
import static dev.billingportal.testkit.TestData.NOW;
import static dev.billingportal.testkit.TestData.fullSession;
import static dev.billingportal.testkit.TestData.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tests of one-time links and exchanged sessions of {@link PortalSessionRepositoryContract}, run by its tests
 * of the same names (which keep their display names) against the repository of the current test: the exchange state
 * round-trips, a link is exchanged at most once and never after its revocation, revoking a link revokes what was
 * exchanged from it, last-seen instants only move forward and never touch a revoked session, and {@code findById}
 * is exact. The racing threads of these are in {@link SessionRepositoryRaces}.
 */
final class SessionRepositoryLinks {
    private final PortalSessionRepository repository;

    SessionRepositoryLinks(PortalSessionRepository repository) {
        this.repository = repository;
    }

    void exchangeStateRoundTrips() {
        SessionRecord link = fullSession("link-1", ALICE);
        repository.create(link);
        Instant exchangedAt = NOW.plusMillis(1_234);
        assertThat(repository.markExchanged("link-1", exchangedAt)).isTrue();
        SessionRecord session = new SessionRecord("ses-1", ALICE, NOW.plusSeconds(1), NOW.plusSeconds(1).plus(TTL),
                Locale.forLanguageTag("fr-CA"), link.returnUrl(), "enterprise", "invoices", null, "link-1", null,
                NOW.plusMillis(1_567));
        repository.create(session);

        assertThat(repository.find(ALICE, "link-1")).contains(link.exchangedAt(exchangedAt));
        assertThat(repository.find(ALICE, "ses-1")).contains(session);
        assertThat(repository.find(ALICE, "ses-1").orElseThrow().exchangedSession()).isTrue();
        assertThat(repository.find(ALICE, "link-1").orElseThrow().exchanged()).isTrue();
    }

    void markExchangedSucceedsOnce() {
        SessionRecord link = fullSession("link-1", ALICE);
        repository.create(link);

        assertThat(repository.markExchanged("link-1", NOW.plusSeconds(5))).isTrue();
        assertThat(repository.markExchanged("link-1", NOW.plusSeconds(6))).isFalse();
        assertThat(repository.markExchanged("link-1", NOW.plusSeconds(7))).isFalse();

        assertThat(repository.find(ALICE, "link-1")).contains(link.exchangedAt(NOW.plusSeconds(5)));
        assertThat(repository.revoke("link-1", NOW.plusSeconds(8))).as("an exchanged link can still be revoked").isTrue();
    }

    void markExchangedRefusesWhatIsNoLiveLink() {
        assertThat(repository.markExchanged("link-1", NOW)).as("empty storage").isFalse();
        repository.create(session("link-1", ALICE, NOW, TTL));
        repository.create(session("link-revoked", ALICE, NOW, TTL));
        assertThat(repository.revoke("link-revoked", NOW)).isTrue();
        repository.create(TestData.exchangedSession("ses-1", ALICE, "link-0", NOW, TTL));

        assertThat(repository.markExchanged("LINK-1", NOW)).as("another case").isFalse();
        assertThat(repository.markExchanged("link-%", NOW)).as("a pattern").isFalse();
        assertThat(repository.markExchanged("link-", NOW)).as("a prefix").isFalse();
        assertThat(repository.markExchanged("link-revoked", NOW)).as("a revoked link").isFalse();
        assertThat(repository.markExchanged("ses-1", NOW)).as("an exchanged session").isFalse();

        assertThat(repository.find(ALICE, "link-1").orElseThrow().exchanged()).isFalse();
        assertThat(repository.find(ALICE, "link-revoked").orElseThrow().exchanged()).isFalse();
        assertThat(repository.find(ALICE, "ses-1").orElseThrow().exchangedAt()).isNull();
        assertThat(repository.markExchanged("link-1", NOW)).as("the live link still can be").isTrue();
    }

    void revokingALinkRevokesItsSessions() {
        repository.create(session("link-1", ALICE, NOW, TTL));
        repository.create(session("link-2", ALICE, NOW, TTL));
        repository.create(TestData.exchangedSession("ses-1a", ALICE, "link-1", NOW, TTL));
        repository.create(TestData.exchangedSession("ses-1b", ALICE, "link-1", NOW, TTL));
        repository.create(TestData.exchangedSession("ses-2", ALICE, "link-2", NOW, TTL));
        assertThat(repository.revoke("ses-1b", NOW.minusSeconds(9))).isTrue();

        assertThat(repository.revoke("link-1", NOW.plusSeconds(3))).isTrue();

        assertThat(repository.find(ALICE, "link-1")).map(SessionRecord::revokedAt).contains(NOW.plusSeconds(3));
        assertThat(repository.find(ALICE, "ses-1a")).map(SessionRecord::revokedAt).contains(NOW.plusSeconds(3));
        assertThat(repository.find(ALICE, "ses-1b")).as("keeps its own revocation instant")
                .map(SessionRecord::revokedAt).contains(NOW.minusSeconds(9));
        assertThat(repository.find(ALICE, "link-2")).map(SessionRecord::revoked).contains(false);
        assertThat(repository.find(ALICE, "ses-2")).map(SessionRecord::revoked).contains(false);
        assertThat(repository.revoke("link-1", NOW.plusSeconds(4))).as("the link itself was revoked already").isFalse();
    }

    void revokingAGoneLinkStillRevokesItsSessions() {
        repository.create(session("link-old", ALICE, NOW.minus(Duration.ofDays(2)), TTL));
        repository.create(TestData.exchangedSession("ses-late", ALICE, "link-old", NOW, TTL));
        assertThat(repository.deleteExpired(NOW)).as("the expired link").isEqualTo(1);

        assertThat(repository.revoke("link-old", NOW)).as("the link is gone").isFalse();
        assertThat(repository.find(ALICE, "ses-late")).map(SessionRecord::revokedAt).contains(NOW);

        repository.create(session("link-r", ALICE, NOW, TTL));
        assertThat(repository.revoke("link-r", NOW)).isTrue();
        repository.create(TestData.exchangedSession("ses-r", ALICE, "link-r", NOW, TTL));
        assertThat(repository.revoke("link-r", NOW.plusSeconds(1))).isFalse();
        assertThat(repository.find(ALICE, "ses-r")).map(SessionRecord::revokedAt).contains(NOW.plusSeconds(1));
    }

    void revokeAllCoversExchangedSessions() {
        repository.create(session("link-1", ALICE, NOW, TTL));
        assertThat(repository.markExchanged("link-1", NOW)).isTrue();
        repository.create(TestData.exchangedSession("ses-1", ALICE, "link-1", NOW, TTL));
        repository.create(TestData.exchangedSession("ses-bob", BOB, "link-bob", NOW, TTL));

        assertThat(repository.revokeAll(ALICE, NOW.plusSeconds(1))).isEqualTo(2);

        assertThat(repository.find(ALICE, "ses-1")).map(SessionRecord::revokedAt).contains(NOW.plusSeconds(1));
        assertThat(repository.find(ALICE, "link-1")).map(SessionRecord::revokedAt).contains(NOW.plusSeconds(1));
        assertThat(repository.find(BOB, "ses-bob")).map(SessionRecord::revoked).contains(false);
    }

    void touchMovesForwardOnly() {
        SessionRecord session = TestData.exchangedSession("ses-1", ALICE, "link-1", NOW, TTL);
        repository.create(session);

        assertThat(repository.touch("ses-1", NOW.plusMillis(60_123))).isTrue();
        assertThat(repository.touch("ses-1", NOW.plusSeconds(30))).as("an earlier instant").isFalse();
        assertThat(repository.touch("ses-1", NOW.plusMillis(60_123))).as("the same instant").isFalse();
        assertThat(repository.find(ALICE, "ses-1")).contains(session.lastSeenAt(NOW.plusMillis(60_123)));

        assertThat(repository.touch("ses-1", NOW.plusSeconds(120))).isTrue();
        assertThat(repository.find(ALICE, "ses-1")).contains(session.lastSeenAt(NOW.plusSeconds(120)));
        repository.create(session("link-never-seen", ALICE, NOW, TTL));
        assertThat(repository.touch("link-never-seen", NOW)).as("never seen before").isTrue();
        assertThat(repository.find(ALICE, "link-never-seen")).map(SessionRecord::lastSeenAt).contains(NOW);
    }

    void touchNeverUndoesARevocation() {
        assertThat(repository.touch("ses-1", NOW)).as("empty storage").isFalse();
        SessionRecord session = TestData.exchangedSession("ses-1", ALICE, "link-1", NOW, TTL);
        repository.create(session);
        assertThat(repository.revoke("ses-1", NOW.plusSeconds(1))).isTrue();

        assertThat(repository.touch("ses-1", NOW.plusSeconds(2))).isFalse();
        assertThat(repository.touch("SES-1", NOW.plusSeconds(2))).as("another case").isFalse();
        assertThat(repository.touch("ses-%", NOW.plusSeconds(2))).as("a pattern").isFalse();

        assertThat(repository.find(ALICE, "ses-1")).contains(session.revokedAt(NOW.plusSeconds(1)));
    }

    void findByIdIsExact() {
        SessionRecord alice = fullSession("ses-1", ALICE);
        SessionRecord elsewhere = TestData.exchangedSession("ses-2", ALICE_ELSEWHERE, "link-9", NOW, TTL);
        repository.create(alice);
        repository.create(elsewhere);
        assertThat(repository.revoke("ses-2", NOW)).isTrue();

        assertThat(repository.findById("ses-1")).contains(alice);
        assertThat(repository.findById("ses-2")).contains(elsewhere.revokedAt(NOW));
        assertThat(repository.findById("SES-1")).isEmpty();
        assertThat(repository.findById("ses-%")).isEmpty();
        assertThat(repository.findById("ses_1")).isEmpty();
        assertThat(repository.findById("ses-3")).isEmpty();
    }
}
