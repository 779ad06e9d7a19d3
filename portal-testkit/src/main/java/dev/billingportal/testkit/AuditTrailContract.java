package dev.billingportal.testkit;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import static dev.billingportal.testkit.TestData.NOW;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link AuditTrail}: subclass it, implement {@link #createTrail()}, and run it as an ordinary JUnit
 * Jupiter test class.
 *
 * <pre>{@code
 * class MyAuditTrailTest extends AuditTrailContract {
 *     @Override
 *     protected AuditTrail createTrail() {
 *         truncateTables();
 *         return new MyAuditTrail(dataSource);
 *     }
 * }
 * }</pre>
 *
 * <p>What it pins down, beyond the Javadoc of the interface: every field round-trips exactly (instants to the
 * millisecond, after 2038 too; user agents of the full {@value ClientInfo#MAX_USER_AGENT_LENGTH} UTF-16 units in any
 * script), reads are scoped to one customer of one tenant with exact, case-sensitive ids, the order is
 * {@code occurredAt} then {@code id} whatever the order of recording, {@code since} is inclusive, and events recorded
 * by several threads at once are all kept, each once.
 */
public abstract class AuditTrailContract {

    private static final CustomerRef ALICE = CustomerRef.of(TENANT, "ext-alice");
    private static final CustomerRef BOB = CustomerRef.of(TENANT, "ext-bob");
    /** Alice's external id in another tenant: a different customer. */
    private static final CustomerRef ALICE_ELSEWHERE = CustomerRef.of(OTHER_TENANT, "ext-alice");

    private AuditTrail trail;

    /**
     * Return a trail over EMPTY storage; called before each test. Clear tables here (or use a fresh schema) when the
     * storage outlives one test.
     *
     * @return the trail under test
     */
    protected abstract AuditTrail createTrail();

    /**
     * The trail the current test runs against, for subclasses that add tests of their own.
     *
     * @return the trail {@link #createTrail()} returned for this test
     */
    protected final AuditTrail trail() {
        return trail;
    }

    @BeforeEach
    final void createTrailUnderTest() {
        trail = createTrail();
        assertThat(trail).as("createTrail()").isNotNull();
    }

    private static AuditEvent event(String id, AuditEventType type, Instant at, CustomerRef customer) {
        return AuditEvent.of(id, type, at, customer, AuditActor.HOST, null, null, null, ClientInfo.UNKNOWN);
    }

    private static AuditEvent fullEvent(String id, CustomerRef customer, Instant at) {
        return AuditEvent.of(id, AuditEventType.SESSION_EXCHANGED, at, customer, AuditActor.CUSTOMER, "ps_session-1",
                "ps_link-1", "inv-2026-001", ClientInfo.of("203.0.113.9",
                        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36"));
    }

    private List<AuditEvent> all(CustomerRef customer) {
        return trail.find(customer, Instant.EPOCH, AuditTrail.MAX_FIND_LIMIT);
    }

    // ---------------------------------------------------------------- round trips

    @Test
    @DisplayName("a recorded event is found by its customer, equal in every field")
    void recordedEventIsFound() {
        AuditEvent event = fullEvent("ae-1", ALICE, NOW);
        trail.record(event);

        assertThat(all(ALICE)).containsExactly(event);
    }

    @Test
    @DisplayName("an event with only the required fields round-trips with nulls kept null")
    void minimalEventRoundTrips() {
        AuditEvent event = event("ae-1", AuditEventType.ALL_SESSIONS_REVOKED, NOW, ALICE);
        trail.record(event);

        AuditEvent found = all(ALICE).get(0);
        assertThat(found).isEqualTo(event);
        assertThat(found.sessionId()).isNull();
        assertThat(found.linkId()).isNull();
        assertThat(found.invoiceId()).isNull();
        assertThat(found.clientAddress()).isNull();
        assertThat(found.userAgent()).isNull();
    }

    @Test
    @DisplayName("every event type and actor round-trips")
    void everyTypeAndActorRoundTrips() {
        List<AuditEvent> events = new ArrayList<>();
        int n = 0;
        for (AuditEventType type : AuditEventType.values()) {
            for (AuditActor actor : AuditActor.values()) {
                events.add(AuditEvent.of(String.format("ae-%02d", n), type, NOW.plusSeconds(n), ALICE, actor, "ps_1",
                        null, null, null));
                n++;
            }
        }
        events.forEach(trail::record);

        assertThat(all(ALICE)).containsExactlyElementsOf(events);
    }

    @Test
    @DisplayName("instants keep millisecond precision, and work before 1970 and after 2038")
    void instantsRoundTrip() {
        List<AuditEvent> events = List.of(
                event("ae-1", AuditEventType.SESSION_CREATED, Instant.parse("1969-07-20T20:17:40.001Z"), ALICE),
                event("ae-2", AuditEventType.SESSION_CREATED, NOW.plusMillis(123), ALICE),
                event("ae-3", AuditEventType.SESSION_CREATED, NOW.plusMillis(124), ALICE),
                event("ae-4", AuditEventType.SESSION_CREATED, Instant.parse("2039-06-30T23:59:59.999Z"), ALICE),
                event("ae-5", AuditEventType.SESSION_CREATED, Instant.parse("2240-02-29T12:00:00Z"), ALICE));
        events.forEach(trail::record);

        assertThat(trail.find(ALICE, Instant.parse("1900-01-01T00:00:00Z"), 10)).containsExactlyElementsOf(events);
    }

    @Test
    @DisplayName("user agents of the full length in any script, IPv6 addresses and Unicode customers round-trip")
    void unicodeAndBoundedValuesRoundTrip() {
        String agent = ("Mozilla/5.0 请求书 فاتورة חשבונית Ελληνικά 😀🧾 e\u0301 ").repeat(20);
        ClientInfo client = ClientInfo.of("2001:db8:85a3::8a2e:370:7334%en0", agent);
        assertThat(client.userAgent().length()).as("cut to the bound").isBetween(ClientInfo.MAX_USER_AGENT_LENGTH - 1,
                ClientInfo.MAX_USER_AGENT_LENGTH);
        CustomerRef customer = CustomerRef.of("租户-🏢", "客户-😀-عميل");
        AuditEvent full = AuditEvent.of("ae-ü-1", AuditEventType.INVOICE_DOWNLOADED, NOW, customer, AuditActor.CUSTOMER,
                "ps_ü", null, "請求書/2026-001", client);
        AuditEvent emoji = AuditEvent.of("ae-ü-2", AuditEventType.INVOICE_DOWNLOADED, NOW.plusMillis(1), customer,
                AuditActor.CUSTOMER, "ps_ü", null, "inv-1", ClientInfo.of("9".repeat(ClientInfo.MAX_ADDRESS_LENGTH),
                        "🦊".repeat(ClientInfo.MAX_USER_AGENT_LENGTH / 2)));
        trail.record(full);
        trail.record(emoji);

        assertThat(all(customer)).containsExactly(full, emoji);
        assertThat(all(customer).get(1).userAgent()).hasSize(ClientInfo.MAX_USER_AGENT_LENGTH);
    }

    @Test
    @DisplayName("CONFLICT when the id exists; the stored event is unchanged and nothing is added")
    void duplicateIdIsAConflict() {
        AuditEvent original = fullEvent("ae-1", ALICE, NOW);
        trail.record(original);

        assertConflict(() -> trail.record(event("ae-1", AuditEventType.SESSION_REVOKED, NOW.plusSeconds(5), ALICE)));
        assertConflict(() -> trail.record(event("ae-1", AuditEventType.SESSION_REVOKED, NOW, BOB)));

        assertThat(all(ALICE)).containsExactly(original);
        assertThat(all(BOB)).isEmpty();
    }

    // ---------------------------------------------------------------- reads

    @Test
    @DisplayName("reads are scoped by customer: another customer of the tenant, or the same external id elsewhere, finds nothing")
    void findIsScopedByCustomer() {
        trail.record(event("ae-1", AuditEventType.SESSION_CREATED, NOW, ALICE));
        trail.record(event("ae-2", AuditEventType.SESSION_CREATED, NOW, BOB));
        trail.record(event("ae-3", AuditEventType.SESSION_CREATED, NOW, ALICE_ELSEWHERE));

        assertThat(all(ALICE)).extracting(AuditEvent::id).containsExactly("ae-1");
        assertThat(all(BOB)).extracting(AuditEvent::id).containsExactly("ae-2");
        assertThat(all(ALICE_ELSEWHERE)).extracting(AuditEvent::id).containsExactly("ae-3");
        assertThat(all(CustomerRef.of(TENANT, "EXT-ALICE"))).as("case-sensitive").isEmpty();
        assertThat(all(CustomerRef.of(TENANT, "ext-%"))).as("no pattern matching").isEmpty();
        assertThat(all(CustomerRef.of(TENANT, "ext-alice-2"))).isEmpty();
    }

    @Test
    @DisplayName("events come oldest first, ties broken by id, whatever the order they were recorded in")
    void eventsAreOrderedByInstantThenId() {
        List<AuditEvent> expected = List.of(
                event("ae-a", AuditEventType.SESSION_CREATED, NOW.minusSeconds(60), ALICE),
                event("ae-b", AuditEventType.SESSION_EXCHANGED, NOW, ALICE),
                event("ae-c", AuditEventType.LINK_REPLAY_REFUSED, NOW, ALICE),
                event("ae-d", AuditEventType.INVOICE_DOWNLOADED, NOW, ALICE),
                event("ae-a2", AuditEventType.SESSION_REVOKED, NOW.plusMillis(1), ALICE),
                event("ae-0", AuditEventType.ALL_SESSIONS_REVOKED, NOW.plus(Duration.ofDays(1)), ALICE));
        List<AuditEvent> shuffled = new ArrayList<>(expected);
        Collections.reverse(shuffled);
        Collections.swap(shuffled, 1, 4);
        shuffled.forEach(trail::record);

        assertThat(all(ALICE)).containsExactlyElementsOf(expected);
    }

    @Test
    @DisplayName("since is inclusive; earlier events are left out")
    void sinceIsInclusive() {
        trail.record(event("ae-1", AuditEventType.SESSION_CREATED, NOW.minusMillis(1), ALICE));
        trail.record(event("ae-2", AuditEventType.SESSION_CREATED, NOW, ALICE));
        trail.record(event("ae-3", AuditEventType.SESSION_CREATED, NOW.plusMillis(1), ALICE));

        assertThat(trail.find(ALICE, NOW, 10)).extracting(AuditEvent::id).containsExactly("ae-2", "ae-3");
        assertThat(trail.find(ALICE, NOW.plusMillis(1), 10)).extracting(AuditEvent::id).containsExactly("ae-3");
        assertThat(trail.find(ALICE, NOW.plusMillis(2), 10)).isEmpty();
        assertThat(trail.find(ALICE, NOW.minus(Duration.ofDays(365)), 10)).hasSize(3);
    }

    @Test
    @DisplayName("limit gives the oldest events first; a page from the last instant seen continues it")
    void limitGivesTheOldestFirst() {
        for (int i = 0; i < 12; i++) {
            trail.record(event(String.format("ae-%02d", i), AuditEventType.SESSION_CREATED, NOW.plusSeconds(i), ALICE));
        }

        assertThat(trail.find(ALICE, Instant.EPOCH, 1)).extracting(AuditEvent::id).containsExactly("ae-00");
        List<AuditEvent> page = trail.find(ALICE, Instant.EPOCH, 5);
        assertThat(page).extracting(AuditEvent::id).containsExactly("ae-00", "ae-01", "ae-02", "ae-03", "ae-04");
        assertThat(trail.find(ALICE, page.get(4).occurredAt().plusMillis(1), 5)).extracting(AuditEvent::id)
                .containsExactly("ae-05", "ae-06", "ae-07", "ae-08", "ae-09");
        assertThat(trail.find(ALICE, Instant.EPOCH, AuditTrail.MAX_FIND_LIMIT)).hasSize(12);
    }

    @Test
    @DisplayName("a null customer, instant or event, or a limit outside 1 to 1000, is a VALIDATION_ERROR")
    void argumentsAreValidated() {
        assertInvalid(() -> trail.find(null, NOW, 10));
        assertInvalid(() -> trail.find(ALICE, null, 10));
        assertInvalid(() -> trail.find(ALICE, NOW, 0));
        assertInvalid(() -> trail.find(ALICE, NOW, -1));
        assertInvalid(() -> trail.find(ALICE, NOW, AuditTrail.MAX_FIND_LIMIT + 1));
        assertInvalid(() -> trail.record(null));
        assertThat(all(ALICE)).isEmpty();
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(120)
    @DisplayName("8 threads recording at once for two customers: every event kept exactly once, in order")
    void concurrentRecordsAreAllKept() {
        int threads = 8;
        int perThread = 25;

        Concurrently.run(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                CustomerRef customer = i % 2 == 0 ? ALICE : ALICE_ELSEWHERE;
                trail.record(event(String.format("ae-%d-%03d", thread, i), AuditEventType.INVOICE_DOWNLOADED,
                        NOW.plusMillis(i), customer));
            }
        });

        List<AuditEvent> alice = all(ALICE);
        List<AuditEvent> elsewhere = all(ALICE_ELSEWHERE);
        assertThat(alice).hasSize(threads * 13);
        assertThat(elsewhere).hasSize(threads * 12);
        assertThat(alice).extracting(AuditEvent::id).doesNotHaveDuplicates();
        Comparator<AuditEvent> order = Comparator.comparing(AuditEvent::occurredAt).thenComparing(AuditEvent::id);
        assertThat(alice).isSortedAccordingTo(order);
        assertThat(elsewhere).isSortedAccordingTo(order);
        assertThat(alice).allSatisfy(event -> assertThat(event.customer()).isEqualTo(ALICE));
    }

    // ---------------------------------------------------------------- helpers

    private static void assertConflict(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).as("error code").isEqualTo(ErrorCode.CONFLICT));
    }

    private static void assertInvalid(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).as("error code").isEqualTo(ErrorCode.VALIDATION_ERROR));
    }
}
