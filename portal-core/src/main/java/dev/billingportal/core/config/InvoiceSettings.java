package dev.billingportal.core.config;

/**
 * What the invoices section offers.
 *
 * @param history  whether the invoice history (and its overview) is shown
 * @param payments whether open invoices can be paid from the portal (needs a payment method provider)
 */
public record InvoiceSettings(boolean history, boolean payments) {
    /** History on, payments on (they still need a provider). */
    public static final InvoiceSettings DEFAULT = new InvoiceSettings(true, true);
}
