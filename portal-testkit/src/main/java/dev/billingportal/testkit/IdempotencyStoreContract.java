package dev.billingportal.testkit;

import dev.billingportal.core.idempotency.IdempotencyRecord;
import dev.billingportal.core.idempotency.IdempotencyStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static dev.billingportal.testkit.TestData.NOW;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@link IdempotencyStore}: subclass it, implement {@link #createStore()}, and run it as an ordinary
 * JUnit Jupiter test class.
 *
 * <pre>{@code
 * class MyIdempotencyStoreTest extends IdempotencyStoreContract {
 *     @Override
 *     protected IdempotencyStore createStore() {
 *         truncateTables();
 *         return new MyIdempotencyStore(dataSource);
 *     }
 * }
 * }</pre>
 *
 * <p>What it pins down: of any number of racing {@code begin} calls for one key exactly one acts; keys are scoped to
 * tenant and customer; a record is live until (excluding) its {@code expiresAt} and an expired one is replaced;
 * {@code complete} and {@code release} touch only the running record of the same request; answers round-trip byte
 * for byte.
 */
public abstract class IdempotencyStoreContract {
    /** How long the records of these tests live. */
    private static final Duration TTL = Duration.ofHours(24);

    private IdempotencyStore store;

    /**
     * Return a store over EMPTY storage; called before each test. Clear tables here (or use a fresh schema) when the
     * storage outlives one test.
     *
     * @return the store under test
     */
    protected abstract IdempotencyStore createStore();

    /**
     * The store the current test runs against, for subclasses that add tests of their own.
     *
     * @return the store {@link #createStore()} returned for this test
     */
    protected final IdempotencyStore store() {
        return store;
    }

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
        assertThat(store).as("createStore()").isNotNull();
    }

    private static IdempotencyRecord started(String tenant, String customer, String key, String digest, Instant at) {
        return IdempotencyRecord.started(tenant, customer, key, digest, at, at.plus(TTL));
    }

    private static IdempotencyRecord started(String key, String digest) {
        return started(TENANT, "ext-cus-1", key, digest, NOW);
    }

    @Test
    @DisplayName("the first begin of a key acts; the next gets the stored record back")
    void firstBeginActsNextGetsTheRecord() {
        IdempotencyRecord first = started("key-1", "digest-a");

        assertThat(store.begin(first, NOW)).as("rule: the first begin of a key stores it and acts").isEmpty();
        assertThat(store.begin(started("key-1", "digest-b"), NOW.plusSeconds(1)))
                .as("rule: a live key answers the record that is there, unchanged").contains(first);
    }

    @Test
    @Timeout(120)
    @DisplayName("8 threads racing begin on one key: exactly one acts, the 7 others get the winner's record")
    void racingBeginsActExactlyOnce() {
        int threads = 8;
        int rounds = 5;
        for (int round = 0; round < rounds; round++) {
            String key = "race-" + round;
            List<Optional<IdempotencyRecord>> answers = Collections.synchronizedList(new ArrayList<>());
            Concurrently.Barrier together = Concurrently.barrier(threads);
            Concurrently.run(threads, thread -> {
                together.await();
                answers.add(store.begin(started(key, "digest-of-thread-" + thread), NOW));
            });

            assertThat(answers).as("answers of round %d", round).hasSize(threads);
            assertThat(answers.stream().filter(Optional::isEmpty).count())
                    .as("rule: exactly one of racing begins acts (round %d)", round).isEqualTo(1);
            List<String> seen = answers.stream().flatMap(Optional::stream).map(IdempotencyRecord::requestDigest)
                    .distinct().toList();
            assertThat(seen).as("rule: every loser sees the one winner's record (round %d)", round).hasSize(1);
            assertThat(store.begin(started(key, "late"), NOW)).map(IdempotencyRecord::requestDigest)
                    .as("rule: the stored record is the winner's").contains(seen.get(0));
        }
    }

    @Test
    @DisplayName("the same key of another customer or another tenant is another key")
    void keysAreScopedToTenantAndCustomer() {
        assertThat(store.begin(started(TENANT, "ext-cus-1", "shared", "d1", NOW), NOW)).isEmpty();

        assertThat(store.begin(started(TENANT, "ext-cus-2", "shared", "d2", NOW), NOW))
                .as("rule: another customer's key never meets this one").isEmpty();
        assertThat(store.begin(started(OTHER_TENANT, "ext-cus-1", "shared", "d3", NOW), NOW))
                .as("rule: another tenant's key never meets this one").isEmpty();
        assertThat(store.begin(started(TENANT, "ext-cus-1", "shared", "d4", NOW), NOW))
                .map(IdempotencyRecord::requestDigest).as("rule: each scope keeps its own record").contains("d1");
        assertThat(store.begin(started(TENANT, "ext-cus-2", "shared", "d5", NOW), NOW))
                .map(IdempotencyRecord::requestDigest).contains("d2");
    }

    @Test
    @DisplayName("keys are compared exactly: case and trailing characters matter")
    void keysAreExact() {
        assertThat(store.begin(started("Key-A", "d1"), NOW)).isEmpty();

        assertThat(store.begin(started("key-a", "d2"), NOW)).as("rule: keys are case-sensitive").isEmpty();
        assertThat(store.begin(started("Key-A ", "d3"), NOW)).as("rule: a trailing space is another key").isEmpty();
        assertThat(store.begin(started("Key-", "d4"), NOW)).as("rule: a prefix is another key").isEmpty();
    }

    @Test
    @DisplayName("a record is live until its expiresAt: at that instant it is expired and replaced")
    void expiredRecordIsReplaced() {
        IdempotencyRecord old = started("key-1", "old");
        store.begin(old, NOW);
        Instant justBefore = old.expiresAt().minusSeconds(1);

        assertThat(store.begin(started(TENANT, "ext-cus-1", "key-1", "new", justBefore), justBefore))
                .as("rule: one second before expiresAt the record is live").contains(old);

        IdempotencyRecord replacement = started(TENANT, "ext-cus-1", "key-1", "new", old.expiresAt());
        assertThat(store.begin(replacement, old.expiresAt()))
                .as("rule: at expiresAt the record is expired and the new request acts").isEmpty();
        assertThat(store.begin(started("key-1", "third"), old.expiresAt().plusSeconds(1)))
                .as("rule: the replacement is what is stored now").contains(replacement);
    }

    @Test
    @DisplayName("an expired completed record is replaced too")
    void expiredCompletedRecordIsReplaced() {
        IdempotencyRecord old = started("key-1", "old");
        store.begin(old, NOW);
        store.complete(old.completed(200, bytes("{\"ok\":true}")));
        Instant later = old.expiresAt().plusSeconds(60);

        assertThat(store.begin(started(TENANT, "ext-cus-1", "key-1", "new", later), later))
                .as("rule: an expired answer is forgotten").isEmpty();
    }

    @Test
    @DisplayName("complete stores the answer: the next begin gets status and body")
    void completeStoresTheAnswer() {
        IdempotencyRecord first = started("key-1", "digest-a");
        store.begin(first, NOW);
        IdempotencyRecord done = first.completed(201, bytes("{\"customer\":{\"id\":\"x\"}}"));

        store.complete(done);

        Optional<IdempotencyRecord> again = store.begin(started("key-1", "digest-a"), NOW.plusSeconds(5));
        assertThat(again).as("rule: a completed record answers with its status and body").contains(done);
        assertThat(again.orElseThrow().inProgress()).isFalse();
    }

    @ParameterizedTest(name = "an answer of {0} bytes round-trips byte for byte")
    @ValueSource(ints = {0, 1, 256, 70_000})
    void answerBodiesRoundTrip(int length) {
        IdempotencyRecord first = started("key-" + length, "digest-a");
        store.begin(first, NOW);
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) i;
        }

        store.complete(first.completed(200, body));

        IdempotencyRecord stored = store.begin(started("key-" + length, "other"), NOW).orElseThrow();
        assertThat(stored.body()).as("rule: the stored body is exactly the answer's bytes").isEqualTo(body);
        assertThat(stored.status()).isEqualTo(200);
    }

    @Test
    @DisplayName("complete of another request's digest, or of a record already completed, changes nothing")
    void completeTouchesOnlyTheRunningRecordOfTheSameRequest() {
        IdempotencyRecord first = started("key-1", "digest-a");
        store.begin(first, NOW);

        store.complete(started("key-1", "digest-b").completed(500, bytes("wrong")));
        assertThat(store.begin(started("key-1", "x"), NOW)).as("rule: complete of another digest changes nothing")
                .contains(first);

        IdempotencyRecord done = first.completed(200, bytes("right"));
        store.complete(done);
        store.complete(first.completed(409, bytes("second")));
        assertThat(store.begin(started("key-1", "x"), NOW)).as("rule: a completed answer is never overwritten")
                .contains(done);
    }

    @Test
    @DisplayName("complete of a key never begun stores nothing")
    void completeOfUnknownKeyStoresNothing() {
        store.complete(started("never", "digest-a").completed(200, bytes("x")));

        assertThat(store.begin(started("never", "digest-a"), NOW)).as("rule: complete never creates a record").isEmpty();
    }

    @Test
    @DisplayName("release forgets the running record, so a retry with the same key acts")
    void releaseLetsARetryAct() {
        IdempotencyRecord first = started("key-1", "digest-a");
        store.begin(first, NOW);

        store.release(first);

        assertThat(store.begin(started("key-1", "digest-a"), NOW.plusSeconds(1)))
                .as("rule: after release the same key acts again").isEmpty();
    }

    @Test
    @DisplayName("release of another digest, or of a completed record, keeps the record")
    void releaseTouchesOnlyTheRunningRecordOfTheSameRequest() {
        IdempotencyRecord first = started("key-1", "digest-a");
        store.begin(first, NOW);

        store.release(started("key-1", "digest-b"));
        assertThat(store.begin(started("key-1", "x"), NOW)).as("rule: release of another request keeps the record")
                .contains(first);

        IdempotencyRecord done = first.completed(200, bytes("ok"));
        store.complete(done);
        store.release(first);
        assertThat(store.begin(started("key-1", "x"), NOW)).as("rule: release never forgets a completed answer")
                .contains(done);
    }

    @Test
    @DisplayName("release of another customer's record with the same key keeps it")
    void releaseIsScoped() {
        IdempotencyRecord mine = started(TENANT, "ext-cus-1", "key-1", "digest-a", NOW);
        store.begin(mine, NOW);

        store.release(started(TENANT, "ext-cus-2", "key-1", "digest-a", NOW));
        store.release(started(OTHER_TENANT, "ext-cus-1", "key-1", "digest-a", NOW));

        assertThat(store.begin(started("key-1", "x"), NOW)).as("rule: release is scoped to tenant and customer")
                .contains(mine);
    }

    @Test
    @DisplayName("purgeExpired deletes exactly the records expired at that instant and counts them")
    void purgeExpiredDeletesOnlyExpired() {
        IdempotencyRecord early = started(TENANT, "ext-cus-1", "early", "d", NOW);
        IdempotencyRecord late = started(TENANT, "ext-cus-1", "late", "d", NOW.plus(Duration.ofHours(2)));
        IdempotencyRecord other = started(OTHER_TENANT, "ext-cus-9", "early", "d", NOW);
        store.begin(early, NOW);
        store.begin(late, NOW);
        store.begin(other, NOW);
        store.complete(other.completed(200, bytes("done")));

        assertThat(store.purgeExpired(early.expiresAt().minusSeconds(1))).as("rule: nothing is expired yet").isZero();
        assertThat(store.purgeExpired(early.expiresAt())).as("rule: records expired at the instant are purged, of "
                + "every tenant, running or completed").isEqualTo(2);
        Instant at = early.expiresAt();
        assertThat(store.begin(started(TENANT, "ext-cus-1", "late", "x", at), at))
                .as("rule: a live record is kept").contains(late);
        assertThat(store.begin(started(TENANT, "ext-cus-1", "early", "x", at), at)).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
