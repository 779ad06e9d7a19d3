package dev.billingportal.core.invoices;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.Page;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.internal.Auditor;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.CursorCodec;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.session.PortalContext;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The invoices slice of {@code PortalService}: overview, history, one invoice, its document. Every read is scoped to
 * the context's customer. Thread-safe.
 */
public final class InvoiceService {
    private static final Set<InvoiceStatus> VISIBLE_STATUSES = EnumSet.of(InvoiceStatus.FINALIZED, InvoiceStatus.VOIDED);

    private final PortalRuntime rt;
    private final Auditor auditor;

    /**
     * The slice over the service's settings; built by {@code PortalServiceBuilder}.
     *
     * @param rt      the service's settings
     * @param auditor writes the audit trail
     */
    public InvoiceService(PortalRuntime rt, Auditor auditor) {
        this.rt = rt;
        this.auditor = auditor;
    }

    /** The customer's totals per currency as of their today. */
    public BillingOverview overview(PortalContext ctx) {
        Checks.required(ctx, "context");
        return rt.invoices().overview(ctx.scope(), today(ctx.customer()));
    }

    /**
     * One page of the customer's invoice history, newest first ({@code issuing_date DESC, id DESC}).
     * Drafts (and failed or pending invoices) never appear.
     *
     * @throws PortalException {@code INVALID_REQUEST invalid_cursor} for a cursor this session did not hand out
     */
    public Page<Invoice> invoices(PortalContext ctx, InvoiceQuery query) {
        Checks.required(ctx, "context");
        Checks.required(query, "query");
        CustomerScope scope = ctx.scope();
        InvoiceKey after = query.after() == null ? null : CursorCodec.decode(ctx.sessionId(), scope, query.after());
        Set<InvoiceStatus> statuses = query.statuses().isEmpty() ? VISIBLE_STATUSES : query.statuses();
        InvoiceSearch search = new InvoiceSearch(statuses, query.paymentStatuses(), query.overdueOnly(),
                query.issuedFrom(), query.issuedTo(), query.search(), today(ctx.customer()), after, query.limit() + 1);
        List<Invoice> rows = rt.invoices().find(scope, search);
        List<Invoice> page = new ArrayList<>(Math.min(rows.size(), query.limit()));
        for (Invoice invoice : rows) {
            // Belt and braces: whatever an adapter returns, nothing foreign or hidden leaves this method.
            if (page.size() < query.limit() && visibleTo(scope, invoice)) {
                page.add(invoice);
            }
        }
        String next = rows.size() > query.limit() && !page.isEmpty()
                ? CursorCodec.encode(ctx.sessionId(), scope, InvoiceKey.of(page.get(page.size() - 1)))
                : null;
        return new Page<>(page, next);
    }

    /**
     * One invoice of the customer.
     *
     * @throws PortalException {@code NOT_FOUND invoice_not_found} when it does not exist, is a draft, or belongs
     *                         to someone else (indistinguishable on purpose)
     */
    public Invoice invoice(PortalContext ctx, String invoiceId) {
        Checks.required(ctx, "context");
        if (!isPlausibleInvoiceId(invoiceId)) {
            throw PortalException.notFound("invoice");
        }
        CustomerScope scope = ctx.scope();
        return rt.invoices().findById(scope, invoiceId)
                .filter(invoice -> visibleTo(scope, invoice))
                .orElseThrow(() -> PortalException.notFound("invoice"));
    }

    /**
     * The document of one of the customer's invoices, to stream or redirect to. Audited as
     * {@code INVOICE_DOWNLOADED} with the context's client before it is handed out.
     *
     * @throws PortalException {@code NOT_FOUND invoice_not_found} as {@link #invoice}; {@code NOT_FOUND
     *                         document_not_found} when no document store is configured or it has none;
     *                         {@code UNAVAILABLE} when the audit trail fails (the document is not handed out)
     */
    public InvoiceDocument downloadInvoice(PortalContext ctx, String invoiceId) {
        Invoice invoice = invoice(ctx, invoiceId);
        if (rt.documents() == null) {
            throw PortalException.notFound("document");
        }
        InvoiceDocument document = rt.documents().find(ctx.customer(), invoice)
                .orElseThrow(() -> PortalException.notFound("document"));
        auditor.granting(auditor.event(AuditEventType.INVOICE_DOWNLOADED, ctx.customerRef(), AuditActor.CUSTOMER,
                ctx.sessionId(), null, invoice.id(), ctx.client()), () -> { });
        return document;
    }

    /** Whether invoice documents can be downloaded (a document store is configured). */
    public boolean documentsEnabled() {
        return rt.documents() != null;
    }

    /** The customer's today, in their time zone. */
    public LocalDate today(Customer customer) {
        return LocalDate.ofInstant(rt.clock().instant(), customer.timezone());
    }

    private static boolean visibleTo(CustomerScope scope, Invoice invoice) {
        return invoice.status().visibleInPortal() && invoice.customerId().equals(scope.customerId())
                && invoice.tenantId().equals(scope.tenantId());
    }

    private static boolean isPlausibleInvoiceId(String id) {
        try {
            Checks.asciiId(id, "id");
            return true;
        } catch (PortalException e) {
            return false;
        }
    }
}
