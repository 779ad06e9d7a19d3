package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A customer asked to pay an open invoice in the portal; the status says whether the default method was charged or they were sent to a hosted payment page. The host learns the final result from its provider.
 *
 * @param id         the event's id
 * @param customer   who
 * @param sessionId  the session they did it in
 * @param occurredAt when
 * @param invoiceId   the invoice
 * @param attemptId   the portal's id of the payment attempt
 * @param status      the outcome: redirect, succeeded, processing or failed
 * @param amountCents the amount due when asked, in minor units
 * @param currency    its ISO 4217 code
 */
public record InvoicePaymentStarted(String id, CustomerRef customer, String sessionId, Instant occurredAt, String invoiceId, String attemptId, String status, long amountCents, String currency) implements PortalEvent {

    /** Validates the event. */
    public InvoicePaymentStarted {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(occurredAt, "occurred_at");
        Checks.asciiId(invoiceId, "invoice_id");
        Checks.asciiId(attemptId, "attempt_id");
        Checks.id(status, "status");
        Checks.id(currency, "currency");
    }

    @Override
    public String type() {
        return "invoice.payment_started";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("invoice_id", invoiceId);
        data.put("attempt_id", attemptId);
        data.put("status", status);
        data.put("amount_cents", amountCents);
        data.put("currency", currency);
        return data;
    }
}
