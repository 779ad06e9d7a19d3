package dev.billingportal.core.session;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.internal.Auditor;
import dev.billingportal.core.internal.Ids;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.token.TokenClaims;
import dev.billingportal.core.token.TokenKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The exchange of a link's token for a session, and of a return link's token for a fresh session (the way back from
 * a payment provider's hosted page): the part of {@link SessionService} where one-time links are used up exactly once
 * among racing requests. Package-private: not API.
 */
final class LinkExchange {
    /** SessionService's logger: the session slice logs under one name, the one operators configure. */
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

    private final PortalRuntime rt;
    private final Auditor auditor;
    private final TokenVerifier verifier;

    LinkExchange(PortalRuntime rt, Auditor auditor, TokenVerifier verifier) {
        this.rt = rt;
        this.auditor = auditor;
        this.verifier = verifier;
    }

    /**
     * A link's token for a session (in one-time mode a fresh one, once; in reusable mode the link's own), or a return
     * link's token for a fresh session (see {@code resume}). See {@code PortalService#exchange}.
     */
    PortalSession exchange(String linkToken, ClientInfo client) {
        TokenClaims claims = verifier.verified(linkToken);
        if (claims.kind() == TokenKind.RETURN) {
            return resume(claims, client);
        }
        if (claims.kind() != TokenKind.LINK) {
            throw SessionService.unauthorized("invalid_token", "only a link's token can be exchanged");
        }
        CustomerRef ref = TokenVerifier.customerOf(claims);
        SessionRecord link = rt.sessions().find(ref, claims.jwtId())
                .orElseThrow(() -> SessionService.unauthorized("invalid_token", "unknown session"));
        if (link.exchangedSession()) {
            throw SessionService.unauthorized("invalid_token", "the token's kind does not match its session");
        }
        if (link.revoked()) {
            throw SessionService.unauthorized("session_revoked", "the portal session was revoked");
        }
        if (link.exchanged()) {
            throw refuseReplay(link, client);
        }
        rt.customers().findByExternalId(ref).orElseThrow(() -> SessionService.unauthorized("invalid_token", "the customer no longer exists"));
        Flow flow = link.flow() == null ? null : Flow.fromJson(link.flow());
        if (rt.linkMode() == LinkMode.REUSABLE) {
            return new PortalSession(link.id(), ref, link.issuedAt(), link.expiresAt(), link.locale(), link.returnUrl(),
                    link.configurationName(), flow, linkToken, SessionService.withToken(rt.portalUrl(), linkToken));
        }
        Instant now = rt.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(rt.sessionTtl());
        String id = Ids.session();
        String token = rt.tokenSigner().sign(new TokenClaims(rt.issuer(), rt.audience(), ref.externalId(), ref.tenantId(),
                now, now, expiresAt, id, claims.locale(), TokenKind.SESSION, link.configurationName(), null));
        // The session is stored before the link is marked: if storing fails the link stays usable, and a revocation
        // of the link that lands in between finds the session (see PortalSessionRepository#revoke).
        rt.sessions().create(new SessionRecord(id, ref, now, expiresAt, link.locale(), link.returnUrl(),
                link.configurationName(), link.flow(), null, link.id(), null, now));
        boolean won;
        try {
            won = rt.sessions().markExchanged(link.id(), now);
        } catch (RuntimeException e) {
            revokeQuietly(rt.sessions(), id, now, e); // storage failed: the link stays usable, this session is never handed out
            throw e;
        }
        if (!won) {
            rt.sessions().revoke(id, now); // lost the race: this session is never handed out
            SessionRecord current = rt.sessions().find(ref, link.id()).orElse(null);
            if (current == null || current.revoked()) {
                throw SessionService.unauthorized("session_revoked", "the portal session was revoked");
            }
            throw refuseReplay(current, client);
        }
        auditor.granting(auditor.event(AuditEventType.SESSION_EXCHANGED, ref, AuditActor.CUSTOMER, id, link.id(), null,
                client), () -> rt.sessions().revoke(id, rt.clock().instant()));
        LOG.debug("portal link {} exchanged for session {}", link.id(), id);
        return new PortalSession(id, ref, now, expiresAt, link.locale(), link.returnUrl(), link.configurationName(),
                flow, token, null);
    }

    /**
     * A return link's token for a fresh session, once. The new session is stored before the link is used up (its
     * use is its revocation: of any number of racing exchanges exactly one revokes it), and it is exchanged from the
     * same link as the starting session (or from the starting session itself when that is a link), so revoking that
     * link still ends everything; a revocation of the starting session that lands meanwhile is checked last.
     */
    private PortalSession resume(TokenClaims claims, ClientInfo client) {
        CustomerRef ref = TokenVerifier.customerOf(claims);
        SessionRecord link = rt.sessions().find(ref, claims.jwtId())
                .orElseThrow(() -> SessionService.unauthorized("invalid_token", "unknown session"));
        if (!link.exchangedSession() || !Objects.equals(claims.flow(), link.flow())) {
            throw SessionService.unauthorized("invalid_token", "the token's kind does not match its session");
        }
        SessionRecord parent = liveParent(ref, link.linkId());
        if (link.revoked()) {
            throw refuseReplay(link, client);
        }
        rt.customers().findByExternalId(ref).orElseThrow(() -> SessionService.unauthorized("invalid_token", "the customer no longer exists"));
        String root = parent.exchangedSession() ? parent.linkId() : parent.id();
        Instant now = rt.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = parent.expiresAt();
        if (!expiresAt.isAfter(now)) {
            throw new PortalException(ErrorCode.TOKEN_EXPIRED, "token_expired", "the portal link has expired");
        }
        String id = Ids.session();
        String token = rt.tokenSigner().sign(new TokenClaims(rt.issuer(), rt.audience(), ref.externalId(), ref.tenantId(),
                now, now, expiresAt, id, claims.locale(), TokenKind.SESSION, link.configurationName(), null));
        rt.sessions().create(new SessionRecord(id, ref, now, expiresAt, link.locale(), link.returnUrl(),
                link.configurationName(), link.flow(), null, root, null, now));
        boolean won;
        try {
            won = rt.sessions().revoke(link.id(), now);
        } catch (RuntimeException e) {
            revokeQuietly(rt.sessions(), id, now, e);
            throw e;
        }
        if (!won) {
            rt.sessions().revoke(id, now); // lost the race: this session is never handed out
            throw refuseReplay(link, client);
        }
        try {
            liveParent(ref, link.linkId());
            if (!root.equals(parent.id())) {
                liveParent(ref, root);
            }
        } catch (PortalException e) {
            rt.sessions().revoke(id, now); // the starting session was revoked meanwhile
            throw e;
        }
        auditor.granting(auditor.event(AuditEventType.SESSION_EXCHANGED, ref, AuditActor.CUSTOMER, id, link.id(), null,
                client), () -> rt.sessions().revoke(id, rt.clock().instant()));
        LOG.debug("portal return link {} exchanged for session {}", link.id(), id);
        Flow flow = link.flow() == null ? null : Flow.fromJson(link.flow());
        return new PortalSession(id, ref, now, expiresAt, link.locale(), link.returnUrl(), link.configurationName(),
                flow, token, null);
    }

    private SessionRecord liveParent(CustomerRef ref, String id) {
        return rt.sessions().find(ref, id).filter(s -> !s.revoked())
                .orElseThrow(() -> SessionService.unauthorized("session_revoked", "the portal session was revoked"));
    }

    /** Revokes a session just stored whose hand-out failed; a second failure is kept with the first. */
    static void revokeQuietly(PortalSessionRepository sessions, String sessionId, Instant at, RuntimeException failure) {
        try {
            sessions.revoke(sessionId, at);
        } catch (RuntimeException alsoFailed) {
            failure.addSuppressed(alsoFailed);
        }
    }

    private PortalException refuseReplay(SessionRecord link, ClientInfo client) {
        auditor.refusing(auditor.event(AuditEventType.LINK_REPLAY_REFUSED, link.customer(), AuditActor.CUSTOMER,
                link.id(), null, null, client));
        LOG.debug("portal link {} presented again after its exchange: refused", link.id());
        return linkAlreadyUsed();
    }

    static PortalException linkAlreadyUsed() {
        return SessionService.unauthorized("link_already_used", "this one-time portal link has been used already");
    }
}
