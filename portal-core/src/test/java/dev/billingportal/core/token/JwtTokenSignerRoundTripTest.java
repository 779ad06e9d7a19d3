package dev.billingportal.core.token;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.billingportal.core.token.TokenClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.Map;

import static dev.billingportal.core.token.TokenFixtures.JSON;
import static dev.billingportal.core.token.TokenFixtures.NOW;
import static dev.billingportal.core.token.TokenFixtures.claims;
import static dev.billingportal.core.token.TokenFixtures.decodeSegment;
import static dev.billingportal.core.token.TokenFixtures.signer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtTokenSignerRoundTripTest {

    @Test
    void hs256RoundTripReturnsEqualClaims() {
        assertRoundTrip(signer(JwtAlgorithm.HS256, "hs-1"));
    }

    @Test
    void es256RoundTripReturnsEqualClaims() {
        assertRoundTrip(signer(JwtAlgorithm.ES256, "es-1"));
    }

    @Test
    void edDsaRoundTripReturnsEqualClaims() {
        assertRoundTrip(signer(JwtAlgorithm.EDDSA, "ed-1"));
    }

    @ParameterizedTest
    @EnumSource(JwtAlgorithm.class)
    void roundTripWithoutLocaleReturnsNullLocale(JwtAlgorithm algorithm) {
        JwtTokenSigner signer = signer(algorithm, "k1");
        TokenClaims claims = new TokenClaims("iss-a", "aud-b", "cus_1", "acme", NOW, NOW, NOW.plusSeconds(60),
                "ps_noloc", null);

        String token = signer.sign(claims);

        assertThat(signer.verify(token)).isEqualTo(claims);
        assertThat(decodeSegment(token.split("\\.")[1])).doesNotContain("\"loc\"");
    }

    @ParameterizedTest
    @EnumSource(JwtAlgorithm.class)
    void subSecondTimesComeBackTruncatedToSeconds(JwtAlgorithm algorithm) {
        JwtTokenSigner signer = signer(algorithm, "k1");
        Instant iat = NOW.plusMillis(999);
        TokenClaims signed = new TokenClaims("billing-portal", "billing-portal", "cus_1", "acme", iat,
                NOW.plusNanos(1), NOW.plusSeconds(60).plusMillis(999), "ps_ms", "de");

        TokenClaims verified = signer.verify(signer.sign(signed));

        assertThat(verified).isEqualTo(new TokenClaims("billing-portal", "billing-portal", "cus_1", "acme", NOW,
                NOW, NOW.plusSeconds(60), "ps_ms", "de"));
    }

    @ParameterizedTest
    @EnumSource(JwtAlgorithm.class)
    void tokenIsCompactJwsWithTheKeysExactHeaderAndOnlyUrlSafeCharacters(JwtAlgorithm algorithm) throws Exception {
        String token = signer(algorithm, "kid-7").sign(claims());

        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(decodeSegment(token.split("\\.")[0]))
                .isEqualTo("{\"alg\":\"" + algorithm.jwsName() + "\",\"kid\":\"kid-7\",\"typ\":\"JWT\"}");
        Map<String, Object> payload = JSON.readValue(decodeSegment(token.split("\\.")[1]),
                new TypeReference<Map<String, Object>>() { });
        assertThat(payload).containsOnlyKeys("iss", "aud", "sub", "tid", "iat", "nbf", "exp", "jti", "loc", "knd");
        assertThat(payload.get("knd")).as("a link's token says so").isEqualTo("link");
        assertThat(((Number) payload.get("exp")).longValue()).isEqualTo(NOW.plusSeconds(3600).getEpochSecond());
    }

    @Test
    void signerRefusesARingWhoseActiveKeyHasAnotherAlgorithm() {
        KeyRing hsRing = KeyRing.of(SigningKey.generateHs256("hs-1"));
        KeyRing esRing = KeyRing.of(SigningKey.generateEs256("es-1"));

        assertThatThrownBy(() -> JwtTokenSigner.es256(hsRing)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JwtTokenSigner.ed25519(hsRing)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JwtTokenSigner.hs256(esRing)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void signerRefusesToSignOnceRotationMadeAKeyOfAnotherAlgorithmActive() {
        KeyRing ring = KeyRing.of(SigningKey.generateHs256("hs-1"));
        JwtTokenSigner signer = JwtTokenSigner.hs256(ring);
        ring.rotate(SigningKey.generateEs256("es-1"));

        assertThatThrownBy(() -> signer.sign(claims())).isInstanceOf(IllegalStateException.class);
    }

    private static void assertRoundTrip(JwtTokenSigner signer) {
        TokenClaims claims = claims();

        String token = signer.sign(claims);

        assertThat(signer.verify(token)).isEqualTo(claims);
        // a second signature of the same claims verifies alike (ES256 signatures are randomised)
        assertThat(signer.verify(signer.sign(claims))).isEqualTo(claims);
    }
}
