package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.SessionRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortalRedirectEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI BACK = URI.create("https://app.example.com/organization#/plans");

    private final TestPortal t = new TestPortal();
    private final CountingSessions sessions = new CountingSessions(t.sessions);
    private final PortalService portal = t.service.toBuilder().sessions(sessions).build();

    /** The host's sign-in in these tests: header {@code X-Test-User: tenant/customer}. */
    private static final Function<PortalRequest, Optional<CustomerRef>> SIGN_IN = request -> request.header("X-Test-User")
            .map(user -> CustomerRef.of(user.substring(0, user.indexOf('/')), user.substring(user.indexOf('/') + 1)));

    private final PortalRedirectEndpoint endpoint = PortalRedirectEndpoint.builder(portal).signedInCustomer(SIGN_IN)
            .returnUrl(BACK).build();

    @BeforeEach
    void seed() {
        t.customer("cus_1");
        t.customer("acme", "cus_acme", "UTC");
    }

    private static PortalRequest get(String path, String user) {
        return PortalRequest.get(path, user == null ? Map.of() : Map.of("X-Test-User", List.of(user)));
    }

    private static void assertError(PortalResponse response, int status, String code) throws Exception {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/json");
        assertThat(response.header("Location")).isEmpty();
        JsonNode body = JSON.readTree(response.bodyAsString());
        assertThat(body.size()).isEqualTo(1);
        JsonNode error = body.get("error");
        assertThat(error.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("code", "message");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    private String tokenOf(PortalResponse response) {
        return URI.create(response.header("Location").orElseThrow()).getRawQuery().substring("token=".length());
    }

    @Test
    void redirectsTheSignedInCustomerToAFreshPortalLinkWithTheReturnUrl() {
        PortalResponse response = endpoint.handle(get("/billing/portal", "default/cus_1"));
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).hasValueSatisfying(location ->
                assertThat(location).startsWith("https://billing.example.com/portal?token="));
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.header("Referrer-Policy")).contains("no-referrer");
        assertThat(response.body().length()).isZero();

        String token = tokenOf(response);
        PortalContext ctx = portal.authenticate(token);
        assertThat(ctx.customer().ref()).isEqualTo(CustomerRef.of("cus_1"));
        SessionRecord record = t.sessions.findById(ctx.sessionId()).orElseThrow();
        assertThat(record.returnUrl()).isEqualTo(BACK);

        PortalResponse again = endpoint.handle(get("/billing/portal", "default/cus_1"));
        assertThat(tokenOf(again)).as("a fresh link each time").isNotEqualTo(token);
        assertThat(sessions.creates).hasValue(2);
    }

    @Test
    void theSignInFunctionDecidesTheTenant() {
        PortalResponse response = endpoint.handle(get("/billing/portal", "acme/cus_acme"));
        assertThat(response.status()).isEqualTo(302);
        assertThat(portal.authenticate(tokenOf(response)).customer().ref()).isEqualTo(CustomerRef.of("acme", "cus_acme"));
    }

    @Test
    void nobodySignedInIs401Unauthorized() throws Exception {
        assertError(endpoint.handle(get("/billing/portal", null)), 401, "UNAUTHORIZED");
        PortalRedirectEndpoint refusing = PortalRedirectEndpoint.builder(portal).signedInCustomer(request -> {
            throw new PortalException(ErrorCode.UNAUTHORIZED, "session_expired", "signed out");
        }).build();
        assertError(refusing.handle(get("/billing/portal", "default/cus_1")), 401, "UNAUTHORIZED");
        assertThat(sessions.creates).hasValue(0);
    }

    @Test
    void anUnknownCustomerIs404AndABadSessionRequest400() throws Exception {
        assertError(endpoint.handle(get("/billing/portal", "default/nobody")), 404, "NOT_FOUND");
        assertError(endpoint.handle(get("/billing/portal", "acme/cus_1")), 404, "NOT_FOUND");

        PortalRedirectEndpoint unknownConfiguration = PortalRedirectEndpoint.builder(portal).signedInCustomer(SIGN_IN)
                .configuration("no-such-configuration").build();
        assertError(unknownConfiguration.handle(get("/billing/portal", "default/cus_1")), 400, "VALIDATION_ERROR");

        PortalRedirectEndpoint badReturn = PortalRedirectEndpoint.builder(portal).signedInCustomer(SIGN_IN)
                .returnUrl(request -> URI.create("javascript:alert(1)")).build();
        assertError(badReturn.handle(get("/billing/portal", "default/cus_1")), 400, "VALIDATION_ERROR");
        assertThat(sessions.creates).hasValue(0);
    }

    @Test
    void aThrowingSignInOrBrokenStorageIs500AndAFailingAuditTrail503() throws Exception {
        PortalRedirectEndpoint throwing = PortalRedirectEndpoint.builder(portal).signedInCustomer(request -> {
            throw new IllegalStateException("simulated sign-in bug");
        }).build();
        PortalResponse bug = throwing.handle(get("/billing/portal", "default/cus_1"));
        assertError(bug, 500, "INTERNAL_ERROR");
        assertThat(bug.bodyAsString()).doesNotContain("simulated");

        sessions.broken.set(true);
        assertError(endpoint.handle(get("/billing/portal", "default/cus_1")), 500, "INTERNAL_ERROR");
        sessions.broken.set(false);

        PortalService unaudited = portal.toBuilder().audit(new AuditTrail() {
            @Override
            public void record(AuditEvent event) {
                throw new IllegalStateException("simulated audit trail failure");
            }

            @Override
            public List<AuditEvent> find(CustomerRef customer, Instant since, int limit) {
                return List.of();
            }
        }).build();
        assertError(PortalRedirectEndpoint.builder(unaudited).signedInCustomer(SIGN_IN).build()
                .handle(get("/billing/portal", "default/cus_1")), 503, "SERVICE_UNAVAILABLE");
    }

    @Test
    void theErrorsOfTheReferenceHaveItsExactShapeCodesAndStatuses() throws Exception {
        String reference = Files.readString(SharedReference.require("stripe-style-portal-redirect.md"));
        // | `401` | `UNAUTHORIZED` | ... |
        Matcher rows = Pattern.compile("\\|\\s*`(\\d{3})`\\s*\\|\\s*`([A-Z_]+)`\\s*\\|").matcher(reference);
        Map<String, Integer> documented = new java.util.TreeMap<>();
        while (rows.find()) {
            documented.put(rows.group(2), Integer.parseInt(rows.group(1)));
        }
        assertThat(documented).containsOnlyKeys("UNAUTHORIZED", "VALIDATION_ERROR", "NOT_FOUND", "INTERNAL_ERROR");

        // The reference's example bodies: {"error":{"code":...,"message":...}}, nothing else.
        Matcher examples = Pattern.compile("```json[^\\n]*\\n\\s*(\\{.*?\\})\\s*```", Pattern.DOTALL).matcher(reference);
        int seen = 0;
        while (examples.find()) {
            JsonNode example = JSON.readTree(examples.group(1));
            assertThat(example.properties()).extracting(Map.Entry::getKey).containsExactly("error");
            assertThat(example.get("error").properties()).extracting(Map.Entry::getKey).containsExactly("code", "message");
            seen++;
        }
        assertThat(seen).as("example error bodies in the reference").isEqualTo(3);

        PortalRedirectEndpoint badConfiguration = PortalRedirectEndpoint.builder(portal).signedInCustomer(SIGN_IN)
                .configuration("no-such-configuration").build();
        assertError(endpoint.handle(get("/billing/portal", null)), documented.get("UNAUTHORIZED"), "UNAUTHORIZED");
        assertError(badConfiguration.handle(get("/billing/portal", "default/cus_1")), documented.get("VALIDATION_ERROR"),
                "VALIDATION_ERROR");
        assertError(endpoint.handle(get("/billing/portal", "default/nobody")), documented.get("NOT_FOUND"), "NOT_FOUND");
        sessions.broken.set(true);
        assertError(endpoint.handle(get("/billing/portal", "default/cus_1")), documented.get("INTERNAL_ERROR"),
                "INTERNAL_ERROR");
    }

    @Test
    void localeAndConfigurationReachTheSession() {
        PortalRedirectEndpoint french = PortalRedirectEndpoint.builder(portal).signedInCustomer(SIGN_IN)
                .locale(request -> Locale.FRENCH).build();
        PortalResponse response = french.handle(get("/billing/portal", "default/cus_1"));
        assertThat(response.status()).isEqualTo(302);
        PortalContext ctx = portal.authenticate(tokenOf(response));
        assertThat(t.sessions.findById(ctx.sessionId()).orElseThrow().locale()).isEqualTo(Locale.FRENCH);
        assertThat(t.sessions.findById(ctx.sessionId()).orElseThrow().returnUrl()).as("none configured").isNull();
    }

    @Test
    void otherPathsAre404OtherMethods405AndHeadHasNoBody() throws Exception {
        for (String path : List.of("/billing/portal/", "/billing/portalx", "/billing", "/")) {
            assertError(endpoint.handle(get(path, "default/cus_1")), 404, "NOT_FOUND");
        }
        for (String method : List.of("POST", "PUT", "DELETE", "get")) {
            PortalResponse response = endpoint.handle(PortalRequest.of(method, "/billing/portal", null,
                    Map.of("X-Test-User", List.of("default/cus_1"))));
            assertError(response, 405, "METHOD_NOT_ALLOWED");
            assertThat(response.header("Allow")).contains("GET");
        }
        PortalResponse head = endpoint.handle(PortalRequest.of("HEAD", "/billing/portal", null, Map.of()));
        assertThat(head.status()).isEqualTo(405);
        assertThat(head.body().length()).isZero();
        assertThat(sessions.creates).hasValue(0);
        PortalRedirectEndpoint mounted = PortalRedirectEndpoint.builder(portal).signedInCustomer(SIGN_IN)
                .path("/account/billing").build();
        assertThat(mounted.path()).isEqualTo("/account/billing");
        assertThat(mounted.handle(get("/account/billing", "default/cus_1")).status()).isEqualTo(302);
    }

    @Test
    void settingsFailFastNamingTheSetting() {
        assertThatThrownBy(() -> PortalRedirectEndpoint.builder(portal).build())
                .hasMessageContaining("PortalRedirectEndpoint.signedInCustomer");
        assertThatThrownBy(() -> PortalRedirectEndpoint.builder(portal).returnUrl(URI.create("/relative")))
                .hasMessageContaining("PortalRedirectEndpoint.returnUrl");
        assertThatThrownBy(() -> PortalRedirectEndpoint.builder(portal).path("billing"))
                .hasMessageContaining("PortalRedirectEndpoint.path");
    }
}
