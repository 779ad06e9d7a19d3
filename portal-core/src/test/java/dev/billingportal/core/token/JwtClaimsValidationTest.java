package dev.billingportal.core.token;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.billingportal.core.token.TokenClaims;
import dev.billingportal.core.token.TokenKind;

import java.util.List;
import java.util.Map;

import static dev.billingportal.core.token.TokenFixtures.assertInvalidToken;
import static dev.billingportal.core.token.TokenFixtures.claims;
import static dev.billingportal.core.token.TokenFixtures.claimsMap;
import static dev.billingportal.core.token.TokenFixtures.header;
import static dev.billingportal.core.token.TokenFixtures.hs256;
import static dev.billingportal.core.token.TokenFixtures.json;
import static dev.billingportal.core.token.TokenFixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;

/** Correctly signed HS256 tokens whose payload is wrong: the signature alone must not make them acceptable. */
class JwtClaimsValidationTest {
    private final byte[] secret = secret();
    private final JwtTokenSigner signer = JwtTokenSigner.hs256(KeyRing.of(SigningKey.hs256("k1", secret)));

    private String signed(String payloadJson) {
        return hs256(secret, header("HS256", "k1"), payloadJson);
    }

    private String signed(Map<String, Object> payload) {
        return signed(json(payload));
    }

    @Test
    void controlCompletePayloadSignedByHandVerifies() {
        assertThat(signer.verify(signed(claimsMap(claims())))).isEqualTo(claims());
    }

    @Test
    void controlPayloadWithoutLocVerifiesWithNullLocale() {
        Map<String, Object> payload = claimsMap(claims());
        payload.remove("loc");

        assertThat(signer.verify(signed(payload)).locale()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iss", "aud", "sub", "tid", "iat", "nbf", "exp", "jti"})
    void payloadLackingARequiredClaimIsRejected(String claim) {
        Map<String, Object> payload = claimsMap(claims());
        assertThat(payload.remove(claim)).isNotNull();

        assertInvalidToken(signer, signed(payload));
    }

    @Test
    void payloadWithoutKndIsALinksTokenAsBeforeTheClaimExisted() {
        Map<String, Object> payload = claimsMap(claims());
        payload.remove("knd");

        assertThat(signer.verify(signed(payload)).kind()).isEqualTo(TokenKind.LINK);
    }

    @Test
    void sessionKindRoundTripsAndIsSignedNotGuessed() {
        TokenClaims session = new TokenClaims("billing-portal", "billing-portal", "cus_1", "acme", TokenFixtures.NOW,
                TokenFixtures.NOW, TokenFixtures.NOW.plusSeconds(60), "ps_s", null, TokenKind.SESSION);
        String token = signer.sign(session);

        assertThat(signer.verify(token)).isEqualTo(session);
        Map<String, Object> payload = claimsMap(session);
        assertThat(payload).containsEntry("knd", "session");
        // turning a link into a session (or back) needs the key: the edited payload no longer verifies
        String[] parts = signer.sign(claims()).split("\\.");
        String edited = TokenFixtures.B64URL.encodeToString(json(claimsMap(new TokenClaims(claims().issuer(),
                claims().audience(), claims().subject(), claims().tenantId(), claims().issuedAt(), claims().notBefore(),
                claims().expiresAt(), claims().jwtId(), claims().locale(), TokenKind.SESSION)))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertInvalidToken(signer, parts[0] + "." + edited + "." + parts[2]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"Link\"", "\"SESSION\"", "\"refresh\"", "\"\"", "1", "true", "[\"session\"]", "{}"})
    void unknownOrMistypedKindIsRejected(String kndJson) {
        String base = json(claimsMap(claims())).replace("\"knd\":\"link\"", "\"knd\":" + kndJson);
        assertThat(base).contains("\"knd\":" + kndJson);

        assertInvalidToken(signer, signed(base));
    }

    @ParameterizedTest
    @ValueSource(strings = {"iss", "aud", "sub", "tid", "iat", "nbf", "exp", "jti", "loc", "knd"})
    void claimExplicitlyNullIsRejected(String claim) {
        Map<String, Object> payload = claimsMap(claims());
        payload.put(claim, null);

        assertInvalidToken(signer, signed(payload));
    }

    @Test
    void expAsStringIsRejected() {
        Map<String, Object> payload = claimsMap(claims());
        payload.put("exp", String.valueOf(claims().expiresAt().getEpochSecond()));

        assertInvalidToken(signer, signed(payload));
    }

    @Test
    void timeAsFractionalNumberIsRejected() {
        Map<String, Object> payload = claimsMap(claims());
        payload.put("iat", claims().issuedAt().getEpochSecond() + 0.5);

        assertInvalidToken(signer, signed(payload));
    }

    @Test
    void negativeOrAbsurdlyLargeTimesAreRejected() {
        Map<String, Object> negative = claimsMap(claims());
        negative.put("nbf", -1L);
        Map<String, Object> afterYear9999 = claimsMap(claims());
        afterYear9999.put("exp", 253_402_300_800L);
        Map<String, Object> beyondLong = claimsMap(claims());

        assertInvalidToken(signer, signed(negative));
        assertInvalidToken(signer, signed(afterYear9999));
        assertInvalidToken(signer, signed(json(beyondLong).replace(
                "\"exp\":" + claims().expiresAt().getEpochSecond(), "\"exp\":99999999999999999999999")));
    }

    @Test
    void textClaimAsNumberOrObjectIsRejected() {
        Map<String, Object> subNumber = claimsMap(claims());
        subNumber.put("sub", 42);
        Map<String, Object> audArray = claimsMap(claims());
        audArray.put("aud", List.of("billing-portal"));
        Map<String, Object> locNumber = claimsMap(claims());
        locNumber.put("loc", 7);

        assertInvalidToken(signer, signed(subNumber));
        assertInvalidToken(signer, signed(audArray));
        assertInvalidToken(signer, signed(locNumber));
    }

    @Test
    void blankTextClaimIsRejected() {
        Map<String, Object> payload = claimsMap(claims());
        payload.put("sub", " ");

        assertInvalidToken(signer, signed(payload));
    }

    @Test
    void duplicateClaimKeysAreRejected() {
        // a lenient parser would keep the last "sub": the customer named twice must not choose one
        String base = json(claimsMap(claims()));
        String duplicated = base.substring(0, base.length() - 1) + ",\"sub\":\"cus_2\"}";
        assertThat(duplicated).contains("\"sub\":\"cus_1\"").contains("\"sub\":\"cus_2\"");

        assertInvalidToken(signer, signed(duplicated));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"sub\":\"cus_1\"}]", "\"cus_1\"", "42", "true", "null", "{", "not json"})
    void nonObjectPayloadIsRejected(String payloadJson) {
        assertInvalidToken(signer, signed(payloadJson));
    }
}
