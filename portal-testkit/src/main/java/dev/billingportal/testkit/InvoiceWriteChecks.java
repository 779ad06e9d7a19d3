package dev.billingportal.testkit;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceType;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.invoices.InvoiceRepository;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.billingportal.core.invoices.InvoiceStatus.DRAFT;
import static dev.billingportal.core.invoices.InvoiceStatus.VOIDED;
import static dev.billingportal.testkit.InvoiceContractFixture.assertOrderedAndScoped;
import static dev.billingportal.testkit.InvoiceContractFixture.scope;
import static dev.billingportal.testkit.TestData.EUR;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.TODAY;
import static dev.billingportal.testkit.TestData.USD;
import static dev.billingportal.testkit.TestData.search;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bodies of the upsert, conflict and concurrency tests of {@link InvoiceRepositoryContract}: a save replaces the
 * invoice of its (tenant, id), an id another customer of the tenant owns is a {@code CONFLICT} that writes nothing,
 * and saves and reads racing on several threads lose nothing and mix no versions.
 *
 * <p>{@link InvoiceRepositoryContract} declares each of these tests (its name, display name, timeout and
 * parameters, which reports show) and runs it by calling the method of the same name here, over that test's
 * {@link InvoiceContractFixture}: the repository under test and the reference data of what it saved.
 */
final class InvoiceWriteChecks {

    private final InvoiceContractFixture fixture;
    private final InvoiceRepository repository;

    InvoiceWriteChecks(InvoiceContractFixture fixture) {
        this.fixture = fixture;
        this.repository = fixture.repository();
    }

    // ================================================================ upsert and conflicts

    void saveTwiceReplaces() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        Invoice first = TestData.invoice(customer, "inv-1", TODAY.minusDays(40)).documentRef("doc-1").build();
        fixture.save(first);
        Invoice second = first.toBuilder().number("NEW-NUMBER").type(InvoiceType.ONE_OFF).status(VOIDED)
                .paymentStatus(PaymentStatus.SUCCEEDED).issuingDate(TODAY.minusDays(5)).paymentDueDate(TODAY)
                .subtotal(Money.of(5_00, USD)).taxes(Money.of(1_00, USD)).total(Money.of(6_00, USD))
                .amountDue(Money.zero(USD)).documentRef(null).build();
        fixture.save(second);

