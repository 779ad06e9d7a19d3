package dev.billingportal.core.payments;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.Invoice;

import java.util.List;

/**
 * The host's payment provider (Stripe, Adyen, Mollie, its own), as the portal uses it. The portal never sees card
 * numbers or security codes: adding a method is a hand-off to the provider's hosted page, and the host learns the
 * result from its provider as usual (a webhook). Every method is scoped by {@link CustomerScope}: a method of another
 * customer or tenant must be invisible.
 *
 * <p>Refusals: throw {@link dev.billingportal.core.PortalException} with {@code NOT_FOUND}, {@code CONFLICT} or
 * {@code VALIDATION_ERROR} and a stable reason; the portal passes it on. Any other exception (a timeout included)
 * means the provider is unavailable: the customer gets {@code 503 provider_unavailable} and may retry with the same
 * {@code Idempotency-Key}. Implementations must be thread-safe; testkit's {@code PaymentMethodProviderContract} checks
 * an implementation.
 */
public interface PaymentMethodProvider {

    /**
     * The customer's payment methods, at most one of them the default, in a stable order.
     *
     * @param scope the customer
     * @return their methods
     */
    List<PaymentMethod> paymentMethods(CustomerScope scope);

    /**
     * Starts adding a payment method on the provider's hosted page.
     *
     * @param scope      the customer
     * @param returnUrls where the hosted page sends the customer back (the portal's own page)
     * @return the session, with the URL to send the customer to
     */
    SetupSession startSetup(CustomerScope scope, ReturnUrls returnUrls);

    /**
     * Makes one of the customer's methods the default (the others stop being it).
     *
     * @param scope           the customer
     * @param paymentMethodId the method
     * @return the customer's methods afterwards
     * @throws dev.billingportal.core.PortalException {@code NOT_FOUND payment_method_not_found} when it is not the
     *                                                customer's
     */
    List<PaymentMethod> setDefault(CustomerScope scope, String paymentMethodId);

    /**
     * Detaches one of the customer's methods.
     *
     * @param scope           the customer
     * @param paymentMethodId the method
     * @throws dev.billingportal.core.PortalException {@code NOT_FOUND payment_method_not_found} when it is not the
     *                                                customer's
     */
    void remove(CustomerScope scope, String paymentMethodId);

    /**
     * Pays an open invoice of the customer: charges the default method, or answers a hosted payment page. At most
     * once per {@code attemptId}: a second call with the same id (a retry after a timeout) answers the first
     * attempt's outcome without charging again.
     *
     * @param scope      the customer
     * @param invoice    one of their payable invoices (the portal checked it)
     * @param returnUrls where a hosted payment page sends the customer back (the portal's own page)
     * @param attemptId  the portal's id of this attempt, the same for every retry of one request
     * @return the outcome
     */
    InvoicePayment payInvoice(CustomerScope scope, Invoice invoice, ReturnUrls returnUrls, String attemptId);
}
