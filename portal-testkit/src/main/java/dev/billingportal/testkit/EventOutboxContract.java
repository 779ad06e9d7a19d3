package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.events.EventJson;
import dev.billingportal.core.events.EventOutbox;
import dev.billingportal.core.events.OutboxEvent;
import dev.billingportal.core.events.PortalEvent;
import dev.billingportal.core.events.SessionCreated;
import dev.billingportal.core.events.SessionRevoked;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.billingportal.testkit.TestData.NOW;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link EventOutbox}: subclass it, implement {@link #createOutbox()}, and run it as an ordinary JUnit
 * Jupiter test class.
 *
 * <pre>{@code
 * class MyEventOutboxTest extends EventOutboxContract {
 *     @Override
 *     protected EventOutbox createOutbox() {
 *         truncateTables();
 *         return new MyEventOutbox(dataSource);
 *     }
 * }
 * }</pre>
 *
 * <p>What it pins down: events come out oldest first with increasing sequences, each customer's in the order they were
 * appended (also when many customers append at once), exactly as appended (the payload is
 * {@link EventJson#payload}); an event stays until marked delivered (at least once); a failed attempt is counted and
 * the event stays.
 */
public abstract class EventOutboxContract {

    private EventOutbox outbox;

    /**
     * Return an outbox over EMPTY storage; called before each test. Clear tables here (or use a fresh schema) when
     * the storage outlives one test. Sequences need not start anywhere in particular.
     *
     * @return the outbox under test
     */
    protected abstract EventOutbox createOutbox();

    /**
     * The outbox the current test runs against, for subclasses that add tests of their own.
     *
     * @return the outbox {@link #createOutbox()} returned for this test
     */
    protected final EventOutbox outbox() {
        return outbox;
    }

    @BeforeEach
    final void createOutboxUnderTest() {
        outbox = createOutbox();
        assertThat(outbox).as("createOutbox()").isNotNull();
    }

    private static PortalEvent created(String id, CustomerRef customer, int second) {
        return new SessionCreated(id, customer, "ses-" + id, NOW.plusSeconds(second), NOW.plus(Duration.ofHours(12)),
                second % 2 == 0 ? null : "named", null);
    }

    private static PortalEvent revoked(String id, CustomerRef customer, int second) {
        return new SessionRevoked(id, customer, "ses-" + id, NOW.plusSeconds(second), 1);
    }

    private static List<Long> sequences(List<OutboxEvent> events) {
        return events.stream().map(OutboxEvent::sequence).toList();
    }

    @Test
    @DisplayName("an empty outbox polls nothing")
    void emptyOutboxPollsNothing() {
        assertThat(outbox.poll(10)).isEmpty();
    }

    @Test
    @DisplayName("appended events are polled oldest first, each exactly as appended")
    void eventsComeOutAsAppended() {
        CustomerRef customer = CustomerRef.of(TENANT, "ext-cus-1");
        List<PortalEvent> appended = List.of(created("evt-1", customer, 1), revoked("evt-2", customer, 2),
                created("evt-3", customer, 3));
        appended.forEach(outbox::append);

        List<OutboxEvent> polled = outbox.poll(10);

        assertThat(polled).extracting(OutboxEvent::eventId).as("rule: oldest first")
                .containsExactly("evt-1", "evt-2", "evt-3");
        assertThat(sequences(polled)).as("rule: sequences increase in append order").isSorted().doesNotHaveDuplicates();
        for (int i = 0; i < appended.size(); i++) {
            PortalEvent event = appended.get(i);
            OutboxEvent entry = polled.get(i);
            assertThat(entry.type()).as("rule: the event's type").isEqualTo(event.type());
            assertThat(entry.customer()).as("rule: the event's customer").isEqualTo(event.customer());
            assertThat(entry.occurredAt()).as("rule: when it happened").isEqualTo(event.occurredAt());
            assertThat(entry.payload()).as("rule: the payload is the event's JSON").isEqualTo(EventJson.payload(event));
            assertThat(entry.attempts()).as("rule: no attempt yet").isZero();
        }
    }

    @Test
    @DisplayName("polling without marking returns the same events again: delivery is at least once")
    void pollWithoutMarkReturnsAgain() {
        CustomerRef customer = CustomerRef.of(TENANT, "ext-cus-1");
        outbox.append(created("evt-1", customer, 1));
        outbox.append(created("evt-2", customer, 2));

        List<OutboxEvent> first = outbox.poll(10);
        List<OutboxEvent> second = outbox.poll(10);

        assertThat(second).as("rule: an unmarked event is polled again, unchanged").isEqualTo(first).hasSize(2);
    }

    @ParameterizedTest(name = "poll({0}) answers the {0} oldest of 5 events")
    @ValueSource(ints = {1, 2, 5})
    void pollHonoursTheLimit(int limit) {
        CustomerRef customer = CustomerRef.of(TENANT, "ext-cus-1");
        for (int i = 1; i <= 5; i++) {
            outbox.append(created("evt-" + i, customer, i));
        }

        assertThat(outbox.poll(limit)).extracting(OutboxEvent::eventId).as("rule: at most limit, oldest first")
                .containsExactlyElementsOf(List.of("evt-1", "evt-2", "evt-3", "evt-4", "evt-5").subList(0, limit));
    }

    @ParameterizedTest(name = "poll({0}) is refused")
    @ValueSource(ints = {0, -1})
    void pollRefusesLimitsBelowOne(int limit) {
        assertThatThrownBy(() -> outbox.poll(limit)).as("rule: a limit below 1 is a programming error")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("markDelivered removes exactly those events from the next polls")
    void markDeliveredRemovesThoseEvents() {
        CustomerRef customer = CustomerRef.of(TENANT, "ext-cus-1");
        for (int i = 1; i <= 4; i++) {
            outbox.append(created("evt-" + i, customer, i));
        }
        List<OutboxEvent> polled = outbox.poll(10);

        outbox.markDelivered(List.of(polled.get(0).sequence(), polled.get(2).sequence()));

        assertThat(outbox.poll(10)).extracting(OutboxEvent::eventId).as("rule: delivered events are not polled again")
                .containsExactly("evt-2", "evt-4");
        outbox.markDelivered(List.of(polled.get(0).sequence(), -42L));
        assertThat(outbox.poll(10)).as("rule: marking again or an unknown sequence changes nothing").hasSize(2);
        outbox.markDelivered(List.of());
        assertThat(outbox.poll(10)).as("rule: marking none changes nothing").hasSize(2);
    }

    @Test
    @DisplayName("markFailed counts an attempt and keeps the event for the next poll")
    void markFailedCountsAttempts() {
        CustomerRef customer = CustomerRef.of(TENANT, "ext-cus-1");
        outbox.append(created("evt-1", customer, 1));
        outbox.append(created("evt-2", customer, 2));
        long first = outbox.poll(10).get(0).sequence();

        outbox.markFailed(List.of(first));
        outbox.markFailed(List.of(first));

        List<OutboxEvent> polled = outbox.poll(10);
        assertThat(polled).extracting(OutboxEvent::eventId).as("rule: a failed event stays, in its place")
                .containsExactly("evt-1", "evt-2");
        assertThat(polled).extracting(OutboxEvent::attempts).as("rule: each failure is counted, for that event only")
                .containsExactly(2, 0);

        outbox.markDelivered(List.of(first));
        assertThat(outbox.poll(10)).extracting(OutboxEvent::eventId).as("rule: a failed event can still be delivered")
                .containsExactly("evt-2");
    }

    @Test
    @DisplayName("events of many customers of two tenants: all come out, each customer's in append order")
    void manyCustomersKeepTheirOrder() {
        List<CustomerRef> customers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            customers.add(CustomerRef.of(i % 2 == 0 ? TENANT : OTHER_TENANT, "ext-cus-" + i));
        }
        Map<CustomerRef, List<String>> appended = new LinkedHashMap<>();
        for (int round = 0; round < 6; round++) {
            for (CustomerRef customer : customers) {
                String id = "evt-" + customer.externalId() + "-" + round;
                outbox.append(created(id, customer, round));
                appended.computeIfAbsent(customer, c -> new ArrayList<>()).add(id);
            }
        }

        List<OutboxEvent> polled = outbox.poll(1000);

        assertThat(polled).as("rule: every event comes out once").hasSize(30);
        for (CustomerRef customer : customers) {
            assertThat(polled.stream().filter(e -> e.customer().equals(customer)).map(OutboxEvent::eventId).toList())
                    .as("rule: %s's events in append order", customer.externalId())
                    .containsExactlyElementsOf(appended.get(customer));
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("8 threads appending for 8 customers at once: nothing lost, each customer's events in order")
    void concurrentAppendsLoseNothing() {
        int threads = 8;
        int perThread = 10;
        Concurrently.Barrier together = Concurrently.barrier(threads);
        Concurrently.run(threads, thread -> {
            CustomerRef customer = CustomerRef.of(TENANT, "ext-cus-" + thread);
            together.await();
            for (int i = 0; i < perThread; i++) {
                outbox.append(created("evt-" + thread + "-" + i, customer, i));
            }
        });

        List<OutboxEvent> polled = outbox.poll(1000);
        assertThat(polled).as("rule: no event is lost").hasSize(threads * perThread);
        assertThat(sequences(polled)).as("rule: sequences are unique and polled in order").isSorted()
                .doesNotHaveDuplicates();
        for (int thread = 0; thread < threads; thread++) {
            CustomerRef customer = CustomerRef.of(TENANT, "ext-cus-" + thread);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                expected.add("evt-" + thread + "-" + i);
            }
            assertThat(polled.stream().filter(e -> e.customer().equals(customer)).map(OutboxEvent::eventId).toList())
                    .as("rule: customer %d's events in append order", thread).containsExactlyElementsOf(expected);
        }
    }
}
