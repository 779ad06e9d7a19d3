package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.profile.CustomerRepository;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;

import static dev.billingportal.testkit.CustomerContractData.fullCustomer;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.customer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bodies of the finding and round-trip tests of {@link CustomerRepositoryContract}: a customer is found by its
 * exact internal or external id only (no pattern, no case- or accent-folding), in its own tenant only, and comes back
 * equal in every field (the minimal and the full customer, Unicode outside the BMP, the maximum lengths).
 *
 * <p>{@link CustomerRepositoryContract} declares each of these tests (its name, display name, timeout and
 * parameters, which reports show) and runs it by calling the method of the same name here, over the repository
 * its {@code createRepository()} returned for that test.
 */
final class CustomerLookupChecks {

    private final CustomerRepository repository;

    CustomerLookupChecks(CustomerRepository repository) {
        this.repository = repository;
    }

    // ---------------------------------------------------------------- finding

    void savedCustomerIsFoundByIdAndExternalId() {
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);

        assertThat(repository.findById(TENANT, "cus-1")).contains(customer);
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-1"))).contains(customer);
    }

    void emptyStorageFindsNothing() {
        assertThat(repository.findById(TENANT, "cus-1")).isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-cus-1"))).isEmpty();
    }

    void unknownIdsAreNotFound() {
        repository.save(customer(TENANT, "cus-1"));

        assertThat(repository.findById(TENANT, "cus-2")).isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-cus-2"))).isEmpty();
        assertThat(repository.findById(TENANT, "ext-cus-1")).as("external id used as internal id").isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "cus-1"))).as("internal id used as external id")
                .isEmpty();
    }

    void findByIdIsScopedByTenant() {
        repository.save(customer(TENANT, "cus-1"));

        assertThat(repository.findById(OTHER_TENANT, "cus-1")).isEmpty();
        assertThat(repository.findById(TENANT, "cus-1")).isPresent();
    }

    void findByExternalIdIsScopedByTenant() {
        repository.save(customer(TENANT, "cus-1"));

        assertThat(repository.findByExternalId(CustomerRef.of(OTHER_TENANT, "ext-cus-1"))).isEmpty();
        assertThat(repository.findByExternalId(CustomerRef.of(TENANT, "ext-cus-1"))).isPresent();
    }

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
}
