package dev.billingportal.core.token;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.token.TokenClaims;
import dev.billingportal.core.token.TokenKind;
import dev.billingportal.core.token.TokenSigner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Signs portal tokens as compact JWS (JWT) over a {@link KeyRing}, with nimbus-jose-jwt for ES256 and
 * JWK handling and the JDK for HMAC and Ed25519 (so EdDSA needs no extra library).
 *
 * <p>One signer accepts one algorithm, and a token's {@code kid} must name a non-retired key of that
 * algorithm: {@code alg: none} and algorithm confusion (an HS256 token "signed" with a public key) are
 * rejected before any signature is computed. Tokens over {@value #MAX_TOKEN_LENGTH} characters are refused
 * before parsing. Header parameters that bring their own keys ({@code jwk}, {@code jku}, {@code x5c},
 * {@code x5u}) or critical extensions ({@code crit}) are refused.
 *
 * <p>One ring may serve every tenant, or a {@link KeyRingResolver} may give each tenant its own: then a token
 * is checked only against the ring of the tenant its {@code tid} claim names, so one tenant's key cannot
 * vouch for another tenant's customers.
 *
 * <p>Thread-safe. Messages of the exceptions it throws never contain the token.
 */
public final class JwtTokenSigner implements TokenSigner {
    /** Longest token accepted, in characters (8 KB). */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
    private static final Set<String> ALLOWED_HEADER_PARAMS = Set.of("alg", "kid", "typ");
    /** 9999-12-31T23:59:59Z: later times cannot be instants of a real token. */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    /** The one ring of every tenant, or null when {@link #rings} resolves a ring per tenant. */
    private final KeyRing keyRing;
    private final KeyRingResolver rings;
    private final JwtAlgorithm algorithm;

    private JwtTokenSigner(KeyRing keyRing, KeyRingResolver rings, JwtAlgorithm algorithm) {
        this.keyRing = keyRing;
        this.rings = rings;
        this.algorithm = algorithm;
        if (keyRing != null) {
            requireActiveKeyOfAlgorithm(keyRing);
        }
    }

    private static JwtTokenSigner single(KeyRing keyRing, JwtAlgorithm algorithm) {
        Objects.requireNonNull(keyRing, "keyRing");
        return new JwtTokenSigner(keyRing, tenantId -> Optional.of(keyRing), algorithm);
    }

    private static JwtTokenSigner perTenant(KeyRingResolver rings, JwtAlgorithm algorithm) {
        return new JwtTokenSigner(null, Objects.requireNonNull(rings, "rings"), algorithm);
    }

    /** An HS256 signer; the ring's active key must be an HS256 key. */
    public static JwtTokenSigner hs256(KeyRing keyRing) {
        return single(keyRing, JwtAlgorithm.HS256);
    }

    /** An HS256 signer with a ring per tenant; each ring's active key must be an HS256 key. */
    public static JwtTokenSigner hs256(KeyRingResolver rings) {
        return perTenant(rings, JwtAlgorithm.HS256);
    }

    /** An ES256 signer; the ring's active key must be an ES256 key pair. */
    public static JwtTokenSigner es256(KeyRing keyRing) {
        return single(keyRing, JwtAlgorithm.ES256);
    }

    /** An ES256 signer with a ring per tenant. */
    public static JwtTokenSigner es256(KeyRingResolver rings) {
        return perTenant(rings, JwtAlgorithm.ES256);
    }

    /** An EdDSA (Ed25519) signer; the ring's active key must be an Ed25519 key pair. */
    public static JwtTokenSigner ed25519(KeyRing keyRing) {
        return single(keyRing, JwtAlgorithm.EDDSA);
    }

    /** An EdDSA (Ed25519) signer with a ring per tenant. */
    public static JwtTokenSigner ed25519(KeyRingResolver rings) {
        return perTenant(rings, JwtAlgorithm.EDDSA);
    }

    /** The algorithm this signer signs and accepts. */
    public JwtAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * The ring of every tenant.
     *
     * @throws IllegalStateException for a signer with a ring per tenant (use {@link #keyRing(String)})
     */
    public KeyRing keyRing() {
        if (keyRing == null) {
            throw new IllegalStateException("this signer has a key ring per tenant; ask keyRing(tenantId)");
        }
        return keyRing;
    }

    /** The ring that signs and verifies tokens of {@code tenantId}, if the tenant has one. */
    public Optional<KeyRing> keyRing(String tenantId) {
        return rings.forTenant(tenantId);
    }

    @Override
    public String sign(TokenClaims claims) {
        Objects.requireNonNull(claims, "claims");
        KeyRing ring = rings.forTenant(claims.tenantId()).orElseThrow(() -> new IllegalStateException(
                "no key ring for tenant " + claims.tenantId()));
        SigningKey key = requireActiveKeyOfAlgorithm(ring);
        ObjectNode payload = JSON.createObjectNode();
        payload.put("iss", claims.issuer());
        payload.put("aud", claims.audience());
        payload.put("sub", claims.subject());
        payload.put("tid", claims.tenantId());
        payload.put("iat", claims.issuedAt().getEpochSecond());
        payload.put("nbf", claims.notBefore().getEpochSecond());
        payload.put("exp", claims.expiresAt().getEpochSecond());
        payload.put("jti", claims.jwtId());
        if (claims.locale() != null) {
            payload.put("loc", claims.locale());
        }
        payload.put("knd", claims.kind().claim());
        if (claims.configuration() != null) {
            payload.put("cfg", claims.configuration());
        }
        if (claims.flow() != null) {
            payload.put("flw", claims.flow());
        }
        String signingInput;
        try {
            signingInput = key.headerSegment() + "." + B64.encodeToString(JSON.writeValueAsBytes(payload));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write token claims", e);
        }
        String token = signingInput + "." + B64.encodeToString(key.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw PortalException.invalid("token", "claims too large: the token would exceed " + MAX_TOKEN_LENGTH + " characters");
        }
        return token;
    }

    @Override
    public TokenClaims verify(String token) {
        if (token == null || token.isEmpty()) {
            throw rejected("missing_token", "no token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw rejected("invalid_token", "token longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot < 0 || secondDot == firstDot + 1 || secondDot == token.length() - 1
                || token.indexOf('.', secondDot + 1) >= 0 || !base64UrlAndDots(token)) {
            throw rejected("invalid_token", "not a compact JWS");
        }
        String headerSegment = token.substring(0, firstDot);
        String signatureSegment = token.substring(secondDot + 1);
        PayloadClaims payload = payload(token.substring(firstDot + 1, secondDot));
        KeyRing ring = keyRing;
        if (ring == null) {
            // The claim picks the ring; the signature below then proves the claim. A forged tid can only
            // select a ring whose keys the forger does not have.
            String tid = payload.text("tid");
            ring = tid != null ? rings.forTenant(tid).orElse(null) : null;
            if (ring == null) {
                throw rejected("invalid_token", "no key ring for the token's tenant");
            }
        }

        // Fast path: our own exact header names a live key of our algorithm; nothing to parse.
        SigningKey key = ring.byHeaderSegment(headerSegment);
        if (key == null || key.algorithm() != algorithm) {
            key = keyFromParsedHeader(ring, headerSegment);
        }
        byte[] signature = canonicalBase64(signatureSegment);
        if (!key.verify(token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII), signature)) {
            throw rejected("invalid_token", "bad signature");
        }
        return claims(payload);
    }

    /** Reads a header we did not write ourselves, only to refuse it precisely or find its key. */
    private SigningKey keyFromParsedHeader(KeyRing keyRing, String headerSegment) {
        JWSHeader header;
        try {
            header = JWSHeader.parse(new Base64URL(headerSegment));
        } catch (java.text.ParseException | RuntimeException e) {
            // also where "alg":"none" ends: nimbus refuses to read it as a JWS header
            throw rejected("invalid_token", "unreadable or unsigned header");
        }
        if (!algorithm.jwsName().equals(header.getAlgorithm().getName())) {
            throw rejected("invalid_token", "algorithm " + header.getAlgorithm().getName() + " not accepted");
        }
        for (String param : header.getIncludedParams()) {
            if (!ALLOWED_HEADER_PARAMS.contains(param)) {
                throw rejected("invalid_token", "header parameter " + param + " not accepted");
            }
        }
        String kid = header.getKeyID();
        if (kid == null) {
            throw rejected("invalid_token", "no kid");
        }
        SigningKey key = keyRing.verificationKey(kid)
                .orElseThrow(() -> rejected("invalid_token", "unknown or retired kid"));
        if (key.algorithm() != algorithm) {
            throw rejected("invalid_token", "kid names a key of another algorithm");
        }
        return key;
    }

    /** The payload as a JSON object, read before the signature is checked: never trust it until then. */
    private static PayloadClaims payload(String payloadSegment) {
        PayloadClaims root;
        try {
            root = PayloadClaims.read(B64_DECODER.decode(payloadSegment), JSON);
        } catch (IOException | IllegalArgumentException e) {
            throw rejected("invalid_token", "unreadable claims");
        }
        if (root == null) {
            throw rejected("invalid_token", "claims are not a JSON object");
        }
        return root;
    }

    private static TokenClaims claims(PayloadClaims root) {
        try {
            return new TokenClaims(text(root, "iss"), text(root, "aud"), text(root, "sub"), text(root, "tid"),
                    time(root, "iat"), time(root, "nbf"), time(root, "exp"), text(root, "jti"),
                    root.has("loc") ? text(root, "loc") : null, kind(root),
                    root.has("cfg") ? text(root, "cfg") : null, root.has("flw") ? text(root, "flw") : null);
        } catch (PortalException e) {
            throw rejected("invalid_token", "claim " + String.join(",", e.details().keySet()) + " missing or malformed");
        }
    }

    /** {@code knd}: absent means a link (tokens signed before the claim existed); anything unknown is refused. */
    private static TokenKind kind(PayloadClaims root) {
        if (!root.has("knd")) {
            return TokenKind.LINK;
        }
        return TokenKind.fromClaim(text(root, "knd"))
                .orElseThrow(() -> PortalException.invalid("knd", "unknown token kind"));
    }

    private static String text(PayloadClaims root, String name) {
        String text = root.text(name);
        if (text == null) {
            throw PortalException.invalid(name, "missing or not a string");
        }
        return text;
    }

    private static Instant time(PayloadClaims root, String name) {
        Long seconds = root.integer(name);
        if (seconds == null || seconds < 0 || seconds > MAX_EPOCH_SECOND) {
            throw PortalException.invalid(name, "missing or not a time in seconds");
        }
        return Instant.ofEpochSecond(seconds);
    }

    /**
     * Decodes base64url and refuses non-canonical encodings, so no character of the signature can change without
     * failing. (ECDSA itself stays malleable: (r, n-s) verifies too. Harmless here: sessions are keyed by jti.)
     */
    private static byte[] canonicalBase64(String segment) {
        byte[] bytes;
        try {
            bytes = B64_DECODER.decode(segment);
        } catch (IllegalArgumentException e) {
            throw rejected("invalid_token", "signature is not base64url");
        }
        if (!B64.encodeToString(bytes).equals(segment)) {
            throw rejected("invalid_token", "signature is not canonical base64url");
        }
        return bytes;
    }

    private static boolean base64UrlAndDots(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private SigningKey requireActiveKeyOfAlgorithm(KeyRing keyRing) {
        SigningKey active = keyRing.activeKey();
        if (active.algorithm() != algorithm) {
            throw new IllegalStateException("this " + algorithm.jwsName() + " signer's key ring has active key "
                    + active.kid() + " of algorithm " + active.algorithm().jwsName());
        }
        return active;
    }

    private static PortalException rejected(String reason, String why) {
        return new PortalException(ErrorCode.UNAUTHORIZED, reason, "token rejected: " + why);
    }

    @Override
    public String toString() {
        return "JwtTokenSigner[" + algorithm.jwsName() + ", " + (keyRing != null ? keyRing : "a key ring per tenant") + "]";
    }
}
