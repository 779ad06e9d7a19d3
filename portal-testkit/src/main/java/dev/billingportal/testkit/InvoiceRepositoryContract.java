package dev.billingportal.testkit;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.invoices.InvoiceSearch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

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
    // Every test is declared here, where reports find its name; its body is the method of the same name of the
    // checks of its section, over this test's InvoiceContractFixture (the repository and the reference data).
    private InvoiceLookupChecks lookups;
    private InvoicePagingChecks paging;
    private InvoiceFilterChecks filters;
    private InvoiceWriteChecks writes;
    private InvoiceOverviewChecks overviews;

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
        repository = createRepository();
        assertThat(repository).as("createRepository()").isNotNull();
        InvoiceContractFixture fixture = new InvoiceContractFixture(repository, this::saveCustomer);
        lookups = new InvoiceLookupChecks(fixture);
        paging = new InvoicePagingChecks(fixture);
        filters = new InvoiceFilterChecks(fixture);
        writes = new InvoiceWriteChecks(fixture);
        overviews = new InvoiceOverviewChecks(fixture);
    }

    // ================================================================ findById and scoping

    @Test
    @DisplayName("a saved invoice is found by id, equal in every field")
    void savedInvoiceIsFoundById() {
        lookups.savedInvoiceIsFoundById();
    }

    @Test
    @DisplayName("empty storage: findById, find and overview all answer empty")
    void emptyStorageAnswersEmpty() {
        lookups.emptyStorageAnswersEmpty();
    }

    @Test
    @DisplayName("an unknown invoice id is not found")
    void unknownIdIsNotFound() {
        lookups.unknownIdIsNotFound();
    }

    @Test
    @DisplayName("findById never returns another customer's invoice of the same tenant")
    void findByIdIsScopedToTheCustomer() {
        lookups.findByIdIsScopedToTheCustomer();
    }

    @Test
    @DisplayName("findById never returns an invoice of another tenant, even for the same customer id")
    void findByIdIsScopedToTheTenant() {
        lookups.findByIdIsScopedToTheTenant();
    }

    @Test
    @DisplayName("findById returns drafts, failed and pending invoices too (the service hides them)")
    void findByIdReturnsEveryStatus() {
        lookups.findByIdReturnsEveryStatus();
    }

    @Test
    @DisplayName("find returns only the scoped customer's invoices, never another customer's or tenant's")
    void findIsScoped() {
        lookups.findIsScoped();
    }

    @Test
    @DisplayName("the same invoice id in two tenants is two separate invoices, updated independently")
    void sameInvoiceIdInTwoTenantsStaysSeparate() {
        lookups.sameInvoiceIdInTwoTenantsStaysSeparate();
    }

    @Test
    @DisplayName("ids differing only in letter case are different invoices")
    void idsDifferingOnlyInCaseAreDistinct() {
        lookups.idsDifferingOnlyInCaseAreDistinct();
    }

    // ================================================================ round trips

    @Test
    @DisplayName("every combination of type, status and payment status round-trips")
    void everyEnumValueRoundTrips() {
        lookups.everyEnumValueRoundTrips();
    }

    @Test
    @DisplayName("money round-trips exactly: 0, 2 and 3 fraction digits, amounts beyond 2^31 and 2^53")
    void moneyRoundTripsExactly() {
        lookups.moneyRoundTripsExactly();
    }

    @Test
    @DisplayName("dates round-trip: leap day, 1999, and dates after 2038")
    void datesRoundTrip() {
        lookups.datesRoundTrip();
    }

    @Test
    @DisplayName("Unicode numbers and document references round-trip: CJK, emoji, right-to-left, combining")
    void unicodeRoundTrips() {
        lookups.unicodeRoundTrips();
    }

    @Test
    @DisplayName("values at the maximum lengths round-trip: 255-character id and number, 1000-character document ref")
    void maximumLengthsRoundTrip() {
        lookups.maximumLengthsRoundTrip();
    }

    // ================================================================ ordering

    @Test
    @DisplayName("find orders by issuing date, newest first, whatever the order of saving")
    void findOrdersByIssuingDateDescending() {
        paging.findOrdersByIssuingDateDescending();
    }

    @Test
    @DisplayName("ties on the issuing date order by id descending, compared as binary ASCII (not a collation)")
    void tiesOrderByIdDescendingBinary() {
        paging.tiesOrderByIdDescendingBinary();
    }

    @Test
    @DisplayName("changing an invoice's issuing date moves it in the order")
    void changingTheIssuingDateMovesTheInvoice() {
        paging.changingTheIssuingDateMovesTheInvoice();
    }

    // ================================================================ keyset pagination

    @ParameterizedTest(name = "pages of {0}: every invoice exactly once, newest first, none over the limit")
    @ValueSource(ints = {1, 2, 3, 4, 5, 12, 13, 101})
    @DisplayName("walking every page yields every invoice exactly once, in order, each page at most the limit")
    void walkingEveryPageYieldsEveryInvoiceOnce(int pageSize) {
        paging.walkingEveryPageYieldsEveryInvoiceOnce(pageSize);
    }

    @Test
    @DisplayName("limit 1 returns the newest invoice, and each next page the following one")
    void limitOneReturnsOneAtATime() {
        paging.limitOneReturnsOneAtATime();
    }

    @Test
    @DisplayName("an exactly full last page is followed by an empty page")
    void exactlyFullLastPageIsFollowedByAnEmptyPage() {
        paging.exactlyFullLastPageIsFollowedByAnEmptyPage();
    }

    @Test
    @DisplayName("a limit above the number of rows returns them all; a limit below returns the newest ones")
    void limitIsHonoured() {
        paging.limitIsHonoured();
    }

    @Test
    @DisplayName("the largest limit (101) is honoured: 150 invoices give pages of 101 and 49")
    void largestLimitIsHonoured() {
        paging.largestLimitIsHonoured();
    }

    @Test
    @DisplayName("after the last invoice's key: empty; after a key older than every invoice: empty")
    void afterTheLastKeyIsEmpty() {
        paging.afterTheLastKeyIsEmpty();
    }

    @Test
    @DisplayName("after a key newer than every invoice: everything")
    void afterAKeyNewerThanEverythingReturnsAll() {
        paging.afterAKeyNewerThanEverythingReturnsAll();
    }

    @Test
    @DisplayName("after a key inside a group of equal dates: the rest of the group (smaller ids), then older dates")
    void afterAKeyInsideAGroupOfEqualDates() {
        paging.afterAKeyInsideAGroupOfEqualDates();
    }

    @Test
    @DisplayName("after a key that no invoice has (never existed): continues at the right place")
    void afterAKeyThatNeverExisted() {
        paging.afterAKeyThatNeverExisted();
    }

    @Test
    @DisplayName("after the key of an invoice that moved since the page was read: no duplicate, nothing skipped")
    void afterAKeyThatNoLongerExists() {
        paging.afterAKeyThatNoLongerExists();
    }

    @Test
    @DisplayName("after the key of an invoice the filter now excludes: continues right after that key")
    void afterTheKeyOfAnInvoiceTheFilterExcludes() {
        paging.afterTheKeyOfAnInvoiceTheFilterExcludes();
    }

    @Test
    @DisplayName("pagination with filters: walking filtered pages gives exactly the filtered invoices")
    void paginationWithFilters() {
        paging.paginationWithFilters();
    }

    // ================================================================ filters, one at a time

    @Test
    @DisplayName("status filter: only the statuses asked for; drafts never come back")
    void statusFilter() {
        filters.statusFilter();
    }

    @Test
    @DisplayName("payment status filter: only the payment statuses asked for; none asked means all")
    void paymentStatusFilter() {
        filters.paymentStatusFilter();
    }

    @Test
    @DisplayName("overdue filter: finalized, unpaid, due before today; due today, paid, voided, failed never are")
    void overdueFilter() {
        filters.overdueFilter();
    }

    @Test
    @DisplayName("overdue is computed on the given today, not on the clock")
    void overdueUsesTheGivenToday() {
        filters.overdueUsesTheGivenToday();
    }

    @Test
    @DisplayName("issued_from and issued_to are inclusive bounds, alone or together")
    void issuingDateBoundsAreInclusive() {
        filters.issuingDateBoundsAreInclusive();
    }

    @Test
    @DisplayName("search is a case-insensitive substring of the number")
    void searchIsACaseInsensitiveSubstring() {
        filters.searchIsACaseInsensitiveSubstring();
    }

    @Test
    @DisplayName("search folds case of non-ASCII letters (ÉTÉ = été, СЧЁТ = счёт) but keeps accents (ete ≠ été)")
    void searchFoldsNonAsciiCaseButNotAccents() {
        filters.searchFoldsNonAsciiCaseButNotAccents();
    }

    @Test
    @DisplayName("search characters % _ \\ ' and blanks are literal, never wildcards, escapes or trimmed")
    void searchSpecialCharactersAreLiteral() {
        filters.searchSpecialCharactersAreLiteral();
    }

    @Test
    @DisplayName("search also matches the exact id, case-sensitively; a prefix or a trailing blank does not")
    void searchMatchesTheExactId() {
        filters.searchMatchesTheExactId();
    }

    // ================================================================ filters combined

    @Test
    @DisplayName("filters combine with AND")
    void filtersCombineWithAnd() {
        filters.filtersCombineWithAnd();
    }

    @Test
    @DisplayName("every combination of filters agrees with InvoiceSearch.matches over the same data")
    void everyCombinationAgreesWithTheReference() {
        filters.everyCombinationAgreesWithTheReference();
    }

    // ================================================================ upsert and conflicts

    @Test
    @DisplayName("saving the same (tenant, id) twice replaces every field, leaving one invoice")
    void saveTwiceReplaces() {
        writes.saveTwiceReplaces();
    }

    @Test
    @DisplayName("saving an unchanged invoice again is not a conflict with itself")
    void resavingUnchangedIsNotAConflict() {
        writes.resavingUnchangedIsNotAConflict();
    }

    @Test
    @DisplayName("re-saving an invoice as a draft hides it from find but not from findById")
    void resavingAsDraftHidesItFromFind() {
        writes.resavingAsDraftHidesItFromFind();
    }

    @Test
    @DisplayName("CONFLICT when an invoice id belongs to another customer of the tenant; nothing is written")
    void conflictWhenTheIdBelongsToAnotherCustomer() {
        writes.conflictWhenTheIdBelongsToAnotherCustomer();
    }

    @Test
    @DisplayName("a refused save leaves the invoice free for its owner to update")
    void afterAConflictTheOwnerCanStillUpdate() {
        writes.afterAConflictTheOwnerCanStillUpdate();
    }

    // ================================================================ overview

    @Test
    @DisplayName("overview: a customer without invoices has no rows")
    void overviewOfACustomerWithoutInvoices() {
        overviews.overviewOfACustomerWithoutInvoices();
    }

    @Test
    @DisplayName("overview: one row per currency, never summed across; only finalized invoices count")
    void overviewPerCurrencyOverFinalizedOnly() {
        overviews.overviewPerCurrencyOverFinalizedOnly();
    }

    @Test
    @DisplayName("overview: the overdue/outstanding split follows the given today")
    void overviewSplitFollowsTheGivenToday() {
        overviews.overviewSplitFollowsTheGivenToday();
    }

    @Test
    @DisplayName("overview: only the scoped customer's invoices count, not another customer's or tenant's")
    void overviewIsScoped() {
        overviews.overviewIsScoped();
    }

    @Test
    @DisplayName("overview: reflects the latest version of a re-saved invoice, counted once")
    void overviewReflectsTheLatestVersion() {
        overviews.overviewReflectsTheLatestVersion();
    }

    @Test
    @DisplayName("overview: sums beyond 2^53 stay exact")
    void overviewSumsStayExact() {
        overviews.overviewSumsStayExact();
    }

    @Test
    @DisplayName("overview agrees with a recomputation from the saved invoices, on several days")
    void overviewAgreesWithARecomputation() {
        overviews.overviewAgreesWithARecomputation();
    }

    // ================================================================ concurrency

    @Test
    @Timeout(120)
    @DisplayName("several threads saving and reading at once: no error, nothing lost, every page ordered and scoped")
    void concurrentSavesAndReads() {
        writes.concurrentSavesAndReads();
    }

    @Test
    @Timeout(120)
    @DisplayName("two customers racing to save one invoice id: exactly one wins, the other gets CONFLICT")
    void racingForOneIdHasExactlyOneWinner() {
        writes.racingForOneIdHasExactlyOneWinner();
    }

    @Test
    @Timeout(120)
    @DisplayName("the owner saving one invoice from several threads at once: no error, one invoice, one whole version")
    void concurrentUpsertsOfOneInvoice() {
        writes.concurrentUpsertsOfOneInvoice();
    }
}
