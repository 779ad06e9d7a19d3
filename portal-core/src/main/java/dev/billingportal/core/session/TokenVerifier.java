package dev.billingportal.core.session;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.token.TokenClaims;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Checks a token's signature, issuer, audience, times and lifetime; revocation is the session's business. */
final class TokenVerifier {
    private final PortalRuntime rt;

    TokenVerifier(PortalRuntime rt) {
        this.rt = rt;
    }

    /** A token whose signature, issuer, audience, times and lifetime are right (revocation is checked later). */
    TokenClaims verified(String token) {
        TokenClaims claims = rt.tokenSigner().verify(token);
        if (!rt.issuer().equals(claims.issuer()) || !rt.audience().equals(claims.audience())) {
            throw SessionService.unauthorized("invalid_token", "token of another issuer or audience");
        }
        Instant now = rt.clock().instant();
        if (!now.isBefore(claims.expiresAt().plus(rt.clockSkew()))) {
            throw new PortalException(ErrorCode.TOKEN_EXPIRED, "token_expired", "the portal link has expired");
        }
        if (claims.notBefore().isAfter(now.plus(rt.clockSkew())) || claims.issuedAt().isAfter(now.plus(rt.clockSkew()))) {
            throw SessionService.unauthorized("invalid_token", "token not valid yet");
        }
        if (!claims.expiresAt().isAfter(claims.issuedAt())
                || Duration.between(claims.issuedAt(), claims.expiresAt()).compareTo(rt.sessionTtl()) > 0) {
            throw SessionService.unauthorized("invalid_token", "token lifetime exceeds the session TTL");
        }
        return claims;
    }

    /**
     * The claims of a token genuinely signed for this issuer and audience, expired or revoked or not: for
     * presentation only (which origins may frame the page), never for access.
     */
    Optional<TokenClaims> signedForUs(String token) {
        TokenClaims claims;
        try {
            claims = rt.tokenSigner().verify(token);
        } catch (PortalException e) {
            return Optional.empty();
        }
        if (!rt.issuer().equals(claims.issuer()) || !rt.audience().equals(claims.audience())) {
            return Optional.empty();
        }
        return Optional.of(claims);
    }

    static CustomerRef customerOf(TokenClaims claims) {
        try {
            return CustomerRef.of(claims.tenantId(), claims.subject());
        } catch (PortalException e) {
            throw SessionService.unauthorized("invalid_token", "token names no valid customer");
        }
    }
}
