package dev.billingportal.testkit;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.invoices.InvoiceKey;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.invoices.InvoiceSearch;

import java.time.LocalDate;
import java.util.List;

import static dev.billingportal.core.invoices.InvoiceStatus.FINALIZED;
import static dev.billingportal.core.invoices.InvoiceStatus.VOIDED;
import static dev.billingportal.testkit.InvoiceContractFixture.ids;
import static dev.billingportal.testkit.InvoiceContractFixture.last;
import static dev.billingportal.testkit.InvoiceContractFixture.scope;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.TODAY;
import static dev.billingportal.testkit.TestData.search;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bodies of the ordering and keyset pagination tests of {@link InvoiceRepositoryContract}: portal order (issuing
 * date, then id as binary strings, both descending), the limit, and pages that continue strictly after their cursor,
 * whether or not an invoice still has that key.
 *
 * <p>{@link InvoiceRepositoryContract} declares each of these tests (its name, display name, timeout and
 * parameters, which reports show) and runs it by calling the method of the same name here, over that test's
 * {@link InvoiceContractFixture}: the repository under test and the reference data of what it saved.
 */
final class InvoicePagingChecks {

    private final InvoiceContractFixture fixture;
    private final InvoiceRepository repository;

    InvoicePagingChecks(InvoiceContractFixture fixture) {
        this.fixture = fixture;
        this.repository = fixture.repository();
    }

    // ================================================================ ordering

    void findOrdersByIssuingDateDescending() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        String[][] rows = {{"inv-c", "2026-03-01"}, {"inv-a", "2026-11-21"}, {"inv-e", "2025-12-31"},
                {"inv-b", "2026-06-30"}, {"inv-d", "2026-01-01"}, {"inv-f", "2024-02-29"}};
        for (String[] row : rows) {
            fixture.save(TestData.invoice(customer, row[0], LocalDate.parse(row[1])).build());
        }

