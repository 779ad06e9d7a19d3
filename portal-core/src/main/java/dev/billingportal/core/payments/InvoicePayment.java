package dev.billingportal.core.payments;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;

import java.net.URI;

/**
 * What the provider did when asked to pay an invoice: send the customer to its hosted payment page, or charge the
 * default method.
 *
 * @param attemptId   the portal's id of this payment attempt (see {@link PaymentMethodProvider#payInvoice})
 * @param invoiceId   the invoice
 * @param status      the outcome
 * @param redirectUrl the hosted payment page for {@link InvoicePaymentStatus#REDIRECT}, else null
 */
public record InvoicePayment(String attemptId, String invoiceId, InvoicePaymentStatus status, URI redirectUrl) {
    /** Validates: a redirect has a URL, nothing else has one. */
    public InvoicePayment {
        Checks.asciiId(attemptId, "attempt_id");
        Checks.asciiId(invoiceId, "invoice_id");
        Checks.required(status, "status");
        if (status == InvoicePaymentStatus.REDIRECT) {
            redirectUrl = SetupSession.hostedPage(redirectUrl, "redirect_url");
        } else if (redirectUrl != null) {
            throw PortalException.invalid("redirect_url", "only a redirect has one");
        }
    }
}
