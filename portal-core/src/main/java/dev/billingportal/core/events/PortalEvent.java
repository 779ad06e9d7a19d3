package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;

import java.time.Instant;
import java.util.Map;

/**
 * Something the portal did that the host wants to know: a session was created or revoked, a customer changed
 * their details. Events are emitted only after the write they describe succeeded, to the
 * {@link PortalEventListener} (synchronously) and, with a transactional {@link EventOutbox}, in the same
 * transaction as that write.
 *
 * <p>The set of events is closed ({@code sealed}) so a {@code switch} over them is checked by the compiler; new
 * features add records here. Every event has a unique {@link #id()} (the Standard Webhooks {@code webhook-id}), a
 * stable dotted {@link #type()}, and {@link #data()}: plain JSON values only (strings, numbers, booleans, null,
 * lists and maps of them), never a token or a secret.
 */
public sealed interface PortalEvent permits SessionCreated, SessionRevoked, CustomerUpdated,
        SubscriptionChanged, SubscriptionCanceled, SubscriptionResumed,
        // payments
        PaymentMethodSetupStarted, DefaultPaymentMethodChanged, PaymentMethodRemoved, InvoicePaymentStarted,
        WalletTopUpRequested {

    /** Unique id of this event ({@code evt_...}); a relay delivers it as {@code webhook-id}. */
    String id();

    /** The customer it concerns. */
    CustomerRef customer();

    /** The portal session that caused it, or null when the host did (revoking all sessions, say). */
    String sessionId();

    /** When it happened. */
    Instant occurredAt();

    /** Its stable type, e.g. {@code customer.updated}. */
    String type();

    /** What happened, as JSON values (snake_case keys). */
    Map<String, Object> data();
}
