package dev.billingportal.core.token;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.token.TokenClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.billingportal.core.token.TokenFixtures.B64URL;
import static dev.billingportal.core.token.TokenFixtures.BASE64URL_ALPHABET;
import static dev.billingportal.core.token.TokenFixtures.assertInvalidToken;
import static dev.billingportal.core.token.TokenFixtures.assertRejected;
import static dev.billingportal.core.token.TokenFixtures.b64;
import static dev.billingportal.core.token.TokenFixtures.claims;
import static dev.billingportal.core.token.TokenFixtures.claimsMap;
import static dev.billingportal.core.token.TokenFixtures.es256;
import static dev.billingportal.core.token.TokenFixtures.header;
import static dev.billingportal.core.token.TokenFixtures.hs256;
import static dev.billingportal.core.token.TokenFixtures.json;
import static dev.billingportal.core.token.TokenFixtures.p256KeyPair;
import static dev.billingportal.core.token.TokenFixtures.secret;
import static dev.billingportal.core.token.TokenFixtures.signer;
import static dev.billingportal.core.token.TokenFixtures.withCharAt;
import static org.assertj.core.api.Assertions.assertThat;

class JwtTokenSignerAttackTest {
    private final byte[] secret = secret();
    private final JwtTokenSigner hsSigner = JwtTokenSigner.hs256(KeyRing.of(SigningKey.hs256("k1", secret)));
    private final String payload = json(claimsMap(claims()));

    // ---------------------------------------------------------------- controls for the hand-built tokens

    @Test
    void handBuiltHs256TokenWithTheExactHeaderVerifies() {
        assertThat(hsSigner.verify(hs256(secret, header("HS256", "k1"), payload))).isEqualTo(claims());
    }

    @Test
    void handBuiltHs256TokenWithReorderedHeaderVerifiesThroughTheParsedHeaderPath() {
        String reordered = "{\"typ\":\"JWT\",\"kid\":\"k1\",\"alg\":\"HS256\"}";

        assertThat(hsSigner.verify(hs256(secret, reordered, payload))).isEqualTo(claims());
    }

    // ---------------------------------------------------------------- missing and malformed tokens

