package dev.billingportal.core.wallets;

import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

/**
 * What the customer pays for a top-up that the provider bills: the invoice it issued for the credits (payable like
 * any other invoice of the portal).
 *
 * @param invoiceId the invoice to pay
 * @param amount    its amount due
 */
public record TopUpPayment(String invoiceId, Money amount) {

    /** Validates the payment. */
    public TopUpPayment {
        Checks.id(invoiceId, "invoice_id");
        Checks.required(amount, "amount");
    }
}