        assertThat(ids(repository.find(scope(customer), search().build())))
                .containsExactly("inv-a", "inv-b", "inv-c", "inv-d", "inv-e", "inv-f");
    }

    void tiesOrderByIdDescendingBinary() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (String id : List.of("inv-10", "B", "inv_a", "!", "INV-B", "inv-9", "~", "a", "inv-a")) {
            fixture.save(TestData.invoice(customer, id, TODAY).build());
        }
        fixture.save(TestData.invoice(customer, "zzz-older", TODAY.minusDays(1)).build());
        fixture.save(TestData.invoice(customer, "000-newer", TODAY.plusDays(1)).build());

        List<String> expected = List.of("000-newer", "~", "inv_a", "inv-a", "inv-9", "inv-10", "a", "INV-B", "B", "!",
                "zzz-older");
        assertThat(ids(repository.find(scope(customer), search().build()))).containsExactlyElementsOf(expected);
        assertThat(ids(fixture.walk(scope(customer), search(), 2))).containsExactlyElementsOf(expected);
    }

    void changingTheIssuingDateMovesTheInvoice() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (int i = 1; i <= 5; i++) {
            fixture.save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }
        assertThat(ids(repository.find(scope(customer), search().build())))
                .containsExactly("inv-1", "inv-2", "inv-3", "inv-4", "inv-5");

        Invoice moved = repository.findById(scope(customer), "inv-1").orElseThrow().toBuilder()
                .issuingDate(TODAY.minusDays(10)).paymentDueDate(TODAY.minusDays(10)).build();
        fixture.save(moved);
        assertThat(ids(repository.find(scope(customer), search().build())))
                .containsExactly("inv-2", "inv-3", "inv-4", "inv-5", "inv-1");

        fixture.save(moved.toBuilder().issuingDate(TODAY.minusDays(3)).paymentDueDate(TODAY.minusDays(3)).build());
        assertThat(ids(repository.find(scope(customer), search().build())))
                .as("moved onto a date it now shares with inv-3, ordered by id")
                .containsExactly("inv-2", "inv-3", "inv-1", "inv-4", "inv-5");
        assertThat(ids(repository.find(scope(customer), search().after(new InvoiceKey(TODAY.minusDays(10), "inv-1"))
                .build()))).as("after its old key").isEmpty();
    }

    // ================================================================ keyset pagination

    void walkingEveryPageYieldsEveryInvoiceOnce(int pageSize) {
        Customer customer = fixture.customer(TENANT, "cus-1");
        Customer neighbour = fixture.customer(TENANT, "cus-2");
        for (int i = 0; i < 12; i++) {
            // three invoices a day, so page boundaries fall inside groups of equal dates
            fixture.save(TestData.invoice(customer, String.format("inv-%02d", i), TODAY.minusDays(i / 3)).build());
            fixture.save(TestData.invoice(neighbour, String.format("nbr-%02d", i), TODAY.minusDays(i / 3)).build());
        }

        List<Invoice> walked = fixture.walk(scope(customer), search(), pageSize);

        assertThat(walked).as("rule: walking pages of %d yields each of the customer's 12 invoices exactly once, in portal"
                + " order (issuing date, then id, descending), and no neighbour's", pageSize)
                .containsExactlyElementsOf(fixture.reference(scope(customer), search().build())).hasSize(12);
    }

    void limitOneReturnsOneAtATime() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        fixture.save(TestData.invoice(customer, "inv-1", TODAY.minusDays(2)).build());
        fixture.save(TestData.invoice(customer, "inv-2", TODAY).build());
        fixture.save(TestData.invoice(customer, "inv-3", TODAY).build());

        assertThat(ids(repository.find(scope(customer), search().limit(1).build()))).containsExactly("inv-3");
        assertThat(ids(repository.find(scope(customer), search().limit(1).after(fixture.key("inv-3")).build())))
                .containsExactly("inv-2");
        assertThat(ids(repository.find(scope(customer), search().limit(1).after(fixture.key("inv-2")).build())))
                .containsExactly("inv-1");
        assertThat(repository.find(scope(customer), search().limit(1).after(fixture.key("inv-1")).build())).isEmpty();
    }

    void exactlyFullLastPageIsFollowedByAnEmptyPage() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (int i = 1; i <= 6; i++) {
            fixture.save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }

        List<Invoice> first = repository.find(scope(customer), search().limit(3).build());
        List<Invoice> second = repository.find(scope(customer), search().limit(3).after(last(first)).build());
        List<Invoice> third = repository.find(scope(customer), search().limit(3).after(last(second)).build());

        assertThat(ids(first)).containsExactly("inv-1", "inv-2", "inv-3");
        assertThat(ids(second)).containsExactly("inv-4", "inv-5", "inv-6");
        assertThat(third).isEmpty();
    }

    void limitIsHonoured() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (int i = 1; i <= 5; i++) {
            fixture.save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }

        assertThat(repository.find(scope(customer), search().limit(6).build())).hasSize(5);
        assertThat(repository.find(scope(customer), search().limit(5).build())).hasSize(5);
        assertThat(ids(repository.find(scope(customer), search().limit(4).build())))
                .containsExactly("inv-1", "inv-2", "inv-3", "inv-4");
    }

    void largestLimitIsHonoured() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (int i = 0; i < 150; i++) {
            fixture.save(TestData.invoice(customer, String.format("inv-%03d", i), TODAY.minusDays(i / 10)).build());
        }

        List<Invoice> first = repository.find(scope(customer), search().limit(InvoiceSearch.MAX_LIMIT).build());
        List<Invoice> second = repository.find(scope(customer),
                search().limit(InvoiceSearch.MAX_LIMIT).after(last(first)).build());

        List<Invoice> expected = fixture.reference(scope(customer), search().limit(InvoiceSearch.MAX_LIMIT).build());
        assertThat(first).containsExactlyElementsOf(expected);
        assertThat(second).hasSize(49);
        assertThat(ids(second)).doesNotContainAnyElementsOf(ids(first));
        assertThat(first.size() + second.size()).isEqualTo(150);
    }

    void afterTheLastKeyIsEmpty() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (int i = 1; i <= 3; i++) {
            fixture.save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }

        assertThat(repository.find(scope(customer), search().after(fixture.key("inv-3")).build())).isEmpty();
        assertThat(repository.find(scope(customer), search().after(new InvoiceKey(LocalDate.of(2000, 1, 1), "~"))
                .build())).isEmpty();
        assertThat(repository.find(scope(customer), search().after(new InvoiceKey(TODAY.minusDays(3), "!"))
                .build())).as("same date as the last, smaller id than any").isEmpty();
    }

    void afterAKeyNewerThanEverythingReturnsAll() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (int i = 1; i <= 3; i++) {
            fixture.save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }

        assertThat(ids(repository.find(scope(customer), search().after(new InvoiceKey(TODAY.plusYears(1), "!"))
                .build()))).containsExactly("inv-1", "inv-2", "inv-3");
        assertThat(ids(repository.find(scope(customer), search().after(new InvoiceKey(TODAY.minusDays(1), "~"))
                .build()))).as("same date as the newest, larger id than any").containsExactly("inv-1", "inv-2", "inv-3");
    }

    void afterAKeyInsideAGroupOfEqualDates() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (String id : List.of("inv-a", "inv-b", "inv-c", "inv-d")) {
            fixture.save(TestData.invoice(customer, id, TODAY).build());
        }
        fixture.save(TestData.invoice(customer, "inv-z", TODAY.minusDays(1)).build());
        fixture.save(TestData.invoice(customer, "inv-0", TODAY.plusDays(1)).build());

        assertThat(ids(repository.find(scope(customer), search().after(fixture.key("inv-c")).build())))
                .containsExactly("inv-b", "inv-a", "inv-z");
        assertThat(ids(repository.find(scope(customer), search().after(fixture.key("inv-0")).limit(2).build())))
                .containsExactly("inv-d", "inv-c");
    }

    void afterAKeyThatNeverExisted() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (String id : List.of("inv-10", "inv-20", "inv-30")) {
            fixture.save(TestData.invoice(customer, id, TODAY).build());
        }
        fixture.save(TestData.invoice(customer, "inv-40", TODAY.minusDays(5)).build());

        assertThat(ids(repository.find(scope(customer), search().after(new InvoiceKey(TODAY, "inv-25")).build())))
                .containsExactly("inv-20", "inv-10", "inv-40");
        assertThat(ids(repository.find(scope(customer), search().after(new InvoiceKey(TODAY.minusDays(2), "inv-99"))
                .build()))).containsExactly("inv-40");
    }

    void afterAKeyThatNoLongerExists() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (int i = 1; i <= 6; i++) {
            fixture.save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }
        List<Invoice> first = repository.find(scope(customer), search().limit(3).build());
        assertThat(ids(first)).containsExactly("inv-1", "inv-2", "inv-3");
        InvoiceKey cursor = InvoiceKey.of(last(first));

        // inv-3 is re-dated to be the newest: its old key now belongs to no invoice
        fixture.save(last(first).toBuilder().issuingDate(TODAY).paymentDueDate(TODAY).build());

        assertThat(ids(repository.find(scope(customer), search().limit(3).after(cursor).build())))
                .containsExactly("inv-4", "inv-5", "inv-6");
    }

    void afterTheKeyOfAnInvoiceTheFilterExcludes() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (int i = 1; i <= 5; i++) {
            fixture.save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }
        fixture.save(repository.findById(scope(customer), "inv-3").orElseThrow().toBuilder().status(VOIDED).build());

        assertThat(ids(repository.find(scope(customer), search().statuses(FINALIZED).after(fixture.key("inv-3")).build())))
                .containsExactly("inv-4", "inv-5");
        assertThat(ids(repository.find(scope(customer), search().statuses(VOIDED).after(fixture.key("inv-2")).build())))
                .containsExactly("inv-3");
    }

    void paginationWithFilters() {
        List<InvoiceSearchBuilder> searches = List.of(
                search().statuses(FINALIZED),
                search().statuses(TestData.ALL_SEARCHABLE_STATUSES).paymentStatuses(PaymentStatus.PENDING),
                search().overdueOnly(true),
                search().issuedFrom(LocalDate.of(2026, 4, 2)).issuedTo(LocalDate.of(2026, 11, 1)),
                search().search("2026"));
        Customer customer = fixture.saveCatalogue();

        for (InvoiceSearchBuilder s : searches) {
            InvoiceSearch full = s.after((InvoiceKey) null).limit(InvoiceSearch.MAX_LIMIT).build();
            List<Invoice> expected = fixture.reference(scope(customer), full);
            for (int pageSize : new int[] {1, 2, 5}) {
                assertThat(fixture.walk(scope(customer), s, pageSize)).as("%s, page size %d", full, pageSize)
                        .containsExactlyElementsOf(expected);
            }
        }
    }
}
