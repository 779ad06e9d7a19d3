package dev.billingportal.core.invoices;

import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.internal.Checks;

import java.time.LocalDate;
import java.util.Comparator;

/**
 * A position in the portal's invoice order, newest first: {@code issuing_date DESC, id DESC}.
 * Keyset pagination asks for the invoices strictly after a key in that order.
 *
 * @param issuingDate the issuing date of the last invoice seen
 * @param id          the id of the last invoice seen
 */
public record InvoiceKey(LocalDate issuingDate, String id) {

    /**
     * The portal order: newest issuing date first, then id descending. Invoice ids are printable ASCII,
     * so {@link String#compareTo} agrees with every binary collation; SQL adapters must compare ids binary.
     */
    public static final Comparator<InvoiceKey> PORTAL_ORDER = Comparator
            .comparing(InvoiceKey::issuingDate, Comparator.reverseOrder())
            .thenComparing(InvoiceKey::id, Comparator.reverseOrder());

    /** Validates both parts. */
    public InvoiceKey {
        Checks.required(issuingDate, "issuing_date");
        Checks.asciiId(id, "id");
    }

    /** The key of {@code invoice}. */
    public static InvoiceKey of(Invoice invoice) {
        return new InvoiceKey(invoice.issuingDate(), invoice.id());
    }

    /** Whether {@code invoice} comes strictly after this key in {@link #PORTAL_ORDER}. */
    public boolean precedes(Invoice invoice) {
        return PORTAL_ORDER.compare(this, of(invoice)) < 0;
    }
}
