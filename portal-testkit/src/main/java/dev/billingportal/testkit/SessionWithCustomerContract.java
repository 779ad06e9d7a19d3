package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionWithCustomer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;

import static dev.billingportal.testkit.TestData.NOW;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.fullSession;
import static dev.billingportal.testkit.TestData.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link PortalSessionRepository#findWithCustomer}, the read that authenticates every request: a
 * session and its customer, as {@link PortalSessionRepository#find} and {@link CustomerRepository#findByExternalId}
 * answer them one by one. Subclass it with a session repository and the customer repository of the same storage (a
 * store that answers in one read, like the JDBC store's join, is tested on that path), and run it as an ordinary
 * JUnit Jupiter test class.
 *
 * <pre>{@code
 * class MyStoreSessionWithCustomerTest extends SessionWithCustomerContract {
 *     @Override
 *     protected Storage createStorage() {
 *         MyStore store = MyStore.empty();
 *         return new Storage(store.sessions(), store.customers());
 *     }
 * }
 * }</pre>
 *
 * <p>What it pins down: both halves equal what the single reads answer, in every field; the session is scoped to its
 * customer and tenant exactly as {@code find} is (someone else's session id reads as nothing); a session whose customer
 * is gone is answered without one (so authentication can say so); a customer repository that is not the store's own is
 * always asked, never bypassed by the store's own table.
 */
public abstract class SessionWithCustomerContract {
    private static final CustomerRef ALICE = CustomerRef.of(TENANT, "ext-alice");
    private static final CustomerRef BOB = CustomerRef.of(TENANT, "ext-bob");
    private static final Duration TTL = Duration.ofHours(12);

    /**
     * A session repository and the customer repository over the same storage.
     *
     * @param sessions  the sessions
     * @param customers the customers, as the store hands them out
     */
    public record Storage(PortalSessionRepository sessions, CustomerRepository customers) {
    }

    private Storage storage;

    /**
     * Return both repositories over EMPTY storage; called before each test.
     *
     * @return the repositories under test
     */
    protected abstract Storage createStorage();

    @BeforeEach
    final void createStorageUnderTest() {
        storage = createStorage();
        assertThat(storage).as("createStorage()").isNotNull();
    }

    /** Alice with every field set, so that each column is seen to come back. */
    private static Customer alice() {
        return Customer.builder().tenantId(TENANT).id("cus-alice").externalId("ext-alice").name("Alice Ærø")
                .legalName("Alice GmbH").email("alice@example.com").taxId("DE123").phone("+49 30 1234")
                .billingAddress(new Address("Unter den Linden 1", "Hof 2", "Berlin", "BE", "10117", "DE"))
                .shippingAddress(new Address("Rue 3", null, "Paris", null, "75001", "FR"))
                .currency("EUR").documentLocale(Locale.GERMANY).timezone(ZoneId.of("Europe/Berlin")).build();
    }

    @Test
    @DisplayName("findWithCustomer: the session and its customer equal what find and findByExternalId answer")
    void readsBothHalves() {
        storage.customers().save(alice());
        storage.customers().save(TestData.customer(TENANT, "bob"));
        storage.sessions().create(fullSession("ses-1", ALICE));

        SessionWithCustomer read = storage.sessions().findWithCustomer(ALICE, "ses-1", storage.customers()).orElseThrow();

        assertThat(read.session()).as("the session half").isEqualTo(storage.sessions().find(ALICE, "ses-1").orElseThrow());
        assertThat(read.customer()).as("the customer half, every field")
                .isEqualTo(storage.customers().findByExternalId(ALICE).orElseThrow())
                .isEqualTo(alice());
    }

    @Test
    @DisplayName("findWithCustomer: a revoked session is answered, revoked, like find answers it")
    void revokedSessionIsAnswered() {
        storage.customers().save(alice());
        storage.sessions().create(session("ses-1", ALICE, NOW, TTL));
        storage.sessions().revoke("ses-1", NOW.plusSeconds(5));

        SessionWithCustomer read = storage.sessions().findWithCustomer(ALICE, "ses-1", storage.customers()).orElseThrow();

        assertThat(read.session().revokedAt()).as("the revocation instant").isEqualTo(NOW.plusSeconds(5));
        assertThat(read.customer()).as("the customer").isEqualTo(alice());
    }

    @Test
    @DisplayName("findWithCustomer: someone else's session id, in this tenant or another, reads as nothing")
    void scopedToTheCustomer() {
        storage.customers().save(alice());
        storage.customers().save(TestData.customer(TENANT, "bob"));
        storage.customers().save(alice().toBuilder().tenantId(OTHER_TENANT).build());
        storage.sessions().create(session("ses-alice", ALICE, NOW, TTL));

        assertThat(storage.sessions().findWithCustomer(BOB, "ses-alice", storage.customers()))
                .as("Bob asking with Alice's session id").isEmpty();
        assertThat(storage.sessions().findWithCustomer(CustomerRef.of(OTHER_TENANT, "ext-alice"), "ses-alice",
                storage.customers())).as("Alice's external id in another tenant").isEmpty();
        assertThat(storage.sessions().findWithCustomer(ALICE, "ses-unknown", storage.customers()))
                .as("an unknown id").isEmpty();
        assertThat(storage.sessions().findWithCustomer(ALICE, "SES-ALICE", storage.customers()))
                .as("the id in another case").isEmpty();
        assertThat(storage.sessions().findWithCustomer(ALICE, "ses-alice ", storage.customers()))
                .as("the id with a trailing blank").isEmpty();
    }

    @Test
    @DisplayName("findWithCustomer: a session whose customer is gone comes without a customer, even when the same"
            + " external id exists in another tenant")
    void customerGone() {
        storage.customers().save(alice().toBuilder().tenantId(OTHER_TENANT).build());
        storage.sessions().create(session("ses-1", ALICE, NOW, TTL));

        SessionWithCustomer read = storage.sessions().findWithCustomer(ALICE, "ses-1", storage.customers()).orElseThrow();

        assertThat(read.session().id()).isEqualTo("ses-1");
        assertThat(read.customer()).as("the customer of another tenant must not stand in").isNull();
        assertThat(read.existingCustomer()).isEqualTo(Optional.empty());
    }

    @Test
    @DisplayName("findWithCustomer: a customer repository that is not the store's own is asked, not the store's table")
    void foreignCustomersAreAsked() {
        storage.customers().save(alice());
        storage.sessions().create(session("ses-1", ALICE, NOW, TTL));
        CustomerRepository foreign = new InMemoryCustomerRepository();
        Customer hosts = alice().toBuilder().name("The host's Alice").build();
        foreign.save(hosts);

        assertThat(storage.sessions().findWithCustomer(ALICE, "ses-1", foreign).orElseThrow().customer())
                .as("the host's customer, not the store's copy").isEqualTo(hosts);
        assertThat(storage.sessions().findWithCustomer(ALICE, "ses-1", new InMemoryCustomerRepository()).orElseThrow()
                .customer()).as("a host repository without the customer").isNull();
    }

    @Test
    @DisplayName("findWithCustomer: a null customer, id or repository is a validation error, not a crash")
    void nullsRefused() {
        assertThatThrownBy(() -> storage.sessions().findWithCustomer(ALICE, "ses-1", null))
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThatThrownBy(() -> storage.sessions().findWithCustomer(null, "ses-1", storage.customers()))
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThat(storage.sessions().findWithCustomer(ALICE, null, storage.customers())).as("a null id finds nothing")
                .isEmpty();
    }
}
