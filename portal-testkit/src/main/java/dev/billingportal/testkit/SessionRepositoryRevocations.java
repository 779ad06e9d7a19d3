package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;

import java.time.Duration;
import java.time.Instant;

import static dev.billingportal.testkit.SessionRepositoryFixtures.ALICE;
import static dev.billingportal.testkit.SessionRepositoryFixtures.ALICE_ELSEWHERE;
import static dev.billingportal.testkit.SessionRepositoryFixtures.BOB;
import static dev.billingportal.testkit.SessionRepositoryFixtures.TTL;
import static dev.billingportal.testkit.TestData.NOW;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.fullSession;
import static dev.billingportal.testkit.TestData.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The revocation and expiry tests of {@link PortalSessionRepositoryContract}, run by its tests of the same names
 * (which keep their display names) against the repository of the current test: {@code revoke} is idempotent and
 * keeps the first revocation instant, {@code revokeAll} touches only its customer's sessions and counts exactly, and
 * {@code deleteExpired(before)} deletes exactly the sessions whose expiry is strictly before {@code before}.
 */
final class SessionRepositoryRevocations {
    private final PortalSessionRepository repository;

    SessionRepositoryRevocations(PortalSessionRepository repository) {
        this.repository = repository;
    }

    void revokeReturnsTrueOnce() {
        SessionRecord session = fullSession("ses-1", ALICE);
        repository.create(session);

        assertThat(repository.revoke("ses-1", NOW.plusSeconds(10))).isTrue();
        assertThat(repository.revoke("ses-1", NOW.plusSeconds(20))).isFalse();
        assertThat(repository.revoke("ses-1", NOW.plusSeconds(30))).isFalse();

        SessionRecord found = repository.find(ALICE, "ses-1").orElseThrow();
        assertThat(found).as("revoked sessions are still found").isEqualTo(session.revokedAt(NOW.plusSeconds(10)));
        assertThat(found.activeAt(NOW.plusSeconds(11))).isFalse();
    }

    void revokeOfAnUnknownIdReturnsFalse() {
        assertThat(repository.revoke("ses-1", NOW)).isFalse();
        repository.create(session("ses-2", ALICE, NOW, TTL));

        assertThat(repository.revoke("ses-1", NOW)).isFalse();
        assertThat(repository.revoke("SES-2", NOW)).as("another case").isFalse();
        assertThat(repository.revoke("ses-%", NOW)).as("a pattern").isFalse();
        assertThat(repository.find(ALICE, "ses-1")).isEmpty();
        assertThat(repository.find(ALICE, "ses-2")).map(SessionRecord::revoked).contains(false);
    }

    void revokeTouchesOnlyTheSessionNamed() {
        repository.create(session("ses-1", ALICE, NOW, TTL));
        repository.create(session("ses-2", ALICE, NOW, TTL));
        repository.create(session("ses-3", BOB, NOW, TTL));

        assertThat(repository.revoke("ses-2", NOW)).isTrue();

        assertThat(repository.find(ALICE, "ses-1")).map(SessionRecord::revoked).contains(false);
        assertThat(repository.find(ALICE, "ses-2")).map(SessionRecord::revoked).contains(true);
        assertThat(repository.find(BOB, "ses-3")).map(SessionRecord::revoked).contains(false);
    }

    void anExpiredSessionCanBeRevoked() {
        repository.create(session("ses-1", ALICE, NOW.minus(Duration.ofDays(2)), TTL));

        assertThat(repository.revoke("ses-1", NOW)).isTrue();
        assertThat(repository.find(ALICE, "ses-1")).map(SessionRecord::revokedAt).contains(NOW);
    }

    void revokeAllTouchesOnlyThatCustomer() {
        repository.create(session("alice-active", ALICE, NOW, TTL));
        repository.create(session("alice-revoked", ALICE, NOW, TTL));
        repository.create(session("alice-expired", ALICE, NOW.minus(Duration.ofDays(3)), TTL));
        repository.create(session("bob-1", BOB, NOW, TTL));
        repository.create(session("elsewhere-1", ALICE_ELSEWHERE, NOW, TTL));
        repository.create(session("elsewhere-2", ALICE_ELSEWHERE, NOW, TTL));
        assertThat(repository.revoke("alice-revoked", NOW.minusSeconds(60))).isTrue();

        int revoked = repository.revokeAll(ALICE, NOW.plusSeconds(1));

        assertThat(revoked).as("active + expired; the already revoked one does not count").isEqualTo(2);
        assertThat(repository.find(ALICE, "alice-active")).map(SessionRecord::revokedAt).contains(NOW.plusSeconds(1));
        assertThat(repository.find(ALICE, "alice-expired")).map(SessionRecord::revokedAt).contains(NOW.plusSeconds(1));
        assertThat(repository.find(ALICE, "alice-revoked")).as("keeps its first revocation instant")
                .map(SessionRecord::revokedAt).contains(NOW.minusSeconds(60));
        assertThat(repository.find(BOB, "bob-1")).map(SessionRecord::revoked).contains(false);
        assertThat(repository.find(ALICE_ELSEWHERE, "elsewhere-1")).map(SessionRecord::revoked).contains(false);
        assertThat(repository.find(ALICE_ELSEWHERE, "elsewhere-2")).map(SessionRecord::revoked).contains(false);
        assertThat(repository.revokeAll(ALICE, NOW.plusSeconds(2))).as("a second call").isZero();
        assertThat(repository.revokeAll(ALICE_ELSEWHERE, NOW)).isEqualTo(2);
    }

