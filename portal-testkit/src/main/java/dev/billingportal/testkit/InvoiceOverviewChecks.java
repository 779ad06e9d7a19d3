package dev.billingportal.testkit;

import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.CurrencyOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.invoices.InvoiceRepository;

import java.time.LocalDate;
import java.util.List;

import static dev.billingportal.core.invoices.InvoiceStatus.DRAFT;
import static dev.billingportal.core.invoices.InvoiceStatus.FAILED;
import static dev.billingportal.core.invoices.InvoiceStatus.PENDING;
import static dev.billingportal.core.invoices.InvoiceStatus.VOIDED;
import static dev.billingportal.testkit.InvoiceContractFixture.scope;
import static dev.billingportal.testkit.TestData.EUR;
import static dev.billingportal.testkit.TestData.JPY;
import static dev.billingportal.testkit.TestData.KWD;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.TODAY;
import static dev.billingportal.testkit.TestData.USD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bodies of the overview tests of {@link InvoiceRepositoryContract}: one row per currency over finalized invoices
 * only, split into overdue and outstanding on the given today, exact beyond 2<sup>53</sup>, scoped, and equal to
 * {@link TestData#expectedOverview}.
 *
 * <p>{@link InvoiceRepositoryContract} declares each of these tests (its name, display name, timeout and
 * parameters, which reports show) and runs it by calling the method of the same name here, over that test's
 * {@link InvoiceContractFixture}: the repository under test and the reference data of what it saved.
 */
final class InvoiceOverviewChecks {

    private final InvoiceContractFixture fixture;
    private final InvoiceRepository repository;

    InvoiceOverviewChecks(InvoiceContractFixture fixture) {
        this.fixture = fixture;
        this.repository = fixture.repository();
    }

    // ================================================================ overview

    void overviewOfACustomerWithoutInvoices() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        Customer other = fixture.customer(TENANT, "cus-2");
        fixture.save(TestData.invoice(other, "inv-1", TODAY).build());

        BillingOverview overview = repository.overview(scope(customer), TODAY);

        assertThat(overview.asOf()).isEqualTo(TODAY);
        assertThat(overview.currencies()).isEmpty();
    }

    void overviewPerCurrencyOverFinalizedOnly() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        LocalDate yesterday = TODAY.minusDays(1);
        LocalDate lastMonth = TODAY.minusMonths(1);
        // EUR: overdue 100.00 and 30.00 (of 50.00), outstanding 20.00 (due today), paid 1000.00
        fixture.save(TestData.invoice(customer, "e1", lastMonth).paymentDueDate(yesterday).total(Money.of(100_00, EUR))
                .build());
        fixture.save(TestData.invoice(customer, "e2", lastMonth).paymentStatus(PaymentStatus.FAILED)
                .paymentDueDate(TODAY.minusDays(20)).total(Money.of(50_00, EUR)).amountDue(Money.of(30_00, EUR)).build());
        fixture.save(TestData.invoice(customer, "e3", lastMonth).paymentDueDate(TODAY).total(Money.of(20_00, EUR)).build());
        fixture.save(TestData.invoice(customer, "e4", lastMonth).paymentStatus(PaymentStatus.SUCCEEDED)
                .paymentDueDate(yesterday).total(Money.of(1_000_00, EUR)).build());
        // EUR that counts nowhere: voided, draft, failed, pending
        fixture.save(TestData.invoice(customer, "e5", lastMonth).status(VOIDED).paymentDueDate(yesterday)
                .total(Money.of(7_000_00, EUR)).build());
        fixture.save(TestData.invoice(customer, "e6", lastMonth).status(DRAFT).paymentDueDate(yesterday)
                .total(Money.of(8_000_00, EUR)).build());
        fixture.save(TestData.invoice(customer, "e7", lastMonth).status(FAILED).paymentDueDate(yesterday)
                .total(Money.of(9_000_00, EUR)).build());
        fixture.save(TestData.invoice(customer, "e8", lastMonth).status(PENDING).paymentDueDate(yesterday)
                .total(Money.of(6_000_00, EUR)).build());
        // USD: outstanding 12.34 (due tomorrow), paid 5.00
        fixture.save(TestData.invoice(customer, "u1", lastMonth).paymentDueDate(TODAY.plusDays(1))
                .total(Money.of(12_34, USD)).build());
        fixture.save(TestData.invoice(customer, "u2", lastMonth).paymentStatus(PaymentStatus.SUCCEEDED)
                .total(Money.of(5_00, USD)).build());
        // JPY only voided, KWD only draft: no row for either
        fixture.save(TestData.invoice(customer, "j1", lastMonth).status(VOIDED).total(Money.of(5_000, JPY)).build());
        fixture.save(TestData.invoice(customer, "k1", lastMonth).status(DRAFT).total(Money.of(5_000, KWD)).build());

        BillingOverview overview = repository.overview(scope(customer), TODAY);

        assertThat(overview).isEqualTo(new BillingOverview(TODAY, List.of(
                new CurrencyOverview(EUR, Money.of(1_170_00, EUR), Money.of(130_00, EUR), 2, Money.of(20_00, EUR), 1),
                new CurrencyOverview(USD, Money.of(17_34, USD), Money.zero(USD), 0, Money.of(12_34, USD), 1))));
        assertThat(overview.currency(JPY)).isEmpty();
        assertThat(overview.currency(KWD)).isEmpty();
        assertThat(overview).isEqualTo(TestData.expectedOverview(fixture.saved().values(), scope(customer), TODAY));
    }

    void overviewSplitFollowsTheGivenToday() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        fixture.save(TestData.invoice(customer, "inv-1", TODAY.minusDays(30)).paymentDueDate(TODAY)
                .total(Money.of(10_00, EUR)).build());
        fixture.save(TestData.invoice(customer, "inv-2", TODAY.minusDays(30)).paymentDueDate(TODAY.plusDays(5))
                .total(Money.of(1_00, EUR)).build());

        assertThat(repository.overview(scope(customer), TODAY).currency(EUR)).contains(
                new CurrencyOverview(EUR, Money.of(11_00, EUR), Money.zero(EUR), 0, Money.of(11_00, EUR), 2));
        assertThat(repository.overview(scope(customer), TODAY.plusDays(1)).currency(EUR)).contains(
                new CurrencyOverview(EUR, Money.of(11_00, EUR), Money.of(10_00, EUR), 1, Money.of(1_00, EUR), 1));
        assertThat(repository.overview(scope(customer), TODAY.plusDays(6)).currency(EUR)).contains(
                new CurrencyOverview(EUR, Money.of(11_00, EUR), Money.of(11_00, EUR), 2, Money.zero(EUR), 0));
        assertThat(repository.overview(scope(customer), TODAY.plusDays(6)).asOf()).isEqualTo(TODAY.plusDays(6));
    }

    void overviewIsScoped() {
        Customer a = fixture.customer(TENANT, "cus-1");
        Customer neighbour = fixture.customer(TENANT, "cus-2");
        Customer twin = fixture.customer(OTHER_TENANT, "cus-1");
        fixture.save(TestData.invoice(a, "inv-a", TODAY).total(Money.of(1_00, EUR)).build());
        fixture.save(TestData.invoice(neighbour, "inv-n", TODAY.minusDays(90)).total(Money.of(20_00, EUR)).build());
        fixture.save(TestData.invoice(twin, "inv-a", TODAY.minusDays(90)).total(Money.of(300_00, EUR)).build());
        fixture.save(TestData.invoice(twin, "inv-t", TODAY).total(Money.of(4_000, JPY)).build());

        assertThat(repository.overview(scope(a), TODAY)).isEqualTo(new BillingOverview(TODAY, List.of(
                new CurrencyOverview(EUR, Money.of(1_00, EUR), Money.zero(EUR), 0, Money.of(1_00, EUR), 1))));
        assertThat(repository.overview(scope(twin), TODAY))
                .isEqualTo(TestData.expectedOverview(fixture.saved().values(), scope(twin), TODAY));
        assertThat(repository.overview(scope(twin), TODAY).currencies()).hasSize(2);
    }

    void overviewReflectsTheLatestVersion() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        Invoice unpaid = TestData.invoice(customer, "inv-1", TODAY.minusDays(60)).paymentDueDate(TODAY.minusDays(30))
                .total(Money.of(50_00, EUR)).build();
        fixture.save(unpaid);
        assertThat(repository.overview(scope(customer), TODAY).currency(EUR)).contains(
                new CurrencyOverview(EUR, Money.of(50_00, EUR), Money.of(50_00, EUR), 1, Money.zero(EUR), 0));

        fixture.save(unpaid.toBuilder().paymentStatus(PaymentStatus.SUCCEEDED).amountDue(Money.zero(EUR)).build());
        assertThat(repository.overview(scope(customer), TODAY).currency(EUR)).contains(
                new CurrencyOverview(EUR, Money.of(50_00, EUR), Money.zero(EUR), 0, Money.zero(EUR), 0));

        fixture.save(unpaid.toBuilder().status(VOIDED).build());
        assertThat(repository.overview(scope(customer), TODAY).currencies()).isEmpty();
    }

    void overviewSumsStayExact() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        long big = 4_503_599_627_370_497L; // 2^52 + 1: two of them sum to 2^53 + 2, three beyond
        for (int i = 0; i < 3; i++) {
            fixture.save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).paymentDueDate(TODAY.minusDays(i))
                    .total(Money.of(big, USD)).build());
        }
        fixture.save(TestData.invoice(customer, "inv-one", TODAY).paymentDueDate(TODAY).total(Money.of(1, USD)).build());

        assertThat(repository.overview(scope(customer), TODAY).currency(USD)).contains(new CurrencyOverview(USD,
                Money.of(3 * big + 1, USD), Money.of(2 * big, USD), 2, Money.of(big + 1, USD), 2));
    }

    void overviewAgreesWithARecomputation() {
        Customer customer = fixture.saveCatalogue();
        Customer twin = fixture.customer(OTHER_TENANT, "cus-main");

        for (LocalDate today : List.of(TODAY, TODAY.plusDays(1), TODAY.plusDays(2), LocalDate.of(2026, 10, 31),
                LocalDate.of(2025, 6, 1), LocalDate.of(2030, 1, 1))) {
            BillingOverview expected = TestData.expectedOverview(fixture.saved().values(), scope(customer), today);
            assertThat(repository.overview(scope(customer), today)).as("on %s", today).isEqualTo(expected);
            assertThat(repository.overview(scope(twin), today)).as("twin on %s", today)
                    .isEqualTo(TestData.expectedOverview(fixture.saved().values(), scope(twin), today));
        }
        assertThat(repository.overview(scope(customer), TODAY).currencies()).extracting(CurrencyOverview::currency)
                .containsExactly(EUR, JPY, KWD, USD);
    }
}
