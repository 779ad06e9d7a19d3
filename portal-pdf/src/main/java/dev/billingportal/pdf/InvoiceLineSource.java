package dev.billingportal.pdf;

import dev.billingportal.core.invoices.Invoice;

import java.util.stream.Stream;

/**
 * Where the lines of an invoice come from: the host's own storage. The renderer consumes the stream once,
 * in order, and closes it, so it may be lazy (a JDBC cursor, a paged API client): an invoice of thousands of
 * lines is never held in memory. It is called once per rendering, i.e. once per download.
 *
 * <p>Implementations must be safe for concurrent use: several customers download at once.
 */
@FunctionalInterface
public interface InvoiceLineSource {

    /** A source without lines: every document then shows one summary line for the invoice's subtotal. */
    InvoiceLineSource NONE = invoice -> Stream.empty();

    /**
     * The lines of {@code invoice}, in the order they are printed. An empty stream prints one summary line
     * (the invoice type and its subtotal). The stream is closed after use, also when rendering fails.
     */
    Stream<InvoiceLine> lines(Invoice invoice);
}
