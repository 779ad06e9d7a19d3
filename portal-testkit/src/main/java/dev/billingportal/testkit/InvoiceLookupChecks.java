package dev.billingportal.testkit;

import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.InvoiceType;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.InvoiceRepository;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static dev.billingportal.testkit.InvoiceContractFixture.ids;
import static dev.billingportal.testkit.InvoiceContractFixture.scope;
import static dev.billingportal.testkit.TestData.EUR;
import static dev.billingportal.testkit.TestData.JPY;
import static dev.billingportal.testkit.TestData.KWD;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.TODAY;
import static dev.billingportal.testkit.TestData.USD;
import static dev.billingportal.testkit.TestData.search;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bodies of the findById, scoping and round-trip tests of {@link InvoiceRepositoryContract}: an invoice is found
 * by its exact id only, in its own customer's and tenant's scope only, and comes back equal in every field (every
 * enum value, exact money, far dates, Unicode, the maximum lengths).
 *
 * <p>{@link InvoiceRepositoryContract} declares each of these tests (its name, display name, timeout and
 * parameters, which reports show) and runs it by calling the method of the same name here, over that test's
 * {@link InvoiceContractFixture}: the repository under test and the reference data of what it saved.
 */
final class InvoiceLookupChecks {

    private final InvoiceContractFixture fixture;
    private final InvoiceRepository repository;

    InvoiceLookupChecks(InvoiceContractFixture fixture) {
        this.fixture = fixture;
        this.repository = fixture.repository();
    }

    // ================================================================ findById and scoping

    void savedInvoiceIsFoundById() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        Invoice invoice = TestData.invoice(customer, "inv-1", LocalDate.of(2026, 3, 14)).number("ACME-2026-0042")
                .type(InvoiceType.PROGRESSIVE_BILLING).paymentStatus(PaymentStatus.FAILED)
                .paymentDueDate(LocalDate.of(2026, 4, 13)).subtotal(Money.of(1_000_00, EUR))
                .taxes(Money.of(200_00, EUR)).total(Money.of(1_200_00, EUR)).amountDue(Money.of(700_00, EUR))
                .documentRef("s3://invoices/2026/inv-1.pdf").build();
        fixture.save(invoice);

