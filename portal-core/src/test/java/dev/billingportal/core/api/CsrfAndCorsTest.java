package dev.billingportal.core.api;

import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.domain.Customer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why cross-site request forgery has nothing to ride on: the portal authenticates only with an explicit
 * {@code Authorization} header, never with cookies a browser would attach on its own, and never grants
 * cross-origin access, so another site's script cannot send that header either.
 */
class CsrfAndCorsTest {
    private final TestPortal t = new TestPortal();
    private final PortalApi api = PortalApi.of(t.service);
    private String token;

    @BeforeEach
    void seed() {
        Customer customer = t.customer("cus_1");
        token = t.service.createSession(SessionRequest.forCustomer(customer.externalId())).token();
    }

    @Test
    void credentialsInCookiesOrTheQueryAuthenticateNothing() {
        for (String path : List.of("/portal/api/customer", "/portal/api/overview", "/portal/api/invoices",
                "/portal/api/config", "/portal/api/invoices?token=" + token, "/portal/api/overview?access_token=" + token)) {
            PortalResponse response = api.handle(PortalRequest.get(path, Map.of(
                    "Cookie", List.of("token=" + token + "; session=" + token),
                    "Origin", List.of("https://evil.example"))));
            assertThat(response.status()).as(path).isEqualTo(401);
        }
        // The same request with the header is accepted: the refusal above is about where the token was.
        assertThat(api.handle(PortalRequest.get("/portal/api/overview",
                Map.of("Authorization", List.of("Bearer " + token)))).status()).isEqualTo(200);
    }

    @Test
    void noResponseGrantsCrossOriginAccessOrSetsCookies() {
        Map<String, List<String>> hostile = Map.of("Authorization", List.of("Bearer " + token),
                "Origin", List.of("https://evil.example"),
                "Access-Control-Request-Method", List.of("GET"),
                "Access-Control-Request-Headers", List.of("authorization"));
        for (String method : List.of("GET", "OPTIONS", "POST", "HEAD")) {
            for (String path : List.of("/portal/api/overview", "/portal/api/invoices", "/portal/", "/portal/api/messages")) {
                PortalResponse response = api.handle(PortalRequest.of(method, path, null, hostile));
                assertThat(response.headers().keySet()).as(method + " " + path)
                        .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"))
                        .noneMatch(name -> name.equalsIgnoreCase("Set-Cookie"));
            }
        }
        PortalResponse preflight = api.handle(PortalRequest.of("OPTIONS", "/portal/api/overview", null, hostile));
        assertThat(preflight.status()).isEqualTo(405);
    }
}
