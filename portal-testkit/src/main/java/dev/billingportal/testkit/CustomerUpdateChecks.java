package dev.billingportal.testkit;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.profile.CustomerUpdate;
import dev.billingportal.core.profile.ProfileField;

import static dev.billingportal.testkit.CustomerContractData.fullCustomer;
import static dev.billingportal.testkit.CustomerContractData.newValue;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bodies of the update tests of {@link CustomerRepositoryContract}: {@code supportsUpdate()} tells the truth, and
 * for a repository that supports updates an update changes exactly the given fields of exactly the customer in scope,
 * answers the row as stored, is {@code NOT_FOUND} outside the scope, writes nothing when the result is invalid, and
 * concurrent updates of different fields keep every change. The tests after the first are skipped by an assumption
 * when the repository does not support updates.
 *
 * <p>{@link CustomerRepositoryContract} declares each of these tests (its name, display name, timeout and
 * parameters, which reports show) and runs it by calling the method of the same name here, over the repository
 * its {@code createRepository()} returned for that test.
 */
final class CustomerUpdateChecks {

    private final CustomerRepository repository;

    CustomerUpdateChecks(CustomerRepository repository) {
        this.repository = repository;
    }

    // ---------------------------------------------------------------- update

    private void assumeUpdates() {
        assumeTrue(repository.supportsUpdate(), "this repository does not support updates");
    }

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

    void updateChangesOnlyTheGivenField(ProfileField field) {
        assumeUpdates();
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);
        CustomerUpdate update = CustomerUpdate.builder().set(field, newValue(field)).build();
        Customer expected = update.applyTo(customer);
        assertThat(expected).as("the new %s differs from the stored one, so the test can see it change",
                field.jsonName()).isNotEqualTo(customer);

        Customer returned = repository.update(CustomerScope.of(customer), update);

        assertThat(returned).as("rule: update answers the customer as stored afterwards").isEqualTo(expected);
        assertThat(repository.findById(TENANT, "cus-1")).as("rule: only %s changed", field.jsonName())
                .contains(expected);
        assertThat(repository.findByExternalId(customer.ref())).as("rule: still found by its external id")
                .contains(expected);
    }

    void updateToNullClearsTheField(ProfileField field) {
        assumeUpdates();
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);
        CustomerUpdate update = CustomerUpdate.builder().set(field, null).build();

        Customer returned = repository.update(CustomerScope.of(customer), update);

        assertThat(returned).as("rule: null clears %s", field.jsonName()).isEqualTo(update.applyTo(customer));
        assertThat(repository.findById(TENANT, "cus-1")).contains(returned);
    }

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

    void emptyUpdateChangesNothing() {
        assumeUpdates();
        Customer customer = fullCustomer(TENANT, "cus-1", "ext-1");
        repository.save(customer);

        assertThat(repository.update(CustomerScope.of(customer), CustomerUpdate.builder().build()))
                .as("rule: nothing to change answers the stored customer").isEqualTo(customer);
        assertThat(repository.findById(TENANT, "cus-1")).contains(customer);
    }

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
}
