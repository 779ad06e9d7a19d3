package dev.billingportal.testkit;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The isolation and fuzz contracts' document store records every document asked for another customer's invoice: with
 * a correct portal it never does, so only this test shows the detector works.
 */
class WorldDocumentsTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);

    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final WorldDocuments documents = new WorldDocuments(violations);
    private final Customer alice = TestData.customer("tenant-t", "cus-a");
    private final Customer bob = TestData.customer("tenant-t", "cus-b");
    private final Customer aliceElsewhere = TestData.customer("tenant-u", "cus-a");
    private final Invoice alicesInvoice = TestData.invoice(alice, "inv-1", DAY).build();

    @Test
    void theOwnersOwnDocumentIsNoViolation() {
        assertThat(documents.find(alice, alicesInvoice)).isPresent();
        assertThat(violations).isEmpty();
    }

    @Test
    void anotherCustomersOrAnotherTenantsRequestIsRecorded() {
        documents.find(bob, alicesInvoice);
        documents.find(aliceElsewhere, alicesInvoice);
        assertThat(violations).containsExactly(
                "document of tenant-t/inv-1 asked for tenant-t/ext-cus-b",
                "document of tenant-t/inv-1 asked for tenant-u/ext-cus-a");
    }
}
