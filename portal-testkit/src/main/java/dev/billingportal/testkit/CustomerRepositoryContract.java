package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.profile.CustomerUpdate;
import dev.billingportal.core.profile.ProfileField;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.customer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * pattern matching, no case- or accent-folding collation), every field round-trips unchanged including
 * Unicode outside the BMP and right-to-left text at the maximum lengths, a tenant never sees another
 * tenant's rows, and a {@code CONFLICT} writes nothing, also when two threads race for one external id. For a
 * repository that {@linkplain CustomerRepository#supportsUpdate() supports updates}: an update changes exactly the
 * given fields of exactly the customer in scope, answers the row as stored, is {@code NOT_FOUND} outside the scope,
 * and writes nothing when the result is invalid.
 */
public abstract class CustomerRepositoryContract {

    private CustomerRepository repository;

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
    }

    // ---------------------------------------------------------------- finding

    @Test
    @DisplayName("a saved customer is found by internal id and by external id, equal in every field")
    void savedCustomerIsFoundByIdAndExternalId() {
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);

        assertThat(repository.findById(TENANT, "cus-1")).contains(customer);
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-1"))).contains(customer);
    }

    @Test
    @DisplayName("empty storage finds nothing")
    void emptyStorageFindsNothing() {
        assertThat(repository.findById(TENANT, "cus-1")).isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-cus-1"))).isEmpty();
    }

    @Test
    @DisplayName("unknown ids are not found; internal and external ids are not interchangeable")
    void unknownIdsAreNotFound() {
        repository.save(customer(TENANT, "cus-1"));

        assertThat(repository.findById(TENANT, "cus-2")).isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-cus-2"))).isEmpty();
        assertThat(repository.findById(TENANT, "ext-cus-1")).as("external id used as internal id").isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "cus-1"))).as("internal id used as external id")
                .isEmpty();
    }

    @Test
    @DisplayName("findById is scoped by tenant")
    void findByIdIsScopedByTenant() {
        repository.save(customer(TENANT, "cus-1"));

        assertThat(repository.findById(OTHER_TENANT, "cus-1")).isEmpty();
        assertThat(repository.findById(TENANT, "cus-1")).isPresent();
    }

    @Test
    @DisplayName("findByExternalId is scoped by tenant")
    void findByExternalIdIsScopedByTenant() {
        repository.save(customer(TENANT, "cus-1"));

        assertThat(repository.findByExternalId(CustomerRef.of(OTHER_TENANT, "ext-cus-1"))).isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-cus-1"))).isPresent();
    }

    @Test
    @DisplayName("the same internal and external ids in two tenants are two separate customers")
    void sameIdsInTwoTenantsAreSeparate() {
        Customer a = customer(TENANT, "cus-1").toBuilder().name("Tenant A's customer").currency("EUR").build();
        Customer b = customer(OTHER_TENANT, "cus-1").toBuilder().name("Tenant B's customer").currency("USD").build();
        repository.save(a);
        repository.save(b);

        assertThat(repository.findById(TENANT, "cus-1")).contains(a);
        assertThat(repository.findById(OTHER_TENANT, "cus-1")).contains(b);
        assertThat(repository.findByExternalId(a.ref())).contains(a);
        assertThat(repository.findByExternalId(b.ref())).contains(b);

        Customer renamed = a.toBuilder().name("Renamed in A only").build();
        repository.save(renamed);
        assertThat(repository.findById(OTHER_TENANT, "cus-1")).as("tenant B after an update in A").contains(b);
        assertThat(repository.findById(TENANT, "cus-1")).contains(renamed);
    }

    @Test
    @DisplayName("ids differing only in letter case are different customers (lookups are case-sensitive)")
    void idsDifferingOnlyInCaseAreDistinct() {
        Customer lower = Customer.builder().tenantId(TENANT).id("cus-a").externalId("ext-a").name("lower").build();
        Customer upper = Customer.builder().tenantId(TENANT).id("CUS-A").externalId("EXT-A").name("upper").build();
        repository.save(lower);
        repository.save(upper);

        assertThat(repository.findById(TENANT, "cus-a")).contains(lower);
        assertThat(repository.findById(TENANT, "CUS-A")).contains(upper);
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-a"))).contains(lower);
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "EXT-A"))).contains(upper);
        assertThat(repository.findById(TENANT, "Cus-A")).isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "Ext-A"))).isEmpty();
    }

    @Test
    @DisplayName("ids differing only in accents are different customers (no accent-insensitive collation)")
    void idsDifferingOnlyInAccentsAreDistinct() {
        Customer plain = Customer.builder().tenantId(TENANT).id("cus-ete").externalId("ext-ete").name("plain").build();
        Customer accented = Customer.builder().tenantId(TENANT).id("cus-été").externalId("ext-été").name("accented")
                .build();
        repository.save(plain);
        repository.save(accented);

        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-ete"))).contains(plain);
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-été"))).contains(accented);
        assertThat(repository.findById(TENANT, "cus-ete")).contains(plain);
        assertThat(repository.findById(TENANT, "cus-été")).contains(accented);
    }

    @Test
    @DisplayName("lookups are exact: % and _ in an id are not wildcards, and a prefix finds nothing")
    void lookupsAreExactNotPatterns() {
        Customer customer = Customer.builder().tenantId(TENANT).id("cusX1").externalId("extX1").build();
        Customer literal = Customer.builder().tenantId(TENANT).id("cus%_1").externalId("ext%_1").build();
        repository.save(customer);
        repository.save(literal);

        assertThat(repository.findById(TENANT, "cus_1")).isEmpty();
        assertThat(repository.findById(TENANT, "cus%")).isEmpty();
        assertThat(repository.findById(TENANT, "cus")).isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext_1"))).isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext%"))).isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "extX1 x"))).isEmpty();
        assertThat(repository.findById(TENANT, "cus%_1")).contains(literal);
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext%_1"))).contains(literal);
        assertThat(repository.findByExternalId(CustomerRef.of("tenant-%", "extX1"))).as("tenant as a pattern")
                .isEmpty();
    }

    // ---------------------------------------------------------------- round trips

    @Test
    @DisplayName("every field round-trips, with billing and shipping addresses kept apart")
    void everyFieldRoundTrips() {
        Customer customer = fullCustomer(TENANT, "cus-full", "ext-full");
        repository.save(customer);

        Customer found = repository.findById(TENANT, "cus-full").orElseThrow();
        assertThat(found).isEqualTo(customer);
        assertThat(found.billingAddress()).isEqualTo(customer.billingAddress());
        assertThat(found.shippingAddress()).isEqualTo(customer.shippingAddress());
        assertThat(found.timezone()).isEqualTo(ZoneId.of("Asia/Kolkata"));
        assertThat(found.documentLocale()).isEqualTo(Locale.forLanguageTag("pt-BR"));
        assertThat(found.currency()).isEqualTo(TestData.JPY);
    }

    @Test
    @DisplayName("a customer with only the required fields round-trips: nulls stay null, addresses stay empty")
    void minimalCustomerRoundTrips() {
        Customer minimal = Customer.builder().tenantId(TENANT).id("cus-min").externalId("ext-min").build();
        repository.save(minimal);

        Customer found = repository.findByExternalId(minimal.ref()).orElseThrow();
        assertThat(found).isEqualTo(minimal);
        assertThat(found.name()).isNull();
        assertThat(found.legalName()).isNull();
        assertThat(found.email()).isNull();
        assertThat(found.taxId()).isNull();
        assertThat(found.currency()).isNull();
        assertThat(found.documentLocale()).isNull();
        assertThat(found.billingAddress()).isEqualTo(Address.EMPTY);
        assertThat(found.shippingAddress()).isEqualTo(Address.EMPTY);
        assertThat(found.timezone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    @DisplayName("Unicode round-trips: CJK, emoji outside the BMP, right-to-left and combining characters")
    void unicodeRoundTrips() {
        Customer customer = Customer.builder().tenantId("租户-🏢").id("客户-1").externalId("外部-😀-عميل")
                .name("株式会社 テスト 🚀").legalName("شركة الاختبار المحدودة")
                .email("名前@例え.jp").taxId("שׁ-123-ע")
                .billingAddress(new Address("北京市朝阳区 👨‍👩‍👧", "שדרות רוטשילד 1", "Zürich", "Île-de-France",
                        "〒100-0001", "JP"))
                .shippingAddress(new Address("e\u0301te\u0301 (combining)", null, "Ελλάδα", null, null, "GR"))
                .timezone(ZoneId.of("Asia/Tokyo")).documentLocale(Locale.JAPANESE).build();
        repository.save(customer);

        assertThat(repository.findById("租户-🏢", "客户-1")).contains(customer);
        assertThat(repository.findByExternalId(CustomerRef.of("租户-🏢", "外部-😀-عميل"))).contains(customer);
        assertThat(repository.findByExternalId(CustomerRef.of("租户-🏢", "外部-😃-عميل"))).as("another emoji").isEmpty();
    }

    @Test
    @DisplayName("values at the maximum lengths round-trip: 255-character ids, 1000-character texts")
    void maximumLengthsRoundTrip() {
        String id = TestData.repeatTo("i-é-客", 255);
        String externalId = TestData.repeatTo("x-ü-字", 255);
        String tenant = TestData.repeatTo("t-ñ-租", 255);
        String text = TestData.repeatTo("Ünïcødé 長い テキスト ", 1000);
        Customer customer = Customer.builder().tenantId(tenant).id(id).externalId(externalId).name(text)
                .legalName(text).taxId(text)
                .billingAddress(new Address(text, text, text, text, text, "FR"))
                .shippingAddress(new Address(text, text, text, text, text, "DE")).build();
        repository.save(customer);

        assertThat(repository.findById(tenant, id)).contains(customer);
        assertThat(repository.findByExternalId(CustomerRef.of(tenant, externalId))).contains(customer);
    }

    // ---------------------------------------------------------------- upsert and conflicts

    @Test
    @DisplayName("saving the same (tenant, id) twice replaces every field")
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

    @Test
    @DisplayName("changing a customer's external id releases the old one, which another customer may then take")
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

    @Test
    @DisplayName("CONFLICT when a new customer claims an external id taken in its tenant; nothing is written")
    void conflictOnNewCustomerWithTakenExternalId() {
        Customer holder = customer(TENANT, "cus-1").toBuilder().externalId("ext-shared").name("Holder").build();
        repository.save(holder);
        Customer intruder = customer(TENANT, "cus-2").toBuilder().externalId("ext-shared").name("Intruder").build();

        assertConflict(() -> repository.save(intruder));

        assertThat(repository.findById(TENANT, "cus-2")).as("the refused customer").isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-shared"))).contains(holder);
        assertThat(repository.findById(TENANT, "cus-1")).contains(holder);
    }

    @Test
    @DisplayName("CONFLICT when an existing customer moves to an external id taken in its tenant; nothing is written")
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

    @Test
    @DisplayName("an external id taken in one tenant is free in another")
    void externalIdTakenInOneTenantIsFreeInAnother() {
        Customer a = Customer.builder().tenantId(TENANT).id("cus-a").externalId("ext-shared").build();
        Customer b = Customer.builder().tenantId(OTHER_TENANT).id("cus-b").externalId("ext-shared").build();
        repository.save(a);
        repository.save(b);

        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-shared"))).contains(a);
        assertThat(repository.findByExternalId(CustomerRef.of(OTHER_TENANT, "ext-shared"))).contains(b);
        assertThat(repository.findById(OTHER_TENANT, "cus-a")).isEmpty();
    }

    @Test
    @DisplayName("saving a customer again unchanged is not a conflict with itself")
    void resavingUnchangedIsNotAConflict() {
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);
        repository.save(customer);
        repository.save(customer);

        assertThat(repository.findByExternalId(customer.ref())).contains(customer);
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(120)
    @DisplayName("concurrent saves and reads on several threads: no error, no customer lost, reads never torn")
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

    @Test
    @Timeout(120)
    @DisplayName("two customers racing for one external id: exactly one wins, the loser gets CONFLICT and has no row")
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

    // ---------------------------------------------------------------- update

    /**
     * The new value each field gets in the update tests: different from {@link #fullCustomer}'s.
     */
    private static Object newValue(ProfileField field) {
        return switch (field) {
            case NAME -> "Acme Renamed";
            case LEGAL_NAME -> "Acme Renamed Limited";
            case EMAIL -> "new-billing@acme.example";
            case PHONE -> "+49 30 1234567";
            case TAX_ID -> "DE123456789";
            case BILLING_ADDRESS -> new Address("2 New Road", null, "Lyon", null, "69001", "FR");
            case SHIPPING_ADDRESS -> new Address("5 Other Lane", "Unit 7", "Madrid", "Madrid", "28001", "ES");
            case DOCUMENT_LOCALE -> Locale.forLanguageTag("de-CH");
        };
    }

    private void assumeUpdates() {
        assumeTrue(repository.supportsUpdate(), "this repository does not support updates");
    }

    @Test
    @DisplayName("supportsUpdate tells the truth: with it an update is stored, without it refused as FORBIDDEN and nothing changes")
    void supportsUpdateTellsTheTruth() {
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);
        CustomerUpdate update = CustomerUpdate.builder().name("X").build();
        if (repository.supportsUpdate()) {
            assertThat(repository.update(CustomerScope.of(customer), update).name())
                    .as("rule: a repository that supports updates stores them").isEqualTo("X");
            assertThat(repository.findById(TENANT, "cus-1")).map(Customer::name).contains("X");
            return;
        }
        assertThatThrownBy(() -> repository.update(CustomerScope.of(customer), update))
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.code())
                        .as("rule: an update the repository cannot do is FORBIDDEN").isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(repository.findById(TENANT, "cus-1")).contains(customer);
    }

    @ParameterizedTest(name = "updating only {0} changes {0} and leaves every other field as stored")
    @EnumSource(ProfileField.class)
    void updateChangesOnlyTheGivenField(ProfileField field) {
        assumeUpdates();
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);
        CustomerUpdate update = CustomerUpdate.builder().set(field, newValue(field)).build();
        Customer expected = update.applyTo(customer);

        Customer returned = repository.update(CustomerScope.of(customer), update);

        assertThat(returned).as("rule: update answers the customer as stored afterwards").isEqualTo(expected);
        assertThat(repository.findById(TENANT, "cus-1")).as("rule: only %s changed", field.jsonName())
                .contains(expected);
        assertThat(repository.findByExternalId(customer.ref())).as("rule: still found by its external id")
                .contains(expected);
    }

    @ParameterizedTest(name = "updating {0} to null clears it and nothing else")
    @EnumSource(ProfileField.class)
    void updateToNullClearsTheField(ProfileField field) {
        assumeUpdates();
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);
        CustomerUpdate update = CustomerUpdate.builder().set(field, null).build();

        Customer returned = repository.update(CustomerScope.of(customer), update);

        assertThat(returned).as("rule: null clears %s", field.jsonName()).isEqualTo(update.applyTo(customer));
        assertThat(repository.findById(TENANT, "cus-1")).contains(returned);
    }

    @Test
    @DisplayName("an update of several fields changes all of them at once; ids, currency and time zone stay")
    void updateOfSeveralFields() {
        assumeUpdates();
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);
        CustomerUpdate.Builder all = CustomerUpdate.builder();
        for (ProfileField field : ProfileField.values()) {
            all.set(field, newValue(field));
        }

        Customer returned = repository.update(CustomerScope.of(customer), all.build());

        assertThat(returned).as("rule: every given field changes").isEqualTo(all.build().applyTo(customer));
        assertThat(returned.id()).isEqualTo(customer.id());
        assertThat(returned.externalId()).isEqualTo(customer.externalId());
        assertThat(returned.currency()).isEqualTo(customer.currency());
        assertThat(returned.timezone()).isEqualTo(customer.timezone());
        assertThat(repository.findById(TENANT, "cus-1")).contains(returned);
    }

    @Test
    @DisplayName("an update leaves the other customers of the tenant and the same id of another tenant untouched")
    void updateTouchesNoOtherCustomer() {
        assumeUpdates();
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        Customer neighbour = fullCustomer(TENANT, "cus-2", "ext-2");
        Customer twin = fullCustomer(OTHER_TENANT, "cus-1", "ext-1");
        repository.save(customer);
        repository.save(neighbour);
        repository.save(twin);

        repository.update(CustomerScope.of(customer), CustomerUpdate.builder().email("changed@acme.example").build());

        assertThat(repository.findById(TENANT, "cus-2")).as("rule: another customer of the tenant is untouched")
                .contains(neighbour);
        assertThat(repository.findById(OTHER_TENANT, "cus-1")).as("rule: the same id in another tenant is untouched")
                .contains(twin);
    }

    @Test
    @DisplayName("updating a customer that is not stored, or is stored in another tenant, is NOT_FOUND and stores nothing")
    void updateOfUnknownCustomerIsNotFound() {
        assumeUpdates();
        Customer twin = fullCustomer(OTHER_TENANT, "cus-1", "ext-1");
        repository.save(twin);
        CustomerUpdate update = CustomerUpdate.builder().name("Ghost").build();

        assertThatThrownBy(() -> repository.update(new CustomerScope(TENANT, "cus-1"), update))
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.code())
                        .as("rule: no row in the scope is NOT_FOUND").isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(repository.findById(TENANT, "cus-1")).as("rule: an update never creates a customer").isEmpty();
        assertThat(repository.findById(OTHER_TENANT, "cus-1")).as("rule: another tenant's row is untouched")
                .contains(twin);
    }

    @Test
    @DisplayName("an update whose result is invalid is refused with VALIDATION_ERROR and writes nothing, not even its valid fields")
    void invalidUpdateWritesNothing() {
        assumeUpdates();
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);
        CustomerUpdate update = CustomerUpdate.builder().name("Valid New Name").email("not an e-mail").build();

        assertThatThrownBy(() -> repository.update(CustomerScope.of(customer), update))
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.code())
                        .as("rule: an invalid value is a VALIDATION_ERROR").isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThat(repository.findById(TENANT, "cus-1")).as("rule: a refused update writes nothing").contains(customer);
    }

    @Test
    @DisplayName("an empty update changes nothing and answers the customer as stored")
    void emptyUpdateChangesNothing() {
        assumeUpdates();
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);

        assertThat(repository.update(CustomerScope.of(customer), CustomerUpdate.builder().build()))
                .as("rule: nothing to change answers the stored customer").isEqualTo(customer);
        assertThat(repository.findById(TENANT, "cus-1")).contains(customer);
    }

    @Test
    @Timeout(60)
    @DisplayName("8 threads updating different fields of one customer at once: every change is kept")
    void concurrentUpdatesOfDifferentFieldsAreAllKept() {
        assumeUpdates();
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);
        ProfileField[] fields = ProfileField.values();

        Concurrently.run(fields.length, thread -> repository.update(CustomerScope.of(customer),
                CustomerUpdate.builder().set(fields[thread], newValue(fields[thread])).build()));

        CustomerUpdate.Builder all = CustomerUpdate.builder();
        for (ProfileField field : fields) {
            all.set(field, newValue(field));
        }
        assertThat(repository.findById(TENANT, "cus-1")).as("rule: an update writes only its own fields, so "
                + "concurrent updates of different fields never undo each other").contains(all.build().applyTo(customer));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A customer with every optional field set, billing and shipping addresses different.
     */
    private static Customer fullCustomer(String tenantId, String id, String externalId) {
        return Customer.builder().tenantId(tenantId).id(id).externalId(externalId).name("Acme Ltd")
                .legalName("Acme Limited").email("billing@acme.example").taxId("FR12345678901")
                .billingAddress(new Address("1 Billing Road", "Floor 2", "Paris", "Île-de-France", "75001", "FR"))
                .shippingAddress(new Address("9 Shipping Lane", null, "Berlin", "Berlin", "10115", "DE"))
                .currency("JPY").documentLocale(Locale.forLanguageTag("pt-BR")).timezone(ZoneId.of("Asia/Kolkata"))
                .phone("+33 1 23 45 67 89").build();
    }

    private static void assertConflict(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).as("error code").isEqualTo(ErrorCode.CONFLICT));
    }
}
