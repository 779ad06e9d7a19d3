package dev.billingportal.core.audit;

/** What an {@link AuditEvent} records. Stored by name: names are API and never change. */
public enum AuditEventType {
    /** The host created a portal session (a link). */
    SESSION_CREATED,
    /** A one-time link was exchanged for a session; the event names the new session and the link. */
    SESSION_EXCHANGED,
    /** A one-time link was presented again after its exchange, and refused. */
    LINK_REPLAY_REFUSED,
    /** The host revoked one session (and with it the sessions exchanged from it). */
    SESSION_REVOKED,
    /** The host revoked every session of one customer. */
    ALL_SESSIONS_REVOKED,
    /** The customer downloaded (was handed the document or its URL of) one invoice. */
    INVOICE_DOWNLOADED,
    /** The customer changed their profile; the event's details hold each field's old and new value. */
    CUSTOMER_UPDATED,
    /** The customer changed (or scheduled a change of) a subscription's plan; details: plans, timing, amounts. */
    SUBSCRIPTION_CHANGED,
    /** The customer cancelled a subscription; details: mode, reason, comment, ending. */
    SUBSCRIPTION_CANCELED,
    /** The customer undid a subscription's scheduled cancellation. */
    SUBSCRIPTION_RESUMED,
    // payments
    /** The customer started adding a payment method (was sent to the provider's hosted page); details: setup id. */
    PAYMENT_SETUP_STARTED,
    /** The customer made another payment method the default; details: the new and previous default. */
    DEFAULT_PAYMENT_METHOD_CHANGED,
    /** The customer removed a payment method; details: its id, type and last four digits. */
    PAYMENT_METHOD_REMOVED,
    /** The customer asked to pay an invoice; details: attempt id, status, amount. */
    INVOICE_PAYMENT_STARTED,
    /** The customer asked to top up a wallet; details: wallet, transaction, credits, amount, invoice to pay. */
    WALLET_TOP_UP_REQUESTED
}
