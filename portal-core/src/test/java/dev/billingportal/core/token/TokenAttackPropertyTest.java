package dev.billingportal.core.token;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.MutableClock;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.core.token.TokenClaims;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.billingportal.core.token.TokenFixtures.B64URL;
import static dev.billingportal.core.token.TokenFixtures.BASE64URL_ALPHABET;
import static dev.billingportal.core.token.TokenFixtures.b64;
import static dev.billingportal.core.token.TokenFixtures.claimsMap;
import static dev.billingportal.core.token.TokenFixtures.header;
import static dev.billingportal.core.token.TokenFixtures.json;
import static dev.billingportal.core.token.TokenFixtures.withCharAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Attacks over many generated tokens (random claims, unicode subjects, every algorithm), with a fixed seed so a
 * failure names the exact token and position to replay.
 */
class TokenAttackPropertyTest {
    private static final long SEED = 20261121L;
    private static final String SUBJECT_CHARS = "abcXYZ019-_.@:/ éüßøЖЯ請求書😀";
    private static final String[] TENANTS = {"default", "acme", "umbrella", "t-42"};
    private static final String[] LOCALES = {null, "fr", "de-CH", "ja", "zh-TW", "pt-BR"};

    private final Random random = new Random(SEED);
    private final byte[] secret = TokenFixtures.secret();
    private final JwtTokenSigner hs = JwtTokenSigner.hs256(KeyRing.of(SigningKey.hs256("hs-1", secret)));
    private final JwtTokenSigner es = JwtTokenSigner.es256(KeyRing.of(SigningKey.es256("es-1", TokenFixtures.p256KeyPair())));
    private final JwtTokenSigner ed = JwtTokenSigner.ed25519(KeyRing.of(SigningKey.ed25519("ed-1", TokenFixtures.ed25519KeyPair())));