        assertThat(repository.findById(scope(customer), "inv-1")).contains(invoice);
    }

    void emptyStorageAnswersEmpty() {
        CustomerScope scope = new CustomerScope(TENANT, "cus-1");

        assertThat(repository.findById(scope, "inv-1")).isEmpty();
        assertThat(repository.find(scope, search().statuses(TestData.ALL_SEARCHABLE_STATUSES).build())).isEmpty();
        assertThat(repository.overview(scope, TODAY)).isEqualTo(new BillingOverview(TODAY, List.of()));
    }

    void unknownIdIsNotFound() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        fixture.save(TestData.invoice(customer, "inv-1", TODAY).build());

        assertThat(repository.findById(scope(customer), "inv-2")).isEmpty();
        assertThat(repository.findById(scope(customer), "inv-")).as("a prefix").isEmpty();
        assertThat(repository.findById(scope(customer), "inv-1 ")).as("with a trailing blank").isEmpty();
        assertThat(repository.findById(scope(customer), "inv_1")).as("_ is no wildcard").isEmpty();
        assertThat(repository.findById(scope(customer), "inv%")).as("% is no wildcard").isEmpty();
        assertThat(repository.findById(scope(customer), "INV-1")).as("another case").isEmpty();
    }

    void findByIdIsScopedToTheCustomer() {
        Customer owner = fixture.customer(TENANT, "cus-1");
        Customer other = fixture.customer(TENANT, "cus-2");
        fixture.save(TestData.invoice(owner, "inv-1", TODAY).build());

        assertThat(repository.findById(scope(other), "inv-1")).isEmpty();
        assertThat(repository.findById(new CustomerScope(TENANT, "cus-unknown"), "inv-1")).isEmpty();
        assertThat(repository.findById(scope(owner), "inv-1")).isPresent();
    }

    void findByIdIsScopedToTheTenant() {
        Customer owner = fixture.customer(TENANT, "cus-1");
        fixture.save(TestData.invoice(owner, "inv-1", TODAY).build());

        assertThat(repository.findById(new CustomerScope(OTHER_TENANT, "cus-1"), "inv-1")).isEmpty();
    }

    void findByIdReturnsEveryStatus() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        for (InvoiceStatus status : InvoiceStatus.values()) {
            fixture.save(TestData.invoice(customer, "inv-" + status, TODAY).status(status).build());
        }

        for (InvoiceStatus status : InvoiceStatus.values()) {
            assertThat(repository.findById(scope(customer), "inv-" + status)).as(status.name())
                    .map(Invoice::status).contains(status);
        }
    }

    void findIsScoped() {
        Customer a1 = fixture.customer(TENANT, "cus-1");
        Customer a2 = fixture.customer(TENANT, "cus-2");
        Customer b1 = fixture.customer(OTHER_TENANT, "cus-1");
        for (int i = 0; i < 6; i++) {
            // interleaved dates so an unscoped query would mix the rows
            fixture.save(TestData.invoice(a1, "a1-" + i, TODAY.minusDays(3L * i)).build());
            fixture.save(TestData.invoice(a2, "a2-" + i, TODAY.minusDays(3L * i + 1)).build());
            fixture.save(TestData.invoice(b1, "b1-" + i, TODAY.minusDays(3L * i + 2)).build());
        }

        for (Customer customer : List.of(a1, a2, b1)) {
            List<Invoice> found = repository.find(scope(customer), search().build());
            assertThat(found).as(customer.tenantId() + "/" + customer.id())
                    .containsExactlyElementsOf(fixture.reference(scope(customer), search().build()))
                    .hasSize(6)
                    .allSatisfy(invoice -> assertThat(TestData.inScope(invoice, scope(customer))).isTrue());
        }
        assertThat(repository.find(new CustomerScope(TENANT, "cus-unknown"), search().build())).isEmpty();
    }

    void sameInvoiceIdInTwoTenantsStaysSeparate() {
        Customer a = fixture.customer(TENANT, "cus-1");
        Customer b = fixture.customer(OTHER_TENANT, "cus-1");
        Invoice inA = TestData.invoice(a, "inv-1", TODAY).number("A-0001").total(Money.of(100_00, EUR)).build();
        Invoice inB = TestData.invoice(b, "inv-1", TODAY.minusDays(1)).number("B-0001").total(Money.of(5_000, JPY))
                .build();
        fixture.save(inA);
        fixture.save(inB);

        assertThat(repository.findById(scope(a), "inv-1")).contains(inA);
        assertThat(repository.findById(scope(b), "inv-1")).contains(inB);

        Invoice inAPaid = inA.toBuilder().paymentStatus(PaymentStatus.SUCCEEDED).amountDue(Money.zero(EUR)).build();
        fixture.save(inAPaid);
        assertThat(repository.findById(scope(a), "inv-1")).contains(inAPaid);
        assertThat(repository.findById(scope(b), "inv-1")).as("tenant B after an update in A").contains(inB);
        assertThat(repository.find(scope(a), search().build())).containsExactly(inAPaid);
        assertThat(repository.find(scope(b), search().build())).containsExactly(inB);
        assertThat(repository.find(scope(b), search().search("inv-1").build())).containsExactly(inB);
    }

    void idsDifferingOnlyInCaseAreDistinct() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        Invoice lower = TestData.invoice(customer, "inv-a", TODAY).number("lower").build();
        Invoice upper = TestData.invoice(customer, "INV-A", TODAY).number("upper").build();
        fixture.save(lower);
        fixture.save(upper);

        assertThat(repository.findById(scope(customer), "inv-a")).contains(lower);
        assertThat(repository.findById(scope(customer), "INV-A")).contains(upper);
        assertThat(repository.find(scope(customer), search().build())).containsExactly(lower, upper);
    }

    // ================================================================ round trips

    void everyEnumValueRoundTrips() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        List<Invoice> all = new ArrayList<>();
        int n = 0;
        for (InvoiceType type : InvoiceType.values()) {
            for (InvoiceStatus status : InvoiceStatus.values()) {
                for (PaymentStatus payment : PaymentStatus.values()) {
                    Invoice invoice = TestData.invoice(customer, String.format("inv-%03d", n++), TODAY.minusDays(n))
                            .type(type).status(status).paymentStatus(payment).build();
                    fixture.save(invoice);
                    all.add(invoice);
                }
            }
        }

        for (Invoice invoice : all) {
            assertThat(repository.findById(scope(customer), invoice.id())).contains(invoice);
        }
        assertThat(fixture.walk(scope(customer), search().statuses(TestData.ALL_SEARCHABLE_STATUSES), 50))
                .containsExactlyElementsOf(fixture.reference(scope(customer),
                        search().statuses(TestData.ALL_SEARCHABLE_STATUSES).build()));
    }

    void moneyRoundTripsExactly() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        long beyondDouble = 9_007_199_254_740_993L; // 2^53 + 1: a DOUBLE column would round it
        List<Invoice> invoices = List.of(
                TestData.invoice(customer, "inv-jpy", TODAY).total(Money.of(123_456, JPY)).build(),
                TestData.invoice(customer, "inv-kwd", TODAY).subtotal(Money.of(1_000, KWD)).taxes(Money.of(235, KWD))
                        .total(Money.of(1_235, KWD)).amountDue(Money.of(1, KWD)).build(),
                TestData.invoice(customer, "inv-eur", TODAY).subtotal(Money.of(2_147_483_648L, EUR))
                        .taxes(Money.of(1, EUR)).total(Money.of(2_147_483_649L, EUR)).build(),
                TestData.invoice(customer, "inv-big", TODAY).subtotal(Money.of(beyondDouble - 2, USD))
                        .taxes(Money.of(2, USD)).total(Money.of(beyondDouble, USD))
                        .amountDue(Money.of(beyondDouble - 1, USD)).build(),
                TestData.invoice(customer, "inv-zero", TODAY).total(Money.zero(EUR)).build());
        invoices.forEach(fixture::save);

        for (Invoice invoice : invoices) {
            assertThat(repository.findById(scope(customer), invoice.id())).as(invoice.id()).contains(invoice);
        }
        assertThat(repository.findById(scope(customer), "inv-big").orElseThrow().total().amountMinor())
                .isEqualTo(beyondDouble);
    }

    void datesRoundTrip() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        List<Invoice> invoices = List.of(
                TestData.invoice(customer, "inv-leap", LocalDate.of(2024, 2, 29)).build(),
                TestData.invoice(customer, "inv-1999", LocalDate.of(1999, 12, 31))
                        .paymentDueDate(LocalDate.of(2000, 1, 1)).build(),
                TestData.invoice(customer, "inv-2038", LocalDate.of(2038, 1, 19))
                        .paymentDueDate(LocalDate.of(2038, 1, 20)).build(),
                TestData.invoice(customer, "inv-2099", LocalDate.of(2099, 12, 31)).paymentDueDate(
                        LocalDate.of(2099, 12, 31)).build());
        invoices.forEach(fixture::save);

        for (Invoice invoice : invoices) {
            assertThat(repository.findById(scope(customer), invoice.id())).as(invoice.id()).contains(invoice);
        }
        assertThat(ids(repository.find(scope(customer), search().build())))
                .containsExactly("inv-2099", "inv-2038", "inv-leap", "inv-1999");
    }

    void unicodeRoundTrips() {
        Customer customer = fixture.customer(TENANT, "cus-1");
        List<Invoice> invoices = List.of(
                TestData.invoice(customer, "inv-cjk", TODAY).number("請求書-2026-〇〇一").build(),
                TestData.invoice(customer, "inv-emoji", TODAY).number("INV-🚀-👨‍👩‍👧-2026")
                        .documentRef("https://docs.example/📄/inv-emoji.pdf").build(),
                TestData.invoice(customer, "inv-rtl", TODAY).number("فاتورة-٢٠٢٦-١").documentRef("מסמך/חשבונית.pdf")
                        .build(),
                TestData.invoice(customer, "inv-comb", TODAY).number("e\u0301te\u0301-Å-ß-Ω").build());
        invoices.forEach(fixture::save);

        for (Invoice invoice : invoices) {
            assertThat(repository.findById(scope(customer), invoice.id())).as(invoice.id()).contains(invoice);
        }
        assertThat(ids(repository.find(scope(customer), search().search("🚀-👨‍👩‍👧").build()))).containsExactly("inv-emoji");
        assertThat(ids(repository.find(scope(customer), search().search("〇〇一").build()))).containsExactly("inv-cjk");
        assertThat(ids(repository.find(scope(customer), search().search("٢٠٢٦").build()))).containsExactly("inv-rtl");
    }

    void maximumLengthsRoundTrip() {
        Customer customer = fixture.customer(TENANT, TestData.repeatTo("c-ü-客", 251)); // external id: "ext-" + id
        String id = TestData.repeatTo("!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~", 255);
        Invoice invoice = TestData.invoice(customer, id, TODAY).number(TestData.repeatTo("Nº-É-字-", 255))
                .documentRef(TestData.repeatTo("ref/ü/字/", 1000)).build();
        fixture.save(invoice);

        assertThat(repository.findById(scope(customer), id)).contains(invoice);
        assertThat(repository.find(scope(customer), search().search(id).build())).containsExactly(invoice);
    }
}
