package dev.billingportal.core.token;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.MutableClock;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.core.token.TokenClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static dev.billingportal.core.token.TokenFixtures.assertPortalError;
import static org.assertj.core.api.Assertions.assertThat;

/** The checks {@link PortalService#authenticate} adds on top of the signature: issuer, audience, times, revocation. */
class PortalServiceTokenTest {
    private static final Instant START = Instant.parse("2030-01-15T10:00:00Z");
    private static final CustomerRef CUSTOMER = CustomerRef.of("acme", "cus_1");

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryPortalSessionRepository sessions = new InMemoryPortalSessionRepository();
    private final JwtTokenSigner signer = JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("k1")));
    private PortalService portal;

    @BeforeEach
    void setUp() {
        InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
        customers.save(Customer.builder().id("c_1").externalId("cus_1").tenantId("acme").name("Acme Ltd").build());
        portal = PortalService.builder()
                .customers(customers)
                .invoices(new InMemoryInvoiceRepository())
                .sessions(sessions)
                .tokenSigner(signer)
                .portalUrl(URI.create("https://billing.example.com/portal"))
                .clock(clock)
                .build();
    }

    private PortalSession newSession() {
        return portal.createSession(SessionRequest.forCustomer("cus_1").tenant("acme"));
    }

    /** Signs {@code claims} directly and stores the matching session, as createSession would. */
    private String storedSessionToken(TokenClaims claims) {
        sessions.create(new SessionRecord(claims.jwtId(), CUSTOMER, claims.issuedAt(), claims.expiresAt(), null,
                null, null, null, null));
        return signer.sign(claims);
    }

    private static TokenClaims claims(String jti, Instant iat, Instant nbf, Instant exp) {
        return new TokenClaims(PortalService.DEFAULT_ISSUER, PortalService.DEFAULT_AUDIENCE, "cus_1", "acme",
                iat, nbf, exp, jti, null);
    }

    @Test
    void controlFreshSessionAuthenticatesAsItsCustomer() {
        PortalSession session = newSession();

        PortalContext context = portal.authenticate(session.token());

        assertThat(context.sessionId()).isEqualTo(session.id());
        assertThat(context.customer().ref()).isEqualTo(CUSTOMER);
        assertThat(context.expiresAt()).isEqualTo(START.plus(PortalService.DEFAULT_SESSION_TTL));
    }

    @Test
    void tokenForAnotherAudienceIsRejected() {
        PortalService otherAudience = portal.toBuilder().audience("another-portal").build();
        String token = newSession().token();

        assertPortalError(() -> otherAudience.authenticate(token), ErrorCode.UNAUTHORIZED, "invalid_token");
        assertThat(portal.authenticate(token).customer().ref()).isEqualTo(CUSTOMER);
    }

    @Test
    void tokenOfAnotherIssuerIsRejected() {
        PortalService otherIssuer = portal.toBuilder().issuer("another-issuer").build();
        // same key ring and session store: only iss differs
        String token = otherIssuer.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")).token();
        assertThat(otherIssuer.authenticate(token).customer().ref()).isEqualTo(CUSTOMER);

        assertPortalError(() -> portal.authenticate(token), ErrorCode.UNAUTHORIZED, "invalid_token");
    }

    @Test
    void expiredTokenIsStillAcceptedWithinTheDefaultSkew() {
        PortalSession session = newSession();

        clock.set(session.expiresAt().plusSeconds(59));

        assertThat(portal.authenticate(session.token()).sessionId()).isEqualTo(session.id());
    }

    @Test
    void expiredTokenIsRejectedAsExpiredOnceTheSkewHasPassed() {
        PortalSession session = newSession();
        assertThat(PortalService.DEFAULT_CLOCK_SKEW).isEqualTo(Duration.ofSeconds(60));

        clock.set(session.expiresAt().plusSeconds(60));

        assertPortalError(() -> portal.authenticate(session.token()), ErrorCode.TOKEN_EXPIRED, "token_expired");
    }

    @Test
    void withoutSkewTokenExpiresExactlyAtExp() {
        PortalService strict = portal.toBuilder().clockSkew(Duration.ZERO).build();
        PortalSession session = newSession();

        clock.set(session.expiresAt().minusMillis(1));
        assertThat(strict.authenticate(session.token()).sessionId()).isEqualTo(session.id());
        clock.set(session.expiresAt());
        assertPortalError(() -> strict.authenticate(session.token()), ErrorCode.TOKEN_EXPIRED, "token_expired");
    }

    @Test
    void notBeforeBeyondTheSkewIsRejectedUntilTheClockCatchesUp() {
        String token = storedSessionToken(claims("ps_future", START, START.plusSeconds(61), START.plusSeconds(3600)));

        assertPortalError(() -> portal.authenticate(token), ErrorCode.UNAUTHORIZED, "invalid_token");

        clock.advance(Duration.ofSeconds(1));
        assertThat(portal.authenticate(token).sessionId()).isEqualTo("ps_future");
    }

    @Test
    void notBeforeWithinTheSkewIsAccepted() {
        String token = storedSessionToken(claims("ps_soon", START, START.plusSeconds(60), START.plusSeconds(3600)));

        assertThat(portal.authenticate(token).sessionId()).isEqualTo("ps_soon");
    }

    @Test
    void issuedAtBeyondTheSkewInTheFutureIsRejected() {
        Instant iat = START.plus(Duration.ofMinutes(5));
        String token = storedSessionToken(claims("ps_iat", iat, START, iat.plusSeconds(3600)));

        assertPortalError(() -> portal.authenticate(token), ErrorCode.UNAUTHORIZED, "invalid_token");
    }

    @Test
    void lifetimeBeyondTheConfiguredSessionTtlIsRejected() {
        PortalService oneHour = portal.toBuilder().sessionTtl(Duration.ofHours(1)).build();
        String tooLong = storedSessionToken(claims("ps_long", START, START, START.plus(Duration.ofHours(1)).plusSeconds(1)));
        String exact = storedSessionToken(claims("ps_exact", START, START, START.plus(Duration.ofHours(1))));

        assertPortalError(() -> oneHour.authenticate(tooLong), ErrorCode.UNAUTHORIZED, "invalid_token");
        assertThat(oneHour.authenticate(exact).sessionId()).isEqualTo("ps_exact");
        // the default 12 h service accepts the same longer token: the configured TTL is what rejected it
        assertThat(portal.authenticate(tooLong).sessionId()).isEqualTo("ps_long");
    }

    @Test
    void expiryNotAfterIssueIsRejected() {
        // SessionRecord refuses such a session, so store a sane one under the same id
        sessions.create(new SessionRecord("ps_zero", CUSTOMER, START, START.plusSeconds(60), null, null, null,
                null, null));
        String token = signer.sign(claims("ps_zero", START, START, START));

        assertPortalError(() -> portal.authenticate(token), ErrorCode.UNAUTHORIZED, "invalid_token");
    }

    @Test
    void revokedSessionIsRejectedOnTheVeryNextAuthenticate() {
        PortalSession session = newSession();
        assertThat(portal.authenticate(session.token()).sessionId()).isEqualTo(session.id());

        assertThat(portal.revokeSession(session.id())).isTrue();

        assertPortalError(() -> portal.authenticate(session.token()), ErrorCode.UNAUTHORIZED, "session_revoked");
    }

    @Test
    void revokingAllOfTheCustomersSessionsRejectsEachOfTheirTokens() {
        PortalSession first = newSession();
        PortalSession second = newSession();

        assertThat(portal.revokeAllSessions(CUSTOMER)).isEqualTo(2);

        assertPortalError(() -> portal.authenticate(first.token()), ErrorCode.UNAUTHORIZED, "session_revoked");
        assertPortalError(() -> portal.authenticate(second.token()), ErrorCode.UNAUTHORIZED, "session_revoked");
    }

    @Test
    void correctlySignedTokenOfAnUnknownSessionIsRejected() {
        String token = signer.sign(claims("ps_never_stored", START, START, START.plusSeconds(3600)));

        assertPortalError(() -> portal.authenticate(token), ErrorCode.UNAUTHORIZED, "invalid_token");
    }

    @Test
    void tokenSignedWithAnotherSecretUnderTheSameKidIsRejected() {
        JwtTokenSigner forger = JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("k1")));
        TokenClaims claims = claims("ps_forged", START, START, START.plusSeconds(3600));
        storedSessionToken(claims);
        String forged = forger.sign(claims);

        assertPortalError(() -> portal.authenticate(forged), ErrorCode.UNAUTHORIZED, "invalid_token");
        assertThat(portal.authenticate(signer.sign(claims)).sessionId()).isEqualTo("ps_forged");
    }

    @Test
    void missingTokenIsRejectedAsMissing() {
        assertPortalError(() -> portal.authenticate(null), ErrorCode.UNAUTHORIZED, "missing_token");
        assertPortalError(() -> portal.authenticate(""), ErrorCode.UNAUTHORIZED, "missing_token");
    }
}
