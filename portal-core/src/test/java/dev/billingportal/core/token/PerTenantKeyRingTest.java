package dev.billingportal.core.token;

import dev.billingportal.core.token.TokenClaims;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static dev.billingportal.core.token.TokenFixtures.NOW;
import static dev.billingportal.core.token.TokenFixtures.assertInvalidToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A key ring per tenant: one tenant's key never vouches for another tenant's customers. */
class PerTenantKeyRingTest {
    // Same kid in both rings on purpose: the kid alone must not decide which secret verifies.
    private final KeyRing acme = KeyRing.of(SigningKey.generateHs256("k1"));
    private final KeyRing umbrella = KeyRing.of(SigningKey.generateHs256("k1"));
    private final JwtTokenSigner signer = JwtTokenSigner.hs256(KeyRingResolver.of(Map.of("acme", acme, "umbrella", umbrella)));

    private static TokenClaims claimsFor(String tenant) {
        return new TokenClaims("iss", "aud", "cus_1", tenant, NOW, NOW, NOW.plusSeconds(3600), "ps_" + tenant, null);
    }

    @Test
    void eachTenantsTokensVerifyWithItsOwnRing() {
        assertThat(signer.verify(signer.sign(claimsFor("acme"))).tenantId()).isEqualTo("acme");
        assertThat(signer.verify(signer.sign(claimsFor("umbrella"))).tenantId()).isEqualTo("umbrella");
        assertThat(JwtTokenSigner.hs256(acme).verify(signer.sign(claimsFor("acme"))).tenantId()).isEqualTo("acme");
    }

    @Test
    void aTokenSignedWithAnotherTenantsKeyIsRejected() {
        // Umbrella's key signs a token that claims to be for acme: acme's ring must not accept it.
        JwtTokenSigner umbrellaKeys = JwtTokenSigner.hs256(tenant -> Optional.of(umbrella));
        String forged = umbrellaKeys.sign(claimsFor("acme"));
        assertInvalidToken(signer, forged);
        assertThat(umbrellaKeys.verify(forged).tenantId()).isEqualTo("acme"); // the forgery itself is well formed
    }

    @Test
    void tenantsWithoutARingCannotSignOrVerify() {
        assertThatThrownBy(() -> signer.sign(claimsFor("initech"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("initech");
        String elsewhere = JwtTokenSigner.hs256(acme).sign(claimsFor("initech"));
        assertInvalidToken(signer, elsewhere);
    }

    @Test
    void rotatingOneTenantsRingLeavesTheOtherAlone() {
        String acmeBefore = signer.sign(claimsFor("acme"));
        String umbrellaBefore = signer.sign(claimsFor("umbrella"));
        acme.rotate(SigningKey.generateHs256("k2"));
        acme.retire("k1");
        assertInvalidToken(signer, acmeBefore);
        assertThat(signer.verify(umbrellaBefore).tenantId()).isEqualTo("umbrella");
        assertThat(signer.verify(signer.sign(claimsFor("acme"))).tenantId()).isEqualTo("acme");
    }

    @Test
    void aPerTenantSignerHasNoSingleRing() {
        assertThatThrownBy(signer::keyRing).isInstanceOf(IllegalStateException.class);
        assertThat(signer.keyRing("acme")).containsSame(acme);
        assertThat(signer.keyRing("nobody")).isEmpty();
        assertThat(signer.toString()).contains("per tenant");
    }
}
