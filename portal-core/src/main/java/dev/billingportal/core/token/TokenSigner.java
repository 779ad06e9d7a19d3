package dev.billingportal.core.token;

/**
 * Turns {@link TokenClaims} into a signed, URL-safe token and back. Implementations must be safe for
 * concurrent use. {@code JwtTokenSigner} is the shipped one.
 *
 * <p>{@link #verify} checks only the signature and the token's structure; the service then checks
 * issuer, audience, times and revocation, so a custom signer (an HSM, a KMS) cannot forget them.
 */
public interface TokenSigner {

    /** Signs the claims into a token (at most 8 KB, characters safe in a URL query). */
    String sign(TokenClaims claims);

    /**
     * Verifies the token's signature and reads its claims.
     *
     * @throws dev.billingportal.core.PortalException with {@code UNAUTHORIZED} for any token that is not
     *         well formed, not signed by a known, non-retired key with the expected algorithm, or lacks a claim
     */
    TokenClaims verify(String token);
}
