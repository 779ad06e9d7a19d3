package dev.billingportal.testkit;

import dev.billingportal.core.audit.AuditEventType;

import java.util.Map;

/**
 * The write routes of {@link PortalApiFuzzContract}, and what each writes: for {@link ApiFuzzGenerator} to tell which
 * write a generated request is, and for {@link ApiFuzzLegitimateWrites} to check that write and count it.
 */
final class ApiFuzzWriteRoutes {
    /** A payment write: the provider operation it calls and what it audits. */
    record PaymentWrite(String operation, AuditEventType audited) {
    }

    /** The payment writes. */
    static final Map<String, PaymentWrite> PAYMENT_WRITES = Map.of(
            "POST /payment_methods/setup", new PaymentWrite("PaymentMethodProvider.startSetup",
                    AuditEventType.PAYMENT_SETUP_STARTED),
            "POST /payment_methods/{id}/default", new PaymentWrite("PaymentMethodProvider.setDefault",
                    AuditEventType.DEFAULT_PAYMENT_METHOD_CHANGED),
            "DELETE /payment_methods/{id}", new PaymentWrite("PaymentMethodProvider.remove",
                    AuditEventType.PAYMENT_METHOD_REMOVED),
            "POST /invoices/{id}/pay", new PaymentWrite("PaymentMethodProvider.payInvoice",
                    AuditEventType.INVOICE_PAYMENT_STARTED));

    /** The subscription writes, and what each audits. */
    static final Map<String, AuditEventType> SUBSCRIPTION_WRITES = Map.of(
            "POST /subscriptions/{id}/change", AuditEventType.SUBSCRIPTION_CHANGED,
            "POST /subscriptions/{id}/cancel", AuditEventType.SUBSCRIPTION_CANCELED,
            "POST /subscriptions/{id}/resume", AuditEventType.SUBSCRIPTION_RESUMED);

    private ApiFuzzWriteRoutes() {
    }
}
