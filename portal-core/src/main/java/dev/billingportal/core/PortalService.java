package dev.billingportal.core;

import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.config.TenantSettings;

import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.i18n.PortalLocales;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.CursorCodec;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.InvoiceDocumentStore;
import dev.billingportal.core.invoices.InvoiceKey;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.invoices.InvoiceSearch;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.core.token.TokenClaims;
import dev.billingportal.core.token.TokenKind;
import dev.billingportal.core.token.TokenSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The portal: creates and revokes sessions for the host, authenticates portal tokens, and answers the
 * customer's reads, each scoped to the authenticated customer. Build it once with {@link #builder()} and
 * share it: it is thread-safe if its repositories are.
 *
 * <pre>{@code
 * PortalService portal = PortalService.builder()
 *     .customers(customers).invoices(invoices).sessions(sessions)
 *     .tokenSigner(JwtTokenSigner.hs256(keyRing))
 *     .portalUrl(URI.create("https://billing.example.com/portal"))
 *     .linkMode(LinkMode.ONE_TIME)           // optional: links open the portal once
 *     .audit(store.audit())                  // optional: the audit trail
 *     .build();
 * }</pre>
 *
 * <h2>Audit failures</h2>
 * With an {@link Builder#audit audit trail} configured, an audit write that fails never weakens security:
 * <ul>
 *   <li>what grants access or hands out data (a new link, an exchanged session, an invoice document) is refused with
 *       {@code UNAVAILABLE} when its event cannot be written, and a link or session already stored for it is revoked,
 *       so nothing unaudited is ever handed out;</li>
 *   <li>what removes or refuses access (revocations, a refused replay of a one-time link) always takes effect and
 *       answers as usual; the event that could not be written is logged at ERROR (ids only, never a token).</li>
 * </ul>
 */
public final class PortalService {
    /** Session lifetime when none is configured: 12 hours, as Lago's portal links. */
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(12);
    /** Shortest configurable session lifetime. */
    public static final Duration MIN_SESSION_TTL = Duration.ofMinutes(1);
    /** Longest configurable session lifetime. */
    public static final Duration MAX_SESSION_TTL = Duration.ofDays(7);
    /** Clock difference tolerated between the node that signed a token and the one verifying it. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    /** Largest configurable clock skew. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** {@code iss} of tokens when none is configured. */
    public static final String DEFAULT_ISSUER = "billing-portal";
    /** {@code aud} of tokens when none is configured. */
    public static final String DEFAULT_AUDIENCE = "billing-portal";
    /** Language when neither the session, the customer nor the configuration names one. */
    public static final Locale DEFAULT_LOCALE = Locale.ENGLISH;
    /** Settings of every tenant unless configured otherwise: {@link TenantSettings#DEFAULT}. */
    public static final Function<String, TenantSettings> DEFAULT_TENANT_SETTINGS = tenantId -> TenantSettings.DEFAULT;
    /** What links do when not configured: {@link LinkMode#REUSABLE}, Lago's behaviour. */
    public static final LinkMode DEFAULT_LINK_MODE = LinkMode.REUSABLE;
    /** Idle timeout of a session exchanged from a one-time link when none is configured: 30 minutes. */
    public static final Duration DEFAULT_EXCHANGED_SESSION_TTL = Duration.ofMinutes(30);
    /** Shortest configurable idle timeout of an exchanged session. */
    public static final Duration MIN_EXCHANGED_SESSION_TTL = Duration.ofMinutes(1);
    /** Longest configurable idle timeout of an exchanged session. */
    public static final Duration MAX_EXCHANGED_SESSION_TTL = Duration.ofHours(12);
    /**
     * Activity of an exchanged session is written at most this often (or once per tenth of the idle timeout, if
     * that is shorter), so a page of API calls does not write on every request.
     */
    public static final Duration MAX_ACTIVITY_WRITE_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(PortalService.class);
    private static final Set<InvoiceStatus> VISIBLE_STATUSES = EnumSet.of(InvoiceStatus.FINALIZED, InvoiceStatus.VOIDED);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong EVENT_SEQUENCE = new AtomicLong();

    private final CustomerRepository customers;
    private final InvoiceRepository invoices;
    private final PortalSessionRepository sessions;
    private final TokenSigner tokenSigner;
    private final URI portalUrl;
    private final Duration sessionTtl;
    private final Duration clockSkew;
    private final InvoiceDocumentStore documents;
    private final Clock clock;
    private final String issuer;
    private final String audience;
    private final Locale defaultLocale;
    private final Function<String, TenantSettings> tenantSettings;
    private final LinkMode linkMode;
    private final Duration exchangedSessionTtl;
    private final Duration activityWriteInterval;
    private final AuditTrail audit;

    private PortalService(Builder b) {
        this.customers = b.customers;
        this.invoices = b.invoices;
        this.sessions = b.sessions;
        this.tokenSigner = b.tokenSigner;
        this.portalUrl = b.portalUrl;
        this.sessionTtl = b.sessionTtl;
        this.clockSkew = b.clockSkew;
        this.documents = b.documents;
        this.clock = b.clock;
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.defaultLocale = b.defaultLocale;
        this.tenantSettings = b.tenantSettings;
        this.linkMode = b.linkMode;
        this.exchangedSessionTtl = b.exchangedSessionTtl;
        Duration tenth = b.exchangedSessionTtl.dividedBy(10);
        this.activityWriteInterval = tenth.compareTo(MAX_ACTIVITY_WRITE_INTERVAL) < 0 ? tenth : MAX_ACTIVITY_WRITE_INTERVAL;
        this.audit = b.audit;
    }

    /** A builder; see the setter docs for required settings and defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this service's settings, to build a variant. */
    public Builder toBuilder() {
        return new Builder().customers(customers).invoices(invoices).sessions(sessions).tokenSigner(tokenSigner)
                .portalUrl(portalUrl).sessionTtl(sessionTtl).clockSkew(clockSkew).documents(documents).clock(clock)
                .issuer(issuer).audience(audience).defaultLocale(defaultLocale).tenantSettings(tenantSettings)
                .linkMode(linkMode).exchangedSessionTtl(exchangedSessionTtl).audit(audit);
    }

    // ---------------------------------------------------------------- host side

    /**
     * Creates a portal session for one customer and returns its signed link. With {@link LinkMode#ONE_TIME} the link
     * opens the portal once (see {@link #exchange}). Audited as {@code SESSION_CREATED} with the request's
     * {@linkplain SessionRequest#client(ClientInfo) client}.
     *
     * @throws PortalException {@code NOT_FOUND customer_not_found} when the tenant has no such customer;
     *                         {@code VALIDATION_ERROR} when the requested TTL is outside 1 minute to the session TTL;
     *                         {@code UNAVAILABLE} when storage or the audit trail fails (no link is handed out)
     */
    public PortalSession createSession(SessionRequest request) {
        Checks.required(request, "request");
        CustomerRef ref = request.customer();
        customers.findByExternalId(ref).orElseThrow(() -> PortalException.notFound("customer"));
        Duration ttl = request.ttl() == null ? sessionTtl : request.ttl();
        if (ttl.compareTo(MIN_SESSION_TTL) < 0 || ttl.compareTo(sessionTtl) > 0) {
            throw PortalException.invalid("ttl", "must be between " + MIN_SESSION_TTL + " and " + sessionTtl);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(ttl);
        String id = newSessionId();
        String locale = request.locale() == null ? null : request.locale().toLanguageTag();
        String token = tokenSigner.sign(new TokenClaims(issuer, audience, ref.externalId(), ref.tenantId(),
                now, now, expiresAt, id, locale));
        sessions.create(new SessionRecord(id, ref, now, expiresAt, request.locale(), request.returnUrl(),
                request.configurationName(), request.flow(), null));
        recordGranting(event(AuditEventType.SESSION_CREATED, ref, AuditActor.HOST, id, null, null, request.client()),
                () -> sessions.revoke(id, clock.instant()));
        LOG.debug("portal session {} created for tenant {}, expires {}", id, ref.tenantId(), expiresAt);
        return new PortalSession(id, ref, now, expiresAt, request.locale(), request.returnUrl(),
                request.configurationName(), request.flow(), token, withToken(portalUrl, token));
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
     * Revokes one session, as {@link #revokeSession(String)}, recording {@code client} (who asked) in the
     * {@code SESSION_REVOKED} audit event. The revocation takes effect even when the audit trail fails.
     *
     * @param sessionId the session (or link) to revoke
     * @param client    who asked, or {@link ClientInfo#UNKNOWN}
     * @return true if the session existed and was live until now
     */
    public boolean revokeSession(String sessionId, ClientInfo client) {
        Checks.id(sessionId, "session_id");
        // Whose session it is, for the audit event; revocation itself names only the id.
        Optional<SessionRecord> session = auditing() ? sessions.findById(sessionId) : Optional.empty();
        boolean revoked = sessions.revoke(sessionId, clock.instant());
        LOG.debug("portal session {} revoke requested: {}", sessionId, revoked ? "revoked" : "unknown or already revoked");
        if (revoked && session.isPresent()) {
            recordRefusing(event(AuditEventType.SESSION_REVOKED, session.get().customer(), AuditActor.HOST, sessionId,
                    null, null, client));
        }
        return revoked;
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
     * Revokes every live session of one customer, as {@link #revokeAllSessions(CustomerRef)}, recording
     * {@code client} in the {@code ALL_SESSIONS_REVOKED} audit event (written even when nothing was live). The
     * revocation takes effect even when the audit trail fails.
     *
     * @param customer whose sessions
     * @param client   who asked, or {@link ClientInfo#UNKNOWN}
     * @return how many sessions were revoked
     */
    public int revokeAllSessions(CustomerRef customer, ClientInfo client) {
        Checks.required(customer, "customer");
        int revoked = sessions.revokeAll(customer, clock.instant());
        LOG.debug("{} portal sessions revoked for one customer of tenant {}", revoked, customer.tenantId());
        recordRefusing(event(AuditEventType.ALL_SESSIONS_REVOKED, customer, AuditActor.HOST, null, null, null, client));
        return revoked;
    }

    /**
     * Deletes stored sessions that expired before now (minus the clock skew); schedule it now and then.
     *
     * @return how many were deleted
     */
    public int purgeExpiredSessions() {
        return sessions.deleteExpired(clock.instant().minus(clockSkew));
    }

    // ---------------------------------------------------------------- customer side

    /**
     * Verifies a portal token and loads who it is for, with no client information; see
     * {@link #authenticate(String, ClientInfo)}.
     *
     * @throws PortalException as {@link #authenticate(String, ClientInfo)}
     */
    public PortalContext authenticate(String token) {
        return authenticate(token, ClientInfo.UNKNOWN);
    }

    /**
     * Verifies a portal token and loads who it is for. The token is a link's ({@link LinkMode#REUSABLE} only) or that
     * of a session {@linkplain #exchange exchanged} from a one-time link; such a session also ends once idle for
     * longer than the {@linkplain Builder#exchangedSessionTtl idle timeout}, and each authentication counts as
     * activity (written at most once a minute, or once per tenth of the timeout if that is shorter).
     *
     * @param token  the bearer token
     * @param client the client of the request, kept in the context for audited actions (downloads)
     * @return the authenticated context
     * @throws PortalException {@code UNAUTHORIZED} for any token that is malformed, forged, for another issuer
     *                         or audience, not valid yet, longer-lived than the session TTL, of an unknown or
     *                         revoked session ({@code session_revoked}) or a deleted customer, a one-time link's token
     *                         ({@code exchange_required}: exchange it first), or a reusable link already used as a
     *                         one-time link ({@code link_already_used}); {@code TOKEN_EXPIRED} once it has expired
     *                         ({@code token_expired}) or its exchanged session was idle too long
     *                         ({@code session_expired})
     */
    public PortalContext authenticate(String token, ClientInfo client) {
        TokenClaims claims = verified(token);
        if (claims.kind() == TokenKind.LINK && linkMode == LinkMode.ONE_TIME) {
            throw unauthorized("exchange_required", "a one-time link's token must be exchanged for a session first");
        }
        CustomerRef ref = customerOf(claims);
        SessionRecord session = sessions.find(ref, claims.jwtId())
                .orElseThrow(() -> unauthorized("invalid_token", "unknown session"));
        if (session.exchangedSession() != (claims.kind() == TokenKind.SESSION)) {
            throw unauthorized("invalid_token", "the token's kind does not match its session");
        }
        if (session.revoked()) {
            throw unauthorized("session_revoked", "the portal session was revoked");
        }
        if (session.exchanged()) {
            throw linkAlreadyUsed();
        }
        if (session.exchangedSession()) {
            recordActivity(session);
        }
        Customer customer = customers.findByExternalId(ref)
                .orElseThrow(() -> unauthorized("invalid_token", "the customer no longer exists"));
        return new PortalContext(session.id(), customer, resolveLocale(session, customer), session.returnUrl(),
                session.expiresAt(), session.configurationName(), session.flow(), client);
    }

    /**
     * Exchanges a link's token for a session. With {@link LinkMode#ONE_TIME} this succeeds exactly once per link, even
     * when several requests race on several nodes: it returns a new session (its own id and token, no URL: the token
     * goes in {@code Authorization} headers only) that ends when idle for longer than the
     * {@linkplain Builder#exchangedSessionTtl idle timeout}, and at the latest one {@linkplain Builder#sessionTtl
     * session TTL} after the exchange. Every later exchange of that link is refused with {@code link_already_used}
     * and audited as {@code LINK_REPLAY_REFUSED}; the exchange itself is audited as {@code SESSION_EXCHANGED}.
     *
     * <p>With {@link LinkMode#REUSABLE} the link is itself the session: the link's token is verified like
     * {@link #authenticate} and returned unchanged (same id, token and URL), as often as asked, so a page can always
     * call this first.
     *
     * @param linkToken the token of the link, as found in its URL
     * @param client    the client of the request, for the audit trail
     * @return the session to use
     * @throws PortalException {@code UNAUTHORIZED} for any token {@link #authenticate} refuses, a session's token
     *                         ({@code invalid_token}: only a link can be exchanged), or a link exchanged before
     *                         ({@code link_already_used}); {@code TOKEN_EXPIRED} for an expired link;
     *                         {@code UNAVAILABLE} when storage or the audit trail fails
     */
    public PortalSession exchange(String linkToken, ClientInfo client) {
        TokenClaims claims = verified(linkToken);
        if (claims.kind() != TokenKind.LINK) {
            throw unauthorized("invalid_token", "only a link's token can be exchanged");
        }
        CustomerRef ref = customerOf(claims);
        SessionRecord link = sessions.find(ref, claims.jwtId())
                .orElseThrow(() -> unauthorized("invalid_token", "unknown session"));
        if (link.exchangedSession()) {
            throw unauthorized("invalid_token", "the token's kind does not match its session");
        }
        if (link.revoked()) {
            throw unauthorized("session_revoked", "the portal session was revoked");
        }
        if (link.exchanged()) {
            throw refuseReplay(link, client);
        }
        customers.findByExternalId(ref).orElseThrow(() -> unauthorized("invalid_token", "the customer no longer exists"));
        if (linkMode == LinkMode.REUSABLE) {
            return new PortalSession(link.id(), ref, link.issuedAt(), link.expiresAt(), link.locale(), link.returnUrl(),
                    link.configurationName(), link.flow(), linkToken, withToken(portalUrl, linkToken));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(sessionTtl);
        String id = newSessionId();
        String token = tokenSigner.sign(new TokenClaims(issuer, audience, ref.externalId(), ref.tenantId(), now, now,
                expiresAt, id, claims.locale(), TokenKind.SESSION));
        // The session is stored before the link is marked: if storing fails the link stays usable, and a revocation
        // of the link that lands in between finds the session (see PortalSessionRepository#revoke).
        sessions.create(new SessionRecord(id, ref, now, expiresAt, link.locale(), link.returnUrl(),
                link.configurationName(), link.flow(), null, link.id(), null, now));
        boolean won;
        try {
            won = sessions.markExchanged(link.id(), now);
        } catch (RuntimeException e) {
            revokeQuietly(id, now, e); // storage failed: the link stays usable, this session is never handed out
            throw e;
        }
        if (!won) {
            sessions.revoke(id, now); // lost the race: this session is never handed out
            SessionRecord current = sessions.find(ref, link.id()).orElse(null);
            if (current == null || current.revoked()) {
                throw unauthorized("session_revoked", "the portal session was revoked");
            }
            throw refuseReplay(current, client);
        }
        recordGranting(event(AuditEventType.SESSION_EXCHANGED, ref, AuditActor.CUSTOMER, id, link.id(), null, client),
                () -> sessions.revoke(id, clock.instant()));
        LOG.debug("portal link {} exchanged for session {}", link.id(), id);
        return new PortalSession(id, ref, now, expiresAt, link.locale(), link.returnUrl(), link.configurationName(),
                link.flow(), token, null);
    }

    /** A token whose signature, issuer, audience, times and lifetime are right (revocation is checked later). */
    private TokenClaims verified(String token) {
        TokenClaims claims = tokenSigner.verify(token);
        if (!issuer.equals(claims.issuer()) || !audience.equals(claims.audience())) {
            throw unauthorized("invalid_token", "token of another issuer or audience");
        }
        Instant now = clock.instant();
        if (!now.isBefore(claims.expiresAt().plus(clockSkew))) {
            throw new PortalException(ErrorCode.TOKEN_EXPIRED, "token_expired", "the portal link has expired");
        }
        if (claims.notBefore().isAfter(now.plus(clockSkew)) || claims.issuedAt().isAfter(now.plus(clockSkew))) {
            throw unauthorized("invalid_token", "token not valid yet");
        }
        if (!claims.expiresAt().isAfter(claims.issuedAt())
                || Duration.between(claims.issuedAt(), claims.expiresAt()).compareTo(sessionTtl) > 0) {
            throw unauthorized("invalid_token", "token lifetime exceeds the session TTL");
        }
        return claims;
    }

    private static CustomerRef customerOf(TokenClaims claims) {
        try {
            return CustomerRef.of(claims.tenantId(), claims.subject());
        } catch (PortalException e) {
            throw unauthorized("invalid_token", "token names no valid customer");
        }
    }

    /**
     * Ends an exchanged session idle for longer than the timeout; otherwise records this activity when the last one
     * written is older than the write interval (so the timeout may end a session up to one interval early, never late).
     */
    private void recordActivity(SessionRecord session) {
        Instant now = clock.instant();
        Instant lastSeen = session.lastSeenAt() != null ? session.lastSeenAt() : session.issuedAt();
        if (!now.isBefore(lastSeen.plus(exchangedSessionTtl))) {
            throw new PortalException(ErrorCode.TOKEN_EXPIRED, "session_expired",
                    "the portal session ended after " + exchangedSessionTtl.toMinutes() + " minutes without activity");
        }
        if (Duration.between(lastSeen, now).compareTo(activityWriteInterval) >= 0) {
            sessions.touch(session.id(), now.truncatedTo(ChronoUnit.MILLIS));
        }
    }

    private void revokeQuietly(String sessionId, Instant at, RuntimeException failure) {
        try {
            sessions.revoke(sessionId, at);
        } catch (RuntimeException alsoFailed) {
            failure.addSuppressed(alsoFailed);
        }
    }

    private PortalException refuseReplay(SessionRecord link, ClientInfo client) {
        recordRefusing(event(AuditEventType.LINK_REPLAY_REFUSED, link.customer(), AuditActor.CUSTOMER, link.id(), null,
                null, client));
        LOG.debug("portal link {} presented again after its exchange: refused", link.id());
        return linkAlreadyUsed();
    }

    private static PortalException linkAlreadyUsed() {
        return unauthorized("link_already_used", "this one-time portal link has been used already");
    }

    /** The customer's totals per currency as of their today. */
    public BillingOverview overview(PortalContext ctx) {
        Checks.required(ctx, "context");
        return invoices.overview(ctx.scope(), today(ctx.customer()));
    }

    /**
     * One page of the customer's invoice history, newest first ({@code issuing_date DESC, id DESC}).
     * Drafts (and failed or pending invoices) never appear.
     *
     * @throws PortalException {@code INVALID_REQUEST invalid_cursor} for a cursor this session did not hand out
     */
    public Page<Invoice> invoices(PortalContext ctx, InvoiceQuery query) {
        Checks.required(ctx, "context");
        Checks.required(query, "query");
        CustomerScope scope = ctx.scope();
        InvoiceKey after = query.after() == null ? null : CursorCodec.decode(ctx.sessionId(), scope, query.after());
        Set<InvoiceStatus> statuses = query.statuses().isEmpty() ? VISIBLE_STATUSES : query.statuses();
        InvoiceSearch search = new InvoiceSearch(statuses, query.paymentStatuses(), query.overdueOnly(),
                query.issuedFrom(), query.issuedTo(), query.search(), today(ctx.customer()), after, query.limit() + 1);
        List<Invoice> rows = invoices.find(scope, search);
        List<Invoice> page = new ArrayList<>(Math.min(rows.size(), query.limit()));
        for (Invoice invoice : rows) {
            // Belt and braces: whatever an adapter returns, nothing foreign or hidden leaves this method.
            if (page.size() < query.limit() && visibleTo(scope, invoice)) {
                page.add(invoice);
            }
        }
        String next = rows.size() > query.limit() && !page.isEmpty()
                ? CursorCodec.encode(ctx.sessionId(), scope, InvoiceKey.of(page.get(page.size() - 1)))
                : null;
        return new Page<>(page, next);
    }

    /**
     * One invoice of the customer.
     *
     * @throws PortalException {@code NOT_FOUND invoice_not_found} when it does not exist, is a draft, or belongs
     *                         to someone else (indistinguishable on purpose)
     */
    public Invoice invoice(PortalContext ctx, String invoiceId) {
        Checks.required(ctx, "context");
        if (!isPlausibleInvoiceId(invoiceId)) {
            throw PortalException.notFound("invoice");
        }
        CustomerScope scope = ctx.scope();
        return invoices.findById(scope, invoiceId)
                .filter(invoice -> visibleTo(scope, invoice))
                .orElseThrow(() -> PortalException.notFound("invoice"));
    }

    /**
     * The document of one of the customer's invoices, to stream or redirect to. Audited as
     * {@code INVOICE_DOWNLOADED} with the context's client before it is handed out.
     *
     * @throws PortalException {@code NOT_FOUND invoice_not_found} as {@link #invoice}; {@code NOT_FOUND
     *                         document_not_found} when no document store is configured or it has none;
     *                         {@code UNAVAILABLE} when the audit trail fails (the document is not handed out)
     */
    public InvoiceDocument downloadInvoice(PortalContext ctx, String invoiceId) {
        Invoice invoice = invoice(ctx, invoiceId);
        if (documents == null) {
            throw PortalException.notFound("document");
        }
        InvoiceDocument document = documents.find(ctx.customer(), invoice)
                .orElseThrow(() -> PortalException.notFound("document"));
        recordGranting(event(AuditEventType.INVOICE_DOWNLOADED, ctx.customerRef(), AuditActor.CUSTOMER, ctx.sessionId(),
                null, invoice.id(), ctx.client()), () -> { });
        return document;
    }

    /**
     * The origins that may frame the portal page opened with {@code token}: those of the tenant the token was
     * genuinely signed for (its signature verifies with a key of the ring, for this issuer and audience), even
     * when it has expired or was revoked, so that the customer sees the page's own friendly error inside the
     * host's frame rather than a blocked frame. Empty for a missing, malformed, forged or foreign token, so such
     * a page cannot be framed at all.
     *
     * <p>For presentation only: it checks neither lifetime nor revocation, so it never grants access to data.
     */
    public List<String> frameAncestorsFor(String token) {
        if (token == null || token.isBlank()) {
            return List.of();
        }
        TokenClaims claims;
        try {
            claims = tokenSigner.verify(token);
        } catch (PortalException e) {
            return List.of();
        }
        if (!issuer.equals(claims.issuer()) || !audience.equals(claims.audience())) {
            return List.of();
        }
        return tenantSettings(claims.tenantId()).frameAncestors();
    }

    // ---------------------------------------------------------------- settings, for transports

    /** The settings of one tenant ({@link TenantSettings#DEFAULT} when the configured function has none). */
    public TenantSettings tenantSettings(String tenantId) {
        Checks.id(tenantId, "tenant_id");
        TenantSettings settings = tenantSettings.apply(tenantId);
        return settings == null ? TenantSettings.DEFAULT : settings;
    }

    /** Whether invoice documents can be downloaded (a document store is configured). */
    public boolean documentsEnabled() {
        return documents != null;
    }

    /** The session lifetime. */
    public Duration sessionTtl() {
        return sessionTtl;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** What links do: reusable until they expire, or one-time. */
    public LinkMode linkMode() {
        return linkMode;
    }

    /** The idle timeout of sessions exchanged from one-time links. */
    public Duration exchangedSessionTtl() {
        return exchangedSessionTtl;
    }

    /** Where audit events go ({@link AuditTrail#none()} unless configured), e.g. to read a customer's events. */
    public AuditTrail auditTrail() {
        return audit;
    }

    /** The portal URL links point to. */
    public URI portalUrl() {
        return portalUrl;
    }

    /** The customer's today, in their time zone. */
    public LocalDate today(Customer customer) {
        return LocalDate.ofInstant(clock.instant(), customer.timezone());
    }

    /**
     * The session's language, else the customer's document language, else the tenant's default, else the
     * service's default: the first of them the portal speaks (a customer whose documents are in Korean is
     * better served by the tenant's language than by English labels around Korean numbers). A chosen locale
     * keeps its region (fr-CH formats amounts the Swiss way, with French labels).
     */
    private Locale resolveLocale(SessionRecord session, Customer customer) {
        Locale tenantDefault = tenantSettings(customer.tenantId()).defaultLocale();
        for (Locale candidate : new Locale[] {session.locale(), customer.documentLocale(), tenantDefault, defaultLocale}) {
            if (candidate != null && PortalLocales.match(candidate).isPresent()) {
                return candidate;
            }
        }
        return DEFAULT_LOCALE;
    }

    private static boolean visibleTo(CustomerScope scope, Invoice invoice) {
        return invoice.status().visibleInPortal() && invoice.customerId().equals(scope.customerId())
                && invoice.tenantId().equals(scope.tenantId());
    }

    private static boolean isPlausibleInvoiceId(String id) {
        try {
            Checks.asciiId(id, "id");
            return true;
        } catch (PortalException e) {
            return false;
        }
    }

    private boolean auditing() {
        return audit != AuditTrail.none();
    }

    /**
     * An event now. Its id starts with the millisecond and a sequence number of this JVM, so events of one node within
     * one millisecond keep their order in the trail (ordered by instant, then id); random bytes make it unique.
     */
    private AuditEvent event(AuditEventType type, CustomerRef customer, AuditActor actor, String sessionId,
                             String linkId, String invoiceId, ClientInfo client) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = String.format("ae_%012x%08x", Math.max(0, at.toEpochMilli()), EVENT_SEQUENCE.getAndIncrement() & 0xffffffffL)
                + randomId().substring(0, 11);
        return AuditEvent.of(id, type, at, customer, actor, sessionId, linkId, invoiceId, client);
    }

    /**
     * Records the event of something that grants access or hands out data, or refuses it: when the trail fails,
     * {@code withdraw} takes back what was stored for it and the caller gets {@code UNAVAILABLE}.
     */
    private void recordGranting(AuditEvent event, Runnable withdraw) {
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            try {
                withdraw.run();
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            LOG.error("audit trail failed to record {} (event {}, session {}, tenant {}): refused", event.type(),
                    event.id(), event.sessionId(), event.tenantId(), e);
            throw PortalException.unavailable("the audit trail is unavailable: " + event.type() + " refused", e);
        }
    }

    /** Records the event of something that removes or refuses access, which stands whether or not the trail works. */
    private void recordRefusing(AuditEvent event) {
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            LOG.error("audit trail failed to record {} (event {}, session {}, tenant {}); it took effect unaudited",
                    event.type(), event.id(), event.sessionId(), event.tenantId(), e);
        }
    }

    private static String randomId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String newSessionId() {
        return "ps_" + randomId();
    }

    /** The portal URL with {@code token} appended as query parameter, keeping any query it already has. */
    static URI withToken(URI portalUrl, String token) {
        String url = portalUrl.toString();
        int hash = url.indexOf('#');
        String fragment = hash < 0 ? "" : url.substring(hash);
        String base = hash < 0 ? url : url.substring(0, hash);
        String separator = portalUrl.getRawQuery() == null ? "?" : (base.endsWith("?") || base.endsWith("&") ? "" : "&");
        try {
            // base64url and dots need no escaping in a query
            return new URI(base + separator + "token=" + token + fragment);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("portal URL cannot carry a token", e);
        }
    }

    private static PortalException unauthorized(String reason, String message) {
        return new PortalException(ErrorCode.UNAUTHORIZED, reason, message);
    }

    /**
     * Configures a {@link PortalService}. Required: {@link #customers}, {@link #invoices}, {@link #sessions},
     * {@link #tokenSigner}, {@link #portalUrl}. Every setter checks its value at once and {@link #build()}
     * names every missing setting, so a misconfiguration fails at start-up, not at the first request.
     */
    public static final class Builder {
        private CustomerRepository customers;
        private InvoiceRepository invoices;
        private PortalSessionRepository sessions;
        private TokenSigner tokenSigner;
        private URI portalUrl;
        private Duration sessionTtl = DEFAULT_SESSION_TTL;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private InvoiceDocumentStore documents;
        private Clock clock = Clock.systemUTC();
        private String issuer = DEFAULT_ISSUER;
        private String audience = DEFAULT_AUDIENCE;
        private Locale defaultLocale = DEFAULT_LOCALE;
        private Function<String, TenantSettings> tenantSettings = DEFAULT_TENANT_SETTINGS;
        private LinkMode linkMode = DEFAULT_LINK_MODE;
        private Duration exchangedSessionTtl = DEFAULT_EXCHANGED_SESSION_TTL;
        private AuditTrail audit = AuditTrail.none();

        private Builder() {
        }

        /** Customer storage (required). */
        public Builder customers(CustomerRepository customers) {
            this.customers = Objects.requireNonNull(customers, "customers");
            return this;
        }

        /** Invoice storage (required). */
        public Builder invoices(InvoiceRepository invoices) {
            this.invoices = Objects.requireNonNull(invoices, "invoices");
            return this;
        }

        /** Session storage, for revocation (required). */
        public Builder sessions(PortalSessionRepository sessions) {
            this.sessions = Objects.requireNonNull(sessions, "sessions");
            return this;
        }

        /** Signs and verifies tokens (required), e.g. {@code JwtTokenSigner.hs256(keyRing)}. */
        public Builder tokenSigner(TokenSigner tokenSigner) {
            this.tokenSigner = Objects.requireNonNull(tokenSigner, "tokenSigner");
            return this;
        }

        /**
         * The URL of the portal page (required): absolute http(s); links are this URL with the token added as
         * {@code token} query parameter.
         */
        public Builder portalUrl(URI portalUrl) {
            Objects.requireNonNull(portalUrl, "portalUrl");
            if (!portalUrl.isAbsolute() || portalUrl.getHost() == null
                    || !("https".equalsIgnoreCase(portalUrl.getScheme()) || "http".equalsIgnoreCase(portalUrl.getScheme()))) {
                throw new IllegalArgumentException("portalUrl must be an absolute http or https URL, was " + portalUrl);
            }
            if (portalUrl.getRawQuery() != null && portalUrl.getRawQuery().matches("(^|.*&)token=.*")) {
                throw new IllegalArgumentException("portalUrl must not already carry a token parameter");
            }
            this.portalUrl = portalUrl;
            return this;
        }

        /** Session lifetime, 1 minute to 7 days (default 12 hours). */
        public Builder sessionTtl(Duration sessionTtl) {
            Objects.requireNonNull(sessionTtl, "sessionTtl");
            if (sessionTtl.compareTo(MIN_SESSION_TTL) < 0 || sessionTtl.compareTo(MAX_SESSION_TTL) > 0) {
                throw new IllegalArgumentException("sessionTtl must be between 1 minute and 7 days, was " + sessionTtl);
            }
            this.sessionTtl = sessionTtl;
            return this;
        }

        /** Clock difference tolerated when checking token times, 0 to 5 minutes (default 60 seconds). */
        public Builder clockSkew(Duration clockSkew) {
            Objects.requireNonNull(clockSkew, "clockSkew");
            if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("clockSkew must be between 0 and 5 minutes, was " + clockSkew);
            }
            this.clockSkew = clockSkew;
            return this;
        }

        /** Where invoice documents come from (optional; without it downloads answer 404). */
        public Builder documents(InvoiceDocumentStore documents) {
            this.documents = documents;
            return this;
        }

        /** The clock (default: the system UTC clock); tests pass a fixed or mutable one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The {@code iss} claim written and required (default {@value PortalService#DEFAULT_ISSUER}). */
        public Builder issuer(String issuer) {
            this.issuer = requireClaim(issuer, "issuer");
            return this;
        }

        /** The {@code aud} claim written and required (default {@value PortalService#DEFAULT_AUDIENCE}). */
        public Builder audience(String audience) {
            this.audience = requireClaim(audience, "audience");
            return this;
        }

        /**
         * The language when neither the session, the customer nor the customer's tenant names one (default
         * English); one of {@link PortalLocales#SUPPORTED} or a regional variant of one.
         */
        public Builder defaultLocale(Locale defaultLocale) {
            Objects.requireNonNull(defaultLocale, "defaultLocale");
            if (PortalLocales.match(defaultLocale).isEmpty()) {
                throw new IllegalArgumentException("defaultLocale " + defaultLocale.toLanguageTag()
                        + " is not a supported portal language; supported: " + PortalLocales.SUPPORTED);
            }
            this.defaultLocale = defaultLocale;
            return this;
        }

        /**
         * Per-tenant settings (frame ancestors, default language), looked up by tenant id on each portal page
         * and each authentication, so the function must be fast (cache what you load); returning null means
         * {@link TenantSettings#DEFAULT}. Default: {@link PortalService#DEFAULT_TENANT_SETTINGS}, no tenant may
         * frame the portal.
         */
        public Builder tenantSettings(Function<String, TenantSettings> tenantSettings) {
            this.tenantSettings = Objects.requireNonNull(tenantSettings, "tenantSettings");
            return this;
        }

        /**
         * What links do (default {@link LinkMode#REUSABLE}, Lago's behaviour): {@link LinkMode#ONE_TIME} makes a link
         * open the portal once, through {@link PortalService#exchange}.
         */
        public Builder linkMode(LinkMode linkMode) {
            this.linkMode = Objects.requireNonNull(linkMode, "linkMode");
            return this;
        }

        /**
         * Idle timeout of a session exchanged from a one-time link, 1 minute to 12 hours (default 30 minutes): the
         * session ends once no request used it for this long. It slides with each request, but never past one
         * {@linkplain #sessionTtl session TTL} after the exchange.
         */
        public Builder exchangedSessionTtl(Duration exchangedSessionTtl) {
            Objects.requireNonNull(exchangedSessionTtl, "exchangedSessionTtl");
            if (exchangedSessionTtl.compareTo(MIN_EXCHANGED_SESSION_TTL) < 0
                    || exchangedSessionTtl.compareTo(MAX_EXCHANGED_SESSION_TTL) > 0) {
                throw new IllegalArgumentException("exchangedSessionTtl must be between 1 minute and 12 hours, was "
                        + exchangedSessionTtl);
            }
            this.exchangedSessionTtl = exchangedSessionTtl;
            return this;
        }

        /**
         * Where audit events go (default {@link AuditTrail#none()}: nowhere). For example portal-jdbc's
         * {@code store.audit()}, or an {@code InMemoryAuditTrail}. See the class documentation for what happens when
         * it fails.
         */
        public Builder audit(AuditTrail audit) {
            this.audit = Objects.requireNonNull(audit, "audit");
            return this;
        }

        /** Per-tenant settings from a fixed map; tenants not in it get {@link TenantSettings#DEFAULT}. */
        public Builder tenantSettings(Map<String, TenantSettings> tenantSettings) {
            Map<String, TenantSettings> copy = Map.copyOf(Objects.requireNonNull(tenantSettings, "tenantSettings"));
            return tenantSettings((Function<String, TenantSettings>) tenant -> copy.getOrDefault(tenant, TenantSettings.DEFAULT));
        }

        /**
         * Builds the service.
         *
         * @throws IllegalStateException naming every required setting that is missing
         */
        public PortalService build() {
            List<String> missing = new ArrayList<>();
            if (customers == null) missing.add("customers");
            if (invoices == null) missing.add("invoices");
            if (sessions == null) missing.add("sessions");
            if (tokenSigner == null) missing.add("tokenSigner");
            if (portalUrl == null) missing.add("portalUrl");
            if (!missing.isEmpty()) {
                throw new IllegalStateException("PortalService is missing required settings: " + String.join(", ", missing));
            }
            return new PortalService(this);
        }

        private static String requireClaim(String value, String setting) {
            if (value == null || value.isBlank() || value.length() > 255) {
                throw new IllegalArgumentException(setting + " must be 1 to 255 characters");
            }
            return value;
        }
    }
}
