package dev.billingportal.core.audit;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;

/**
 * One entry of the audit trail: who did what, when, from where. Never holds a token or any other credential:
 * sessions are named by id, which cannot authenticate anything.
 *
 * @param id                 a unique id of the event
 * @param type               what happened
 * @param occurredAt         when (the service's clock, millisecond precision)
 * @param tenantId           the customer's tenant
 * @param customerExternalId the customer's external id
 * @param actor              who caused it
 * @param sessionId          the session or link the event is about (for {@code SESSION_EXCHANGED} the new session,
 *                           for {@code LINK_REPLAY_REFUSED} the link), or null ({@code ALL_SESSIONS_REVOKED})
 * @param linkId             for {@code SESSION_EXCHANGED}, the link that was exchanged; otherwise null
 * @param invoiceId          for {@code INVOICE_DOWNLOADED}, the invoice; otherwise null
 * @param clientAddress      the client's address as the host passed it in ({@link ClientInfo#address()}), or null
 * @param userAgent          the client's user agent as the host passed it in ({@link ClientInfo#userAgent()}), or null
 */
public record AuditEvent(String id, AuditEventType type, Instant occurredAt, String tenantId, String customerExternalId,
                         AuditActor actor, String sessionId, String linkId, String invoiceId, String clientAddress,
                         String userAgent) {

    /** Validates the required parts; cleans the client's address and user agent as {@link ClientInfo} does. */
    public AuditEvent {
        Checks.id(id, "id");
        Checks.required(type, "type");
        Checks.required(occurredAt, "occurred_at");
        Checks.id(tenantId, "tenant_id");
        Checks.id(customerExternalId, "customer_external_id");
        Checks.required(actor, "actor");
        if (sessionId != null) {
            Checks.id(sessionId, "session_id");
        }
        if (linkId != null) {
            Checks.id(linkId, "link_id");
        }
        if (invoiceId != null) {
            Checks.id(invoiceId, "invoice_id");
        }
        clientAddress = ClientInfo.clean(clientAddress, ClientInfo.MAX_ADDRESS_LENGTH);
        userAgent = ClientInfo.clean(userAgent, ClientInfo.MAX_USER_AGENT_LENGTH);
    }

    /**
     * An event about {@code customer}, with the client's address and user agent taken from {@code client}.
     *
     * @param id         a unique id
     * @param type       what happened
     * @param occurredAt when
     * @param customer   whose
     * @param actor      who caused it
     * @param sessionId  the session or link it is about, or null
     * @param linkId     the link exchanged, or null
     * @param invoiceId  the invoice downloaded, or null
     * @param client     the client, or null when unknown
     * @return the event
     */
    public static AuditEvent of(String id, AuditEventType type, Instant occurredAt, CustomerRef customer,
                                AuditActor actor, String sessionId, String linkId, String invoiceId, ClientInfo client) {
        Checks.required(customer, "customer");
        ClientInfo known = client == null ? ClientInfo.UNKNOWN : client;
        return new AuditEvent(id, type, occurredAt, customer.tenantId(), customer.externalId(), actor, sessionId,
                linkId, invoiceId, known.address(), known.userAgent());
    }

    /** The customer the event is about. */
    public CustomerRef customer() {
        return CustomerRef.of(tenantId, customerExternalId);
    }

    /** The client's address and user agent. */
    public ClientInfo client() {
        return new ClientInfo(clientAddress, userAgent);
    }
}