    private TokenClaims randomClaims(String issuer, String audience, Duration lifetime) {
        StringBuilder subject = new StringBuilder();
        int length = 1 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            subject.appendCodePoint(SUBJECT_CHARS.codePointAt(SUBJECT_CHARS.offsetByCodePoints(0,
                    random.nextInt(SUBJECT_CHARS.codePointCount(0, SUBJECT_CHARS.length())))));
        }
        String sub = subject.toString().strip();
        Instant iat = Instant.ofEpochSecond(1_790_000_000L + random.nextInt(10_000_000));
        return new TokenClaims(issuer, audience, sub.isEmpty() ? "x" : sub, TENANTS[random.nextInt(TENANTS.length)],
                iat, iat, iat.plus(lifetime), "ps_" + Long.toHexString(random.nextLong()), LOCALES[random.nextInt(LOCALES.length)]);
    }

    private TokenClaims randomClaims() {
        return randomClaims("billing-portal", "billing-portal", Duration.ofSeconds(60 + random.nextInt(43_140)));
    }

    private static void assertRejected(JwtTokenSigner signer, String token, String what) {
        try {
            signer.verify(token);
            fail("accepted " + what + " (seed " + SEED + "): " + token);
        } catch (PortalException e) {
            assertThat(e.code()).as(what).isEqualTo(ErrorCode.UNAUTHORIZED);
            if (token.length() > 16) { // a message may well contain a 1-character "token"
                assertThat(e.getMessage()).as(what).doesNotContain(token);
            }
        }
    }

    @Test
    void everySingleByteChangeOfEveryGeneratedTokenIsRejected() {
        String alphabet = BASE64URL_ALPHABET + ".=+/ %";
        int checked = 0;
        for (int n = 0; n < 120; n++) {
            JwtTokenSigner signer = n < 90 ? hs : n < 105 ? es : ed;
            String token = signer.sign(randomClaims());
            assertThat(signer.verify(token).jwtId()).isNotBlank();
            for (int i = 0; i < token.length(); i++) {
                char original = token.charAt(i);
                char replacement;
                do {
                    replacement = alphabet.charAt(random.nextInt(alphabet.length()));
                } while (replacement == original);
                assertRejected(signer, withCharAt(token, i, replacement), "token " + n + " changed at " + i);
                checked++;
            }
            int cut = 1 + random.nextInt(token.length() - 1);
            assertRejected(signer, token.substring(0, cut), "token " + n + " cut at " + cut);
            assertRejected(signer, token.substring(0, cut) + "A" + token.substring(cut), "token " + n + " with a byte inserted at " + cut);
            assertRejected(signer, token + "A", "token " + n + " with a byte appended");
        }
        assertThat(checked).isGreaterThan(20_000);
    }

    @Test
    void unsignedTokensAreRejectedWhateverTheSpellingOfNone() {
        for (int n = 0; n < 50; n++) {
            String payload = b64(json(claimsMap(randomClaims())));
            for (String alg : new String[] {"none", "None", "NONE", "nOnE", ""}) {
                String head = b64("{\"alg\":\"" + alg + "\",\"kid\":\"hs-1\",\"typ\":\"JWT\"}");
                assertRejected(hs, head + "." + payload + ".", "alg " + alg + " without signature");
                assertRejected(hs, head + "." + payload + "." + B64URL.encodeToString(new byte[32]), "alg " + alg + " with junk");
            }
            assertRejected(hs, b64("{\"kid\":\"hs-1\",\"typ\":\"JWT\"}") + "." + payload + ".AAAA", "no alg at all");
        }
    }

    @Test
    void algorithmConfusionIsRejectedForEveryGeneratedToken() {
        for (JwtTokenSigner asymmetric : List.of(es, ed)) {
            SigningKey key = asymmetric.keyRing().activeKey();
            byte[] publicBytes = key.publicKey().orElseThrow().getEncoded();
            byte[] jwkBytes = key.publicJwk().orElseThrow().toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int n = 0; n < 30; n++) {
                String payload = json(claimsMap(randomClaims()));
                assertRejected(asymmetric, TokenFixtures.hs256(publicBytes, header("HS256", key.kid()), payload), "HS256 over the public key");
                assertRejected(asymmetric, TokenFixtures.hs256(jwkBytes, header("HS256", key.kid()), payload), "HS256 over the JWK");
            }
        }
        // The other way round: an HS256 verifier never takes an asymmetric token reusing its kid.
        SigningKey ecKey = SigningKey.generateEs256("hs-1");
        JwtTokenSigner impostor = JwtTokenSigner.es256(KeyRing.of(ecKey));
        for (int n = 0; n < 30; n++) {
            assertRejected(hs, impostor.sign(randomClaims()), "ES256 token with the HS256 kid");
        }
    }

    @Test
    void unknownAndRetiredKidsAreRejected() {
        KeyRing ring = KeyRing.of(SigningKey.hs256("old", secret));
        JwtTokenSigner signer = JwtTokenSigner.hs256(ring);
        List<String> signedByOld = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            signedByOld.add(signer.sign(randomClaims()));
            String payload = json(claimsMap(randomClaims()));
            // Right secret, kid the ring never held.
            assertRejected(signer, TokenFixtures.hs256(secret, header("HS256", "k" + random.nextInt(1000)), payload), "unknown kid");
        }
        ring.rotate(SigningKey.generateHs256("new"));
        signedByOld.forEach(token -> assertThat(signer.verify(token).issuer()).isEqualTo("billing-portal"));
        ring.retire("old");
        signedByOld.forEach(token -> assertRejected(signer, token, "token of a retired kid"));
    }

    @Test
    void tokensMissingAnyClaimAreRejectedEvenWhenCorrectlySigned() {
        String[] required = {"iss", "aud", "sub", "tid", "iat", "nbf", "exp", "jti"};
        for (int n = 0; n < 80; n++) {
            Map<String, Object> claims = claimsMap(randomClaims());
            String dropped = required[random.nextInt(required.length)];
            claims.remove(dropped);
            assertRejected(hs, TokenFixtures.hs256(secret, header("HS256", "hs-1"), json(claims)), "no " + dropped);
        }
    }

    @Test
    void aTokenOfAnotherTenantsRingIsRejected() {
        Map<String, KeyRing> rings = Map.of("acme", KeyRing.of(SigningKey.generateHs256("k1")),
                "umbrella", KeyRing.of(SigningKey.generateHs256("k1")), "t-42", KeyRing.of(SigningKey.generateHs256("k1")),
                "default", KeyRing.of(SigningKey.generateHs256("k1")));
        JwtTokenSigner perTenant = JwtTokenSigner.hs256(KeyRingResolver.of(rings));
        for (int n = 0; n < 60; n++) {
            TokenClaims claims = randomClaims();
            String other = TENANTS[random.nextInt(TENANTS.length)];
            if (other.equals(claims.tenantId())) {
                continue;
            }
            String forged = JwtTokenSigner.hs256(rings.get(other)).sign(claims);
            assertRejected(perTenant, forged, "tenant " + claims.tenantId() + " token signed with " + other + "'s ring");
            assertThat(perTenant.verify(perTenant.sign(claims)).tenantId()).isEqualTo(claims.tenantId());
        }
    }

    @Test
    void theServiceRejectsForeignIssuersAudiencesAndOverlongLifetimes() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_790_000_000L));
        InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
        InMemoryPortalSessionRepository sessions = new InMemoryPortalSessionRepository();
        PortalService portal = PortalService.builder().customers(customers).invoices(new InMemoryInvoiceRepository())
                .sessions(sessions).tokenSigner(hs).portalUrl(URI.create("https://b.example/p"))
                .sessionTtl(Duration.ofHours(1)).clock(clock).build();
        int accepted = 0;
        for (int n = 0; n < 100; n++) {
            int kind = random.nextInt(4);
            long lifetime = kind == 0 ? 3_601 + random.nextInt(86_400) : 60 + random.nextInt(3_540);
            String issuer = kind == 1 ? "evil-" + random.nextInt(100) : "billing-portal";
            String audience = kind == 2 ? "another-app" : "billing-portal";
            TokenClaims claims = randomClaims(issuer, audience, Duration.ofSeconds(lifetime));
            customers.save(Customer.builder().id("id-" + n).externalId(claims.subject()).tenantId(claims.tenantId()).build());
            sessions.create(new SessionRecord(claims.jwtId(), CustomerRef.of(claims.tenantId(), claims.subject()),
                    claims.issuedAt(), claims.expiresAt(), null, null, null, null, null));
            clock.set(claims.issuedAt().plusSeconds(30));
            String token = hs.sign(claims);
            if (kind == 3) {
                assertThat(portal.authenticate(token).customer().externalId()).isEqualTo(claims.subject());
                accepted++;
            } else {
                try {
                    portal.authenticate(token);
                    fail("accepted kind " + kind + " (seed " + SEED + ")");
                } catch (PortalException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
                }
            }
        }
        assertThat(accepted).as("some valid tokens in the mix prove the rejections are specific").isGreaterThan(10);
    }
}
