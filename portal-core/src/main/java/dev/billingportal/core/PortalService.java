package dev.billingportal.core;

import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.config.SessionFeatures;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.internal.Slices;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.invoices.InvoiceService;
import dev.billingportal.core.profile.ProfileService;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.payments.PaymentService;
import dev.billingportal.core.subscriptions.SubscriptionService;
// usage+wallets (branch usage)
import dev.billingportal.core.usage.UsageService;
import dev.billingportal.core.wallets.WalletService;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The portal: the host mints short-lived signed links for one customer ({@link #createSession}); behind a link, every
 * request is {@linkplain #authenticate authenticated} to a {@link PortalContext} and served by a feature slice scoped
 * to that customer: {@linkplain #overview invoices}, {@linkplain #profile() profile}, and the slices of the
 * self-service features. This class is a facade: the work lives in each feature's package.
 *
 * <p>Built by {@link #builder()}, which fails fast naming any missing or bad setting. Immutable and thread-safe.
 *
 * <p>Audit policy: what grants access or hands out data (a new link, an exchange, a download, a write) is refused
 * with {@code UNAVAILABLE} when the audit trail cannot record it; what removes access (a revocation, a refused
 * replay) takes effect whether or not the trail works.
 */
public final class PortalService {
    /** Session lifetime when none is configured. */
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(12);
    /** Shortest configurable session lifetime. */
    public static final Duration MIN_SESSION_TTL = Duration.ofMinutes(1);
    /** Longest configurable session lifetime. */
    public static final Duration MAX_SESSION_TTL = Duration.ofDays(7);
    /** Clock difference tolerated when checking token times, unless configured. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    /** Largest configurable clock skew. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** The {@code iss} claim unless configured. */
    public static final String DEFAULT_ISSUER = "billing-portal";
    /** The {@code aud} claim unless configured. */
    public static final String DEFAULT_AUDIENCE = "billing-portal";
    /** The language when nothing else names one. */
    public static final Locale DEFAULT_LOCALE = Locale.ENGLISH;
    /** Links are reusable until they expire, unless configured. */
    public static final LinkMode DEFAULT_LINK_MODE = LinkMode.REUSABLE;
    /** Idle timeout of sessions exchanged from one-time links, unless configured. */
    public static final Duration DEFAULT_EXCHANGED_SESSION_TTL = Duration.ofMinutes(30);
    /** Shortest configurable idle timeout. */
    public static final Duration MIN_EXCHANGED_SESSION_TTL = Duration.ofMinutes(1);
    /** Longest configurable idle timeout. */
    public static final Duration MAX_EXCHANGED_SESSION_TTL = Duration.ofHours(12);

    private final PortalRuntime rt;
    private final Slices slices;

    PortalService(PortalRuntime rt) {
        this.rt = rt;
        this.slices = new Slices(rt);
    }

    /** A builder; see its setters for required settings and defaults. */
    public static PortalServiceBuilder builder() {
        return new PortalServiceBuilder();
    }

    /** A builder holding this service's settings, to build a variant. */
    public PortalServiceBuilder toBuilder() {
        return new PortalServiceBuilder(rt);
    }

    // ---------------------------------------------------------------- host side

    /**
     * Creates a portal session for one customer and returns its signed link. With {@link LinkMode#ONE_TIME} the link
     * opens the portal once (see {@link #exchange}). Audited as {@code SESSION_CREATED} with the request's client and
     * announced as {@code SessionCreated}.
     *
     * @throws PortalException {@code NOT_FOUND customer_not_found} when the tenant has no such customer;
     *                         {@code VALIDATION_ERROR} when the TTL is outside 1 minute to the session TTL, the
     *                         {@linkplain SessionRequest#configuration configuration} is unknown, or the
     *                         {@linkplain SessionRequest#flow flow} cannot run; {@code UNAVAILABLE} when storage or
     *                         the audit trail fails (no link is handed out)
     */
    public PortalSession createSession(SessionRequest request) {
        return slices.sessions.createSession(request);
    }

    /**
     * Revokes one session: its token fails on the very next {@link #authenticate}. Revoking a link also ends the
     * sessions exchanged from it.
     *
     * @return true if the session existed and was live until now
     */
    public boolean revokeSession(String sessionId) {
        return revokeSession(sessionId, ClientInfo.UNKNOWN);
    }

    /**
     * Revokes one session, recording {@code client} (who asked) in the {@code SESSION_REVOKED} audit event. The
     * revocation takes effect even when the audit trail or the event outbox fails.
     *
     * @param sessionId the session (or link) to revoke
     * @param client    who asked, or {@link ClientInfo#UNKNOWN}
     * @return true if the session existed and was live until now
     */
    public boolean revokeSession(String sessionId, ClientInfo client) {
        return slices.sessions.revokeSession(sessionId, client);
    }

    /**
     * Revokes every live session of one customer of one tenant (no other customer, no other tenant): links and
     * sessions exchanged from them.
     *
     * @return how many sessions were revoked
     */
    public int revokeAllSessions(CustomerRef customer) {
        return revokeAllSessions(customer, ClientInfo.UNKNOWN);
    }

    /**
     * Revokes every live session of one customer, recording {@code client} in the {@code ALL_SESSIONS_REVOKED} audit
     * event (written even when nothing was live). Takes effect even when the audit trail fails.
     *
     * @param customer whose sessions
     * @param client   who asked, or {@link ClientInfo#UNKNOWN}
     * @return how many sessions were revoked
     */
    public int revokeAllSessions(CustomerRef customer, ClientInfo client) {
        return slices.sessions.revokeAllSessions(customer, client);
    }

    /**
     * Deletes stored sessions that expired before now (minus the clock skew), and idempotency records past their
     * 24 hours; schedule it now and then.
     *
     * @return how many sessions were deleted
     */
    public int purgeExpiredSessions() {
        rt.idempotency().purgeExpired(rt.clock().instant());
        return slices.sessions.purgeExpiredSessions();
    }

    // ---------------------------------------------------------------- customer side

    /**
     * Verifies a portal token and loads who it is for, with no client information.
     *
     * @throws PortalException as {@link #authenticate(String, ClientInfo)}
     */
    public PortalContext authenticate(String token) {
        return authenticate(token, ClientInfo.UNKNOWN);
    }

    /**
     * Verifies a portal token and loads who it is for. The token is a link's ({@link LinkMode#REUSABLE} only) or that
     * of a session {@linkplain #exchange exchanged} from a one-time link; such a session also ends once idle for
     * longer than the idle timeout, and each authentication counts as activity.
     *
     * @param token  the bearer token
     * @param client the client of the request, kept in the context for audited actions
     * @return the authenticated context, with the session's configuration
     * @throws PortalException {@code UNAUTHORIZED} for any token that is malformed, forged, for another issuer
     *                         or audience, not valid yet, longer-lived than the session TTL, of an unknown or
     *                         revoked session ({@code session_revoked}) or a deleted customer, a one-time link's token
     *                         ({@code exchange_required}), or a link already used ({@code link_already_used});
     *                         {@code TOKEN_EXPIRED} once it has expired ({@code token_expired}) or its exchanged
     *                         session was idle too long ({@code session_expired})
     */
    public PortalContext authenticate(String token, ClientInfo client) {
        return slices.sessions.authenticate(token, client);
    }

    /**
     * Exchanges a link's token for a session: with {@link LinkMode#ONE_TIME} exactly once per link, even when several
     * requests race on several nodes (audited as {@code SESSION_EXCHANGED}; replays as {@code LINK_REPLAY_REFUSED});
     * with {@link LinkMode#REUSABLE} the link's own session, as often as asked. A return link's token (the way back
     * from a payment provider's hosted page, see {@code SessionService#returnLink}) is exchanged exactly once, in
     * either mode, for a new session of the session it was minted for.
     *
     * @param linkToken the token of the link, as found in its URL
     * @param client    the client of the request, for the audit trail
     * @return the session to use
     * @throws PortalException as {@link #authenticate}, and {@code link_already_used} for a second exchange
     */
    public PortalSession exchange(String linkToken, ClientInfo client) {
        return slices.sessions.exchange(linkToken, client);
    }

    /** The customer's totals per currency as of their today. */
    public BillingOverview overview(PortalContext ctx) {
        return slices.invoices.overview(ctx);
    }

    /**
     * One page of the customer's invoice history, newest first. Drafts (and failed or pending invoices) never appear.
     *
     * @throws PortalException {@code INVALID_REQUEST invalid_cursor} for a cursor this session did not hand out
     */
    public Page<Invoice> invoices(PortalContext ctx, InvoiceQuery query) {
        return slices.invoices.invoices(ctx, query);
    }

    /**
     * One invoice of the customer.
     *
     * @throws PortalException {@code NOT_FOUND invoice_not_found} when it does not exist, is a draft, or belongs
     *                         to someone else (indistinguishable on purpose)
     */
    public Invoice invoice(PortalContext ctx, String invoiceId) {
        return slices.invoices.invoice(ctx, invoiceId);
    }

    /**
     * The document of one of the customer's invoices, audited as {@code INVOICE_DOWNLOADED} before it is handed out.
     *
     * @throws PortalException {@code NOT_FOUND} for the invoice or its document; {@code UNAVAILABLE} when the audit
     *                         trail fails
     */
    public InvoiceDocument downloadInvoice(PortalContext ctx, String invoiceId) {
        return slices.invoices.downloadInvoice(ctx, invoiceId);
    }

    /** The profile slice: read and (where configured) change the customer's own details. */
    public ProfileService profile() {
        return slices.profile;
    }

    /** The subscriptions slice: view, change plan after a signed preview, cancel, resume. */
    public SubscriptionService subscriptions() {
        return slices.subscriptions;
    }

    /** The payments slice: payment methods (list, add on the provider's page, default, remove) and paying invoices. */
    public PaymentService payments() {
        return slices.payments;
    }

    // ---------------------------------------------------------------- usage+wallets

    /** The usage slice: the current period of each active subscription, and past periods' totals. */
    public UsageService usage() {
        return slices.usage;
    }

    /** The wallets slice: prepaid wallets, their transactions, top-ups. */
    public WalletService wallets() {
        return slices.wallets;
    }

    /** The invoices slice. */
    public InvoiceService invoiceHistory() {
        return slices.invoices;
    }

    /**
     * What this session may do: its configuration narrowed to the features whose provider is installed.
     *
     * @param ctx the session
     * @return the features
     */
    public SessionFeatures features(PortalContext ctx) {
        return slices.features(ctx);
    }

    /**
     * The origins that may frame the portal page opened with {@code token}: those of the configuration of the
     * session the token was genuinely signed for, even when it has expired or was revoked (so the customer sees the
     * page's own friendly error inside the host's frame). Empty for a missing, malformed, forged or foreign token.
     *
     * <p>For presentation only: it checks neither lifetime nor revocation, so it never grants access to data.
     */
    public List<String> frameAncestorsFor(String token) {
        return slices.sessions.frameAncestorsFor(token);
    }

    // ---------------------------------------------------------------- settings, for transports

    /** Whether invoice documents can be downloaded (a document store is configured). */
    public boolean documentsEnabled() {
        return slices.invoices.documentsEnabled();
    }

    /** The session lifetime. */
    public Duration sessionTtl() {
        return rt.sessionTtl();
    }

    /** The clock. */
    public Clock clock() {
        return rt.clock();
    }

    /** What links do: reusable until they expire, or one-time. */
    public LinkMode linkMode() {
        return rt.linkMode();
    }

    /** The idle timeout of sessions exchanged from one-time links. */
    public Duration exchangedSessionTtl() {
        return rt.exchangedSessionTtl();
    }

    /** Where audit events go ({@link AuditTrail#none()} unless configured). */
    public AuditTrail auditTrail() {
        return rt.audit();
    }

    /** Where writes sent with an {@code Idempotency-Key} are remembered. */
    public IdempotencyStore idempotency() {
        return rt.idempotency();
    }

    /** Runs a write with its records in one transaction. */
    public PortalTransactions transactions() {
        return rt.transactions();
    }

    /** The portal URL links point to. */
    public URI portalUrl() {
        return rt.portalUrl();
    }

    /** The customer's today, in their time zone. */
    public LocalDate today(Customer customer) {
        return slices.invoices.today(customer);
    }
}
