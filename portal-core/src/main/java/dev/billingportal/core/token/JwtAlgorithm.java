package dev.billingportal.core.token;

/** The JWS algorithms portal tokens can be signed with. */
public enum JwtAlgorithm {
    /** HMAC with SHA-256 over a shared secret of at least 256 bits. */
    HS256("HS256"),
    /** ECDSA on P-256 with SHA-256; public keys can be published as JWKS. */
    ES256("ES256"),
    /** EdDSA on Ed25519 (RFC 8037); public keys can be published as JWKS. */
    EDDSA("EdDSA");

    private final String jwsName;

    JwtAlgorithm(String jwsName) {
        this.jwsName = jwsName;
    }

    /** The {@code alg} header value. */
    public String jwsName() {
        return jwsName;
    }

    /** Whether keys of this algorithm have a public half that may be published. */
    public boolean asymmetric() {
        return this != HS256;
    }
}
