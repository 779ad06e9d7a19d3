package dev.billingportal.testkit;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.InvoiceKey;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.invoices.InvoiceSearch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static dev.billingportal.core.invoices.InvoiceStatus.DRAFT;
import static dev.billingportal.testkit.InvoiceCatalogue.CATALOGUE;
import static dev.billingportal.testkit.InvoiceCatalogue.catalogueRow;
import static dev.billingportal.testkit.InvoiceCatalogue.times;
import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixture of one {@link InvoiceRepositoryContract} test, new for each: the repository under test, the reference
 * data (the latest version of every invoice the test saved, from which {@link TestData#expectedPage} and
 * {@link TestData#expectedOverview} compute the expected answers), the customers already handed to the contract's
 * {@link InvoiceRepositoryContract#saveCustomer} hook, and the helpers its checks classes share: saving an invoice or
 * {@link InvoiceCatalogue the catalogue}, the expected page of a search, and walking every page of one, checking each.
 */
final class InvoiceContractFixture {

    private final InvoiceRepository repository;
    private final Consumer<Customer> saveCustomer;
    /** The latest successfully saved version of every invoice, by tenant and id: the reference data. */
    private final Map<List<String>, Invoice> saved = new LinkedHashMap<>();
    private final Set<List<String>> savedCustomers = new HashSet<>();

    /**
     * A fixture over empty reference data.
     *
     * @param repository   the repository the contract's {@code createRepository()} returned for this test
     * @param saveCustomer the contract's {@code saveCustomer} hook
     */
    InvoiceContractFixture(InvoiceRepository repository, Consumer<Customer> saveCustomer) {
        this.repository = repository;
        this.saveCustomer = saveCustomer;
    }

    InvoiceRepository repository() {
        return repository;
    }

    /** The reference data, by tenant and id; a test that saves around {@link #save} records its invoices here. */
    Map<List<String>, Invoice> saved() {
        return saved;
    }

    /**
     * The customer {@code id} of {@code tenantId}, stored through the contract's
     * {@link InvoiceRepositoryContract#saveCustomer} the first time.
     */
    Customer customer(String tenantId, String id) {
        Customer customer = TestData.customer(tenantId, id);
        if (savedCustomers.add(List.of(tenantId, id))) {
            saveCustomer.accept(customer);
        }
        return customer;
    }

    /** Saves through the repository and, once that succeeded, records it as reference data. */
    void save(Invoice invoice) {
        repository.save(invoice);
        saved.put(List.of(invoice.tenantId(), invoice.id()), invoice);
    }

    /**
     * The catalogue behind the filter tests: 27 invoices of {@code cus-main} in {@link TestData#TENANT}
     * ({@code inv-001} to {@code inv-027}), the same numbers for a neighbour of the same tenant (ids
     * {@code oth-...}), and a twin {@code cus-main} in {@link TestData#OTHER_TENANT} with the same ids and
     * numbers but other amounts: a leak across customers or tenants shows up in every filter test.
     */
    Customer saveCatalogue() {
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

    List<Invoice> reference(CustomerScope scope, InvoiceSearch search) {
        return TestData.expectedPage(saved.values(), scope, search);
    }

    /**
     * Walks every page of {@code search} ({@code after} and {@code limit} are overwritten), checking each page,
     * and returns the concatenation.
     */
    List<Invoice> walk(CustomerScope scope, InvoiceSearchBuilder search, int pageSize) {
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

    static void assertOrderedAndScoped(CustomerScope scope, List<Invoice> invoices) {
        assertThat(invoices).as("in portal order").isSortedAccordingTo(TestData.portalOrder());
        assertThat(invoices).as("scoped to %s", scope)
                .allSatisfy(invoice -> assertThat(TestData.inScope(invoice, scope)).as(invoice.id()).isTrue());
        assertThat(invoices).as("no drafts").noneMatch(invoice -> invoice.status() == DRAFT);
    }

    InvoiceKey key(String id) {
        Invoice invoice = saved.values().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
        return InvoiceKey.of(invoice);
    }

    static Invoice last(List<Invoice> page) {
        assertThat(page).as("page").isNotEmpty();
        return page.get(page.size() - 1);
    }

    static List<String> ids(Collection<Invoice> invoices) {
        return invoices.stream().map(Invoice::id).toList();
    }

    static CustomerScope scope(Customer customer) {
        return CustomerScope.of(customer);
    }
}
