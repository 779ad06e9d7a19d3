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
 * @param details            for a change, a JSON object of each changed field's old and new value; otherwise null
 */
public record AuditEvent(String id, AuditEventType type, Instant occurredAt, String tenantId, String customerExternalId,
                         AuditActor actor, String sessionId, String linkId, String invoiceId, String clientAddress,
                         String userAgent, String details) {

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
        if (details != null && details.length() > MAX_DETAILS_LENGTH) {
            throw new IllegalArgumentException("audit details must be at most " + MAX_DETAILS_LENGTH + " characters");
        }
    }

    /** Longest {@code details} document kept. */
    public static final int MAX_DETAILS_LENGTH = 16_000;

    /**
     * An event without details, as before details existed.
     *
     * @param id                 unique id
     * @param type               what happened
     * @param occurredAt         when
     * @param tenantId           the customer's tenant
     * @param customerExternalId the customer's external id
     * @param actor              who did it
     * @param sessionId          the session concerned, or null
     * @param linkId             the link an exchanged session came from, or null
     * @param invoiceId          the invoice concerned, or null
     * @param clientAddress      the client's address, or null
     * @param userAgent          the client's user agent, or null
     */
    public AuditEvent(String id, AuditEventType type, Instant occurredAt, String tenantId, String customerExternalId,
                      AuditActor actor, String sessionId, String linkId, String invoiceId, String clientAddress,
                      String userAgent) {
        this(id, type, occurredAt, tenantId, customerExternalId, actor, sessionId, linkId, invoiceId, clientAddress,
                userAgent, null);
    }

    /**
     * A copy with these details: for a change, a JSON object of each changed field's {@code old} and {@code new}
     * value (see {@code FieldChange}).
     *
     * @param details the JSON document, or null
     * @return the copy
     */
    public AuditEvent withDetails(String details) {
        return new AuditEvent(id, type, occurredAt, tenantId, customerExternalId, actor, sessionId, linkId, invoiceId,
                clientAddress, userAgent, details);
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
                linkId, invoiceId, known.address(), known.userAgent(), null);
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
