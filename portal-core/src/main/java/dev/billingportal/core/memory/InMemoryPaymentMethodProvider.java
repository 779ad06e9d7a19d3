package dev.billingportal.core.memory;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.Ids;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.payments.InvoicePayment;
import dev.billingportal.core.payments.InvoicePaymentStatus;
import dev.billingportal.core.payments.PaymentMethod;
import dev.billingportal.core.payments.PaymentMethodProvider;
import dev.billingportal.core.payments.ReturnUrls;
import dev.billingportal.core.payments.SetupSession;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link PaymentMethodProvider} in memory, for tests and the demo, with a <b>sandbox</b> hosted page model: adding a
 * method or paying without a default method answers a URL below {@link #sandboxUrl()} ({@code .../setup/<id>},
 * {@code .../pay/<id>}) that the demo serves as a page clearly marked as a sandbox, where a person completes or
 * cancels; that page calls {@link #completeSetup}, {@link #cancelSetup}, {@link #completePayment} or
 * {@link #cancelPayment} by the session id and sends the browser to the address they answer (the portal's own page,
 * as the portal gave it). No card data exists here either: a completed setup adds a sandbox card ending in 4242.
 *
 * <p>Paying with a default method charges it at once ({@code succeeded}), or {@code failed} when the default method is
 * {@linkplain #decline declined}. Charges are at most once per attempt id (a retry answers the first outcome) and per
 * invoice (a second attempt for a charged invoice is {@code CONFLICT invoice_not_payable}); {@link #charges()} lists
 * them. {@link #timeOutAfterNextCharge()} makes the next charge go through and then fail as a timeout would, to test
 * retries. Thread-safe: every method is synchronized.
 */
public final class InMemoryPaymentMethodProvider implements PaymentMethodProvider {
    /** The sandbox page's base URL unless one is given. */
    public static final URI DEFAULT_SANDBOX_URL = URI.create("https://sandbox.invalid/billing-portal-sandbox");

    /**
     * One charge taken.
     *
     * @param attemptId the portal's attempt id
     * @param scope     the customer
     * @param invoiceId the invoice
     * @param amount    what was charged
     * @param methodId  the method charged, or null for a payment completed on the sandbox page
     */
    public record Charge(String attemptId, CustomerScope scope, String invoiceId, Money amount, String methodId) {
    }

    private record Pending(String id, CustomerScope scope, ReturnUrls returnUrls, Invoice invoice, String attemptId) {
    }

    private final URI sandboxUrl;
    private final Map<CustomerScope, LinkedHashMap<String, PaymentMethod>> methods = new HashMap<>();
    private final Map<String, Pending> setups = new HashMap<>();
    private final Map<String, Pending> payments = new HashMap<>();
    private final Map<String, InvoicePayment> attempts = new HashMap<>();
    private final Set<String> chargedInvoices = new HashSet<>();
    private final Set<String> declined = new HashSet<>();
    private final List<Charge> charges = new ArrayList<>();
    private Consumer<Charge> whenCharged = charge -> { };
    private boolean timeOutAfterNextCharge;

    /** A provider whose sandbox page is at {@link #DEFAULT_SANDBOX_URL}. */
    public InMemoryPaymentMethodProvider() {
        this(DEFAULT_SANDBOX_URL);
    }

    /**
     * A provider whose sandbox page is at {@code sandboxUrl} (the demo's own path).
     *
     * @param sandboxUrl an absolute {@code https} URL, or {@code http} on localhost
     */
    public InMemoryPaymentMethodProvider(URI sandboxUrl) {
        String url = Checks.required(sandboxUrl, "sandboxUrl").toString();
        this.sandboxUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    /**
     * The sandbox page's base URL.
     *
     * @return the URL the hosted pages are below
     */
    public URI sandboxUrl() {
        return sandboxUrl;
    }

    /**
     * Saves a method of a customer (seeding); the first method, or one saved as default, becomes the default.
     *
     * @param scope  the customer
     * @param method the method
     * @return this
     */
    public synchronized InMemoryPaymentMethodProvider save(CustomerScope scope, PaymentMethod method) {
        LinkedHashMap<String, PaymentMethod> own = methods.computeIfAbsent(scope, s -> new LinkedHashMap<>());
        boolean isDefault = method.isDefault() || own.values().stream().noneMatch(PaymentMethod::isDefault)
                && (own.isEmpty() || own.keySet().equals(Set.of(method.id())));
        if (isDefault) {
            own.replaceAll((id, m) -> m.withDefault(false));
        }
        own.put(method.id(), method.withDefault(isDefault));
        return this;
    }

    /**
     * Forgets every method, session, attempt and charge (tests reseed with {@link #save}).
     *
     * @return this
     */
    public synchronized InMemoryPaymentMethodProvider clear() {
        methods.clear();
        setups.clear();
        payments.clear();
        attempts.clear();
        chargedInvoices.clear();
        declined.clear();
        charges.clear();
        timeOutAfterNextCharge = false;
        return this;
    }

    /**
     * Makes charges on this method fail (a declined card).
     *
     * @param paymentMethodId the method
     * @return this
     */
    public synchronized InMemoryPaymentMethodProvider decline(String paymentMethodId) {
        declined.add(paymentMethodId);
        return this;
    }

    /**
     * Calls {@code listener} on every charge, inside this provider's lock (the demo marks the invoice paid).
     *
     * @param listener the listener
     * @return this
     */
    public synchronized InMemoryPaymentMethodProvider whenCharged(Consumer<Charge> listener) {
        this.whenCharged = Checks.required(listener, "listener");
        return this;
    }

    /** The next charge goes through and then fails with an exception, as a timeout after the charge would. */
    public synchronized void timeOutAfterNextCharge() {
        this.timeOutAfterNextCharge = true;
    }

    /**
     * Every charge taken, in order.
     *
     * @return a copy
     */
    public synchronized List<Charge> charges() {
        return List.copyOf(charges);
    }

    @Override
    public synchronized List<PaymentMethod> paymentMethods(CustomerScope scope) {
        return List.copyOf(methods.getOrDefault(scope, new LinkedHashMap<>()).values());
    }

    @Override
    public synchronized SetupSession startSetup(CustomerScope scope, ReturnUrls returnUrls) {
        Checks.required(scope, "scope");
        Checks.required(returnUrls, "returnUrls");
        String id = "seti_" + Ids.random();
        setups.put(id, new Pending(id, scope, returnUrls, null, null));
        return new SetupSession(id, URI.create(sandboxUrl + "/setup/" + id));
    }

    @Override
    public synchronized List<PaymentMethod> setDefault(CustomerScope scope, String paymentMethodId) {
        LinkedHashMap<String, PaymentMethod> own = own(scope, paymentMethodId);
        own.replaceAll((id, m) -> m.withDefault(id.equals(paymentMethodId)));
        return paymentMethods(scope);
    }

    @Override
    public synchronized void remove(CustomerScope scope, String paymentMethodId) {
        LinkedHashMap<String, PaymentMethod> own = own(scope, paymentMethodId);
        PaymentMethod removed = own.remove(paymentMethodId);
        if (removed.isDefault() && !own.isEmpty()) {
            String first = own.keySet().iterator().next();
            own.put(first, own.get(first).withDefault(true));
        }
    }

    @Override
    public synchronized InvoicePayment payInvoice(CustomerScope scope, Invoice invoice, ReturnUrls returnUrls,
                                                  String attemptId) {
        Checks.required(scope, "scope");
        Checks.required(invoice, "invoice");
        Checks.required(returnUrls, "returnUrls");
        Checks.asciiId(attemptId, "attempt_id");
        InvoicePayment earlier = attempts.get(attemptKey(scope, attemptId));
        if (earlier != null) {
            return earlier; // a retry of this attempt: never charged twice
        }
        if (!invoice.tenantId().equals(scope.tenantId()) || !invoice.customerId().equals(scope.customerId())) {
            throw PortalException.notFound("invoice");
        }
        if (chargedInvoices.contains(invoiceKey(scope, invoice.id()))) {
            throw new PortalException(ErrorCode.CONFLICT, "invoice_not_payable", "this invoice was paid already");
        }
        Optional<PaymentMethod> method = paymentMethods(scope).stream().filter(PaymentMethod::isDefault).findFirst();
        InvoicePayment payment;
        if (method.isEmpty()) {
            String id = "cs_" + Ids.random();
            payments.put(id, new Pending(id, scope, returnUrls, invoice, attemptId));
            payment = new InvoicePayment(attemptId, invoice.id(), InvoicePaymentStatus.REDIRECT,
                    URI.create(sandboxUrl + "/pay/" + id));
        } else if (declined.contains(method.get().id())) {
            payment = new InvoicePayment(attemptId, invoice.id(), InvoicePaymentStatus.FAILED, null);
        } else {
            charge(new Charge(attemptId, scope, invoice.id(), invoice.amountDue(), method.get().id()));
            payment = new InvoicePayment(attemptId, invoice.id(), InvoicePaymentStatus.SUCCEEDED, null);
        }
        attempts.put(attemptKey(scope, attemptId), payment);
        if (payment.status() == InvoicePaymentStatus.SUCCEEDED && timeOutAfterNextCharge) {
            timeOutAfterNextCharge = false;
            throw new IllegalStateException("sandbox: read timed out after the charge went through");
        }
        return payment;
    }

    // ---------------------------------------------------------------- the sandbox page's side

    /**
     * Whether a setup session is open (the sandbox page shows it; an unknown or finished one is a 404 there).
     *
     * @param setupId the setup session's id
     * @return whether it can still be completed or canceled
     */
    public synchronized boolean setupOpen(String setupId) {
        return setupId != null && setups.containsKey(setupId);
    }

    /**
     * The invoice of an open payment session, for the sandbox page to show what would be paid.
     *
     * @param paymentId the payment session's id
     * @return the invoice, or empty for an unknown or finished session
     */
    public synchronized Optional<Invoice> paymentOpen(String paymentId) {
        Pending pending = paymentId == null ? null : payments.get(paymentId);
        return pending == null ? Optional.empty() : Optional.of(pending.invoice());
    }

    /**
     * The sandbox page completed a setup: adds a sandbox card (visa ending in 4242, default when it is the first).
     *
     * @param setupId the setup session's id
     * @return where to send the browser: the portal's page with {@code ?setup=complete}
     * @throws PortalException {@code NOT_FOUND setup_not_found} for an unknown or finished session
     */
    public synchronized URI completeSetup(String setupId) {
        Pending setup = take(setups, setupId, "setup");
        save(setup.scope(), PaymentMethod.builder().id("pm_" + Ids.random().substring(0, 16)).brand("visa")
                .last4("4242").expires(12, 2030).build());
        return setup.returnUrls().completed();
    }

    /**
     * The sandbox page canceled a setup.
     *
     * @param setupId the setup session's id
     * @return where to send the browser: the portal's page with {@code ?setup=canceled}
     * @throws PortalException {@code NOT_FOUND setup_not_found} for an unknown or finished session
     */
    public synchronized URI cancelSetup(String setupId) {
        return take(setups, setupId, "setup").returnUrls().canceled();
    }

    /**
     * The sandbox page completed a payment: charges it (once).
     *
     * @param paymentId the payment session's id (the last segment of its URL)
     * @return where to send the browser: the portal's page with {@code ?payment=complete}
     * @throws PortalException {@code NOT_FOUND payment_not_found} for an unknown or finished session
     */
    public synchronized URI completePayment(String paymentId) {
        Pending pending = take(payments, paymentId, "payment");
        if (!chargedInvoices.contains(invoiceKey(pending.scope(), pending.invoice().id()))) {
            charge(new Charge(pending.attemptId(), pending.scope(), pending.invoice().id(),
                    pending.invoice().amountDue(), null));
        }
        return pending.returnUrls().completed();
    }

    /**
     * The sandbox page canceled a payment: nothing is charged.
     *
     * @param paymentId the payment session's id
     * @return where to send the browser: the portal's page with {@code ?payment=canceled}
     * @throws PortalException {@code NOT_FOUND payment_not_found} for an unknown or finished session
     */
    public synchronized URI cancelPayment(String paymentId) {
        return take(payments, paymentId, "payment").returnUrls().canceled();
    }

    private void charge(Charge charge) {
        charges.add(charge);
        chargedInvoices.add(invoiceKey(charge.scope(), charge.invoiceId()));
        whenCharged.accept(charge);
    }

    private LinkedHashMap<String, PaymentMethod> own(CustomerScope scope, String paymentMethodId) {
        LinkedHashMap<String, PaymentMethod> own = methods.get(Checks.required(scope, "scope"));
        if (own == null || paymentMethodId == null || !own.containsKey(paymentMethodId)) {
            throw PortalException.notFound("payment_method");
        }
        return own;
    }

    private static Pending take(Map<String, Pending> pending, String id, String what) {
        Pending found = id == null ? null : pending.remove(id);
        if (found == null) {
            throw PortalException.notFound(what);
        }
        return found;
    }

    private static String attemptKey(CustomerScope scope, String attemptId) {
        return scope.tenantId() + "\u0000" + scope.customerId() + "\u0000" + attemptId;
    }

    private static String invoiceKey(CustomerScope scope, String invoiceId) {
        return scope.tenantId() + "\u0000" + scope.customerId() + "\u0000" + invoiceId;
    }
}
