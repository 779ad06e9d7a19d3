package dev.billingportal.core.token;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.KeyPair;
import java.util.Base64;
import java.util.HexFormat;

import static dev.billingportal.core.token.TokenFixtures.claims;
import static dev.billingportal.core.token.TokenFixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeyTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16, 31})
    void hs256SecretShorterThan256BitsIsRefused(int length) {
        assertThatThrownBy(() -> SigningKey.hs256("k1", new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256 bits");
    }

    @Test
    void hs256SecretOfExactly256BitsIsAccepted() {
        SigningKey key = SigningKey.hs256("k1", secret());

        assertThat(key.algorithm()).isEqualTo(JwtAlgorithm.HS256);
        assertThat(key.canSign()).isTrue();
        assertThat(SigningKey.MIN_HMAC_SECRET_BYTES).isEqualTo(32);
    }

    @Test
    void hs256SecretIsCopiedSoLaterChangesToTheArrayDoNotChangeTheKey() {
        byte[] secret = secret();
        JwtTokenSigner signer = JwtTokenSigner.hs256(KeyRing.of(SigningKey.hs256("k1", secret)));
        String token = signer.sign(claims());

        secret[0] ^= 0x7f;

        assertThat(signer.verify(token)).isEqualTo(claims());
        assertThat(token).isEqualTo(TokenFixtures.hs256(secret(), TokenFixtures.header("HS256", "k1"),
                TokenFixtures.json(TokenFixtures.claimsMap(claims()))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "quote\"", "slash/", "0123456789012345678901234567890123456789012345678901234567890123x"})
    void kidOutsideTheSafeAlphabetIsRefused(String kid) {
        assertThatThrownBy(() -> SigningKey.hs256(kid, secret())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyOfTheWrongTypeIsRefused() {
        KeyPair ed = TokenFixtures.ed25519KeyPair();
        KeyPair ec = TokenFixtures.p256KeyPair();

        assertThatThrownBy(() -> SigningKey.es256("k1", ed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKey.ed25519("k1", ec)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKey.ed25519VerifyOnly("k1", ec.getPublic()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hs256KeyHasNoPublicJwk() {
        assertThat(SigningKey.hs256("k1", secret()).publicJwk()).isEmpty();
        assertThat(SigningKey.hs256("k1", secret()).publicKey()).isEmpty();
    }

    @Test
    void toStringOfHs256KeyNeverContainsTheSecret() {
        byte[] secret = secret();
        SigningKey key = SigningKey.hs256("k1", secret);
        KeyRing ring = KeyRing.of(key);
        JwtTokenSigner signer = JwtTokenSigner.hs256(ring);

        for (String text : new String[] {key.toString(), ring.toString(), signer.toString()}) {
            assertThat(text).contains("k1");
            assertNoSecretIn(text, secret);
        }
    }

    @Test
    void toStringOfGeneratedKeysNeverContainsKeyMaterial() {
        KeyPair ec = TokenFixtures.p256KeyPair();
        KeyPair ed = TokenFixtures.ed25519KeyPair();
        SigningKey es = SigningKey.es256("es-1", ec);
        SigningKey eddsa = SigningKey.ed25519("ed-1", ed);
        KeyRing ring = KeyRing.of(es, eddsa);

        for (String text : new String[] {es.toString(), eddsa.toString(), ring.toString()}) {
            assertNoSecretIn(text, ec.getPrivate().getEncoded());
            assertNoSecretIn(text, ed.getPrivate().getEncoded());
            // nor, for that matter, the public parts: toString is kid and algorithm only
            assertNoSecretIn(text, ec.getPublic().getEncoded());
        }
        assertThat(es.toString()).contains("es-1").contains("ES256");
    }

    private static void assertNoSecretIn(String text, byte[] material) {
        assertThat(text)
                .doesNotContain(Base64.getEncoder().encodeToString(material))
                .doesNotContain(Base64.getEncoder().withoutPadding().encodeToString(material))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(material))
                .doesNotContain(java.util.Arrays.toString(material))
                .doesNotContain(HexFormat.of().formatHex(material))
                .doesNotContainIgnoringCase(HexFormat.of().withUpperCase().formatHex(material));
    }
}
