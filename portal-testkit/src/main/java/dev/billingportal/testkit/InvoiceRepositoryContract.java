package dev.billingportal.testkit;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.CurrencyOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.InvoiceType;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.InvoiceKey;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.invoices.InvoiceSearch;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.billingportal.core.invoices.InvoiceStatus.DRAFT;
import static dev.billingportal.core.invoices.InvoiceStatus.FAILED;
import static dev.billingportal.core.invoices.InvoiceStatus.FINALIZED;
import static dev.billingportal.core.invoices.InvoiceStatus.PENDING;
import static dev.billingportal.core.invoices.InvoiceStatus.VOIDED;
import static dev.billingportal.testkit.TestData.EUR;
import static dev.billingportal.testkit.TestData.JPY;
import static dev.billingportal.testkit.TestData.KWD;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.TODAY;
import static dev.billingportal.testkit.TestData.USD;
import static dev.billingportal.testkit.TestData.search;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link InvoiceRepository}: subclass it, implement {@link #createRepository()} (and
 * {@link #saveCustomer(Customer)} when invoices need their customer's row), and run it as an ordinary JUnit
 * Jupiter test class.
 *
 * <pre>{@code
 * class MyInvoiceRepositoryTest extends InvoiceRepositoryContract {
 *     private MyStore store;
 *
 *     @Override
 *     protected InvoiceRepository createRepository() {
 *         store = MyStore.overEmptySchema();
 *         return store.invoices();
 *     }
 *
 *     @Override
 *     protected void saveCustomer(Customer customer) {
 *         store.customers().save(customer); // the invoices table has a foreign key to customers
 *     }
 * }
 * }</pre>
 *
 * <p>{@link InvoiceSearch#matches(Invoice)} is the reference semantics: most filter tests state their
 * expected answer explicitly, and a sweep over combinations of every filter compares the repository with a
 * recomputation by {@link TestData#expectedPage}. Traps for SQL adapters are deliberate: ids that differ only
 * in case and must order as binary strings, {@code %}, {@code _}, {@code \} and {@code '} in searches,
 * accent-sensitive but case-insensitive search over non-ASCII numbers, a search with a trailing blank,
 * amounts beyond 2<sup>53</sup>, dates after 2038. All data is deterministic, uses a fixed
 * {@link TestData#TODAY}, and no test stores more than 300 invoices.
 */
public abstract class InvoiceRepositoryContract {

    private InvoiceRepository repository;
    /** The latest successfully saved version of every invoice, by tenant and id: the reference data. */
    private final Map<List<String>, Invoice> saved = new LinkedHashMap<>();
    private final Set<List<String>> savedCustomers = new HashSet<>();

    /**
     * Return a repository over EMPTY storage; called before each test. Clear tables here (or use a fresh
     * schema) when the storage outlives one test.
     *
     * @return the repository under test
     */
    protected abstract InvoiceRepository createRepository();

    /**
     * Stores the customer that owns invoices about to be saved; the suite calls it once for every customer
     * (in every tenant it uses) before saving that customer's first invoice, always from the test's own
     * thread. The default does nothing; override it when your storage needs the owning customer row, for
     * example a JDBC schema whose invoices reference customers by foreign key.
     *
     * @param customer the customer to store
     */
    protected void saveCustomer(Customer customer) {
        // nothing: most storages keep invoices without the customer row
    }

    /**
     * The repository the current test runs against, for subclasses that add tests of their own.
     *
     * @return the repository {@link #createRepository()} returned for this test
     */
    protected final InvoiceRepository repository() {
        return repository;
    }

    @BeforeEach
    final void createRepositoryUnderTest() {
        saved.clear();
        savedCustomers.clear();
        repository = createRepository();
        assertThat(repository).as("createRepository()").isNotNull();
    }

    // ================================================================ findById and scoping

    @Test
    @DisplayName("a saved invoice is found by id, equal in every field")
    void savedInvoiceIsFoundById() {
        Customer customer = customer(TENANT, "cus-1");
        Invoice invoice = TestData.invoice(customer, "inv-1", LocalDate.of(2026, 3, 14)).number("ACME-2026-0042")
                .type(InvoiceType.PROGRESSIVE_BILLING).paymentStatus(PaymentStatus.FAILED)
                .paymentDueDate(LocalDate.of(2026, 4, 13)).subtotal(Money.of(1_000_00, EUR))
                .taxes(Money.of(200_00, EUR)).total(Money.of(1_200_00, EUR)).amountDue(Money.of(700_00, EUR))
                .documentRef("s3://invoices/2026/inv-1.pdf").build();
        save(invoice);

        assertThat(repository.findById(scope(customer), "inv-1")).contains(invoice);
    }

    @Test
    @DisplayName("empty storage: findById, find and overview all answer empty")
    void emptyStorageAnswersEmpty() {
        CustomerScope scope = new CustomerScope(TENANT, "cus-1");

        assertThat(repository.findById(scope, "inv-1")).isEmpty();
        assertThat(repository.find(scope, search().statuses(TestData.ALL_SEARCHABLE_STATUSES).build())).isEmpty();
        assertThat(repository.overview(scope, TODAY)).isEqualTo(new BillingOverview(TODAY, List.of()));
    }

    @Test
    @DisplayName("an unknown invoice id is not found")
    void unknownIdIsNotFound() {
        Customer customer = customer(TENANT, "cus-1");
        save(TestData.invoice(customer, "inv-1", TODAY).build());

        assertThat(repository.findById(scope(customer), "inv-2")).isEmpty();
        assertThat(repository.findById(scope(customer), "inv-")).as("a prefix").isEmpty();
        assertThat(repository.findById(scope(customer), "inv-1 ")).as("with a trailing blank").isEmpty();
        assertThat(repository.findById(scope(customer), "inv_1")).as("_ is no wildcard").isEmpty();
        assertThat(repository.findById(scope(customer), "inv%")).as("% is no wildcard").isEmpty();
        assertThat(repository.findById(scope(customer), "INV-1")).as("another case").isEmpty();
    }

    @Test
    @DisplayName("findById never returns another customer's invoice of the same tenant")
    void findByIdIsScopedToTheCustomer() {
        Customer owner = customer(TENANT, "cus-1");
        Customer other = customer(TENANT, "cus-2");
        save(TestData.invoice(owner, "inv-1", TODAY).build());

        assertThat(repository.findById(scope(other), "inv-1")).isEmpty();
        assertThat(repository.findById(new CustomerScope(TENANT, "cus-unknown"), "inv-1")).isEmpty();
        assertThat(repository.findById(scope(owner), "inv-1")).isPresent();
    }

    @Test
    @DisplayName("findById never returns an invoice of another tenant, even for the same customer id")
    void findByIdIsScopedToTheTenant() {
        Customer owner = customer(TENANT, "cus-1");
        save(TestData.invoice(owner, "inv-1", TODAY).build());

        assertThat(repository.findById(new CustomerScope(OTHER_TENANT, "cus-1"), "inv-1")).isEmpty();
    }

    @Test
    @DisplayName("findById returns drafts, failed and pending invoices too (the service hides them)")
    void findByIdReturnsEveryStatus() {
        Customer customer = customer(TENANT, "cus-1");
        for (InvoiceStatus status : InvoiceStatus.values()) {
            save(TestData.invoice(customer, "inv-" + status, TODAY).status(status).build());
        }

        for (InvoiceStatus status : InvoiceStatus.values()) {
            assertThat(repository.findById(scope(customer), "inv-" + status)).as(status.name())
                    .map(Invoice::status).contains(status);
        }
    }

    @Test
    @DisplayName("find returns only the scoped customer's invoices, never another customer's or tenant's")
    void findIsScoped() {
        Customer a1 = customer(TENANT, "cus-1");
        Customer a2 = customer(TENANT, "cus-2");
        Customer b1 = customer(OTHER_TENANT, "cus-1");
        for (int i = 0; i < 6; i++) {
            // interleaved dates so an unscoped query would mix the rows
            save(TestData.invoice(a1, "a1-" + i, TODAY.minusDays(3L * i)).build());
            save(TestData.invoice(a2, "a2-" + i, TODAY.minusDays(3L * i + 1)).build());
            save(TestData.invoice(b1, "b1-" + i, TODAY.minusDays(3L * i + 2)).build());
        }

        for (Customer customer : List.of(a1, a2, b1)) {
            List<Invoice> found = repository.find(scope(customer), search().build());
            assertThat(found).as(customer.tenantId() + "/" + customer.id())
                    .containsExactlyElementsOf(reference(scope(customer), search().build()))
                    .hasSize(6)
                    .allSatisfy(invoice -> assertThat(TestData.inScope(invoice, scope(customer))).isTrue());
        }
        assertThat(repository.find(new CustomerScope(TENANT, "cus-unknown"), search().build())).isEmpty();
    }

    @Test
    @DisplayName("the same invoice id in two tenants is two separate invoices, updated independently")
    void sameInvoiceIdInTwoTenantsStaysSeparate() {
        Customer a = customer(TENANT, "cus-1");
        Customer b = customer(OTHER_TENANT, "cus-1");
        Invoice inA = TestData.invoice(a, "inv-1", TODAY).number("A-0001").total(Money.of(100_00, EUR)).build();
        Invoice inB = TestData.invoice(b, "inv-1", TODAY.minusDays(1)).number("B-0001").total(Money.of(5_000, JPY))
                .build();
        save(inA);
        save(inB);

        assertThat(repository.findById(scope(a), "inv-1")).contains(inA);
        assertThat(repository.findById(scope(b), "inv-1")).contains(inB);

        Invoice inAPaid = inA.toBuilder().paymentStatus(PaymentStatus.SUCCEEDED).amountDue(Money.zero(EUR)).build();
        save(inAPaid);
        assertThat(repository.findById(scope(a), "inv-1")).contains(inAPaid);
        assertThat(repository.findById(scope(b), "inv-1")).as("tenant B after an update in A").contains(inB);
        assertThat(repository.find(scope(a), search().build())).containsExactly(inAPaid);
        assertThat(repository.find(scope(b), search().build())).containsExactly(inB);
        assertThat(repository.find(scope(b), search().search("inv-1").build())).containsExactly(inB);
    }

    @Test
    @DisplayName("ids differing only in letter case are different invoices")
    void idsDifferingOnlyInCaseAreDistinct() {
        Customer customer = customer(TENANT, "cus-1");
        Invoice lower = TestData.invoice(customer, "inv-a", TODAY).number("lower").build();
        Invoice upper = TestData.invoice(customer, "INV-A", TODAY).number("upper").build();
        save(lower);
        save(upper);

        assertThat(repository.findById(scope(customer), "inv-a")).contains(lower);
        assertThat(repository.findById(scope(customer), "INV-A")).contains(upper);
        assertThat(repository.find(scope(customer), search().build())).containsExactly(lower, upper);
    }

    // ================================================================ round trips

    @Test
    @DisplayName("every combination of type, status and payment status round-trips")
    void everyEnumValueRoundTrips() {
        Customer customer = customer(TENANT, "cus-1");
        List<Invoice> all = new ArrayList<>();
        int n = 0;
        for (InvoiceType type : InvoiceType.values()) {
            for (InvoiceStatus status : InvoiceStatus.values()) {
                for (PaymentStatus payment : PaymentStatus.values()) {
                    Invoice invoice = TestData.invoice(customer, String.format("inv-%03d", n++), TODAY.minusDays(n))
                            .type(type).status(status).paymentStatus(payment).build();
                    save(invoice);
                    all.add(invoice);
                }
            }
        }

        for (Invoice invoice : all) {
            assertThat(repository.findById(scope(customer), invoice.id())).contains(invoice);
        }
        assertThat(walk(scope(customer), search().statuses(TestData.ALL_SEARCHABLE_STATUSES), 50))
                .containsExactlyElementsOf(reference(scope(customer),
                        search().statuses(TestData.ALL_SEARCHABLE_STATUSES).build()));
    }

    @Test
    @DisplayName("money round-trips exactly: 0, 2 and 3 fraction digits, amounts beyond 2^31 and 2^53")
    void moneyRoundTripsExactly() {
        Customer customer = customer(TENANT, "cus-1");
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
        invoices.forEach(this::save);

        for (Invoice invoice : invoices) {
            assertThat(repository.findById(scope(customer), invoice.id())).as(invoice.id()).contains(invoice);
        }
        assertThat(repository.findById(scope(customer), "inv-big").orElseThrow().total().amountMinor())
                .isEqualTo(beyondDouble);
    }

    @Test
    @DisplayName("dates round-trip: leap day, 1999, and dates after 2038")
    void datesRoundTrip() {
        Customer customer = customer(TENANT, "cus-1");
        List<Invoice> invoices = List.of(
                TestData.invoice(customer, "inv-leap", LocalDate.of(2024, 2, 29)).build(),
                TestData.invoice(customer, "inv-1999", LocalDate.of(1999, 12, 31))
                        .paymentDueDate(LocalDate.of(2000, 1, 1)).build(),
                TestData.invoice(customer, "inv-2038", LocalDate.of(2038, 1, 19))
                        .paymentDueDate(LocalDate.of(2038, 1, 20)).build(),
                TestData.invoice(customer, "inv-2099", LocalDate.of(2099, 12, 31)).paymentDueDate(
                        LocalDate.of(2099, 12, 31)).build());
        invoices.forEach(this::save);

        for (Invoice invoice : invoices) {
            assertThat(repository.findById(scope(customer), invoice.id())).as(invoice.id()).contains(invoice);
        }
        assertThat(ids(repository.find(scope(customer), search().build())))
                .containsExactly("inv-2099", "inv-2038", "inv-leap", "inv-1999");
    }

    @Test
    @DisplayName("Unicode numbers and document references round-trip: CJK, emoji, right-to-left, combining")
    void unicodeRoundTrips() {
        Customer customer = customer(TENANT, "cus-1");
        List<Invoice> invoices = List.of(
                TestData.invoice(customer, "inv-cjk", TODAY).number("請求書-2026-〇〇一").build(),
                TestData.invoice(customer, "inv-emoji", TODAY).number("INV-🚀-👨‍👩‍👧-2026")
                        .documentRef("https://docs.example/📄/inv-emoji.pdf").build(),
                TestData.invoice(customer, "inv-rtl", TODAY).number("فاتورة-٢٠٢٦-١").documentRef("מסמך/חשבונית.pdf")
                        .build(),
                TestData.invoice(customer, "inv-comb", TODAY).number("e\u0301te\u0301-Å-ß-Ω").build());
        invoices.forEach(this::save);

        for (Invoice invoice : invoices) {
            assertThat(repository.findById(scope(customer), invoice.id())).as(invoice.id()).contains(invoice);
        }
        assertThat(ids(repository.find(scope(customer), search().search("🚀-👨‍👩‍👧").build()))).containsExactly("inv-emoji");
        assertThat(ids(repository.find(scope(customer), search().search("〇〇一").build()))).containsExactly("inv-cjk");
        assertThat(ids(repository.find(scope(customer), search().search("٢٠٢٦").build()))).containsExactly("inv-rtl");
    }

    @Test
    @DisplayName("values at the maximum lengths round-trip: 255-character id and number, 1000-character document ref")
    void maximumLengthsRoundTrip() {
        Customer customer = customer(TENANT, TestData.repeatTo("c-ü-客", 251)); // external id: "ext-" + id
        String id = TestData.repeatTo("!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~", 255);
        Invoice invoice = TestData.invoice(customer, id, TODAY).number(TestData.repeatTo("Nº-É-字-", 255))
                .documentRef(TestData.repeatTo("ref/ü/字/", 1000)).build();
        save(invoice);

        assertThat(repository.findById(scope(customer), id)).contains(invoice);
        assertThat(repository.find(scope(customer), search().search(id).build())).containsExactly(invoice);
    }

    // ================================================================ ordering

    @Test
    @DisplayName("find orders by issuing date, newest first, whatever the order of saving")
    void findOrdersByIssuingDateDescending() {
        Customer customer = customer(TENANT, "cus-1");
        String[][] rows = {{"inv-c", "2026-03-01"}, {"inv-a", "2026-11-21"}, {"inv-e", "2025-12-31"},
                {"inv-b", "2026-06-30"}, {"inv-d", "2026-01-01"}, {"inv-f", "2024-02-29"}};
        for (String[] row : rows) {
            save(TestData.invoice(customer, row[0], LocalDate.parse(row[1])).build());
        }

        assertThat(ids(repository.find(scope(customer), search().build())))
                .containsExactly("inv-a", "inv-b", "inv-c", "inv-d", "inv-e", "inv-f");
    }

    @Test
    @DisplayName("ties on the issuing date order by id descending, compared as binary ASCII (not a collation)")
    void tiesOrderByIdDescendingBinary() {
        Customer customer = customer(TENANT, "cus-1");
        for (String id : List.of("inv-10", "B", "inv_a", "!", "INV-B", "inv-9", "~", "a", "inv-a")) {
            save(TestData.invoice(customer, id, TODAY).build());
        }
        save(TestData.invoice(customer, "zzz-older", TODAY.minusDays(1)).build());
        save(TestData.invoice(customer, "000-newer", TODAY.plusDays(1)).build());

        List<String> expected = List.of("000-newer", "~", "inv_a", "inv-a", "inv-9", "inv-10", "a", "INV-B", "B", "!",
                "zzz-older");
        assertThat(ids(repository.find(scope(customer), search().build()))).containsExactlyElementsOf(expected);
        assertThat(ids(walk(scope(customer), search(), 2))).containsExactlyElementsOf(expected);
    }

    @Test
    @DisplayName("changing an invoice's issuing date moves it in the order")
    void changingTheIssuingDateMovesTheInvoice() {
        Customer customer = customer(TENANT, "cus-1");
        for (int i = 1; i <= 5; i++) {
            save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }
        assertThat(ids(repository.find(scope(customer), search().build())))
                .containsExactly("inv-1", "inv-2", "inv-3", "inv-4", "inv-5");

        Invoice moved = repository.findById(scope(customer), "inv-1").orElseThrow().toBuilder()
                .issuingDate(TODAY.minusDays(10)).paymentDueDate(TODAY.minusDays(10)).build();
        save(moved);
        assertThat(ids(repository.find(scope(customer), search().build())))
                .containsExactly("inv-2", "inv-3", "inv-4", "inv-5", "inv-1");

        save(moved.toBuilder().issuingDate(TODAY.minusDays(3)).paymentDueDate(TODAY.minusDays(3)).build());
        assertThat(ids(repository.find(scope(customer), search().build())))
                .as("moved onto a date it now shares with inv-3, ordered by id")
                .containsExactly("inv-2", "inv-3", "inv-1", "inv-4", "inv-5");
        assertThat(ids(repository.find(scope(customer), search().after(new InvoiceKey(TODAY.minusDays(10), "inv-1"))
                .build()))).as("after its old key").isEmpty();
    }

    // ================================================================ keyset pagination

    @ParameterizedTest(name = "pages of {0}: every invoice exactly once, newest first, none over the limit")
    @ValueSource(ints = {1, 2, 3, 4, 5, 12, 13, 101})
    @DisplayName("walking every page yields every invoice exactly once, in order, each page at most the limit")
    void walkingEveryPageYieldsEveryInvoiceOnce(int pageSize) {
        Customer customer = customer(TENANT, "cus-1");
        Customer neighbour = customer(TENANT, "cus-2");
        for (int i = 0; i < 12; i++) {
            // three invoices a day, so page boundaries fall inside groups of equal dates
            save(TestData.invoice(customer, String.format("inv-%02d", i), TODAY.minusDays(i / 3)).build());
            save(TestData.invoice(neighbour, String.format("nbr-%02d", i), TODAY.minusDays(i / 3)).build());
        }

        List<Invoice> walked = walk(scope(customer), search(), pageSize);

        assertThat(walked).as("rule: walking pages of %d yields each of the customer's 12 invoices exactly once, in portal"
                + " order (issuing date, then id, descending), and no neighbour's", pageSize)
                .containsExactlyElementsOf(reference(scope(customer), search().build())).hasSize(12);
    }

    @Test
    @DisplayName("limit 1 returns the newest invoice, and each next page the following one")
    void limitOneReturnsOneAtATime() {
        Customer customer = customer(TENANT, "cus-1");
        save(TestData.invoice(customer, "inv-1", TODAY.minusDays(2)).build());
        save(TestData.invoice(customer, "inv-2", TODAY).build());
        save(TestData.invoice(customer, "inv-3", TODAY).build());

        assertThat(ids(repository.find(scope(customer), search().limit(1).build()))).containsExactly("inv-3");
        assertThat(ids(repository.find(scope(customer), search().limit(1).after(key("inv-3")).build())))
                .containsExactly("inv-2");
        assertThat(ids(repository.find(scope(customer), search().limit(1).after(key("inv-2")).build())))
                .containsExactly("inv-1");
        assertThat(repository.find(scope(customer), search().limit(1).after(key("inv-1")).build())).isEmpty();
    }

    @Test
    @DisplayName("an exactly full last page is followed by an empty page")
    void exactlyFullLastPageIsFollowedByAnEmptyPage() {
        Customer customer = customer(TENANT, "cus-1");
        for (int i = 1; i <= 6; i++) {
            save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }

        List<Invoice> first = repository.find(scope(customer), search().limit(3).build());
        List<Invoice> second = repository.find(scope(customer), search().limit(3).after(last(first)).build());
        List<Invoice> third = repository.find(scope(customer), search().limit(3).after(last(second)).build());

        assertThat(ids(first)).containsExactly("inv-1", "inv-2", "inv-3");
        assertThat(ids(second)).containsExactly("inv-4", "inv-5", "inv-6");
        assertThat(third).isEmpty();
    }

    @Test
    @DisplayName("a limit above the number of rows returns them all; a limit below returns the newest ones")
    void limitIsHonoured() {
        Customer customer = customer(TENANT, "cus-1");
        for (int i = 1; i <= 5; i++) {
            save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }

        assertThat(repository.find(scope(customer), search().limit(6).build())).hasSize(5);
        assertThat(repository.find(scope(customer), search().limit(5).build())).hasSize(5);
        assertThat(ids(repository.find(scope(customer), search().limit(4).build())))
                .containsExactly("inv-1", "inv-2", "inv-3", "inv-4");
    }

    @Test
    @DisplayName("the largest limit (101) is honoured: 150 invoices give pages of 101 and 49")
    void largestLimitIsHonoured() {
        Customer customer = customer(TENANT, "cus-1");
        for (int i = 0; i < 150; i++) {
            save(TestData.invoice(customer, String.format("inv-%03d", i), TODAY.minusDays(i / 10)).build());
        }

        List<Invoice> first = repository.find(scope(customer), search().limit(InvoiceSearch.MAX_LIMIT).build());
        List<Invoice> second = repository.find(scope(customer),
                search().limit(InvoiceSearch.MAX_LIMIT).after(last(first)).build());

        List<Invoice> expected = reference(scope(customer), search().limit(InvoiceSearch.MAX_LIMIT).build());
        assertThat(first).containsExactlyElementsOf(expected);
        assertThat(second).hasSize(49);
        assertThat(ids(second)).doesNotContainAnyElementsOf(ids(first));
        assertThat(first.size() + second.size()).isEqualTo(150);
    }

    @Test
    @DisplayName("after the last invoice's key: empty; after a key older than every invoice: empty")
    void afterTheLastKeyIsEmpty() {
        Customer customer = customer(TENANT, "cus-1");
        for (int i = 1; i <= 3; i++) {
            save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }

        assertThat(repository.find(scope(customer), search().after(key("inv-3")).build())).isEmpty();
        assertThat(repository.find(scope(customer), search().after(new InvoiceKey(LocalDate.of(2000, 1, 1), "~"))
                .build())).isEmpty();
        assertThat(repository.find(scope(customer), search().after(new InvoiceKey(TODAY.minusDays(3), "!"))
                .build())).as("same date as the last, smaller id than any").isEmpty();
    }

    @Test
    @DisplayName("after a key newer than every invoice: everything")
    void afterAKeyNewerThanEverythingReturnsAll() {
        Customer customer = customer(TENANT, "cus-1");
        for (int i = 1; i <= 3; i++) {
            save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }

        assertThat(ids(repository.find(scope(customer), search().after(new InvoiceKey(TODAY.plusYears(1), "!"))
                .build()))).containsExactly("inv-1", "inv-2", "inv-3");
        assertThat(ids(repository.find(scope(customer), search().after(new InvoiceKey(TODAY.minusDays(1), "~"))
                .build()))).as("same date as the newest, larger id than any").containsExactly("inv-1", "inv-2", "inv-3");
    }

    @Test
    @DisplayName("after a key inside a group of equal dates: the rest of the group (smaller ids), then older dates")
    void afterAKeyInsideAGroupOfEqualDates() {
        Customer customer = customer(TENANT, "cus-1");
        for (String id : List.of("inv-a", "inv-b", "inv-c", "inv-d")) {
            save(TestData.invoice(customer, id, TODAY).build());
        }
        save(TestData.invoice(customer, "inv-z", TODAY.minusDays(1)).build());
        save(TestData.invoice(customer, "inv-0", TODAY.plusDays(1)).build());

        assertThat(ids(repository.find(scope(customer), search().after(key("inv-c")).build())))
                .containsExactly("inv-b", "inv-a", "inv-z");
        assertThat(ids(repository.find(scope(customer), search().after(key("inv-0")).limit(2).build())))
                .containsExactly("inv-d", "inv-c");
    }

    @Test
    @DisplayName("after a key that no invoice has (never existed): continues at the right place")
    void afterAKeyThatNeverExisted() {
        Customer customer = customer(TENANT, "cus-1");
        for (String id : List.of("inv-10", "inv-20", "inv-30")) {
            save(TestData.invoice(customer, id, TODAY).build());
        }
        save(TestData.invoice(customer, "inv-40", TODAY.minusDays(5)).build());

        assertThat(ids(repository.find(scope(customer), search().after(new InvoiceKey(TODAY, "inv-25")).build())))
                .containsExactly("inv-20", "inv-10", "inv-40");
        assertThat(ids(repository.find(scope(customer), search().after(new InvoiceKey(TODAY.minusDays(2), "inv-99"))
                .build()))).containsExactly("inv-40");
    }

    @Test
    @DisplayName("after the key of an invoice that moved since the page was read: no duplicate, nothing skipped")
    void afterAKeyThatNoLongerExists() {
        Customer customer = customer(TENANT, "cus-1");
        for (int i = 1; i <= 6; i++) {
            save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }
        List<Invoice> first = repository.find(scope(customer), search().limit(3).build());
        assertThat(ids(first)).containsExactly("inv-1", "inv-2", "inv-3");
        InvoiceKey cursor = InvoiceKey.of(last(first));

        // inv-3 is re-dated to be the newest: its old key now belongs to no invoice
        save(last(first).toBuilder().issuingDate(TODAY).paymentDueDate(TODAY).build());

        assertThat(ids(repository.find(scope(customer), search().limit(3).after(cursor).build())))
                .containsExactly("inv-4", "inv-5", "inv-6");
    }

    @Test
    @DisplayName("after the key of an invoice the filter now excludes: continues right after that key")
    void afterTheKeyOfAnInvoiceTheFilterExcludes() {
        Customer customer = customer(TENANT, "cus-1");
        for (int i = 1; i <= 5; i++) {
            save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).build());
        }
        save(repository.findById(scope(customer), "inv-3").orElseThrow().toBuilder().status(VOIDED).build());

        assertThat(ids(repository.find(scope(customer), search().statuses(FINALIZED).after(key("inv-3")).build())))
                .containsExactly("inv-4", "inv-5");
        assertThat(ids(repository.find(scope(customer), search().statuses(VOIDED).after(key("inv-2")).build())))
                .containsExactly("inv-3");
    }

    @Test
    @DisplayName("pagination with filters: walking filtered pages gives exactly the filtered invoices")
    void paginationWithFilters() {
        List<InvoiceSearchBuilder> searches = List.of(
                search().statuses(FINALIZED),
                search().statuses(TestData.ALL_SEARCHABLE_STATUSES).paymentStatuses(PaymentStatus.PENDING),
                search().overdueOnly(true),
                search().issuedFrom(LocalDate.of(2026, 4, 2)).issuedTo(LocalDate.of(2026, 11, 1)),
                search().search("2026"));
        Customer customer = saveCatalogue();

        for (InvoiceSearchBuilder s : searches) {
            InvoiceSearch full = s.after((InvoiceKey) null).limit(InvoiceSearch.MAX_LIMIT).build();
            List<Invoice> expected = reference(scope(customer), full);
            for (int pageSize : new int[] {1, 2, 5}) {
                assertThat(walk(scope(customer), s, pageSize)).as("%s, page size %d", full, pageSize)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    // ================================================================ filters, one at a time

    @Test
    @DisplayName("status filter: only the statuses asked for; drafts never come back")
    void statusFilter() {
        Customer customer = saveCatalogue();

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

    @Test
    @DisplayName("payment status filter: only the payment statuses asked for; none asked means all")
    void paymentStatusFilter() {
        Customer customer = saveCatalogue();
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

    @Test
    @DisplayName("overdue filter: finalized, unpaid, due before today; due today, paid, voided, failed never are")
    void overdueFilter() {
        Customer customer = saveCatalogue();

        // inv-003 is due today, inv-004 tomorrow, inv-005 is paid, inv-006 voided and past due,
        // inv-008 failed and inv-009 pending (statuses) past due, inv-025 voided with a failed payment
        List<String> overdue = inOrder("inv-001", "inv-002", "inv-012", "inv-026");
        assertThat(findIds(customer, search().overdueOnly(true))).containsExactlyElementsOf(overdue);
        assertThat(findIds(customer, search().overdueOnly(true).statuses(TestData.ALL_SEARCHABLE_STATUSES)))
                .containsExactlyElementsOf(overdue);
        assertThat(findIds(customer, search().overdueOnly(true).statuses(VOIDED, FAILED, PENDING))).isEmpty();
        assertThat(findIds(customer, search().overdueOnly(true).paymentStatuses(PaymentStatus.SUCCEEDED))).isEmpty();
    }

    @Test
    @DisplayName("overdue is computed on the given today, not on the clock")
    void overdueUsesTheGivenToday() {
        Customer customer = saveCatalogue();

        assertThat(findIds(customer, search().overdueOnly(true).today(TODAY.plusDays(1))))
                .as("the day after: due-today inv-003 has become overdue")
                .containsExactlyElementsOf(inOrder("inv-001", "inv-002", "inv-003", "inv-012", "inv-026"));
        assertThat(findIds(customer, search().overdueOnly(true).today(TODAY.plusDays(2))))
                .containsExactlyElementsOf(inOrder("inv-001", "inv-002", "inv-003", "inv-004", "inv-012", "inv-026"));
        assertThat(findIds(customer, search().overdueOnly(true).today(LocalDate.of(2026, 10, 31))))
                .as("on inv-001's due date it is not overdue yet").containsExactlyElementsOf(inOrder("inv-012", "inv-026"));
        assertThat(findIds(customer, search().overdueOnly(true).today(LocalDate.of(2025, 1, 1)))).isEmpty();
    }

    @Test
    @DisplayName("issued_from and issued_to are inclusive bounds, alone or together")
    void issuingDateBoundsAreInclusive() {
        Customer customer = saveCatalogue();

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

    @Test
    @DisplayName("search is a case-insensitive substring of the number")
    void searchIsACaseInsensitiveSubstring() {
        Customer customer = saveCatalogue();

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

    @Test
    @DisplayName("search folds case of non-ASCII letters (ÉTÉ = été, СЧЁТ = счёт) but keeps accents (ete ≠ été)")
    void searchFoldsNonAsciiCaseButNotAccents() {
        Customer customer = saveCatalogue();

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

    @Test
    @DisplayName("search characters % _ \\ ' and blanks are literal, never wildcards, escapes or trimmed")
    void searchSpecialCharactersAreLiteral() {
        Customer customer = saveCatalogue();

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

    @Test
    @DisplayName("search also matches the exact id, case-sensitively; a prefix or a trailing blank does not")
    void searchMatchesTheExactId() {
        Customer customer = saveCatalogue();

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

    @Test
    @DisplayName("filters combine with AND")
    void filtersCombineWithAnd() {
        Customer customer = saveCatalogue();

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

    @Test
    @DisplayName("every combination of filters agrees with InvoiceSearch.matches over the same data")
    void everyCombinationAgreesWithTheReference() {
        Customer customer = saveCatalogue();
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
                                    .containsExactlyElementsOf(reference(scope(customer), s));
                            compared++;
                        }
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(640);
    }

    // ================================================================ upsert and conflicts

    @Test
    @DisplayName("saving the same (tenant, id) twice replaces every field, leaving one invoice")
    void saveTwiceReplaces() {
        Customer customer = customer(TENANT, "cus-1");
        Invoice first = TestData.invoice(customer, "inv-1", TODAY.minusDays(40)).documentRef("doc-1").build();
        save(first);
        Invoice second = first.toBuilder().number("NEW-NUMBER").type(InvoiceType.ONE_OFF).status(VOIDED)
                .paymentStatus(PaymentStatus.SUCCEEDED).issuingDate(TODAY.minusDays(5)).paymentDueDate(TODAY)
                .subtotal(Money.of(5_00, USD)).taxes(Money.of(1_00, USD)).total(Money.of(6_00, USD))
                .amountDue(Money.zero(USD)).documentRef(null).build();
        save(second);

        assertThat(repository.findById(scope(customer), "inv-1")).contains(second);
        assertThat(repository.find(scope(customer), search().build())).containsExactly(second);
        assertThat(repository.find(scope(customer), search().search("NO-inv-1").build())).as("the old number")
                .isEmpty();
        assertThat(repository.find(scope(customer), search().search("new-number").build())).containsExactly(second);
    }

    @Test
    @DisplayName("saving an unchanged invoice again is not a conflict with itself")
    void resavingUnchangedIsNotAConflict() {
        Customer customer = customer(TENANT, "cus-1");
        Invoice invoice = TestData.invoice(customer, "inv-1", TODAY).build();
        save(invoice);
        save(invoice);
        save(invoice);

        assertThat(repository.find(scope(customer), search().build())).containsExactly(invoice);
    }

    @Test
    @DisplayName("re-saving an invoice as a draft hides it from find but not from findById")
    void resavingAsDraftHidesItFromFind() {
        Customer customer = customer(TENANT, "cus-1");
        Invoice invoice = TestData.invoice(customer, "inv-1", TODAY).build();
        save(invoice);
        Invoice draft = invoice.toBuilder().status(DRAFT).build();
        save(draft);

        assertThat(repository.find(scope(customer), search().statuses(TestData.ALL_SEARCHABLE_STATUSES).build()))
                .isEmpty();
        assertThat(repository.findById(scope(customer), "inv-1")).contains(draft);
        assertThat(repository.overview(scope(customer), TODAY).currencies()).isEmpty();
    }

    @Test
    @DisplayName("CONFLICT when an invoice id belongs to another customer of the tenant; nothing is written")
    void conflictWhenTheIdBelongsToAnotherCustomer() {
        Customer owner = customer(TENANT, "cus-1");
        Customer intruder = customer(TENANT, "cus-2");
        Invoice original = TestData.invoice(owner, "inv-1", TODAY).number("ORIGINAL").build();
        save(original);
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

    @Test
    @DisplayName("a refused save leaves the invoice free for its owner to update")
    void afterAConflictTheOwnerCanStillUpdate() {
        Customer owner = customer(TENANT, "cus-1");
        Customer intruder = customer(TENANT, "cus-2");
        save(TestData.invoice(owner, "inv-1", TODAY).build());
        assertConflict(() -> repository.save(TestData.invoice(intruder, "inv-1", TODAY).build()));

        Invoice updated = TestData.invoice(owner, "inv-1", TODAY).number("UPDATED").build();
        save(updated);
        assertThat(repository.findById(scope(owner), "inv-1")).contains(updated);
        assertConflict(() -> repository.save(TestData.invoice(intruder, "inv-1", TODAY).build()));
    }

    // ================================================================ overview

    @Test
    @DisplayName("overview: a customer without invoices has no rows")
    void overviewOfACustomerWithoutInvoices() {
        Customer customer = customer(TENANT, "cus-1");
        Customer other = customer(TENANT, "cus-2");
        save(TestData.invoice(other, "inv-1", TODAY).build());

        BillingOverview overview = repository.overview(scope(customer), TODAY);

        assertThat(overview.asOf()).isEqualTo(TODAY);
        assertThat(overview.currencies()).isEmpty();
    }

    @Test
    @DisplayName("overview: one row per currency, never summed across; only finalized invoices count")
    void overviewPerCurrencyOverFinalizedOnly() {
        Customer customer = customer(TENANT, "cus-1");
        LocalDate yesterday = TODAY.minusDays(1);
        LocalDate lastMonth = TODAY.minusMonths(1);
        // EUR: overdue 100.00 and 30.00 (of 50.00), outstanding 20.00 (due today), paid 1000.00
        save(TestData.invoice(customer, "e1", lastMonth).paymentDueDate(yesterday).total(Money.of(100_00, EUR)).build());
        save(TestData.invoice(customer, "e2", lastMonth).paymentStatus(PaymentStatus.FAILED)
                .paymentDueDate(TODAY.minusDays(20)).total(Money.of(50_00, EUR)).amountDue(Money.of(30_00, EUR)).build());
        save(TestData.invoice(customer, "e3", lastMonth).paymentDueDate(TODAY).total(Money.of(20_00, EUR)).build());
        save(TestData.invoice(customer, "e4", lastMonth).paymentStatus(PaymentStatus.SUCCEEDED)
                .paymentDueDate(yesterday).total(Money.of(1_000_00, EUR)).build());
        // EUR that counts nowhere: voided, draft, failed, pending
        save(TestData.invoice(customer, "e5", lastMonth).status(VOIDED).paymentDueDate(yesterday)
                .total(Money.of(7_000_00, EUR)).build());
        save(TestData.invoice(customer, "e6", lastMonth).status(DRAFT).paymentDueDate(yesterday)
                .total(Money.of(8_000_00, EUR)).build());
        save(TestData.invoice(customer, "e7", lastMonth).status(FAILED).paymentDueDate(yesterday)
                .total(Money.of(9_000_00, EUR)).build());
        save(TestData.invoice(customer, "e8", lastMonth).status(PENDING).paymentDueDate(yesterday)
                .total(Money.of(6_000_00, EUR)).build());
        // USD: outstanding 12.34 (due tomorrow), paid 5.00
        save(TestData.invoice(customer, "u1", lastMonth).paymentDueDate(TODAY.plusDays(1)).total(Money.of(12_34, USD))
                .build());
        save(TestData.invoice(customer, "u2", lastMonth).paymentStatus(PaymentStatus.SUCCEEDED)
                .total(Money.of(5_00, USD)).build());
        // JPY only voided, KWD only draft: no row for either
        save(TestData.invoice(customer, "j1", lastMonth).status(VOIDED).total(Money.of(5_000, JPY)).build());
        save(TestData.invoice(customer, "k1", lastMonth).status(DRAFT).total(Money.of(5_000, KWD)).build());

        BillingOverview overview = repository.overview(scope(customer), TODAY);

        assertThat(overview).isEqualTo(new BillingOverview(TODAY, List.of(
                new CurrencyOverview(EUR, Money.of(1_170_00, EUR), Money.of(130_00, EUR), 2, Money.of(20_00, EUR), 1),
                new CurrencyOverview(USD, Money.of(17_34, USD), Money.zero(USD), 0, Money.of(12_34, USD), 1))));
        assertThat(overview.currency(JPY)).isEmpty();
        assertThat(overview.currency(KWD)).isEmpty();
        assertThat(overview).isEqualTo(TestData.expectedOverview(saved.values(), scope(customer), TODAY));
    }

    @Test
    @DisplayName("overview: the overdue/outstanding split follows the given today")
    void overviewSplitFollowsTheGivenToday() {
        Customer customer = customer(TENANT, "cus-1");
        save(TestData.invoice(customer, "inv-1", TODAY.minusDays(30)).paymentDueDate(TODAY).total(Money.of(10_00, EUR))
                .build());
        save(TestData.invoice(customer, "inv-2", TODAY.minusDays(30)).paymentDueDate(TODAY.plusDays(5))
                .total(Money.of(1_00, EUR)).build());

        assertThat(repository.overview(scope(customer), TODAY).currency(EUR)).contains(
                new CurrencyOverview(EUR, Money.of(11_00, EUR), Money.zero(EUR), 0, Money.of(11_00, EUR), 2));
        assertThat(repository.overview(scope(customer), TODAY.plusDays(1)).currency(EUR)).contains(
                new CurrencyOverview(EUR, Money.of(11_00, EUR), Money.of(10_00, EUR), 1, Money.of(1_00, EUR), 1));
        assertThat(repository.overview(scope(customer), TODAY.plusDays(6)).currency(EUR)).contains(
                new CurrencyOverview(EUR, Money.of(11_00, EUR), Money.of(11_00, EUR), 2, Money.zero(EUR), 0));
        assertThat(repository.overview(scope(customer), TODAY.plusDays(6)).asOf()).isEqualTo(TODAY.plusDays(6));
    }

    @Test
    @DisplayName("overview: only the scoped customer's invoices count, not another customer's or tenant's")
    void overviewIsScoped() {
        Customer a = customer(TENANT, "cus-1");
        Customer neighbour = customer(TENANT, "cus-2");
        Customer twin = customer(OTHER_TENANT, "cus-1");
        save(TestData.invoice(a, "inv-a", TODAY).total(Money.of(1_00, EUR)).build());
        save(TestData.invoice(neighbour, "inv-n", TODAY.minusDays(90)).total(Money.of(20_00, EUR)).build());
        save(TestData.invoice(twin, "inv-a", TODAY.minusDays(90)).total(Money.of(300_00, EUR)).build());
        save(TestData.invoice(twin, "inv-t", TODAY).total(Money.of(4_000, JPY)).build());

        assertThat(repository.overview(scope(a), TODAY)).isEqualTo(new BillingOverview(TODAY, List.of(
                new CurrencyOverview(EUR, Money.of(1_00, EUR), Money.zero(EUR), 0, Money.of(1_00, EUR), 1))));
        assertThat(repository.overview(scope(twin), TODAY))
                .isEqualTo(TestData.expectedOverview(saved.values(), scope(twin), TODAY));
        assertThat(repository.overview(scope(twin), TODAY).currencies()).hasSize(2);
    }

    @Test
    @DisplayName("overview: reflects the latest version of a re-saved invoice, counted once")
    void overviewReflectsTheLatestVersion() {
        Customer customer = customer(TENANT, "cus-1");
        Invoice unpaid = TestData.invoice(customer, "inv-1", TODAY.minusDays(60)).paymentDueDate(TODAY.minusDays(30))
                .total(Money.of(50_00, EUR)).build();
        save(unpaid);
        assertThat(repository.overview(scope(customer), TODAY).currency(EUR)).contains(
                new CurrencyOverview(EUR, Money.of(50_00, EUR), Money.of(50_00, EUR), 1, Money.zero(EUR), 0));

        save(unpaid.toBuilder().paymentStatus(PaymentStatus.SUCCEEDED).amountDue(Money.zero(EUR)).build());
        assertThat(repository.overview(scope(customer), TODAY).currency(EUR)).contains(
                new CurrencyOverview(EUR, Money.of(50_00, EUR), Money.zero(EUR), 0, Money.zero(EUR), 0));

        save(unpaid.toBuilder().status(VOIDED).build());
        assertThat(repository.overview(scope(customer), TODAY).currencies()).isEmpty();
    }

    @Test
    @DisplayName("overview: sums beyond 2^53 stay exact")
    void overviewSumsStayExact() {
        Customer customer = customer(TENANT, "cus-1");
        long big = 4_503_599_627_370_497L; // 2^52 + 1: two of them sum to 2^53 + 2, three beyond
        for (int i = 0; i < 3; i++) {
            save(TestData.invoice(customer, "inv-" + i, TODAY.minusDays(i)).paymentDueDate(TODAY.minusDays(i))
                    .total(Money.of(big, USD)).build());
        }
        save(TestData.invoice(customer, "inv-one", TODAY).paymentDueDate(TODAY).total(Money.of(1, USD)).build());

        assertThat(repository.overview(scope(customer), TODAY).currency(USD)).contains(new CurrencyOverview(USD,
                Money.of(3 * big + 1, USD), Money.of(2 * big, USD), 2, Money.of(big + 1, USD), 2));
    }

    @Test
    @DisplayName("overview agrees with a recomputation from the saved invoices, on several days")
    void overviewAgreesWithARecomputation() {
        Customer customer = saveCatalogue();
        Customer twin = customer(OTHER_TENANT, "cus-main");

        for (LocalDate today : List.of(TODAY, TODAY.plusDays(1), TODAY.plusDays(2), LocalDate.of(2026, 10, 31),
                LocalDate.of(2025, 6, 1), LocalDate.of(2030, 1, 1))) {
            BillingOverview expected = TestData.expectedOverview(saved.values(), scope(customer), today);
            assertThat(repository.overview(scope(customer), today)).as("on %s", today).isEqualTo(expected);
            assertThat(repository.overview(scope(twin), today)).as("twin on %s", today)
                    .isEqualTo(TestData.expectedOverview(saved.values(), scope(twin), today));
        }
        assertThat(repository.overview(scope(customer), TODAY).currencies()).extracting(CurrencyOverview::currency)
                .containsExactly(EUR, JPY, KWD, USD);
    }

    // ================================================================ concurrency

    @Test
    @Timeout(120)
    @DisplayName("several threads saving and reading at once: no error, nothing lost, every page ordered and scoped")
    void concurrentSavesAndReads() {
        int writers = 4;
        int perWriter = 40;
        int sharedPerWriter = 10;
        List<Customer> owners = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            owners.add(customer(TENANT, "cus-w" + w));
        }
        Customer shared = customer(TENANT, "cus-shared");
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

        finalVersions.values().forEach(invoice -> saved.put(List.of(invoice.tenantId(), invoice.id()), invoice));
        for (Customer c : owners) {
            assertThat(walk(scope(c), search(), 7)).as(c.id()).hasSize(perWriter)
                    .containsExactlyElementsOf(reference(scope(c), search().build()));
        }
        assertThat(walk(scope(shared), search(), 7)).hasSize(writers * sharedPerWriter)
                .containsExactlyElementsOf(reference(scope(shared), search().build()));
    }

    @Test
    @Timeout(120)
    @DisplayName("two customers racing to save one invoice id: exactly one wins, the other gets CONFLICT")
    void racingForOneIdHasExactlyOneWinner() {
        int rounds = 15;
        Customer x = customer(TENANT, "cus-x");
        Customer y = customer(TENANT, "cus-y");
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

    @Test
    @Timeout(120)
    @DisplayName("the owner saving one invoice from several threads at once: no error, one invoice, one whole version")
    void concurrentUpsertsOfOneInvoice() {
        int threads = 4;
        int rounds = 10;
        Customer customer = customer(TENANT, "cus-1");
        Concurrently.Barrier barrier = Concurrently.barrier(threads);

        Concurrently.run(threads, thread -> {
            for (int round = 0; round < rounds; round++) {
                barrier.await();
                repository.save(version(customer, round, thread));
            }
        });

        List<Invoice> all = walk(scope(customer), search(), 3);
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

    // ================================================================ fixtures and helpers

    /**
     * The customer {@code id} of {@code tenantId}, stored through {@link #saveCustomer} the first time.
     */
    private Customer customer(String tenantId, String id) {
        Customer customer = TestData.customer(tenantId, id);
        if (savedCustomers.add(List.of(tenantId, id))) {
            saveCustomer(customer);
        }
        return customer;
    }

    /** Saves through the repository and, once that succeeded, records it as reference data. */
    private void save(Invoice invoice) {
        repository.save(invoice);
        saved.put(List.of(invoice.tenantId(), invoice.id()), invoice);
    }

    /** One thread's version of the invoice raced for in one round: a different number, date and amount. */
    private static Invoice version(Customer customer, int round, int thread) {
        return TestData.invoice(customer, "hot-" + round, TODAY.minusDays(thread)).number("hot-" + round + "-v" + thread)
                .total(Money.of(100L * (thread + 1), EUR)).build();
    }

    /**
     * The catalogue behind the filter tests: 27 invoices of {@code cus-main} in {@link TestData#TENANT}
     * ({@code inv-001} to {@code inv-027}), the same numbers for a neighbour of the same tenant (ids
     * {@code oth-...}), and a twin {@code cus-main} in {@link TestData#OTHER_TENANT} with the same ids and
     * numbers but other amounts: a leak across customers or tenants shows up in every filter test.
     */
    private Customer saveCatalogue() {
        Customer main = customer(TENANT, "cus-main");
        Customer neighbour = customer(TENANT, "cus-neighbour");
        Customer twin = customer(OTHER_TENANT, "cus-main");
        for (Object[] row : CATALOGUE) {
            save(catalogueRow(main, (String) row[0], row));
        }
        for (Object[] row : CATALOGUE) {
            save(catalogueRow(neighbour, ((String) row[0]).replace("inv-", "oth-"), row));
            Invoice twinRow = catalogueRow(twin, (String) row[0], row);
            save(twinRow.toBuilder().subtotal(times(twinRow.subtotal(), 3)).taxes(times(twinRow.taxes(), 3))
                    .total(times(twinRow.total(), 3)).amountDue(times(twinRow.amountDue(), 3)).build());
        }
        return main;
    }

    private static int catalogueSize() {
        return CATALOGUE.length;
    }

    private static Money times(Money money, int factor) {
        return Money.of(money.amountMinor() * factor, money.currency());
    }

    private static Invoice catalogueRow(Customer owner, String id, Object[] row) {
        Money total = (Money) row[6];
        Invoice.Builder builder = Invoice.builder().customer(owner).id(id).number((String) row[1])
                .status((InvoiceStatus) row[2]).paymentStatus((PaymentStatus) row[3])
                .issuingDate(LocalDate.parse((String) row[4])).paymentDueDate(LocalDate.parse((String) row[5]))
                .total(total);
        if (row.length > 7) {
            builder.amountDue((Money) row[7]);
        }
        return builder.build();
    }

    // id, number, status, payment status, issued, due, total[, amount due]; TODAY is 2026-11-21
    private static final Object[][] CATALOGUE = {
            {"inv-001", "F-2026-001", FINALIZED, PaymentStatus.PENDING, "2026-10-01", "2026-10-31", Money.of(120_00, EUR)},
            {"inv-002", "F-2026-002", FINALIZED, PaymentStatus.FAILED, "2026-10-15", "2026-11-20", Money.of(80_00, EUR),
                    Money.of(30_00, EUR)},
            {"inv-003", "F-2026-003", FINALIZED, PaymentStatus.PENDING, "2026-11-01", "2026-11-21", Money.of(45_50, EUR)},
            {"inv-004", "F-2026-004", FINALIZED, PaymentStatus.PENDING, "2026-11-10", "2026-11-22", Money.of(10_00, USD)},
            {"inv-005", "F-2026-005", FINALIZED, PaymentStatus.SUCCEEDED, "2026-09-01", "2026-09-15",
                    Money.of(999_99, EUR)},
            {"inv-006", "V-2026-006", VOIDED, PaymentStatus.PENDING, "2026-08-01", "2026-08-31", Money.of(500_00, EUR)},
            {"inv-007", "V-2026-007", VOIDED, PaymentStatus.SUCCEEDED, "2026-11-21", "2026-12-21", Money.of(70_00, EUR)},
            {"inv-008", "X-2026-008", FAILED, PaymentStatus.PENDING, "2026-07-01", "2026-07-15", Money.of(1_00, EUR)},
            {"inv-009", "P-2026-009", PENDING, PaymentStatus.FAILED, "2026-06-01", "2026-06-30", Money.of(2_00, EUR)},
            {"inv-010", "D-2026-010", DRAFT, PaymentStatus.PENDING, "2026-11-20", "2026-11-20", Money.of(3_00, EUR)},
            {"inv-011", "\u00c9T\u00c9-2026-011", FINALIZED, PaymentStatus.SUCCEEDED, "2026-07-15", "2026-07-30",
                    Money.of(5_000, JPY)},
            {"inv-012", "\u00e9t\u00e9-2026-012", FINALIZED, PaymentStatus.PENDING, "2026-07-16", "2026-08-16",
                    Money.of(7_000, JPY)},
            {"inv-013", "ETE-2026-013", FINALIZED, PaymentStatus.SUCCEEDED, "2026-07-17", "2026-08-17",
                    Money.of(15_00, EUR)},
            {"inv-014", "\u0421\u0427\u0401\u0422-2026-014", FINALIZED, PaymentStatus.PENDING, "2026-05-05", "2026-12-31",
                    Money.of(1_234, KWD)},
            {"inv-015", "50%OFF-015", FINALIZED, PaymentStatus.PENDING, "2026-04-01", "2026-12-31", Money.of(15_00, EUR)},
            {"inv-016", "A_B-016", FINALIZED, PaymentStatus.PENDING, "2026-04-02", "2026-12-31", Money.of(16_00, EUR)},
            {"inv-017", "C\\D-017", FINALIZED, PaymentStatus.PENDING, "2026-04-03", "2026-12-31", Money.of(17_00, EUR)},
            {"inv-018", "O'BRIEN-018", FINALIZED, PaymentStatus.PENDING, "2026-04-04", "2026-12-31", Money.of(18_00, EUR)},
            {"inv-019", "50XOFF-019", FINALIZED, PaymentStatus.PENDING, "2026-04-05", "2026-12-31", Money.of(19_00, EUR)},
            {"inv-020", "AXB-020", FINALIZED, PaymentStatus.PENDING, "2026-04-06", "2026-12-31", Money.of(20_00, EUR)},
            {"inv-021", "CD-021", FINALIZED, PaymentStatus.PENDING, "2026-04-07", "2026-12-31", Money.of(21_00, EUR)},
            {"inv-022", "請求書-2026-022-😀", FINALIZED, PaymentStatus.PENDING, "2026-03-01", "2026-12-31",
                    Money.of(22_000, JPY)},
            {"inv-023", "فاتورة-023", FINALIZED, PaymentStatus.PENDING, "2026-03-02", "2026-12-31", Money.of(23_00, USD)},
            {"inv-024", "REF INV-001 COPY", FINALIZED, PaymentStatus.PENDING, "2025-12-31", "2026-12-31",
                    Money.of(24_00, EUR)},
            {"inv-025", "F-2026-025", VOIDED, PaymentStatus.FAILED, "2026-11-21", "2026-11-21", Money.of(25_00, EUR)},
            {"inv-026", "F-2025-026", FINALIZED, PaymentStatus.PENDING, "2025-01-01", "2025-01-31", Money.of(26_00, EUR)},
            {"inv-027", "F-2026-027", FINALIZED, PaymentStatus.PENDING, "2026-11-21", "2026-12-21", Money.of(27_00, EUR)},
    };

    /** The catalogue ids of {@code cus-main} given, sorted in portal order. */
    private List<String> inOrder(String... ids) {
        List<Invoice> invoices = new ArrayList<>();
        for (String id : ids) {
            Invoice invoice = saved.get(List.of(TENANT, id));
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

    private List<Invoice> reference(CustomerScope scope, InvoiceSearch search) {
        return TestData.expectedPage(saved.values(), scope, search);
    }

    /**
     * Walks every page of {@code search} ({@code after} and {@code limit} are overwritten), checking each page,
     * and returns the concatenation.
     */
    private List<Invoice> walk(CustomerScope scope, InvoiceSearchBuilder search, int pageSize) {
        List<Invoice> all = new ArrayList<>();
        InvoiceKey after = null;
        for (int pages = 0; ; pages++) {
            assertThat(pages).as("rule: the cursor moves forward (pages walked; is the cursor ignored?)").isLessThan(400);
            List<Invoice> page = repository.find(scope, search.after(after).limit(pageSize).build());
            assertThat(page.size()).as("rule: a page holds at most the limit (page %d)", pages).isLessThanOrEqualTo(pageSize);
            assertOrderedAndScoped(scope, page);
            if (!page.isEmpty() && after != null) {
                assertThat(after.precedes(page.get(0))).as("rule: a page starts strictly after its cursor (page %d)", pages)
                        .isTrue();
            }
            all.addAll(page);
            if (page.size() < pageSize) {
                break;
            }
            after = InvoiceKey.of(last(page));
        }
        search.after((InvoiceKey) null);
        assertThat(ids(all)).as("every invoice once").doesNotHaveDuplicates();
        return all;
    }

    private static void assertOrderedAndScoped(CustomerScope scope, List<Invoice> invoices) {
        assertThat(invoices).as("in portal order").isSortedAccordingTo(TestData.portalOrder());
        assertThat(invoices).as("scoped to %s", scope)
                .allSatisfy(invoice -> assertThat(TestData.inScope(invoice, scope)).as(invoice.id()).isTrue());
        assertThat(invoices).as("no drafts").noneMatch(invoice -> invoice.status() == DRAFT);
    }

    private InvoiceKey key(String id) {
        Invoice invoice = saved.values().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
        return InvoiceKey.of(invoice);
    }

    private static Invoice last(List<Invoice> page) {
        assertThat(page).as("page").isNotEmpty();
        return page.get(page.size() - 1);
    }

    private static List<String> ids(Collection<Invoice> invoices) {
        return invoices.stream().map(Invoice::id).toList();
    }

    private static CustomerScope scope(Customer customer) {
        return CustomerScope.of(customer);
    }

    private static void assertConflict(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).as("error code").isEqualTo(ErrorCode.CONFLICT));
    }
}
