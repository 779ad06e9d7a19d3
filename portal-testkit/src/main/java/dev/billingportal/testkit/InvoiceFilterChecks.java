package dev.billingportal.testkit;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.invoices.InvoiceSearch;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.billingportal.core.invoices.InvoiceStatus.FAILED;
import static dev.billingportal.core.invoices.InvoiceStatus.FINALIZED;
import static dev.billingportal.core.invoices.InvoiceStatus.PENDING;
import static dev.billingportal.core.invoices.InvoiceStatus.VOIDED;
import static dev.billingportal.testkit.InvoiceCatalogue.catalogueSize;
import static dev.billingportal.testkit.InvoiceContractFixture.assertOrderedAndScoped;
import static dev.billingportal.testkit.InvoiceContractFixture.ids;
import static dev.billingportal.testkit.InvoiceContractFixture.scope;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.TODAY;
import static dev.billingportal.testkit.TestData.search;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bodies of the filter tests of {@link InvoiceRepositoryContract}, one filter at a time and combined, all over
 * {@link InvoiceCatalogue}: statuses, payment statuses, overdue on the given today, inclusive issuing dates, and the
 * literal, case-insensitive search, checked against explicit answers and against {@link TestData#expectedPage}.
 *
 * <p>{@link InvoiceRepositoryContract} declares each of these tests (its name, display name, timeout and
 * parameters, which reports show) and runs it by calling the method of the same name here, over that test's
 * {@link InvoiceContractFixture}: the repository under test and the reference data of what it saved.
 */
final class InvoiceFilterChecks {

    private final InvoiceContractFixture fixture;
    private final InvoiceRepository repository;

    InvoiceFilterChecks(InvoiceContractFixture fixture) {
        this.fixture = fixture;
        this.repository = fixture.repository();
    }

    // ================================================================ filters, one at a time

    void statusFilter() {
        Customer customer = fixture.saveCatalogue();

        assertThat(findIds(customer, search().statuses(VOIDED))).containsExactlyElementsOf(
                inOrder("inv-006", "inv-007", "inv-025"));
        assertThat(findIds(customer, search().statuses(FAILED, PENDING))).containsExactlyElementsOf(
                inOrder("inv-008", "inv-009"));
        assertThat(findIds(customer, search().statuses(FINALIZED))).containsExactlyElementsOf(
                inOrder("inv-001", "inv-002", "inv-003", "inv-004", "inv-005", "inv-011", "inv-012", "inv-013",
                        "inv-014", "inv-015", "inv-016", "inv-017", "inv-018", "inv-019", "inv-020", "inv-021",
                        "inv-022", "inv-023", "inv-024", "inv-026", "inv-027"));
        assertThat(findIds(customer, search().statuses(TestData.ALL_SEARCHABLE_STATUSES)))
                .hasSize(catalogueSize() - 1).doesNotContain("inv-010");
        assertThat(findIds(customer, search())).as("portal default: finalized and voided")
                .doesNotContain("inv-008", "inv-009", "inv-010").hasSize(24);
    }

    void paymentStatusFilter() {
        Customer customer = fixture.saveCatalogue();
        InvoiceSearchBuilder all = search().statuses(TestData.ALL_SEARCHABLE_STATUSES);

        assertThat(findIds(customer, all.paymentStatuses(PaymentStatus.SUCCEEDED))).containsExactlyElementsOf(
                inOrder("inv-005", "inv-007", "inv-011", "inv-013"));
        assertThat(findIds(customer, all.paymentStatuses(PaymentStatus.FAILED))).containsExactlyElementsOf(
                inOrder("inv-002", "inv-009", "inv-025"));
        assertThat(findIds(customer, all.paymentStatuses(PaymentStatus.SUCCEEDED, PaymentStatus.FAILED)))
                .containsExactlyElementsOf(inOrder("inv-002", "inv-005", "inv-007", "inv-009", "inv-011", "inv-013",
                        "inv-025"));
        assertThat(findIds(customer, all.paymentStatuses(PaymentStatus.PENDING))).hasSize(catalogueSize() - 1 - 7)
                .doesNotContain("inv-002", "inv-005", "inv-007", "inv-009", "inv-010", "inv-011", "inv-013", "inv-025");
        assertThat(findIds(customer, all.paymentStatuses(List.of()))).hasSize(catalogueSize() - 1);
        assertThat(findIds(customer, all.paymentStatuses(PaymentStatus.values()))).hasSize(catalogueSize() - 1);
    }

    void overdueFilter() {
        Customer customer = fixture.saveCatalogue();

        // inv-003 is due today, inv-004 tomorrow, inv-005 is paid, inv-006 voided and past due,
        // inv-008 failed and inv-009 pending (statuses) past due, inv-025 voided with a failed payment
        List<String> overdue = inOrder("inv-001", "inv-002", "inv-012", "inv-026");
        assertThat(findIds(customer, search().overdueOnly(true))).containsExactlyElementsOf(overdue);
        assertThat(findIds(customer, search().overdueOnly(true).statuses(TestData.ALL_SEARCHABLE_STATUSES)))
                .containsExactlyElementsOf(overdue);
        assertThat(findIds(customer, search().overdueOnly(true).statuses(VOIDED, FAILED, PENDING))).isEmpty();
        assertThat(findIds(customer, search().overdueOnly(true).paymentStatuses(PaymentStatus.SUCCEEDED))).isEmpty();
    }

    void overdueUsesTheGivenToday() {
        Customer customer = fixture.saveCatalogue();

        assertThat(findIds(customer, search().overdueOnly(true).today(TODAY.plusDays(1))))
                .as("the day after: due-today inv-003 has become overdue")
                .containsExactlyElementsOf(inOrder("inv-001", "inv-002", "inv-003", "inv-012", "inv-026"));
        assertThat(findIds(customer, search().overdueOnly(true).today(TODAY.plusDays(2))))
                .containsExactlyElementsOf(inOrder("inv-001", "inv-002", "inv-003", "inv-004", "inv-012", "inv-026"));
        assertThat(findIds(customer, search().overdueOnly(true).today(LocalDate.of(2026, 10, 31))))
                .as("on inv-001's due date it is not overdue yet").containsExactlyElementsOf(inOrder("inv-012", "inv-026"));
        assertThat(findIds(customer, search().overdueOnly(true).today(LocalDate.of(2025, 1, 1)))).isEmpty();
    }

    void issuingDateBoundsAreInclusive() {
        Customer customer = fixture.saveCatalogue();

        assertThat(findIds(customer, search().issuedFrom(LocalDate.of(2026, 11, 1)))).containsExactlyElementsOf(
                inOrder("inv-003", "inv-004", "inv-007", "inv-025", "inv-027"));
        assertThat(findIds(customer, search().issuedTo(LocalDate.of(2026, 4, 3)))).containsExactlyElementsOf(
                inOrder("inv-015", "inv-016", "inv-017", "inv-022", "inv-023", "inv-024", "inv-026"));
        assertThat(findIds(customer, search().issuedFrom(LocalDate.of(2026, 4, 2)).issuedTo(LocalDate.of(2026, 4, 4))))
                .containsExactlyElementsOf(inOrder("inv-016", "inv-017", "inv-018"));
        assertThat(findIds(customer, search().issuedFrom(TODAY).issuedTo(TODAY))).as("one day")
                .containsExactlyElementsOf(inOrder("inv-007", "inv-025", "inv-027"));
        assertThat(findIds(customer, search().issuedFrom(TODAY.plusDays(1)))).isEmpty();
        assertThat(findIds(customer, search().issuedTo(LocalDate.of(2024, 12, 31)))).isEmpty();
        assertThat(findIds(customer, search().issuedFrom(LocalDate.of(2026, 4, 8)).issuedTo(LocalDate.of(2026, 5, 4))))
                .as("a range between invoices").isEmpty();
    }

    void searchIsACaseInsensitiveSubstring() {
        Customer customer = fixture.saveCatalogue();

        List<String> f2026 = inOrder("inv-001", "inv-002", "inv-003", "inv-004", "inv-005");
        assertThat(findIds(customer, search().search("f-2026-00"))).containsExactlyElementsOf(f2026);
        assertThat(findIds(customer, search().search("F-2026-00"))).containsExactlyElementsOf(f2026);
        assertThat(findIds(customer, search().search("2026-00"))).as("a substring, not a prefix")
                .containsExactlyElementsOf(inOrder("inv-001", "inv-002", "inv-003", "inv-004", "inv-005", "inv-006",
                        "inv-007"));
        assertThat(findIds(customer, search().search("o'brien-018"))).containsExactly("inv-018");
        assertThat(findIds(customer, search().search("F-2026-005"))).containsExactly("inv-005");
        assertThat(findIds(customer, search().search("nothing-like-this"))).isEmpty();
    }

    void searchFoldsNonAsciiCaseButNotAccents() {
        Customer customer = fixture.saveCatalogue();

        List<String> ete = inOrder("inv-011", "inv-012");
        assertThat(findIds(customer, search().search("\u00c9T\u00c9"))).as("ÉTÉ").containsExactlyElementsOf(ete);
        assertThat(findIds(customer, search().search("\u00e9t\u00e9"))).as("été").containsExactlyElementsOf(ete);
        assertThat(findIds(customer, search().search("\u00c9t\u00e9"))).as("Été").containsExactlyElementsOf(ete);
        assertThat(findIds(customer, search().search("ete"))).as("no accents: only the unaccented number")
                .containsExactly("inv-013");
        assertThat(findIds(customer, search().search("\u0441\u0447\u0451\u0442"))).as("счёт")
                .containsExactly("inv-014");
        assertThat(findIds(customer, search().search("\u0421\u0427\u0401\u0422"))).as("СЧЁТ")
                .containsExactly("inv-014");
        assertThat(findIds(customer, search().search("\u0441\u0447\u0435\u0442"))).as("счет without diaeresis")
                .isEmpty();
        assertThat(findIds(customer, search().search("請求書"))).containsExactly("inv-022");
        assertThat(findIds(customer, search().search("😀"))).containsExactly("inv-022");
        assertThat(findIds(customer, search().search("فاتورة"))).containsExactly("inv-023");
    }

    void searchSpecialCharactersAreLiteral() {
        Customer customer = fixture.saveCatalogue();

        assertThat(findIds(customer, search().search("%"))).containsExactly("inv-015");
        assertThat(findIds(customer, search().search("50%OFF"))).as("not 50XOFF").containsExactly("inv-015");
        assertThat(findIds(customer, search().search("50%off"))).containsExactly("inv-015");
        assertThat(findIds(customer, search().search("_"))).containsExactly("inv-016");
        assertThat(findIds(customer, search().search("a_b"))).as("not AXB").containsExactly("inv-016");
        assertThat(findIds(customer, search().search("\\"))).containsExactly("inv-017");
        assertThat(findIds(customer, search().search("C\\D"))).as("not CD").containsExactly("inv-017");
        assertThat(findIds(customer, search().search("'"))).containsExactly("inv-018");
        assertThat(findIds(customer, search().search("O'B"))).containsExactly("inv-018");
        assertThat(findIds(customer, search().search(" "))).as("a blank is a character too").containsExactly("inv-024");
        assertThat(findIds(customer, search().search("%%"))).isEmpty();
        assertThat(findIds(customer, search().search("\\%"))).isEmpty();
        assertThat(findIds(customer, search().search("\\_"))).isEmpty();
        assertThat(findIds(customer, search().search("[A-Z]*"))).as("no regular expressions either").isEmpty();
        assertThat(findIds(customer, search().search("'; DELETE FROM invoices; --"))).isEmpty();
        assertThat(findIds(customer, search().search("' OR '1'='1"))).isEmpty();
        assertThat(findIds(customer, search())).as("nothing was harmed").hasSize(24);
    }

    void searchMatchesTheExactId() {
        Customer customer = fixture.saveCatalogue();

        assertThat(findIds(customer, search().search("inv-003"))).as("by id").containsExactly("inv-003");
        assertThat(findIds(customer, search().search("inv-001"))).as("by id, and inv-024 by its number")
                .containsExactlyElementsOf(inOrder("inv-001", "inv-024"));
        assertThat(findIds(customer, search().search("INV-001"))).as("the id in another case matches no id")
                .containsExactly("inv-024");
        assertThat(findIds(customer, search().search("inv-00"))).as("a prefix of ids matches no id")
                .containsExactly("inv-024");
        assertThat(findIds(customer, search().search("INV-003"))).isEmpty();
        assertThat(findIds(customer, search().search("inv-003 "))).as("trailing blank").isEmpty();
        assertThat(findIds(customer, search().search("nv-003"))).as("ids are matched whole").isEmpty();
        assertThat(findIds(customer, search().search("inv-010"))).as("a draft's id").isEmpty();
        assertThat(findIds(customer, search().search("oth-003"))).as("another customer's id").isEmpty();
    }

    // ================================================================ filters combined

    void filtersCombineWithAnd() {
        Customer customer = fixture.saveCatalogue();

        assertThat(findIds(customer, search().statuses(FINALIZED).paymentStatuses(PaymentStatus.PENDING)
                .overdueOnly(true).issuedFrom(LocalDate.of(2026, 1, 1)).search("f-2026")))
                .containsExactly("inv-001");
        InvoiceSearchBuilder unpaidOverdue = search().paymentStatuses(PaymentStatus.PENDING, PaymentStatus.FAILED)
                .overdueOnly(true);
        assertThat(findIds(customer, unpaidOverdue)).containsExactlyElementsOf(
                inOrder("inv-001", "inv-002", "inv-012", "inv-026"));
        assertThat(findIds(customer, unpaidOverdue.issuedTo(LocalDate.of(2026, 10, 1)))).containsExactlyElementsOf(
                inOrder("inv-001", "inv-012", "inv-026"));
        assertThat(findIds(customer, unpaidOverdue.search("ÉTÉ"))).containsExactly("inv-012");
        InvoiceSearchBuilder voided = search().statuses(VOIDED).search("v-2026");
        assertThat(findIds(customer, voided)).containsExactlyElementsOf(inOrder("inv-006", "inv-007"));
        assertThat(findIds(customer, voided.paymentStatuses(PaymentStatus.SUCCEEDED))).containsExactly("inv-007");
        assertThat(findIds(customer, voided.issuedTo(TODAY.minusDays(1)))).isEmpty();
        assertThat(findIds(customer, search().issuedFrom(TODAY).issuedTo(TODAY).paymentStatuses(PaymentStatus.FAILED)))
                .containsExactly("inv-025");
        assertThat(findIds(customer, search().statuses(FINALIZED).search("inv-007"))).as("id matches, status does not")
                .isEmpty();
    }

    void everyCombinationAgreesWithTheReference() {
        Customer customer = fixture.saveCatalogue();
        List<Set<InvoiceStatus>> statusSets = List.of(EnumSet.of(FINALIZED), EnumSet.of(VOIDED),
                EnumSet.of(FINALIZED, VOIDED), EnumSet.of(FAILED, PENDING), TestData.ALL_SEARCHABLE_STATUSES);
        List<Set<PaymentStatus>> paymentSets = List.of(Set.of(), EnumSet.of(PaymentStatus.PENDING),
                EnumSet.of(PaymentStatus.SUCCEEDED), EnumSet.of(PaymentStatus.PENDING, PaymentStatus.FAILED));
        LocalDate[][] ranges = {{null, null}, {LocalDate.of(2026, 4, 1), LocalDate.of(2026, 7, 31)},
                {null, LocalDate.of(2026, 4, 7)}, {TODAY, null}};
        List<String> texts = Arrays.asList(null, "2026", "inv-001", "été");

        int compared = 0;
        for (Set<InvoiceStatus> statuses : statusSets) {
            for (Set<PaymentStatus> payments : paymentSets) {
                for (boolean overdue : new boolean[] {false, true}) {
                    for (LocalDate[] range : ranges) {
                        for (String text : texts) {
                            InvoiceSearch s = search().statuses(statuses).paymentStatuses(payments).overdueOnly(overdue)
                                    .issuedFrom(range[0]).issuedTo(range[1]).search(text).build();
                            assertThat(repository.find(scope(customer), s)).as("%s", s)
                                    .containsExactlyElementsOf(fixture.reference(scope(customer), s));
                            compared++;
                        }
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(640);
    }

    /** The catalogue ids of {@code cus-main} given, sorted in portal order. */
    private List<String> inOrder(String... ids) {
        List<Invoice> invoices = new ArrayList<>();
        for (String id : ids) {
            Invoice invoice = fixture.saved().get(List.of(TENANT, id));
            assertThat(invoice).as("fixture %s", id).isNotNull();
            invoices.add(invoice);
        }
        invoices.sort(TestData.portalOrder());
        return ids(invoices);
    }

    private List<String> findIds(Customer customer, InvoiceSearchBuilder search) {
        List<Invoice> found = repository.find(scope(customer), search.build());
        assertOrderedAndScoped(scope(customer), found);
        return ids(found);
    }
}