    @ParameterizedTest
    @NullAndEmptySource
    void missingTokenIsRejectedAsMissing(String token) {
        assertRejected(hsSigner, token, "missing_token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "a.b", "a.b.c.d", ".b.c", "a..c", "a.b.", "a b.c.d", "a.b.c=", "a.b+.c", "a.b/.c"})
    void malformedCompactSerialisationIsRejected(String token) {
        assertInvalidToken(hsSigner, token);
    }

    // ---------------------------------------------------------------- alg: none

    @Test
    void algNoneWithEmptySignatureIsRejected() {
        String token = b64("{\"alg\":\"none\",\"kid\":\"k1\",\"typ\":\"JWT\"}") + "." + b64(payload) + ".";

        assertInvalidToken(hsSigner, token);
    }

    @ParameterizedTest
    @EnumSource(JwtAlgorithm.class)
    void algNoneWithJunkSignatureIsRejected(JwtAlgorithm algorithm) {
        JwtTokenSigner signer = signer(algorithm, "k1");
        String token = b64("{\"alg\":\"none\",\"kid\":\"k1\",\"typ\":\"JWT\"}") + "." + b64(payload) + "."
                + B64URL.encodeToString("junk-signature".getBytes(StandardCharsets.US_ASCII));

        assertInvalidToken(signer, token);
    }

    @Test
    void algNoneSpelledInUpperCaseIsRejected() {
        String token = b64("{\"alg\":\"NONE\",\"kid\":\"k1\",\"typ\":\"JWT\"}") + "." + b64(payload) + ".c2ln";

        assertInvalidToken(hsSigner, token);
    }

    // ---------------------------------------------------------------- algorithm confusion

    @Test
    void es256SignerRejectsHs256TokenMacedWithThePublicKeysX509Encoding() {
        KeyPair pair = p256KeyPair();
        SigningKey esKey = SigningKey.es256("es-1", pair);
        JwtTokenSigner esSigner = JwtTokenSigner.es256(KeyRing.of(esKey));
        String forged = hs256(pair.getPublic().getEncoded(), header("HS256", "es-1"), payload);

        assertInvalidToken(esSigner, forged);
    }

    @Test
    void es256SignerRejectsHs256TokenMacedWithThePublicJwkJson() {
        SigningKey esKey = SigningKey.generateEs256("es-1");
        KeyRing ring = KeyRing.of(esKey);
        JwtTokenSigner esSigner = JwtTokenSigner.es256(ring);
        // every textual form an attacker could fetch: the JWK alone and the whole JWKS document
        List<String> publicTexts = List.of(esKey.publicJwk().orElseThrow().toJSONString(), ring.jwks());

        for (String publicText : publicTexts) {
            String forged = hs256(publicText.getBytes(StandardCharsets.UTF_8), header("HS256", "es-1"), payload);
            assertInvalidToken(esSigner, forged);
        }
    }

    @Test
    void edDsaSignerRejectsHs256TokenMacedWithThePublicKey() {
        KeyPair pair = TokenFixtures.ed25519KeyPair();
        JwtTokenSigner edSigner = JwtTokenSigner.ed25519(KeyRing.of(SigningKey.ed25519("ed-1", pair)));

        assertInvalidToken(edSigner, hs256(pair.getPublic().getEncoded(), header("HS256", "ed-1"), payload));
    }

    @Test
    void hs256SignerRejectsEs256TokenOfAnotherRingReusingTheKid() {
        JwtTokenSigner otherRing = JwtTokenSigner.es256(KeyRing.of(SigningKey.generateEs256("k1")));
        String token = otherRing.sign(claims());
        assertThat(otherRing.verify(token)).isEqualTo(claims());

        assertInvalidToken(hsSigner, token);
    }

    @Test
    void es256SignerRejectsGenuineHs256TokenOfAVerifyOnlyHmacKeyInTheSameRing() {
        // a mixed ring: the kid exists, but names a key of another algorithm than the signer's
        SigningKey hsKey = SigningKey.hs256("hs-old", secret);
        JwtTokenSigner esSigner = JwtTokenSigner.es256(KeyRing.of(SigningKey.generateEs256("es-1"), hsKey));
        String genuine = JwtTokenSigner.hs256(KeyRing.of(hsKey)).sign(claims());

        assertInvalidToken(esSigner, genuine);
    }

    @Test
    void es256SignerRejectsAnEs256HeaderWhoseKidNamesAnHmacKey() {
        KeyPair pair = p256KeyPair();
        SigningKey hsKey = SigningKey.hs256("hs-old", secret);
        JwtTokenSigner esSigner = JwtTokenSigner.es256(KeyRing.of(SigningKey.es256("es-1", pair), hsKey));

        assertInvalidToken(esSigner, es256(pair.getPrivate(), header("ES256", "hs-old"), payload));
    }

    @Test
    void es256SignerRejectsAllZeroSignature() {
        // "psychic signatures" (CVE-2022-21449): r = s = 0 must never verify
        JwtTokenSigner esSigner = signer(JwtAlgorithm.ES256, "es-1");
        String token = esSigner.sign(claims());
        String zeroed = token.substring(0, token.lastIndexOf('.') + 1) + B64URL.encodeToString(new byte[64]);

        assertInvalidToken(esSigner, zeroed);
    }

    // ---------------------------------------------------------------- tampering

    @ParameterizedTest
    @EnumSource(JwtAlgorithm.class)
    void changingAnySingleCharacterIsRejected(JwtAlgorithm algorithm) {
        JwtTokenSigner signer = signer(algorithm, "k1");
        String token = signer.sign(claims());
        assertThat(signer.verify(token)).isEqualTo(claims());

        List<String> accepted = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < token.length(); i++) {
            int value = BASE64URL_ALPHABET.indexOf(token.charAt(i));
            if (value < 0) {
                continue; // a dot
            }
            // flip the lowest bit (only the padding bits of a segment's last character: the non-canonical case),
            // the highest bit, and a middle bit
            for (int flip : new int[] {1, 32, 4}) {
                String tampered = withCharAt(token, i, BASE64URL_ALPHABET.charAt(value ^ flip));
                checked++;
                try {
                    signer.verify(tampered);
                    accepted.add("position " + i + " flip " + flip);
                } catch (PortalException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    assertThat(e.reason()).isEqualTo("invalid_token");
                }
            }
        }
        assertThat(checked).isEqualTo(3 * (token.length() - 2));
        assertThat(accepted).as("tampered tokens that verified").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(JwtAlgorithm.class)
    void everyOtherLastSignatureCharacterIsRejectedIncludingNonCanonicalOnesDecodingToTheSameBytes(
            JwtAlgorithm algorithm) {
        JwtTokenSigner signer = signer(algorithm, "k1");
        String token = signer.sign(claims());
        int last = token.length() - 1;
        byte[] signature = TokenFixtures.B64URL_DECODER.decode(token.substring(token.lastIndexOf('.') + 1));

        int sameBytes = 0;
        for (char c : BASE64URL_ALPHABET.toCharArray()) {
            if (c == token.charAt(last)) {
                continue;
            }
            String tampered = withCharAt(token, last, c);
            byte[] decoded = TokenFixtures.B64URL_DECODER.decode(tampered.substring(tampered.lastIndexOf('.') + 1));
            if (Arrays.equals(decoded, signature)) {
                sameBytes++;
            }
            assertInvalidToken(signer, tampered);
        }
        // HS256 (32 bytes) leaves 2 padding bits, ES256 and EdDSA (64 bytes) 4: 3 or 15 aliases of the same bytes
        assertThat(sameBytes).isEqualTo(algorithm == JwtAlgorithm.HS256 ? 3 : 15);
    }

    @ParameterizedTest
    @EnumSource(JwtAlgorithm.class)
    void signatureOfAnotherTokenIsRejected(JwtAlgorithm algorithm) {
        JwtTokenSigner signer = signer(algorithm, "k1");
        String token = signer.sign(claims());
        String other = signer.sign(new TokenClaims("billing-portal", "billing-portal", "cus_2", "acme",
                TokenFixtures.NOW, TokenFixtures.NOW, TokenFixtures.NOW.plusSeconds(3600), "ps_other", null));
        String spliced = other.substring(0, other.lastIndexOf('.')) + token.substring(token.lastIndexOf('.'));

        assertInvalidToken(signer, spliced);
    }

    // ---------------------------------------------------------------- size

    @Test
    void tokenOfMaxLengthPlusOneCharactersOfJunkIsRefused() {
        String token = "a".repeat(4000) + "." + "a".repeat(4000) + "." + "a".repeat(193);
        assertThat(token.length()).isGreaterThan(JwtTokenSigner.MAX_TOKEN_LENGTH);

        assertInvalidToken(hsSigner, token);
    }

    @Test
    void correctlySignedTokenOverTheLimitIsRefusedWhileOneAtTheLimitVerifies() {
        String atLimit = paddedToken(JwtTokenSigner.MAX_TOKEN_LENGTH);
        String overLimit = paddedToken(JwtTokenSigner.MAX_TOKEN_LENGTH + 1);
        assertThat(atLimit).hasSize(JwtTokenSigner.MAX_TOKEN_LENGTH);
        assertThat(overLimit.length()).isGreaterThan(JwtTokenSigner.MAX_TOKEN_LENGTH);

        assertThat(hsSigner.verify(atLimit)).isEqualTo(claims());
        assertInvalidToken(hsSigner, overLimit);
    }

    /** The shortest correctly signed token of at least {@code length} characters (an extra claim pads it). */
    private String paddedToken(int length) {
        for (int pad = 0; ; pad++) {
            Map<String, Object> claims = claimsMap(claims());
            claims.put("pad", "x".repeat(pad));
            String token = hs256(secret, header("HS256", "k1"), json(claims));
            if (token.length() >= length) {
                return token;
            }
        }
    }

    // ---------------------------------------------------------------- header parameters

    @ParameterizedTest
    @ValueSource(strings = {
            "\"jku\":\"https://attacker.example/jwks.json\"",
            "\"x5u\":\"https://attacker.example/cert.pem\"",
            "\"x5c\":[\"MIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGU=\"]",
            "\"crit\":[\"exp\"],\"exp\":1",
            "\"crit\":[\"b64\"],\"b64\":false",
            "\"cty\":\"JWT\"",
            "\"x-custom\":\"value\""})
    void correctlySignedHs256TokenWithAnExtraHeaderParameterIsRejected(String extraParameter) {
        String headerJson = "{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"JWT\"," + extraParameter + "}";

        assertInvalidToken(hsSigner, hs256(secret, headerJson, payload));
    }

    @Test
    void correctlySignedHs256TokenWithAnEmbeddedJwkIsRejected() {
        String jwk = SigningKey.generateEs256("attacker").publicJwk().orElseThrow().toJSONString();
        String headerJson = "{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"JWT\",\"jwk\":" + jwk + "}";

        assertInvalidToken(hsSigner, hs256(secret, headerJson, payload));
    }

    @Test
    void es256TokenSignedWithTheRingsOwnKeyButCarryingAJwkIsRejected() {
        KeyPair pair = p256KeyPair();
        SigningKey key = SigningKey.es256("es-1", pair);
        JwtTokenSigner esSigner = JwtTokenSigner.es256(KeyRing.of(key));
        String ownJwk = key.publicJwk().orElseThrow().toJSONString();
        String control = es256(pair.getPrivate(), "{\"typ\":\"JWT\",\"alg\":\"ES256\",\"kid\":\"es-1\"}", payload);
        assertThat(esSigner.verify(control)).isEqualTo(claims());

        String headerJson = "{\"alg\":\"ES256\",\"kid\":\"es-1\",\"typ\":\"JWT\",\"jwk\":" + ownJwk + "}";
        assertInvalidToken(esSigner, es256(pair.getPrivate(), headerJson, payload));
    }

    @Test
    void es256TokenSignedWithAnAttackersKeyEmbeddedAsJwkIsRejected() {
        KeyPair attacker = p256KeyPair();
        JwtTokenSigner esSigner = signer(JwtAlgorithm.ES256, "es-1");
        String attackerJwk = SigningKey.es256("es-1", attacker).publicJwk().orElseThrow().toJSONString();
        String headerJson = "{\"alg\":\"ES256\",\"kid\":\"es-1\",\"typ\":\"JWT\",\"jwk\":" + attackerJwk + "}";

        assertInvalidToken(esSigner, es256(attacker.getPrivate(), headerJson, payload));
    }

    @Test
    void headerWithoutKidIsRejected() {
        assertInvalidToken(hsSigner, hs256(secret, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload));
    }
}