    void revokeAllWithoutSessionsReturnsZero() {
        assertThat(repository.revokeAll(ALICE, NOW)).isZero();
        repository.create(session("bob-1", BOB, NOW, TTL));

        assertThat(repository.revokeAll(ALICE, NOW)).isZero();
        assertThat(repository.revokeAll(CustomerRef.of(TENANT, "ext-%"), NOW)).as("no pattern matching").isZero();
        assertThat(repository.revokeAll(CustomerRef.of(TENANT, "EXT-BOB"), NOW)).as("case-sensitive").isZero();
        assertThat(repository.find(BOB, "bob-1")).map(SessionRecord::revoked).contains(false);
    }

    void sessionCreatedAfterRevokeAllIsActive() {
        repository.create(session("ses-1", ALICE, NOW, TTL));
        assertThat(repository.revokeAll(ALICE, NOW)).isEqualTo(1);

        repository.create(session("ses-2", ALICE, NOW.plusSeconds(1), TTL));

        assertThat(repository.find(ALICE, "ses-2")).map(SessionRecord::revoked).contains(false);
        assertThat(repository.find(ALICE, "ses-1")).map(SessionRecord::revoked).contains(true);
    }

    void deleteExpiredDeletesOnlyExpiredSessions() {
        Instant before = NOW;
        repository.create(new SessionRecord("expired-1s", ALICE, before.minus(TTL), before.minusSeconds(1), null, null,
                null, null, null));
        repository.create(new SessionRecord("expired-revoked", ALICE, before.minus(Duration.ofDays(2)),
                before.minus(Duration.ofDays(1)), null, null, null, null, null));
        repository.create(new SessionRecord("expired-elsewhere", ALICE_ELSEWHERE, before.minus(TTL),
                before.minusMillis(1), null, null, null, null, null));
        repository.create(new SessionRecord("expires-at-before", ALICE, before.minus(TTL), before, null, null, null,
                null, null));
        repository.create(new SessionRecord("expires-later", BOB, before.minus(TTL), before.plusSeconds(1), null, null,
                null, null, null));
        repository.create(new SessionRecord("revoked-live", BOB, before, before.plus(TTL), null, null, null, null,
                null));
        assertThat(repository.revoke("expired-revoked", before.minus(Duration.ofDays(1)).minusSeconds(5))).isTrue();
        assertThat(repository.revoke("revoked-live", before)).isTrue();

        assertThat(repository.deleteExpired(before)).isEqualTo(3);

        assertThat(repository.find(ALICE, "expired-1s")).isEmpty();
        assertThat(repository.find(ALICE, "expired-revoked")).isEmpty();
        assertThat(repository.find(ALICE_ELSEWHERE, "expired-elsewhere")).isEmpty();
        assertThat(repository.find(ALICE, "expires-at-before")).as("expiring exactly at the instant").isPresent();
        assertThat(repository.find(BOB, "expires-later")).isPresent();
        assertThat(repository.find(BOB, "revoked-live")).as("revoked but not expired").isPresent();
        assertThat(repository.deleteExpired(before)).as("a second call").isZero();
        assertThat(repository.revoke("expired-1s", before)).as("revoking a deleted session").isFalse();
        assertThat(repository.deleteExpired(before.plusSeconds(2))).isEqualTo(2);
    }

    void deleteExpiredOnEmptyStorage() {
        assertThat(repository.deleteExpired(NOW)).isZero();
    }

    void deletedSessionIdCanBeReused() {
        repository.create(session("ses-1", ALICE, NOW.minus(Duration.ofDays(2)), TTL));
        assertThat(repository.deleteExpired(NOW)).isEqualTo(1);

        SessionRecord again = session("ses-1", BOB, NOW, TTL);
        repository.create(again);
        assertThat(repository.find(BOB, "ses-1")).contains(again);
        assertThat(repository.find(ALICE, "ses-1")).isEmpty();
    }
}