        assertThat(repository.findById(scope(customer), "inv-1")).contains(second);
        assertThat(repository.find(scope(customer), search().build())).containsExactly(second);
        assertThat(repository.find(scope(customer), search().search("NO-inv-1").build())).as("the old number")
                .isEmpty();
        assertThat(repository.find(scope(customer), search().search("new-number").build())).containsExactly(second);
    }

    void resavingUnchangedIsNotAConflict() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        Invoice invoice = TestData.invoice(customer, "inv-1", TODAY).build();
        fixture.save(invoice);
        fixture.save(invoice);
        fixture.save(invoice);

        assertThat(repository.find(scope(customer), search().build())).containsExactly(invoice);
    }

    void resavingAsDraftHidesItFromFind() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        Invoice invoice = TestData.invoice(customer, "inv-1", TODAY).build();
        fixture.save(invoice);
        Invoice draft = invoice.toBuilder().status(DRAFT).build();
        fixture.save(draft);

        assertThat(repository.find(scope(customer), search().statuses(TestData.ALL_SEARCHABLE_STATUSES).build()))
                .isEmpty();
        assertThat(repository.findById(scope(customer), "inv-1")).contains(draft);
        assertThat(repository.overview(scope(customer), TODAY).currencies()).isEmpty();
    }

    void conflictWhenTheIdBelongsToAnotherCustomer() {
        Customer owner = fixture.customer(TENANT, "cus-1");
        Customer intruder = fixture.customer(TENANT, "cus-2");
        Invoice original = TestData.invoice(owner, "inv-1", TODAY).number("ORIGINAL").build();
        fixture.save(original);
        Invoice stolen = TestData.invoice(intruder, "inv-1", TODAY.plusDays(1)).number("STOLEN")
                .total(Money.of(1, USD)).build();

        assertConflict(() -> repository.save(stolen));

        assertThat(repository.findById(scope(owner), "inv-1")).as("the owner's invoice is unchanged").contains(original);
        assertThat(repository.find(scope(owner), search().build())).containsExactly(original);
        assertThat(repository.findById(scope(intruder), "inv-1")).isEmpty();
        assertThat(repository.find(scope(intruder), search().statuses(TestData.ALL_SEARCHABLE_STATUSES).build()))
                .isEmpty();
        assertThat(repository.overview(scope(intruder), TODAY).currencies()).isEmpty();
        assertThat(repository.overview(scope(owner), TODAY))
                .isEqualTo(TestData.expectedOverview(List.of(original), scope(owner), TODAY));
    }

    void afterAConflictTheOwnerCanStillUpdate() {
        Customer owner = fixture.customer(TENANT, "cus-1");
        Customer intruder = fixture.customer(TENANT, "cus-2");
        fixture.save(TestData.invoice(owner, "inv-1", TODAY).build());
        assertConflict(() -> repository.save(TestData.invoice(intruder, "inv-1", TODAY).build()));

        Invoice updated = TestData.invoice(owner, "inv-1", TODAY).number("UPDATED").build();
        fixture.save(updated);
        assertThat(repository.findById(scope(owner), "inv-1")).contains(updated);
        assertConflict(() -> repository.save(TestData.invoice(intruder, "inv-1", TODAY).build()));
    }

    // ================================================================ concurrency

    void concurrentSavesAndReads() {
        int writers = 4;
        int perWriter = 40;
        int sharedPerWriter = 10;
        List<Customer> owners = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            owners.add(fixture.customer(TENANT, "cus-w" + w));
        }
        Customer shared = fixture.customer(TENANT, "cus-shared");
        Map<String, Invoice> finalVersions = new ConcurrentHashMap<>();

        Concurrently.run(writers + 2, thread -> {
            if (thread < writers) {
                Customer owner = owners.get(thread);
                for (int i = 0; i < perWriter; i++) {
                    Invoice v1 = TestData.invoice(owner, "w" + thread + "-" + i, TODAY.minusDays(i % 7)).build();
                    repository.save(v1);
                    Invoice last = v1;
                    if (i % 2 == 0) {
                        last = v1.toBuilder().number("v2-" + v1.id()).issuingDate(TODAY.minusDays(i % 5))
                                .paymentDueDate(TODAY).build();
                        repository.save(last);
                    }
                    finalVersions.put(last.id(), last);
                    if (i < sharedPerWriter) {
                        Invoice s = TestData.invoice(shared, "s" + thread + "-" + i, TODAY.minusDays(i % 3)).build();
                        repository.save(s);
                        finalVersions.put(s.id(), s);
                    }
                }
            } else {
                for (int round = 0; round < 10; round++) {
                    for (Customer c : owners.subList(0, writers)) {
                        assertOrderedAndScoped(scope(c), repository.find(scope(c), search().limit(20).build()));
                    }
                    assertOrderedAndScoped(scope(shared), repository.find(scope(shared), search().limit(20).build()));
                    repository.findById(scope(owners.get(round % writers)), "w" + ((round + 1) % writers) + "-0")
                            .ifPresent(foreign -> {
                                throw new AssertionError("another customer's invoice leaked: " + foreign);
                            });
                    repository.overview(scope(shared), TODAY);
                }
            }
        });

        finalVersions.values().forEach(invoice -> fixture.saved().put(List.of(invoice.tenantId(), invoice.id()), invoice));
        for (Customer c : owners) {
            assertThat(fixture.walk(scope(c), search(), 7)).as(c.id()).hasSize(perWriter)
                    .containsExactlyElementsOf(fixture.reference(scope(c), search().build()));
        }
        assertThat(fixture.walk(scope(shared), search(), 7)).hasSize(writers * sharedPerWriter)
                .containsExactlyElementsOf(fixture.reference(scope(shared), search().build()));
    }

    void racingForOneIdHasExactlyOneWinner() {
        int rounds = 15;
        Customer x = fixture.customer(TENANT, "cus-x");
        Customer y = fixture.customer(TENANT, "cus-y");
        List<Customer> racers = List.of(x, y);
        Map<Integer, String> winners = new ConcurrentHashMap<>();
        AtomicInteger conflicts = new AtomicInteger();
        Concurrently.Barrier barrier = Concurrently.barrier(2);

        Concurrently.run(2, thread -> {
            Customer me = racers.get(thread);
            for (int round = 0; round < rounds; round++) {
                Invoice invoice = TestData.invoice(me, "race-" + round, TODAY).number(me.id() + "-" + round).build();
                barrier.await();
                try {
                    repository.save(invoice);
                    String previous = winners.putIfAbsent(round, me.id());
                    if (previous != null) {
                        throw new AssertionError("round " + round + ": both customers saved the id");
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
            Customer winner = winners.get(round).equals(x.id()) ? x : y;
            Customer loser = winner == x ? y : x;
            assertThat(repository.findById(scope(winner), "race-" + round)).as("round %d", round)
                    .map(Invoice::number).contains(winner.id() + "-" + round);
            assertThat(repository.findById(scope(loser), "race-" + round)).as("round %d", round).isEmpty();
        }
        List<Invoice> all = new ArrayList<>(repository.find(scope(x), search().build()));
        all.addAll(repository.find(scope(y), search().build()));
        assertThat(all).hasSize(rounds);
    }

    void concurrentUpsertsOfOneInvoice() {
        int threads = 4;
        int rounds = 10;
        Customer customer = fixture.customer(TENANT, "cus-1");
        Concurrently.Barrier barrier = Concurrently.barrier(threads);

        Concurrently.run(threads, thread -> {
            for (int round = 0; round < rounds; round++) {
                barrier.await();
                repository.save(version(customer, round, thread));
            }
        });

        List<Invoice> all = fixture.walk(scope(customer), search(), 3);
        assertThat(all).hasSize(rounds);
        for (int round = 0; round < rounds; round++) {
            Invoice found = repository.findById(scope(customer), "hot-" + round).orElseThrow();
            List<Invoice> versions = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                versions.add(version(customer, round, thread));
            }
            assertThat(versions).as("round %d", round).contains(found);
            assertThat(all).as("round %d", round).containsOnlyOnce(found);
        }
    }

    /** One thread's version of the invoice raced for in one round: a different number, date and amount. */
    private static Invoice version(Customer customer, int round, int thread) {
        return TestData.invoice(customer, "hot-" + round, TODAY.minusDays(thread)).number("hot-" + round + "-v" + thread)
                .total(Money.of(100L * (thread + 1), EUR)).build();
    }

    private static void assertConflict(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).as("error code").isEqualTo(ErrorCode.CONFLICT));
    }
}
