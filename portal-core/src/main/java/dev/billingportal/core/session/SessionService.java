package dev.billingportal.core.session;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.events.SessionCreated;
import dev.billingportal.core.events.SessionRevoked;
import dev.billingportal.core.i18n.PortalLocales;
import dev.billingportal.core.internal.Auditor;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.ConfigurationResolver;
import dev.billingportal.core.internal.EventPublisher;
import dev.billingportal.core.internal.Ids;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.token.TokenClaims;
import dev.billingportal.core.token.TokenKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The session slice of {@code PortalService}: links minted by the host, their exchange for sessions, revocation and
 * authentication. Use it through {@code PortalService}; thread-safe.
 */
public final class SessionService {
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);
    private static final Duration MIN_SESSION_TTL = Duration.ofMinutes(1);
    /** How long a return link (the way back from a payment provider's hosted page) can be used, at most. */
    public static final Duration RETURN_LINK_TTL = Duration.ofHours(1);
    /** Activity of an exchanged session is written at most this often (or once per tenth of the idle timeout). */
    private static final Duration MAX_ACTIVITY_WRITE_INTERVAL = Duration.ofMinutes(1);

    private final PortalRuntime rt;
    private final Auditor auditor;
    private final EventPublisher events;
    private final ConfigurationResolver configurations;
    private final FlowValidator flows;
    private final TokenVerifier verifier;
    private final LinkExchange linkExchange;
    private final Duration activityWriteInterval;

    /**
     * The slice over the service's settings; built by {@code PortalServiceBuilder}.
     *
     * @param rt             the service's settings
     * @param auditor        writes the audit trail
     * @param events         announces events
     * @param configurations resolves configurations
     * @param flows          checks the flows of new sessions
     */
    public SessionService(PortalRuntime rt, Auditor auditor, EventPublisher events,
                          ConfigurationResolver configurations, FlowValidator flows) {
        this.rt = rt;
        this.auditor = auditor;
        this.events = events;
        this.configurations = configurations;
        this.flows = flows;
        this.verifier = new TokenVerifier(rt);
        this.linkExchange = new LinkExchange(rt, auditor, verifier);
        Duration tenth = rt.exchangedSessionTtl().dividedBy(10);
        this.activityWriteInterval = tenth.compareTo(MAX_ACTIVITY_WRITE_INTERVAL) < 0 ? tenth : MAX_ACTIVITY_WRITE_INTERVAL;
    }

    /** See {@code PortalService#createSession}. */
    public PortalSession createSession(SessionRequest request) {
        Checks.required(request, "request");
        CustomerRef ref = request.customer();
        Customer customer = rt.customers().findByExternalId(ref).orElseThrow(() -> PortalException.notFound("customer"));
        Duration ttl = request.ttl() == null ? rt.sessionTtl() : request.ttl();
        if (ttl.compareTo(MIN_SESSION_TTL) < 0 || ttl.compareTo(rt.sessionTtl()) > 0) {
            throw PortalException.invalid("ttl", "must be between " + MIN_SESSION_TTL + " and " + rt.sessionTtl());
        }
        PortalConfiguration configuration = configurations.forNewSession(ref.tenantId(), request.configurationName());
        if (request.flow() != null) {
            flows.check(customer, configuration, request.flow());
        }
        URI returnUrl = request.returnUrl() != null ? request.returnUrl() : configuration.defaultReturnUrl();
        Instant now = rt.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(ttl);
        String id = Ids.session();
        String locale = request.locale() == null ? null : request.locale().toLanguageTag();
        String flow = request.flow() == null ? null : request.flow().toJson();
        String token = rt.tokenSigner().sign(new TokenClaims(rt.issuer(), rt.audience(), ref.externalId(), ref.tenantId(),
                now, now, expiresAt, id, locale, TokenKind.LINK, request.configurationName(), flow));
        SessionCreated event = new SessionCreated(Ids.event(), ref, id, now, expiresAt, request.configurationName(),
                request.flow() == null ? null : request.flow().type().jsonName());
        rt.transactions().inTransaction(() -> {
            rt.sessions().create(new SessionRecord(id, ref, now, expiresAt, request.locale(), returnUrl,
                    request.configurationName(), flow, null));
            auditor.granting(auditor.event(AuditEventType.SESSION_CREATED, ref, AuditActor.HOST, id, null, null,
                    request.client()), () -> rt.sessions().revoke(id, rt.clock().instant()));
            try {
                events.inTransaction(event);
            } catch (RuntimeException e) {
                LinkExchange.revokeQuietly(rt.sessions(), id, now, e); // without a transaction, take the link back: no link without its event
                throw e;
            }
            return null;
        });
        events.afterCommit(event);
        LOG.debug("portal session {} created for tenant {}, expires {}", id, ref.tenantId(), expiresAt);
        return new PortalSession(id, ref, now, expiresAt, request.locale(), returnUrl, request.configurationName(),
                request.flow(), token, withToken(rt.portalUrl(), token));
    }

    /** See {@code PortalService#revokeSession(String, ClientInfo)}. */
    public boolean revokeSession(String sessionId, ClientInfo client) {
        Checks.id(sessionId, "session_id");
        // Whose session it is, for the audit event and the event; revocation itself names only the id.
        Optional<SessionRecord> session = rt.sessions().findById(sessionId);
        Instant now = rt.clock().instant();
        SessionRevoked event = session.map(s -> new SessionRevoked(Ids.event(), s.customer(), sessionId, now, 1)).orElse(null);
        boolean revoked = revokeWithEvent(() -> rt.sessions().revoke(sessionId, now), n -> n ? event : null);
        LOG.debug("portal session {} revoke requested: {}", sessionId, revoked ? "revoked" : "unknown or already revoked");
        if (revoked && session.isPresent()) {
            auditor.refusing(auditor.event(AuditEventType.SESSION_REVOKED, session.get().customer(), AuditActor.HOST,
                    sessionId, null, null, client));
            events.afterCommit(event);
        }
        return revoked;
    }

    /** See {@code PortalService#revokeAllSessions(CustomerRef, ClientInfo)}. */
    public int revokeAllSessions(CustomerRef customer, ClientInfo client) {
        Checks.required(customer, "customer");
        Instant now = rt.clock().instant();
        SessionRevoked[] event = new SessionRevoked[1];
        int revoked = revokeWithEvent(() -> rt.sessions().revokeAll(customer, now), n -> {
            event[0] = new SessionRevoked(Ids.event(), customer, null, now, n);
            return event[0];
        });
        LOG.debug("{} portal sessions revoked for one customer of tenant {}", revoked, customer.tenantId());
        auditor.refusing(auditor.event(AuditEventType.ALL_SESSIONS_REVOKED, customer, AuditActor.HOST, null, null, null, client));
        if (event[0] != null) {
            events.afterCommit(event[0]);
        }
        return revoked;
    }

    /**
     * Revokes and appends the event in one transaction; when that fails for the event's sake, the revocation is
     * done alone: ending access always wins over announcing it (the failure is logged).
     */
    private <T> T revokeWithEvent(java.util.function.Supplier<T> revoke,
                                  java.util.function.Function<T, dev.billingportal.core.events.PortalEvent> eventOf) {
        java.util.List<T> first = new java.util.ArrayList<>(1);
        try {
            return rt.transactions().inTransaction(() -> {
                T result = revoke.get();
                first.add(result);
                dev.billingportal.core.events.PortalEvent event = eventOf.apply(result);
                if (event != null) {
                    events.inTransaction(event);
                }
                return result;
            });
        } catch (RuntimeException e) {
            if (first.isEmpty()) {
                throw e; // the revocation itself failed
            }
            LOG.error("portal event outbox failed while revoking; revoking without the event", e);
            // Rolled back with a transactional store (so revoke again), or already done without one (then this
            // finds nothing left to revoke and the first count stands).
            T again = revoke.get();
            return again instanceof Boolean b && !b || again instanceof Integer n && n == 0 ? first.get(0) : again;
        }
    }

    /** See {@code PortalService#purgeExpiredSessions}. */
    public int purgeExpiredSessions() {
        return rt.sessions().deleteExpired(rt.clock().instant().minus(rt.clockSkew()));
    }

    /** See {@code PortalService#authenticate(String, ClientInfo)}. */
    public PortalContext authenticate(String token, ClientInfo client) {
        TokenClaims claims = verifier.verified(token);
        if (claims.kind() == TokenKind.RETURN) {
            throw unauthorized("exchange_required", "a return link's token must be exchanged for a session first");
        }
        if (claims.kind() == TokenKind.LINK && rt.linkMode() == LinkMode.ONE_TIME) {
            throw unauthorized("exchange_required", "a one-time link's token must be exchanged for a session first");
        }
        CustomerRef ref = TokenVerifier.customerOf(claims);
        // One read for both where the store can (see PortalSessionRepository#findWithCustomer): every request pays it.
        SessionWithCustomer read = rt.sessions().findWithCustomer(ref, claims.jwtId(), rt.customers())
                .orElseThrow(() -> unauthorized("invalid_token", "unknown session"));
        SessionRecord session = read.session();
        if (session.exchangedSession() != (claims.kind() == TokenKind.SESSION)) {
            throw unauthorized("invalid_token", "the token's kind does not match its session");
        }
        if (session.revoked()) {
            throw unauthorized("session_revoked", "the portal session was revoked");
        }
        if (session.exchanged()) {
            throw LinkExchange.linkAlreadyUsed();
        }
        if (claims.kind() == TokenKind.LINK && !java.util.Objects.equals(claims.flow(), session.flow())) {
            throw unauthorized("invalid_token", "the token's flow does not match its session");
        }
        if (session.exchangedSession()) {
            recordActivity(session);
        }
        Customer customer = read.existingCustomer()
                .orElseThrow(() -> unauthorized("invalid_token", "the customer no longer exists"));
        PortalConfiguration configuration = configurations.forSession(ref.tenantId(), session.configurationName());
        Flow flow = session.flow() == null ? null : Flow.fromJson(session.flow());
        return new PortalContext(session.id(), customer, resolveLocale(session, customer, configuration),
                session.returnUrl(), session.expiresAt(), session.configurationName(), flow, client, configuration);
    }

    /** See {@code PortalService#exchange}. */
    public PortalSession exchange(String linkToken, ClientInfo client) {
        return linkExchange.exchange(linkToken, client);
    }

    /**
     * Mints a <em>return link</em> for the session of {@code ctx}: the token the portal puts into the addresses a
     * payment provider's hosted page sends the customer back to, so that the page, which kept its session token only
     * in memory, can resume. The link is stored as a session exchanged from the starting session ({@code linkId} is
     * the starting session's id), so {@link PortalSessionRepository#revoke revoking} the starting session, or the
     * link that opened it, or all of the customer's sessions, kills it; it expires after {@link #RETURN_LINK_TTL} and
     * never after the starting session; its token ({@link TokenKind#RETURN}) calls no API and can be
     * {@linkplain #exchange exchanged} exactly once, in either link mode, for a session of the same customer,
     * configuration, language, back link and flow. Nothing of it is logged but its id.
     *
     * @param ctx the starting session
     * @return the return link's token
     * @throws PortalException {@code UNAUTHORIZED session_revoked} when the starting session is gone
     */
    public String returnLink(PortalContext ctx) {
        Checks.required(ctx, "context");
        CustomerRef ref = ctx.customerRef();
        SessionRecord parent = rt.sessions().find(ref, ctx.sessionId())
                .filter(s -> !s.revoked()).orElseThrow(() -> unauthorized("session_revoked", "the portal session was revoked"));
        Instant now = rt.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(RETURN_LINK_TTL);
        if (parent.expiresAt().isBefore(expiresAt)) {
            expiresAt = parent.expiresAt().truncatedTo(ChronoUnit.SECONDS);
        }
        if (!expiresAt.isAfter(now)) {
            throw new PortalException(ErrorCode.TOKEN_EXPIRED, "session_expired", "the portal session has ended");
        }
        String id = Ids.session();
        String locale = parent.locale() == null ? null : parent.locale().toLanguageTag();
        String token = rt.tokenSigner().sign(new TokenClaims(rt.issuer(), rt.audience(), ref.externalId(), ref.tenantId(),
                now, now, expiresAt, id, locale, TokenKind.RETURN, parent.configurationName(), parent.flow()));
        rt.sessions().create(new SessionRecord(id, ref, now, expiresAt, parent.locale(), parent.returnUrl(),
                parent.configurationName(), parent.flow(), null, parent.id(), null, null));
        LOG.debug("portal return link {} minted for session {}, expires {}", id, parent.id(), expiresAt);
        return token;
    }

    /**
     * Takes a return link back unused (the payment needed no hosted page), so it cannot be exchanged later.
     *
     * @param token a token from {@link #returnLink}
     */
    public void dropReturnLink(String token) {
        verifier.signedForUs(token).filter(c -> c.kind() == TokenKind.RETURN)
                .ifPresent(c -> rt.sessions().revoke(c.jwtId(), rt.clock().instant()));
    }

    /** See {@code PortalService#frameAncestorsFor}. */
    public List<String> frameAncestorsFor(String token) {
        if (token == null || token.isBlank()) {
            return List.of();
        }
        Optional<TokenClaims> claims = verifier.signedForUs(token);
        return claims.map(c -> configurations.forPage(c.tenantId(), c.configuration()).frameAncestors())
                .orElse(List.of());
    }

    /**
     * Ends an exchanged session idle for longer than the timeout; otherwise records this activity when the last one
     * written is older than the write interval (so the timeout may end a session up to one interval early, never late).
     */
    private void recordActivity(SessionRecord session) {
        Instant now = rt.clock().instant();
        Instant lastSeen = session.lastSeenAt() != null ? session.lastSeenAt() : session.issuedAt();
        if (!now.isBefore(lastSeen.plus(rt.exchangedSessionTtl()))) {
            throw new PortalException(ErrorCode.TOKEN_EXPIRED, "session_expired",
                    "the portal session ended after " + rt.exchangedSessionTtl().toMinutes() + " minutes without activity");
        }
        if (Duration.between(lastSeen, now).compareTo(activityWriteInterval) >= 0) {
            rt.sessions().touch(session.id(), now.truncatedTo(ChronoUnit.MILLIS));
        }
    }

    /**
     * The session's language, else the customer's document language, else the configuration's default, else the
     * service's default: the first of them the portal speaks (a customer whose documents are in Korean is
     * better served by the tenant's language than by English labels around Korean numbers). A chosen locale
     * keeps its region (fr-CH formats amounts the Swiss way, with French labels).
     */
    private Locale resolveLocale(SessionRecord session, Customer customer, PortalConfiguration configuration) {
        for (Locale candidate : new Locale[] {session.locale(), customer.documentLocale(), configuration.defaultLocale(),
                rt.defaultLocale()}) {
            if (candidate != null && PortalLocales.match(candidate).isPresent()) {
                return candidate;
            }
        }
        return Locale.ENGLISH;
    }

    /**
     * The portal URL with {@code token} appended as query parameter, keeping any query it already has.
     *
     * @param portalUrl the portal's URL
     * @param token     the token
     * @return the link
     */
    public static URI withToken(URI portalUrl, String token) {
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

    static PortalException unauthorized(String reason, String message) {
        return new PortalException(ErrorCode.UNAUTHORIZED, reason, message);
    }
}
