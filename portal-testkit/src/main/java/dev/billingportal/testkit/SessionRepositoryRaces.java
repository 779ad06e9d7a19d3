package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.billingportal.testkit.SessionRepositoryFixtures.ALICE;
import static dev.billingportal.testkit.SessionRepositoryFixtures.ALICE_ELSEWHERE;
import static dev.billingportal.testkit.SessionRepositoryFixtures.BOB;
import static dev.billingportal.testkit.SessionRepositoryFixtures.TTL;
import static dev.billingportal.testkit.TestData.NOW;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The concurrency tests of {@link PortalSessionRepositoryContract}, run by its tests of the same names (which keep
 * their display names and timeouts) against the repository of the current test: creates, revocations,
 * {@code revokeAll} and {@code deleteExpired} racing each other, and exchanges and touches of one-time links racing
 * on several threads. The counts returned must stay exact, and each race have exactly one winner.
 */
final class SessionRepositoryRaces {
    private final PortalSessionRepository repository;

    SessionRepositoryRaces(PortalSessionRepository repository) {
        this.repository = repository;
    }

    void concurrentCreatesAndFinds() {
        int threads = 4;
        int perThread = 25;
        List<CustomerRef> customers = List.of(ALICE, BOB, ALICE_ELSEWHERE, CustomerRef.of(OTHER_TENANT, "ext-carol"));

        Concurrently.run(threads, thread -> {
            CustomerRef customer = customers.get(thread);
            for (int i = 0; i < perThread; i++) {
                SessionRecord session = session("ses-" + thread + "-" + i, customer, NOW.plusSeconds(i), TTL);
                repository.create(session);
                assertThat(repository.find(customer, session.id())).contains(session);
                // another thread's session, maybe not created yet, is never visible to this customer
                assertThat(repository.find(customer, "ses-" + ((thread + 1) % threads) + "-" + i)).isEmpty();
            }
        });

        for (int thread = 0; thread < threads; thread++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(repository.find(customers.get(thread), "ses-" + thread + "-" + i)).isPresent();
            }
        }
    }

    void concurrentCreatesOfOneIdHaveOneWinner() {
        int threads = 4;
        int rounds = 10;
        List<CustomerRef> customers = List.of(ALICE, BOB, ALICE_ELSEWHERE, CustomerRef.of(OTHER_TENANT, "ext-carol"));
        Map<Integer, Integer> winners = new ConcurrentHashMap<>();
        AtomicInteger conflicts = new AtomicInteger();
        Concurrently.Barrier barrier = Concurrently.barrier(threads);

        Concurrently.run(threads, thread -> {
            for (int round = 0; round < rounds; round++) {
                barrier.await();
                try {
                    repository.create(session("race-" + round, customers.get(thread), NOW, TTL));
                    Integer previous = winners.putIfAbsent(round, thread);
                    if (previous != null) {
                        throw new AssertionError("round " + round + ": threads " + previous + " and " + thread
                                + " both created the session");
                    }
                } catch (PortalException e) {
                    if (e.code() != ErrorCode.CONFLICT) {
                        throw e;
                    }
                    conflicts.incrementAndGet();
                }
            }
        });

        assertThat(winners).hasSize(rounds);
        assertThat(conflicts).hasValue(rounds * (threads - 1));
        for (int round = 0; round < rounds; round++) {
            int winner = winners.get(round);
            assertThat(repository.find(customers.get(winner), "race-" + round)).as("round %d winner", round)
                    .isPresent();
            for (int thread = 0; thread < threads; thread++) {
                if (thread != winner) {
                    assertThat(repository.find(customers.get(thread), "race-" + round))
                            .as("round %d loser %d", round, thread).isEmpty();
                }
            }
        }
    }

    void concurrentRevokesHaveOneWinner() {
        int threads = 4;
        int rounds = 20;
        for (int round = 0; round < rounds; round++) {
            repository.create(session("ses-" + round, ALICE, NOW, TTL));
        }
        Map<Integer, Integer> winners = new ConcurrentHashMap<>();
        Concurrently.Barrier barrier = Concurrently.barrier(threads);

        Concurrently.run(threads, thread -> {
            for (int round = 0; round < rounds; round++) {
                barrier.await();
                if (repository.revoke("ses-" + round, revocationInstant(thread))) {
                    Integer previous = winners.putIfAbsent(round, thread);
                    if (previous != null) {
                        throw new AssertionError("round " + round + ": threads " + previous + " and " + thread
                                + " both revoked the session");
                    }
                }
            }
        });

        assertThat(winners).as("one winner per session").hasSize(rounds);
        for (int round = 0; round < rounds; round++) {
            assertThat(repository.find(ALICE, "ses-" + round)).as("round %d", round).map(SessionRecord::revokedAt)
                    .contains(revocationInstant(winners.get(round)));
        }
    }

    void concurrentRevokeAllAndCreate() {
        int creators = 3;
        int perCreator = 20;
        AtomicInteger creatorsDone = new AtomicInteger();
        AtomicLong revokedByRacer = new AtomicLong();
        List<String> bobSessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bobSessions.add("bob-" + i);
        }

        Concurrently.run(creators + 2, thread -> {
            if (thread < creators) {
                try {
                    for (int i = 0; i < perCreator; i++) {
                        repository.create(session("alice-" + thread + "-" + i, ALICE, NOW.plusSeconds(i), TTL));
                    }
                } finally {
                    creatorsDone.incrementAndGet();
                }
            } else if (thread == creators) {
                try {
                    for (String id : bobSessions) {
                        repository.create(session(id, BOB, NOW, TTL));
                    }
                } finally {
                    creatorsDone.incrementAndGet();
                }
            } else {
                int calls = 0;
                while (creatorsDone.get() < creators + 1 || calls < 3) {
                    revokedByRacer.addAndGet(repository.revokeAll(ALICE, NOW.plusSeconds(100 + calls)));
                    calls++;
                    Thread.yield();
                }
            }
        });

        int remaining = repository.revokeAll(ALICE, NOW.plusSeconds(10_000));
        assertThat(revokedByRacer.get() + remaining).as("every session of Alice revoked exactly once")
                .isEqualTo((long) creators * perCreator);
        for (int thread = 0; thread < creators; thread++) {
            for (int i = 0; i < perCreator; i++) {
                assertThat(repository.find(ALICE, "alice-" + thread + "-" + i)).as("alice-%d-%d", thread, i)
                        .map(SessionRecord::revoked).contains(true);
            }
        }
        for (String id : bobSessions) {
            assertThat(repository.find(BOB, id)).as(id).map(SessionRecord::revoked).contains(false);
        }
    }

    void concurrentDeleteExpiredAndRevoke() {
        int sessions = 150;
        for (int i = 0; i < sessions; i++) {
            repository.create(session(String.format("old-%03d", i), ALICE, NOW.minus(Duration.ofDays(2)), TTL));
        }
        repository.create(session("live", ALICE, NOW, TTL));
        AtomicInteger revokersDone = new AtomicInteger();
        AtomicLong deleted = new AtomicLong();
        AtomicLong revoked = new AtomicLong();
        int revokers = 2;

        Concurrently.run(revokers + 2, thread -> {
            if (thread < revokers) {
                try {
                    // the two revokers walk the sessions in opposite directions
                    for (int n = 0; n < sessions; n++) {
                        int i = thread == 0 ? n : sessions - 1 - n;
                        if (repository.revoke(String.format("old-%03d", i), NOW)) {
                            revoked.incrementAndGet();
                        }
                    }
                } finally {
                    revokersDone.incrementAndGet();
                }
            } else {
                int calls = 0;
                while (revokersDone.get() < revokers || calls < 3) {
                    deleted.addAndGet(repository.deleteExpired(NOW));
                    calls++;
                    Thread.yield();
                }
            }
        });

        deleted.addAndGet(repository.deleteExpired(NOW));
        assertThat(deleted.get()).as("expired sessions deleted, each counted once").isEqualTo(sessions);
        assertThat(revoked.get()).as("successful revocations").isBetween(0L, (long) sessions);
        for (int i = 0; i < sessions; i++) {
            assertThat(repository.find(ALICE, String.format("old-%03d", i))).isEmpty();
        }
        assertThat(repository.find(ALICE, "live")).map(SessionRecord::revoked).contains(false);
    }

    void concurrentExchangesHaveOneWinner() {
        int threads = 8;
        int links = 25;
        for (int i = 0; i < links; i++) {
            repository.create(session("link-" + i, ALICE, NOW, TTL));
        }
        Map<Integer, Integer> winners = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        Concurrently.Barrier barrier = Concurrently.barrier(threads);

        Concurrently.run(threads, thread -> {
            for (int i = 0; i < links; i++) {
                barrier.await();
                if (repository.markExchanged("link-" + i, revocationInstant(thread))) {
                    Integer previous = winners.putIfAbsent(i, thread);
                    if (previous != null) {
                        throw new AssertionError("link " + i + ": threads " + previous + " and " + thread + " both won");
                    }
                } else {
                    refused.incrementAndGet();
                }
            }
        });

        assertThat(winners).hasSize(links);
        assertThat(refused).hasValue(links * (threads - 1));
        for (int i = 0; i < links; i++) {
            assertThat(repository.find(ALICE, "link-" + i)).as("link %d", i)
                    .map(SessionRecord::exchangedAt).contains(revocationInstant(winners.get(i)));
        }
    }

    void exchangesRacingRevocations() {
        int links = 40;
        for (int i = 0; i < links; i++) {
            repository.create(session("link-" + i, ALICE, NOW, TTL));
        }
        Map<Integer, Boolean> exchanged = new ConcurrentHashMap<>();
        Map<Integer, Boolean> revoked = new ConcurrentHashMap<>();
        Concurrently.Barrier barrier = Concurrently.barrier(2);

        Concurrently.run(2, thread -> {
            for (int i = 0; i < links; i++) {
                barrier.await();
                if (thread == 0) {
                    exchanged.put(i, repository.markExchanged("link-" + i, NOW.plusSeconds(1)));
                } else {
                    revoked.put(i, repository.revoke("link-" + i, NOW.plusSeconds(2)));
                }
            }
        });

        for (int i = 0; i < links; i++) {
            SessionRecord link = repository.find(ALICE, "link-" + i).orElseThrow();
            assertThat(revoked.get(i)).as("link %d: the revocation always succeeds", i).isTrue();
            assertThat(link.revoked()).isTrue();
            assertThat(link.exchanged()).as("link %d: stored exchange matches the call's answer", i).isEqualTo(exchanged.get(i));
        }
    }

    void concurrentTouchesKeepTheLatest() {
        int threads = 4;
        int perThread = 30;
        repository.create(TestData.exchangedSession("ses-1", ALICE, "link-1", NOW, TTL));

        Concurrently.run(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                repository.touch("ses-1", NOW.plusSeconds(1 + i * threads + thread));
            }
        });

        assertThat(repository.find(ALICE, "ses-1")).map(SessionRecord::lastSeenAt)
                .contains(NOW.plusSeconds((long) perThread * threads));
    }

    /** The distinct instant thread {@code thread} revokes with, so the stored one names the winner. */
    private static Instant revocationInstant(int thread) {
        return NOW.plusSeconds(60L * (thread + 1));
    }
}
