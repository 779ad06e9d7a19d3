package dev.billingportal.core.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.billingportal.core.token.TokenClaims;
import dev.billingportal.core.token.KeyRing.KeyState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.billingportal.core.token.TokenFixtures.JSON;
import static dev.billingportal.core.token.TokenFixtures.assertInvalidToken;
import static dev.billingportal.core.token.TokenFixtures.claims;
import static dev.billingportal.core.token.TokenFixtures.decodeSegment;
import static dev.billingportal.core.token.TokenFixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRingTest {

    // ---------------------------------------------------------------- kids, rotation, retirement

    @Test
    void tokenOfUnknownKidIsRejected() {
        JwtTokenSigner signer = JwtTokenSigner.hs256(KeyRing.of(SigningKey.hs256("k1", secret())));
        // same secret, other kid: only the kid makes it unknown
        String stranger = JwtTokenSigner.hs256(KeyRing.of(SigningKey.hs256("k2", secret()))).sign(claims());

        assertInvalidToken(signer, stranger);
    }

    @Test
    void tokenOfKnownKidSignedWithAnotherSecretIsRejected() {
        JwtTokenSigner signer = JwtTokenSigner.hs256(KeyRing.of(SigningKey.hs256("k1", secret())));
        String impostor = JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("k1"))).sign(claims());

        assertInvalidToken(signer, impostor);
    }

    @Test
    void rotationMakesTheNewKeySignWhileTheOldOneKeepsVerifying() {
        KeyRing ring = KeyRing.of(SigningKey.generateHs256("k1"));
        JwtTokenSigner signer = JwtTokenSigner.hs256(ring);
        String beforeRotation = signer.sign(claims());

        ring.rotate(SigningKey.generateHs256("k2"));
        String afterRotation = signer.sign(claims());

        assertThat(ring.states()).containsExactly(
                Map.entry("k1", KeyState.VERIFY_ONLY), Map.entry("k2", KeyState.ACTIVE));
        assertThat(kidOf(beforeRotation)).isEqualTo("k1");
        assertThat(kidOf(afterRotation)).isEqualTo("k2");
        // rotation logs nobody out
        assertThat(signer.verify(beforeRotation)).isEqualTo(claims());
        assertThat(signer.verify(afterRotation)).isEqualTo(claims());
    }

    @Test
    void tokenOfARetiredKeyIsRejectedWhileTokensOfTheNewKeyStillVerify() {
        KeyRing ring = KeyRing.of(SigningKey.generateHs256("k1"));
        JwtTokenSigner signer = JwtTokenSigner.hs256(ring);
        String beforeRotation = signer.sign(claims());
        ring.rotate(SigningKey.generateHs256("k2"));
        String afterRotation = signer.sign(claims());

        ring.retire("k1");

        assertThat(ring.state("k1")).contains(KeyState.RETIRED);
        assertThat(ring.verificationKey("k1")).isEmpty();
        assertInvalidToken(signer, beforeRotation);
        assertThat(signer.verify(afterRotation)).isEqualTo(claims());
    }

    @Test
    void retiredAsymmetricKeyStopsVerifyingToo() {
        KeyRing ring = KeyRing.of(SigningKey.generateEd25519("ed-1"));
        JwtTokenSigner signer = JwtTokenSigner.ed25519(ring);
        String old = signer.sign(claims());
        ring.rotate(SigningKey.generateEd25519("ed-2"));
        assertThat(signer.verify(old)).isEqualTo(claims());

        ring.retire("ed-1");

        assertInvalidToken(signer, old);
    }

    @Test
    void retiringTheActiveKeyThrowsAndChangesNothing() {
        KeyRing ring = KeyRing.of(SigningKey.generateHs256("k1"));
        JwtTokenSigner signer = JwtTokenSigner.hs256(ring);
        String token = signer.sign(claims());

        assertThatThrownBy(() -> ring.retire("k1")).isInstanceOf(IllegalStateException.class);

        assertThat(ring.state("k1")).contains(KeyState.ACTIVE);
        assertThat(signer.verify(token)).isEqualTo(claims());
    }

    @Test
    void retiringAnUnknownKidThrows() {
        KeyRing ring = KeyRing.of(SigningKey.generateHs256("k1"));

        assertThatThrownBy(() -> ring.retire("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ring.state("nope")).isEmpty();
    }

    @Test
    void retiredKidCannotBeReAddedAndItsTokensStayRejected() {
        byte[] secret = secret();
        KeyRing ring = KeyRing.of(SigningKey.hs256("k1", secret));
        JwtTokenSigner signer = JwtTokenSigner.hs256(ring);
        String old = signer.sign(claims());
        ring.rotate(SigningKey.generateHs256("k2"));
        ring.retire("k1");

        assertThatThrownBy(() -> ring.rotate(SigningKey.hs256("k1", secret)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.addVerifyOnly(SigningKey.hs256("k1", secret)))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(ring.state("k1")).contains(KeyState.RETIRED);
        assertThat(ring.activeKey().kid()).isEqualTo("k2");
        assertInvalidToken(signer, old);
    }

    @Test
    void ringRefusesDuplicateKidsAndAVerifyOnlyKeyAsActive() {
        SigningKey k1 = SigningKey.generateHs256("k1");
        ECPublicKey publicOnly = (ECPublicKey) SigningKey.generateEs256("es-1").publicKey().orElseThrow();

        assertThatThrownBy(() -> KeyRing.of(k1, SigningKey.generateHs256("k1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyRing.of(SigningKey.es256VerifyOnly("es-1", publicOnly)))
                .isInstanceOf(IllegalArgumentException.class);
        KeyRing ring = KeyRing.of(k1);
        assertThatThrownBy(() -> ring.rotate(SigningKey.es256VerifyOnly("es-1", publicOnly)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ring.activeKey()).isSameAs(k1);
    }

    @Test
    void keyAddedAsVerifyOnlyVerifiesItsTokensButDoesNotSign() {
        KeyRing ring = KeyRing.of(SigningKey.generateHs256("k1"));
        JwtTokenSigner signer = JwtTokenSigner.hs256(ring);
        SigningKey next = SigningKey.generateHs256("k2");
        String ofNext = JwtTokenSigner.hs256(KeyRing.of(next)).sign(claims());
        assertInvalidToken(signer, ofNext);

        ring.addVerifyOnly(next);

        assertThat(signer.verify(ofNext)).isEqualTo(claims());
        assertThat(kidOf(signer.sign(claims()))).isEqualTo("k1");
    }

    // ---------------------------------------------------------------- JWKS

    @Test
    void jwksOfMixedRingHoldsBothPublicKeysWithKidAlgAndUseButNoPrivatePartsOrHmacSecret() throws Exception {
        KeyPair ec = TokenFixtures.p256KeyPair();
        KeyPair ed = TokenFixtures.ed25519KeyPair();
        byte[] hmacSecret = secret();
        KeyRing ring = KeyRing.of(SigningKey.es256("es-1", ec), SigningKey.ed25519("ed-1", ed),
                SigningKey.hs256("hs-1", hmacSecret));

        String jwks = ring.jwks();
        JsonNode keys = JSON.readTree(jwks).get("keys");

        assertThat(keys.isArray()).isTrue();
        assertThat(keys).hasSize(2);
        JsonNode es = keyWithKid(keys, "es-1");
        JsonNode eddsa = keyWithKid(keys, "ed-1");
        assertThat(es.get("kty").asText()).isEqualTo("EC");
        assertThat(es.get("crv").asText()).isEqualTo("P-256");
        assertThat(es.get("alg").asText()).isEqualTo("ES256");
        assertThat(es.get("use").asText()).isEqualTo("sig");
        assertThat(es.has("x")).isTrue();
        assertThat(es.has("y")).isTrue();
        assertThat(eddsa.get("kty").asText()).isEqualTo("OKP");
        assertThat(eddsa.get("crv").asText()).isEqualTo("Ed25519");
        assertThat(eddsa.get("alg").asText()).isEqualTo("EdDSA");
        assertThat(eddsa.get("use").asText()).isEqualTo("sig");
        for (JsonNode key : keys) {
            // "d" is the private scalar of EC and OKP keys; "k" would be a symmetric secret
            assertThat(key.has("d")).as("private part of %s", key.get("kid")).isFalse();
            assertThat(key.has("k")).isFalse();
        }
        assertThat(jwks).doesNotContain("hs-1")
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(hmacSecret))
                .doesNotContain(Base64.getEncoder().encodeToString(hmacSecret));
        // the exported keys are the ring's keys
        assertThat(ECKey.parse(es.toString()).toECPublicKey().getW()).isEqualTo(((ECPublicKey) ec.getPublic()).getW());
        byte[] encoded = ed.getPublic().getEncoded();
        assertThat(OctetKeyPair.parse(eddsa.toString()).getDecodedX())
                .isEqualTo(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    @Test
    void jwksOfHs256OnlyRingIsEmpty() throws Exception {
        KeyRing ring = KeyRing.of(SigningKey.generateHs256("hs-1"), SigningKey.generateHs256("hs-2"));

        assertThat(JSON.readTree(ring.jwks())).isEqualTo(JSON.readTree("{\"keys\":[]}"));
    }

    @Test
    void retiredKeysVanishFromJwks() throws Exception {
        KeyRing ring = KeyRing.of(SigningKey.generateEs256("es-1"));
        ring.rotate(SigningKey.generateEs256("es-2"));
        assertThat(kids(ring.jwks())).containsExactlyInAnyOrder("es-1", "es-2");

        ring.retire("es-1");

        assertThat(kids(ring.jwks())).containsExactly("es-2");
    }

    @Test
    void es256PublicKeyFromJwksVerifiesATokenInAVerifyOnlyRing() throws Exception {
        JwtTokenSigner issuer = JwtTokenSigner.es256(KeyRing.of(SigningKey.generateEs256("es-1")));
        TokenClaims claims = claims();
        String token = issuer.sign(claims);
        JsonNode published = keyWithKid(JSON.readTree(issuer.keyRing().jwks()).get("keys"), "es-1");
        ECPublicKey publicKey = ECKey.parse(published.toString()).toECPublicKey();

        // KeyRing.of needs an active signing key: a dummy of another kid, never used
        JwtTokenSigner verifier = JwtTokenSigner.es256(KeyRing.of(SigningKey.generateEs256("dummy"),
                SigningKey.es256VerifyOnly("es-1", publicKey)));

        assertThat(verifier.verify(token)).isEqualTo(claims);
        // and the published key verifies only tokens of the matching private key
        String otherKeySameKid = JwtTokenSigner.es256(KeyRing.of(SigningKey.generateEs256("es-1"))).sign(claims);
        assertInvalidToken(verifier, otherKeySameKid);
    }

    @Test
    void ed25519PublicKeyFromJwksVerifiesATokenInAVerifyOnlyRing() throws Exception {
        JwtTokenSigner issuer = JwtTokenSigner.ed25519(KeyRing.of(SigningKey.generateEd25519("ed-1")));
        String token = issuer.sign(claims());
        JsonNode published = keyWithKid(JSON.readTree(issuer.keyRing().jwks()).get("keys"), "ed-1");
        byte[] raw = OctetKeyPair.parse(published.toString()).getDecodedX();
        // X.509 SubjectPublicKeyInfo of an Ed25519 key: a fixed 12-byte prefix, then the raw key
        byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
        byte[] x509 = Arrays.copyOf(prefix, prefix.length + raw.length);
        System.arraycopy(raw, 0, x509, prefix.length, raw.length);
        PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));

        JwtTokenSigner verifier = JwtTokenSigner.ed25519(KeyRing.of(SigningKey.generateEd25519("dummy"),
                SigningKey.ed25519VerifyOnly("ed-1", publicKey)));

        assertThat(verifier.verify(token)).isEqualTo(claims());
    }

    private static JsonNode keyWithKid(JsonNode keys, String kid) {
        for (JsonNode key : keys) {
            if (kid.equals(key.path("kid").asText())) {
                return key;
            }
        }
        throw new AssertionError("no key " + kid + " in " + keys);
    }

    private static List<String> kids(String jwks) throws Exception {
        List<String> kids = new ArrayList<>();
        for (JsonNode key : JSON.readTree(jwks).get("keys")) {
            kids.add(key.get("kid").asText());
        }
        return kids;
    }

    private static String kidOf(String token) {
        try {
            return JSON.readTree(decodeSegment(token.substring(0, token.indexOf('.')))).get("kid").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
