package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.profile.CustomerRepository;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.billingportal.testkit.CustomerContractData.fullCustomer;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.customer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bodies of the upsert, conflict and concurrency tests of {@link CustomerRepositoryContract}: a save replaces the
 * customer of its (tenant, id) and releases its old external id, an external id taken in the tenant is a
 * {@code CONFLICT} that writes nothing, also when two threads race for it, and concurrent reads are never torn.
 *
 * <p>{@link CustomerRepositoryContract} declares each of these tests (its name, display name, timeout and
 * parameters, which reports show) and runs it by calling the method of the same name here, over the repository
 * its {@code createRepository()} returned for that test.
 */
final class CustomerWriteChecks {

    private final CustomerRepository repository;

    CustomerWriteChecks(CustomerRepository repository) {
        this.repository = repository;
    }

    // ---------------------------------------------------------------- upsert and conflicts

    void saveTwiceReplaces() {
        Customer first = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(first);
        Customer second = Customer.builder().tenantId(TENANT).id("cus-1").externalId("ext-1").name("New name")
                .email("new@example.com").billingAddress(new Address("New street 2", null, "Lyon", null, "69001", "FR"))
                .currency("EUR").timezone(ZoneId.of("Europe/Paris")).build();
        repository.save(second);

        assertThat(repository.findById(TENANT, "cus-1")).contains(second);
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-1"))).contains(second);
    }

    void changingExternalIdReleasesTheOldOne() {
        repository.save(Customer.builder().tenantId(TENANT).id("cus-1").externalId("ext-old").build());
        Customer moved = Customer.builder().tenantId(TENANT).id("cus-1").externalId("ext-new").build();
        repository.save(moved);

        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-old"))).isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-new"))).contains(moved);

        Customer taker = Customer.builder().tenantId(TENANT).id("cus-2").externalId("ext-old").build();
        repository.save(taker);
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-old"))).contains(taker);
        assertThat(repository.findById(TENANT, "cus-1")).contains(moved);
    }

    void conflictOnNewCustomerWithTakenExternalId() {
        Customer holder = customer(TENANT, "cus-1").toBuilder().externalId("ext-shared").name("Holder").build();
        repository.save(holder);
        Customer intruder = customer(TENANT, "cus-2").toBuilder().externalId("ext-shared").name("Intruder").build();

        assertConflict(() -> repository.save(intruder));

        assertThat(repository.findById(TENANT, "cus-2")).as("the refused customer").isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-shared"))).contains(holder);
        assertThat(repository.findById(TENANT, "cus-1")).contains(holder);
    }

    void conflictOnExistingCustomerMovingToTakenExternalId() {
        Customer holder = customer(TENANT, "cus-1").toBuilder().externalId("ext-1").name("Holder").build();
        Customer other = customer(TENANT, "cus-2").toBuilder().externalId("ext-2").name("Other").build();
        repository.save(holder);
        repository.save(other);

        assertConflict(() -> repository.save(other.toBuilder().externalId("ext-1").name("Changed").build()));

        assertThat(repository.findById(TENANT, "cus-2")).as("the refused update left the row as it was").contains(other);
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-2"))).contains(other);
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-1"))).contains(holder);
    }

    void externalIdTakenInOneTenantIsFreeInAnother() {
        Customer a = Customer.builder().tenantId(TENANT).id("cus-a").externalId("ext-shared").build();
        Customer b = Customer.builder().tenantId(OTHER_TENANT).id("cus-b").externalId("ext-shared").build();
        repository.save(a);
        repository.save(b);

        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-shared"))).contains(a);
        assertThat(repository.findByExternalId(CustomerRef.of(OTHER_TENANT, "ext-shared"))).contains(b);
        assertThat(repository.findById(OTHER_TENANT, "cus-a")).isEmpty();
    }

    void resavingUnchangedIsNotAConflict() {
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);
        repository.save(customer);
        repository.save(customer);

        assertThat(repository.findByExternalId(customer.ref())).contains(customer);
    }

    // ---------------------------------------------------------------- concurrency

    void concurrentSavesAndReads() {
        int writers = 4;
        int perWriter = 25;
        Concurrently.run(writers + 2, thread -> {
            if (thread < writers) {
                for (int i = 0; i < perWriter; i++) {
                    String id = "cus-" + thread + "-" + i;
                    repository.save(customer(TENANT, id));
                    repository.save(customer(TENANT, id).toBuilder().name("v2 " + id).build());
                }
            } else {
                for (int round = 0; round < 3; round++) {
                    for (int w = 0; w < writers; w++) {
                        for (int i = 0; i < perWriter; i += 5) {
                            String id = "cus-" + w + "-" + i;
                            Optional<Customer> found = repository.findById(TENANT, id);
                            // a reader sees one whole version or none, never a mix of two
                            assertThat(found).as("read of %s while it is written", id)
                                    .satisfiesAnyOf(f -> assertThat(f).isEmpty(),
                                            f -> assertThat(f).contains(customer(TENANT, id)),
                                            f -> assertThat(f).contains(
                                                    customer(TENANT, id).toBuilder().name("v2 " + id).build()));
                        }
                    }
                }
            }
        });

        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < perWriter; i++) {
                String id = "cus-" + w + "-" + i;
                Customer expected = customer(TENANT, id).toBuilder().name("v2 " + id).build();
                assertThat(repository.findById(TENANT, id)).as(id).contains(expected);
                assertThat(repository.findByExternalId(expected.ref())).as(id).contains(expected);
            }
        }
    }

    void racingForOneExternalIdHasExactlyOneWinner() {
        int rounds = 15;
        ConcurrentHashMap<Integer, String> winners = new ConcurrentHashMap<>();
        AtomicInteger conflicts = new AtomicInteger();
        Concurrently.Barrier barrier = Concurrently.barrier(2);
        Concurrently.run(2, thread -> {
            for (int round = 0; round < rounds; round++) {
                Customer claimant = Customer.builder().tenantId(TENANT).id("cus-" + thread + "-" + round)
                        .externalId("ext-race-" + round).name("claimant " + thread).build();
                barrier.await();
                try {
                    repository.save(claimant);
                    String previous = winners.putIfAbsent(round, claimant.id());
                    if (previous != null) {
                        throw new AssertionError("round " + round + ": both " + previous + " and " + claimant.id()
                                + " were saved with the same external id");
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
        assertThat(conflicts).hasValue(rounds);
        for (int round = 0; round < rounds; round++) {
            String winner = winners.get(round);
            String loser = winner.startsWith("cus-0-") ? "cus-1-" + round : "cus-0-" + round;
            assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-race-" + round)))
                    .as("round %d", round).map(Customer::id).contains(winner);
            assertThat(repository.findById(TENANT, loser)).as("loser of round %d", round).isEmpty();
        }
    }

    private static void assertConflict(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).as("error code").isEqualTo(ErrorCode.CONFLICT));
    }
}
