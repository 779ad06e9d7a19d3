package dev.billingportal.core.payments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.config.PaymentMethodSettings;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.events.DefaultPaymentMethodChanged;
import dev.billingportal.core.events.InvoicePaymentStarted;
import dev.billingportal.core.events.PaymentMethodRemoved;
import dev.billingportal.core.events.PaymentMethodSetupStarted;
import dev.billingportal.core.events.PortalEvent;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Auditor;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.EventPublisher;
import dev.billingportal.core.internal.Ids;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.internal.ProviderCalls;
import dev.billingportal.core.internal.RecordedWrites;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceService;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.session.Flow;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.SessionService;
import dev.billingportal.core.subscriptions.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The payments slice of {@code PortalService}: the customer lists their payment methods, adds one on the host's
 * payment provider's hosted page, makes one the default, removes one, and pays an open invoice. The library never
 * sees card data: the provider's hosted page collects it, and every return address is the portal's own page
 * ({@link #returnUrls}), never one from the request. Each write is audited and announced in one transaction.
 *
 * <p>A payment method or invoice that does not exist and another customer's (or tenant's) answer alike:
 * {@code NOT_FOUND payment_method_not_found} / {@code invoice_not_found}. A provider that fails (anything but a
 * {@link PortalException}) is {@code UNAVAILABLE provider_unavailable}. Thread-safe.
 */
public final class PaymentService {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentService.class);

    private final PortalRuntime rt;
    private final RecordedWrites writes;
    private final InvoiceService invoices;
    private final SessionService sessions;

    /**
     * The slice over the service's settings; built by {@code PortalService}.
     *
     * @param rt       the service's settings
     * @param auditor  writes the audit trail
     * @param events   announces events
     * @param invoices finds the customer's invoices
     * @param sessions mints the return links of the hand-offs
     */
    public PaymentService(PortalRuntime rt, Auditor auditor, EventPublisher events, InvoiceService invoices,
                          SessionService sessions) {
        this.rt = rt;
        this.writes = new RecordedWrites(rt, auditor, events);
        this.invoices = invoices;
        this.sessions = sessions;
    }

    /**
     * The payment method settings of this configuration when they are on and a provider is installed.
     *
     * @param configuration a session's configuration
     * @return the settings, or null when the feature is off
     */
    public PaymentMethodSettings settings(PortalConfiguration configuration) {
        PaymentMethodSettings s = Checks.required(configuration, "configuration").paymentMethods();
        return s.enabled() && rt.paymentMethods() != null ? s : null;
    }

    /**
     * Whether open invoices can be paid in sessions of this configuration: the history and its payments are on and
     * a provider is installed.
     *
     * @param configuration a session's configuration
     * @return whether {@code POST /invoices/{id}/pay} is allowed
     */
    public boolean invoicePayments(PortalConfiguration configuration) {
        Checks.required(configuration, "configuration");
        return configuration.invoices().history() && configuration.invoices().payments() && rt.paymentMethods() != null;
    }

    /**
     * Where the provider's hosted page sends the customer back, without a return link: the portal's configured URL
     * with {@code ?<kind>=complete} or {@code ?<kind>=canceled} (and {@code &invoice=<id>} for a payment). Built only
     * from the service's settings, so no request can choose it. The hand-offs use
     * {@link #returnUrls(String, String, String)}, which adds the return link's token.
     *
     * @param kind      {@code setup} or {@code payment}
     * @param invoiceId the invoice for a payment, else null
     * @return the two addresses
     */
    public ReturnUrls returnUrls(String kind, String invoiceId) {
        return returnUrls(kind, invoiceId, null);
    }

    /**
     * Where the provider's hosted page sends the customer back: the portal's configured URL (its own query and
     * fragment dropped) with {@code ?<kind>=complete} or {@code ?<kind>=canceled}, {@code &invoice=<id>} for a
     * payment, and {@code &token=<return link>}: a one-time, short-lived token with which the page, which keeps
     * its session only in memory, resumes the session the customer left (see {@link SessionService#returnLink}).
     * Built only from the service's settings and a token the portal minted, so no request can choose where it
     * points: the hand-off cannot become an open redirect.
     *
     * @param kind        {@code setup} or {@code payment}
     * @param invoiceId   the invoice for a payment, else null
     * @param returnToken the return link's token, or null for none
     * @return the two addresses
     */
    public ReturnUrls returnUrls(String kind, String invoiceId, String returnToken) {
        String base = rt.portalUrl().toString();
        int cut = base.indexOf('#');
        base = cut < 0 ? base : base.substring(0, cut);
        cut = base.indexOf('?');
        base = cut < 0 ? base : base.substring(0, cut);
        String invoice = invoiceId == null ? "" : "&invoice=" + URLEncoder.encode(invoiceId, StandardCharsets.UTF_8);
        // base64url and dots, as signed: nothing to escape, but encode anyway so no token can add a parameter
        String token = returnToken == null ? "" : "&token=" + URLEncoder.encode(returnToken, StandardCharsets.UTF_8);
        return new ReturnUrls(URI.create(base + "?" + kind + "=complete" + invoice + token),
                URI.create(base + "?" + kind + "=canceled" + invoice + token));
    }

    /**
     * The customer's payment methods.
     *
     * @param ctx the session
     * @return them, in the provider's order
     * @throws PortalException {@code FORBIDDEN feature_disabled} when the feature is off
     */
    public List<PaymentMethod> paymentMethods(PortalContext ctx) {
        settingsOf(ctx);
        return list(ctx.scope());
    }

    /**
     * Starts adding a payment method: the provider's hosted page, which sends the customer back to
     * {@link #returnUrls(String, String, String) returnUrls("setup", null, returnLink)}, carrying a fresh return link
     * of this session ({@link SessionService#returnLink}). Audited as {@code PAYMENT_SETUP_STARTED}, announced as
     * {@code PaymentMethodSetupStarted}.
     *
     * @param ctx the session
     * @return the setup session with the URL to send the customer to
     * @throws PortalException {@code FORBIDDEN feature_disabled}; {@code UNAVAILABLE provider_unavailable}
     */
    public SetupSession startSetup(PortalContext ctx) {
        settingsOf(ctx);
        ReturnUrls back = returnUrls("setup", null, sessions.returnLink(ctx));
        return act(ctx, AuditEventType.PAYMENT_SETUP_STARTED, null,
                () -> rt.paymentMethods().startSetup(ctx.scope(), back),
                setup -> new PaymentMethodSetupStarted(Ids.event(), ctx.customerRef(), ctx.sessionId(),
                        rt.clock().instant(), setup.id()),
                (setup, details) -> details.put("setup_id", setup.id()));
    }

    /**
     * Makes one of the customer's methods the default. Audited as {@code DEFAULT_PAYMENT_METHOD_CHANGED}, announced
     * as {@code DefaultPaymentMethodChanged}; making the default the default again changes and records nothing.
     *
     * @param ctx             the session
     * @param paymentMethodId the method
     * @return the methods afterwards
     * @throws PortalException {@code NOT_FOUND payment_method_not_found}; {@code FORBIDDEN feature_disabled};
     *                         {@code UNAVAILABLE provider_unavailable}
     */
    public List<PaymentMethod> setDefault(PortalContext ctx, String paymentMethodId) {
        settingsOf(ctx);
        List<PaymentMethod> before = list(ctx.scope());
        PaymentMethod method = find(before, paymentMethodId);
        if (method.isDefault()) {
            return before;
        }
        String previous = before.stream().filter(PaymentMethod::isDefault).map(PaymentMethod::id).findFirst()
                .orElse(null);
        return act(ctx, AuditEventType.DEFAULT_PAYMENT_METHOD_CHANGED, null,
                () -> List.copyOf(rt.paymentMethods().setDefault(ctx.scope(), paymentMethodId)),
                after -> new DefaultPaymentMethodChanged(Ids.event(), ctx.customerRef(), ctx.sessionId(),
                        rt.clock().instant(), paymentMethodId, previous),
                (after, details) -> {
                    details.put("payment_method_id", paymentMethodId);
                    details.put("previous_payment_method_id", previous);
                });
    }

    /**
     * Removes one of the customer's methods. The only method cannot be removed while a subscription is running
     * (trialing, active, past due) unless the configuration allows it. Audited as {@code PAYMENT_METHOD_REMOVED},
     * announced as {@code PaymentMethodRemoved}.
     *
     * @param ctx             the session
     * @param paymentMethodId the method
     * @throws PortalException {@code NOT_FOUND payment_method_not_found}; {@code CONFLICT payment_method_required};
     *                         {@code FORBIDDEN feature_disabled}; {@code UNAVAILABLE provider_unavailable}
     */
    public void remove(PortalContext ctx, String paymentMethodId) {
        PaymentMethodSettings s = settingsOf(ctx);
        List<PaymentMethod> before = list(ctx.scope());
        PaymentMethod method = find(before, paymentMethodId);
        if (before.size() == 1 && !s.removeLast() && hasRunningSubscription(ctx.scope())) {
            throw new PortalException(ErrorCode.CONFLICT, "payment_method_required",
                    "a subscription is active: add another payment method before removing this one");
        }
        act(ctx, AuditEventType.PAYMENT_METHOD_REMOVED, null, () -> {
            rt.paymentMethods().remove(ctx.scope(), paymentMethodId);
            return Boolean.TRUE;
        }, done -> new PaymentMethodRemoved(Ids.event(), ctx.customerRef(), ctx.sessionId(), rt.clock().instant(),
                paymentMethodId, method.isDefault()), (done, details) -> {
            details.put("payment_method_id", paymentMethodId);
            details.put("type", method.type().jsonName());
            details.put("last4", method.last4());
            details.put("was_default", method.isDefault());
        });
    }

    /**
     * Pays an open invoice of the customer: the provider charges the default method or answers its hosted payment
     * page, which sends the customer back to {@link #returnUrls(String, String, String) returnUrls("payment",
     * invoiceId, returnLink)} with a fresh return link of this session (taken back at once when no hosted page is
     * needed; left to expire when the provider failed, as a retry may answer the page it already made). The attempt id is
     * derived from the customer, the invoice and the {@code Idempotency-Key}, so a retry of one request (after a
     * timeout, say) is the same attempt and the provider charges it once; without a key every call is a new attempt.
     * Audited as {@code INVOICE_PAYMENT_STARTED}, announced as {@code InvoicePaymentStarted}.
     *
     * @param ctx            the session
     * @param invoiceId      the invoice
     * @param idempotencyKey the request's key, or null
     * @return the outcome
     * @throws PortalException {@code NOT_FOUND invoice_not_found} (missing or another customer's alike);
     *                         {@code CONFLICT invoice_not_payable} for a paid or voided invoice or one with nothing
     *                         due; {@code FORBIDDEN feature_disabled}; {@code UNAVAILABLE provider_unavailable}
     */
    public InvoicePayment payInvoice(PortalContext ctx, String invoiceId, String idempotencyKey) {
        Checks.required(ctx, "context");
        if (!invoicePayments(ctx.configuration())) {
            throw disabled("invoice payments");
        }
        Invoice invoice = invoices.invoice(ctx, invoiceId);
        if (!payable(invoice)) {
            throw new PortalException(ErrorCode.CONFLICT, "invoice_not_payable",
                    "this invoice is paid, voided or has nothing due");
        }
        String attemptId = attemptId(ctx.scope(), invoice.id(), idempotencyKey);
        String returnLink = sessions.returnLink(ctx);
        ReturnUrls back = returnUrls("payment", invoice.id(), returnLink);
        InvoicePayment outcome = act(ctx, AuditEventType.INVOICE_PAYMENT_STARTED, invoice.id(), () -> {
            InvoicePayment payment = rt.paymentMethods().payInvoice(ctx.scope(), invoice, back, attemptId);
            if (payment == null || !payment.invoiceId().equals(invoice.id()) || !payment.attemptId().equals(attemptId)) {
                throw new PortalException(ErrorCode.UNAVAILABLE, "provider_unavailable",
                        "the payment provider answered another payment than asked");
            }
            return payment;
        }, payment -> new InvoicePaymentStarted(Ids.event(), ctx.customerRef(), ctx.sessionId(), rt.clock().instant(),
                invoice.id(), attemptId, payment.status().jsonName(), invoice.amountDue().amountMinor(),
                invoice.currency().getCurrencyCode()), (payment, details) -> {
            details.put("attempt_id", attemptId);
            details.put("status", payment.status().jsonName());
            details.put("amount_cents", invoice.amountDue().amountMinor());
            details.put("currency", invoice.currency().getCurrencyCode());
        });
        if (outcome.redirectUrl() == null) {
            sessions.dropReturnLink(returnLink);
        }
        return outcome;
    }

    /**
     * Whether an invoice can be paid: finalized, not paid, something due.
     *
     * @param invoice an invoice
     * @return whether it is payable
     */
    public static boolean payable(Invoice invoice) {
        return invoice.status() == InvoiceStatus.FINALIZED && invoice.paymentStatus() != PaymentStatus.SUCCEEDED
                && invoice.amountDue().amountMinor() > 0;
    }

    /**
     * Refuses, when a session is created, a payment flow whose feature is off or that names an invoice that is not
     * the customer's or not payable.
     *
     * @param customer      the session's customer
     * @param configuration its configuration
     * @param flow          a {@code payment_method_update} or {@code invoice_pay} flow
     * @throws PortalException {@code VALIDATION_ERROR} naming {@code flow} or {@code flow.invoice_id}
     */
    public void checkFlow(Customer customer, PortalConfiguration configuration, Flow flow) {
        boolean on = switch (flow.type()) {
            case PAYMENT_METHOD_UPDATE -> settings(configuration) != null;
            case INVOICE_PAY -> invoicePayments(configuration);
            default -> false;
        };
        if (!on) {
            throw PortalException.invalid("flow", "the " + flow.type().jsonName()
                    + " flow needs a feature this session's configuration does not enable");
        }
        if (flow.type() == dev.billingportal.core.session.FlowType.INVOICE_PAY) {
            CustomerScope scope = CustomerScope.of(customer);
            Optional<Invoice> invoice = rt.invoices().findById(scope, flow.invoiceId())
                    .filter(i -> i.status().visibleInPortal() && i.customerId().equals(scope.customerId())
                            && i.tenantId().equals(scope.tenantId()));
            if (invoice.isEmpty() || !payable(invoice.get())) {
                throw PortalException.invalid("flow.invoice_id", "is not a payable invoice of this customer");
            }
        }
    }

    // ---------------------------------------------------------------- internals

    private static String attemptId(CustomerScope scope, String invoiceId, String key) {
        if (key == null) {
            return "pay_" + Ids.random();
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {scope.tenantId(), scope.customerId(), invoiceId, key}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return "pay_" + HexFormat.of().formatHex(sha.digest()).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean hasRunningSubscription(CustomerScope scope) {
        if (rt.subscriptions() == null) {
            return false;
        }
        List<Subscription> subscriptions = call(() -> rt.subscriptions().subscriptions(scope));
        return subscriptions.stream().anyMatch(s -> s.status().running());
    }

    private List<PaymentMethod> list(CustomerScope scope) {
        return List.copyOf(call(() -> rt.paymentMethods().paymentMethods(scope)));
    }

    private static PaymentMethod find(List<PaymentMethod> methods, String paymentMethodId) {
        return methods.stream().filter(m -> m.id().equals(paymentMethodId)).findFirst()
                .orElseThrow(() -> PortalException.notFound("payment_method"));
    }

    /** The provider's write, audited and announced in its transaction (see {@link RecordedWrites}). */
    private <T> T act(PortalContext ctx, AuditEventType type, String invoiceId, Supplier<T> write,
                      Function<T, PortalEvent> eventOf, java.util.function.BiConsumer<T, ObjectNode> detailsOf) {
        return writes.run(ctx, type, invoiceId, () -> call(write), eventOf, result -> {
            ObjectNode details = ApiJson.MAPPER.createObjectNode();
            detailsOf.accept(result, details);
            return details;
        }, LOG);
    }

    private PaymentMethodSettings settingsOf(PortalContext ctx) {
        Checks.required(ctx, "context");
        PaymentMethodSettings s = settings(ctx.configuration());
        if (s == null) {
            throw disabled("payment methods");
        }
        return s;
    }

    private static <T> T call(Supplier<T> provider) {
        // the exception's message may come from the provider: not kept, not passed on
        return ProviderCalls.call("the payment provider is unavailable; retry with the same Idempotency-Key", false,
                provider);
    }

    private static PortalException disabled(String what) {
        return new PortalException(ErrorCode.FORBIDDEN, "feature_disabled", what + " are not enabled");
    }
}
