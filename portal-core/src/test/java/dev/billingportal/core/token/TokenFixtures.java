package dev.billingportal.core.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.token.TokenClaims;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys, claims, hand-built tokens and the rejection assertion shared by the token tests. */
final class TokenFixtures {
    static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    /** A whole second, so claims survive the round trip unchanged. */
    static final Instant NOW = Instant.parse("2030-01-15T10:00:00Z");

    private TokenFixtures() {
    }

    /** A fixed 256-bit secret (bytes 0x01..0x20). */
    static byte[] secret() {
        byte[] secret = new byte[32];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (i + 1);
        }
        return secret;
    }

    static KeyPair p256KeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ed25519KeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signer of {@code algorithm} over a fresh one-key ring whose key is {@code kid}. */
    static JwtTokenSigner signer(JwtAlgorithm algorithm, String kid) {
        return switch (algorithm) {
            case HS256 -> JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256(kid)));
            case ES256 -> JwtTokenSigner.es256(KeyRing.of(SigningKey.generateEs256(kid)));
            case EDDSA -> JwtTokenSigner.ed25519(KeyRing.of(SigningKey.generateEd25519(kid)));
        };
    }

    static TokenClaims claims() {
        return new TokenClaims("billing-portal", "billing-portal", "cus_1", "acme", NOW, NOW,
                NOW.plusSeconds(3600), "ps_sample", "fr-CH");
    }

    /** The JSON payload {@link JwtTokenSigner} writes for {@code claims}, as an editable map. */
    static Map<String, Object> claimsMap(TokenClaims claims) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("iss", claims.issuer());
        map.put("aud", claims.audience());
        map.put("sub", claims.subject());
        map.put("tid", claims.tenantId());
        map.put("iat", claims.issuedAt().getEpochSecond());
        map.put("nbf", claims.notBefore().getEpochSecond());
        map.put("exp", claims.expiresAt().getEpochSecond());
        map.put("jti", claims.jwtId());
        if (claims.locale() != null) {
            map.put("loc", claims.locale());
        }
        map.put("knd", claims.kind().claim());
        return map;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String text) {
        return B64URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeSegment(String segment) {
        return new String(B64URL_DECODER.decode(segment), StandardCharsets.UTF_8);
    }

    /** The exact header {@link SigningKey} writes. */
    static String header(String alg, String kid) {
        return "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}";
    }

    /** A compact JWS over the given header and payload JSON, MACed with {@code secret} (HS256). */
    static String hs256(byte[] secret, String headerJson, String payloadJson) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A compact JWS signed with a P-256 private key (ES256, R||S signature). */
    static String es256(PrivateKey key, String headerJson, String payloadJson) {
        return signWith("SHA256withECDSAinP1363Format", key, headerJson, payloadJson);
    }

    /** A compact JWS signed with an Ed25519 private key (EdDSA). */
    static String ed25519(PrivateKey key, String headerJson, String payloadJson) {
        return signWith("Ed25519", key, headerJson, payloadJson);
    }

    private static String signWith(String jcaAlgorithm, PrivateKey key, String headerJson, String payloadJson) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        try {
            Signature signature = Signature.getInstance(jcaAlgorithm);
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code token} with the character at {@code index} replaced. */
    static String withCharAt(String token, int index, char replacement) {
        return token.substring(0, index) + replacement + token.substring(index + 1);
    }

    /** Asserts that verifying {@code token} fails with UNAUTHORIZED and {@code reason}, without echoing the token. */
    static void assertRejected(JwtTokenSigner signer, String token, String reason) {
        assertThatThrownBy(() -> signer.verify(token))
                .isInstanceOfSatisfying(PortalException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    assertThat(e.reason()).isEqualTo(reason);
                    if (token != null && token.length() > 8) {
                        assertThat(e.getMessage()).doesNotContain(token);
                    }
                });
    }

    static void assertInvalidToken(JwtTokenSigner signer, String token) {
        assertRejected(signer, token, "invalid_token");
    }

    /** Asserts a PortalException with {@code code} and {@code reason}. */
    static void assertPortalError(ThrowingCallable call, ErrorCode code, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.reason()).isEqualTo(reason);
        });
    }
}
