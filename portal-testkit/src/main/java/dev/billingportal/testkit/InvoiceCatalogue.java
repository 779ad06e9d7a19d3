package dev.billingportal.testkit;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;

import java.time.LocalDate;

import static dev.billingportal.core.invoices.InvoiceStatus.DRAFT;
import static dev.billingportal.core.invoices.InvoiceStatus.FAILED;
import static dev.billingportal.core.invoices.InvoiceStatus.FINALIZED;
import static dev.billingportal.core.invoices.InvoiceStatus.PENDING;
import static dev.billingportal.core.invoices.InvoiceStatus.VOIDED;
import static dev.billingportal.testkit.TestData.EUR;
import static dev.billingportal.testkit.TestData.JPY;
import static dev.billingportal.testkit.TestData.KWD;
import static dev.billingportal.testkit.TestData.USD;

/**
 * The seed data of {@link InvoiceRepositoryContract}'s filter tests (and of some of its pagination and overview
 * tests): the 27 rows of the catalogue that {@link InvoiceContractFixture#saveCatalogue()} saves for a customer, its
 * neighbour and its twin in another tenant, and how a row becomes an invoice. The rows hold the traps for SQL
 * adapters: numbers that differ only in case or accents, {@code %}, {@code _}, {@code \} and {@code '} next to
 * look-alikes without them, a blank, CJK, emoji and right-to-left text, and dates around {@link TestData#TODAY}.
 */
final class InvoiceCatalogue {

    private InvoiceCatalogue() {
    }

    static int catalogueSize() {
        return CATALOGUE.length;
    }

    static Money times(Money money, int factor) {
        return Money.of(money.amountMinor() * factor, money.currency());
    }

    static Invoice catalogueRow(Customer owner, String id, Object[] row) {
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
    static final Object[][] CATALOGUE = {
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
}
