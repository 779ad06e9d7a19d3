package dev.billingportal.core.token;

import dev.billingportal.core.internal.Checks;

import java.time.Instant;

/**
 * The claims of a portal token. Times have whole-second precision, as in JWT.
 *
 * <p>A {@link TokenSigner} must carry {@link #kind()} through {@code sign} and {@code verify}: a signer that drops it
 * turns session tokens into link tokens, which the service then refuses (it fails closed, never open).
 *
 * @param issuer    {@code iss}
 * @param audience  {@code aud}
 * @param subject   {@code sub}: the customer's external id
 * @param tenantId  {@code tid}: the customer's tenant
 * @param issuedAt  {@code iat}
 * @param notBefore {@code nbf}
 * @param expiresAt {@code exp}
 * @param jwtId     {@code jti}: the session id
 * @param locale    {@code loc}: a BCP 47 language tag, or null
 * @param kind      {@code knd}: a link's token or an exchanged session's
 * @param configuration {@code cfg}: the name of the session's portal configuration, or null
 * @param flow      {@code flw}: the session's deep link ({@code Flow#toJson()}), or null
 */
public record TokenClaims(String issuer, String audience, String subject, String tenantId, Instant issuedAt,
                          Instant notBefore, Instant expiresAt, String jwtId, String locale, TokenKind kind,
                          String configuration, String flow) {

    /** Validates that every claim but {@code loc} is present. */
    public TokenClaims {
        Checks.id(issuer, "iss");
        Checks.id(audience, "aud");
        Checks.id(subject, "sub");
        Checks.id(tenantId, "tid");
        Checks.required(issuedAt, "iat");
        Checks.required(notBefore, "nbf");
        Checks.required(expiresAt, "exp");
        Checks.id(jwtId, "jti");
        if (locale != null) {
            Checks.id(locale, "loc");
        }
        Checks.required(kind, "knd");
        Checks.optionalText(configuration, "cfg");
        if (flow != null && flow.length() > 4096) {
            throw dev.billingportal.core.PortalException.invalid("flw", "must be at most 4096 characters");
        }
    }

    /**
     * Claims without configuration and flow.
     *
     * @param issuer    {@code iss}
     * @param audience  {@code aud}
     * @param subject   {@code sub}
     * @param tenantId  {@code tid}
     * @param issuedAt  {@code iat}
     * @param notBefore {@code nbf}
     * @param expiresAt {@code exp}
     * @param jwtId     {@code jti}
     * @param locale    {@code loc}, or null
     * @param kind      {@code knd}
     */
    public TokenClaims(String issuer, String audience, String subject, String tenantId, Instant issuedAt,
                       Instant notBefore, Instant expiresAt, String jwtId, String locale, TokenKind kind) {
        this(issuer, audience, subject, tenantId, issuedAt, notBefore, expiresAt, jwtId, locale, kind, null, null);
    }

    /**
     * The claims of a link's token ({@link TokenKind#LINK}).
     *
     * @param issuer    {@code iss}
     * @param audience  {@code aud}
     * @param subject   {@code sub}
     * @param tenantId  {@code tid}
     * @param issuedAt  {@code iat}
     * @param notBefore {@code nbf}
     * @param expiresAt {@code exp}
     * @param jwtId     {@code jti}
     * @param locale    {@code loc}, or null
     */
    public TokenClaims(String issuer, String audience, String subject, String tenantId, Instant issuedAt,
                       Instant notBefore, Instant expiresAt, String jwtId, String locale) {
        this(issuer, audience, subject, tenantId, issuedAt, notBefore, expiresAt, jwtId, locale, TokenKind.LINK);
    }
}
