package dev.billingportal.testkit;

import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.profile.ProfileField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@link CustomerRepository}: subclass it, implement {@link #createRepository()}, and run it
 * as an ordinary JUnit Jupiter test class.
 *
 * <pre>{@code
 * class MyCustomerRepositoryTest extends CustomerRepositoryContract {
 *     @Override
 *     protected CustomerRepository createRepository() {
 *         truncateTables();
 *         return new MyCustomerRepository(dataSource);
 *     }
 * }
 * }</pre>
 *
 * <p>What it pins down, beyond the Javadoc of the interface: lookups are exact and case-sensitive (no
 * pattern matching, no case- or accent-folding collation), every field round-trips unchanged, Unicode outside the
 * BMP and right-to-left text included, and so do accented and CJK text at the maximum lengths, a tenant never sees another
 * tenant's rows, and a {@code CONFLICT} writes nothing, also when two threads race for one external id. For a
 * repository that {@linkplain CustomerRepository#supportsUpdate() supports updates}: an update changes exactly the
 * given fields of exactly the customer in scope, answers the row as stored, is {@code NOT_FOUND} outside the scope,
 * and writes nothing when the result is invalid.
 */
public abstract class CustomerRepositoryContract {

    private CustomerRepository repository;
    // Every test is declared here, where reports find its name; its body is the method of the same name of the
    // checks of its section, over this test's repository.
    private CustomerLookupChecks lookups;
    private CustomerWriteChecks writes;
    private CustomerUpdateChecks updates;

    /**
     * Return a repository over EMPTY storage; called before each test. Clear tables here (or use a fresh
     * schema) when the storage outlives one test.
     *
     * @return the repository under test
     */
    protected abstract CustomerRepository createRepository();

    /**
     * The repository the current test runs against, for subclasses that add tests of their own.
     *
     * @return the repository {@link #createRepository()} returned for this test
     */
    protected final CustomerRepository repository() {
        return repository;
    }

    @BeforeEach
    final void createRepositoryUnderTest() {
        repository = createRepository();
        assertThat(repository).as("createRepository()").isNotNull();
        lookups = new CustomerLookupChecks(repository);
        writes = new CustomerWriteChecks(repository);
        updates = new CustomerUpdateChecks(repository);
    }

    // ---------------------------------------------------------------- finding

    @Test
    @DisplayName("a saved customer is found by internal id and by external id, equal in every field")
    void savedCustomerIsFoundByIdAndExternalId() {
        lookups.savedCustomerIsFoundByIdAndExternalId();
    }

    @Test
    @DisplayName("empty storage finds nothing")
    void emptyStorageFindsNothing() {
        lookups.emptyStorageFindsNothing();
    }

    @Test
    @DisplayName("unknown ids are not found; internal and external ids are not interchangeable")
    void unknownIdsAreNotFound() {
        lookups.unknownIdsAreNotFound();
    }

    @Test
    @DisplayName("findById is scoped by tenant")
    void findByIdIsScopedByTenant() {
        lookups.findByIdIsScopedByTenant();
    }

    @Test
    @DisplayName("findByExternalId is scoped by tenant")
    void findByExternalIdIsScopedByTenant() {
        lookups.findByExternalIdIsScopedByTenant();
    }

    @Test
    @DisplayName("the same internal and external ids in two tenants are two separate customers")
    void sameIdsInTwoTenantsAreSeparate() {
        lookups.sameIdsInTwoTenantsAreSeparate();
    }

    @Test
    @DisplayName("ids differing only in letter case are different customers (lookups are case-sensitive)")
    void idsDifferingOnlyInCaseAreDistinct() {
        lookups.idsDifferingOnlyInCaseAreDistinct();
    }

    @Test
    @DisplayName("ids differing only in accents are different customers (no accent-insensitive collation)")
    void idsDifferingOnlyInAccentsAreDistinct() {
        lookups.idsDifferingOnlyInAccentsAreDistinct();
    }

    @Test
    @DisplayName("lookups are exact: % and _ in an id are not wildcards, and a prefix finds nothing")
    void lookupsAreExactNotPatterns() {
        lookups.lookupsAreExactNotPatterns();
    }

    // ---------------------------------------------------------------- round trips

    @Test
    @DisplayName("every field round-trips, with billing and shipping addresses kept apart")
    void everyFieldRoundTrips() {
        lookups.everyFieldRoundTrips();
    }

    @Test
    @DisplayName("a customer with only the required fields round-trips: nulls stay null, addresses stay empty")
    void minimalCustomerRoundTrips() {
        lookups.minimalCustomerRoundTrips();
    }

    @Test
    @DisplayName("Unicode round-trips: CJK, emoji outside the BMP, right-to-left and combining characters")
    void unicodeRoundTrips() {
        lookups.unicodeRoundTrips();
    }

    @Test
    @DisplayName("values at the maximum lengths round-trip: 255-character ids, 1000-character texts")
    void maximumLengthsRoundTrip() {
        lookups.maximumLengthsRoundTrip();
    }

    // ---------------------------------------------------------------- upsert and conflicts

    @Test
    @DisplayName("saving the same (tenant, id) twice replaces every field")
    void saveTwiceReplaces() {
        writes.saveTwiceReplaces();
    }

    @Test
    @DisplayName("changing a customer's external id releases the old one, which another customer may then take")
    void changingExternalIdReleasesTheOldOne() {
        writes.changingExternalIdReleasesTheOldOne();
    }

    @Test
    @DisplayName("CONFLICT when a new customer claims an external id taken in its tenant; nothing is written")
    void conflictOnNewCustomerWithTakenExternalId() {
        writes.conflictOnNewCustomerWithTakenExternalId();
    }

    @Test
    @DisplayName("CONFLICT when an existing customer moves to an external id taken in its tenant; nothing is written")
    void conflictOnExistingCustomerMovingToTakenExternalId() {
        writes.conflictOnExistingCustomerMovingToTakenExternalId();
    }

    @Test
    @DisplayName("an external id taken in one tenant is free in another")
    void externalIdTakenInOneTenantIsFreeInAnother() {
        writes.externalIdTakenInOneTenantIsFreeInAnother();
    }

    @Test
    @DisplayName("saving a customer again unchanged is not a conflict with itself")
    void resavingUnchangedIsNotAConflict() {
        writes.resavingUnchangedIsNotAConflict();
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(120)
    @DisplayName("concurrent saves and reads on several threads: no error, no customer lost, reads never torn")
    void concurrentSavesAndReads() {
        writes.concurrentSavesAndReads();
    }

    @Test
    @Timeout(120)
    @DisplayName("two customers racing for one external id: exactly one wins, the loser gets CONFLICT and has no row")
    void racingForOneExternalIdHasExactlyOneWinner() {
        writes.racingForOneExternalIdHasExactlyOneWinner();
    }

    // ---------------------------------------------------------------- update

    @Test
    @DisplayName("supportsUpdate tells the truth: with it an update is stored, without it refused as FORBIDDEN and nothing changes")
    void supportsUpdateTellsTheTruth() {
        updates.supportsUpdateTellsTheTruth();
    }

    @ParameterizedTest(name = "updating only {0} changes {0} and leaves every other field as stored")
    @EnumSource(ProfileField.class)
    void updateChangesOnlyTheGivenField(ProfileField field) {
        updates.updateChangesOnlyTheGivenField(field);
    }

    @ParameterizedTest(name = "updating {0} to null clears it and nothing else")
    @EnumSource(ProfileField.class)
    void updateToNullClearsTheField(ProfileField field) {
        updates.updateToNullClearsTheField(field);
    }

    @Test
    @DisplayName("an update of several fields changes all of them at once; ids, currency and time zone stay")
    void updateOfSeveralFields() {
        updates.updateOfSeveralFields();
    }

    @Test
    @DisplayName("an update leaves the other customers of the tenant and the same id of another tenant untouched")
    void updateTouchesNoOtherCustomer() {
        updates.updateTouchesNoOtherCustomer();
    }

    @Test
    @DisplayName("updating a customer that is not stored, or is stored in another tenant, is NOT_FOUND and stores nothing")
    void updateOfUnknownCustomerIsNotFound() {
        updates.updateOfUnknownCustomerIsNotFound();
    }

    @Test
    @DisplayName("an update whose result is invalid is refused with VALIDATION_ERROR and writes nothing, not even its valid fields")
    void invalidUpdateWritesNothing() {
        updates.invalidUpdateWritesNothing();
    }

    @Test
    @DisplayName("an empty update changes nothing and answers the customer as stored")
    void emptyUpdateChangesNothing() {
        updates.emptyUpdateChangesNothing();
    }

    @Test
    @Timeout(60)
    @DisplayName("8 threads updating different fields of one customer at once: every change is kept")
    void concurrentUpdatesOfDifferentFieldsAreAllKept() {
        updates.concurrentUpdatesOfDifferentFieldsAreAllKept();
    }
}
