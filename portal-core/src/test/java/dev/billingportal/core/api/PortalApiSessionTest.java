package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static dev.billingportal.core.invoices.InvoiceStatus.FINALIZED;
import static dev.billingportal.core.invoices.PaymentStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /portal/api/session}: a link's token for a session's, and the client information it records. */
class PortalApiSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";

    private static PortalRequest request(String method, String pathAndQuery, String bearer, String userAgent) {
        int q = pathAndQuery.indexOf('?');
        Map<String, List<String>> headers = new java.util.HashMap<>();
        if (bearer != null) {
            headers.put("Authorization", List.of("Bearer " + bearer));
        }
        if (userAgent != null) {
            headers.put("User-Agent", List.of(userAgent));
        }
        return new PortalRequest(method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
                q < 0 ? null : pathAndQuery.substring(q + 1), headers, null, "198.51.100.23");
    }

    private static JsonNode body(PortalResponse response) throws Exception {
        return JSON.readTree(response.bodyAsString());
    }

    private static void assertError(PortalResponse response, int status, String code) throws Exception {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/json");
        JsonNode body = body(response);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(response.header("Cache-Control")).contains("no-store");
    }

    @Test
    @DisplayName("one-time link: 201 with a new token, its cap and idle timeout; that token reads the API, the link's does not")
    void oneTimeLinkIsExchangedOnce() throws Exception {
        TestPortal t = TestPortal.oneTime();
        PortalApi api = PortalApi.of(t.service);
        Customer alice = t.customer("alice");
        String link = t.service.createSession(SessionRequest.forCustomer(alice.ref())).token();

        PortalResponse exchanged = api.handle(request("POST", "/portal/api/session", link, CHROME));

        assertThat(exchanged.status()).as(exchanged.bodyAsString()).isEqualTo(201);
        assertThat(exchanged.header("Cache-Control")).contains("no-store");
        assertThat(exchanged.header("Content-Type")).contains("application/json");
        assertThat(exchanged.header("Referrer-Policy")).contains("no-referrer");
        JsonNode session = body(exchanged).get("session");
        assertThat(session.size()).isEqualTo(3);
        String token = session.get("token").asText();
        assertThat(token).isNotEqualTo(link).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(session.get("expires_at").asText()).isEqualTo(TestPortal.NOW.plus(PortalService.DEFAULT_SESSION_TTL).toString());
        assertThat(session.get("idle_timeout_seconds").asLong()).isEqualTo(1800);

        assertThat(api.handle(request("GET", "/portal/api/overview", token, CHROME)).status()).isEqualTo(200);
        assertError(api.handle(request("GET", "/portal/api/overview", link, CHROME)), 401, "exchange_required");
        PortalResponse replay = api.handle(request("POST", "/portal/api/session", link, "curl/8.5.0"));
        assertError(replay, 401, "link_already_used");
        assertThat(replay.header("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        assertThat(replay.bodyAsString()).doesNotContain(link);
        assertError(api.handle(request("POST", "/portal/api/session", token, CHROME)), 401, "invalid_token");

        List<AuditEvent> events = t.audit.find(alice.ref(), Instant.EPOCH, 100);
        assertThat(events).extracting(AuditEvent::type).containsExactly(AuditEventType.SESSION_CREATED,
                AuditEventType.SESSION_EXCHANGED, AuditEventType.LINK_REPLAY_REFUSED);
        assertThat(events.get(1).client()).isEqualTo(ClientInfo.of("198.51.100.23", CHROME));
        assertThat(events.get(2).client()).isEqualTo(ClientInfo.of("198.51.100.23", "curl/8.5.0"));
    }

    @Test
    @DisplayName("reusable link: 200 with the link's own token, as often as asked, so the page can always call it")
    void reusableLinkAnswersWithItself() throws Exception {
        TestPortal t = new TestPortal();
        PortalApi api = PortalApi.of(t.service);
        Customer alice = t.customer("alice");
        var link = t.service.createSession(SessionRequest.forCustomer(alice.ref()));

        for (int i = 0; i < 2; i++) {
            PortalResponse response = api.handle(request("POST", "/portal/api/session", link.token(), CHROME));
            assertThat(response.status()).isEqualTo(200);
            JsonNode session = body(response).get("session");
            assertThat(session.get("token").asText()).isEqualTo(link.token());
            assertThat(session.get("expires_at").asText()).isEqualTo(link.expiresAt().toString());
            assertThat(session.get("idle_timeout_seconds").isNull()).isTrue();
        }
    }

    @Test
    @DisplayName("errors in Lago's shape: no or bad Authorization, expired, revoked; other methods are 405 allowing POST")
    void errors() throws Exception {
        TestPortal t = TestPortal.oneTime();
        PortalApi api = PortalApi.of(t.service);
        Customer alice = t.customer("alice");
        String expiring = t.service.createSession(SessionRequest.forCustomer(alice.ref()).ttl(Duration.ofMinutes(1))).token();
        var revoked = t.service.createSession(SessionRequest.forCustomer(alice.ref()));
        t.service.revokeSession(revoked.id());

        assertError(api.handle(request("POST", "/portal/api/session", null, CHROME)), 401, "missing_authorization");
        assertError(api.handle(request("POST", "/portal/api/session", "", CHROME)), 401, "invalid_authorization");
        assertError(api.handle(request("POST", "/portal/api/session", "not.a.token", CHROME)), 401, "invalid_token");
        assertError(api.handle(request("POST", "/portal/api/session", revoked.token(), CHROME)), 401, "session_revoked");
        assertError(api.handle(request("POST", "/portal/api/session?locale=xx-invalid-", revoked.token(), CHROME)), 422,
                "validation_errors");
        t.clock.advance(Duration.ofMinutes(3));
        assertError(api.handle(request("POST", "/portal/api/session", expiring, CHROME)), 401, "token_expired");
        for (String method : List.of("GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "post")) {
            PortalResponse response = api.handle(request(method, "/portal/api/session", expiring, CHROME));
            if (method.equals("HEAD")) {
                // a HEAD answer has no body, errors included (PortalApi.withoutBodyForHead)
                assertThat(response.status()).isEqualTo(405);
                assertThat(response.body().toByteArray()).isEmpty();
            } else {
                assertError(response, 405, "method_not_allowed");
            }
            assertThat(response.header("Allow")).contains("POST");
        }
        assertError(api.handle(request("POST", "/portal/api/overview", expiring, CHROME)), 405, "method_not_allowed");
        assertError(api.handle(request("POST", "/portal/api/session/extra", expiring, CHROME)), 404, "route_not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{\"token\":\"x\"}", "garbage \u0000 bytes"})
    @DisplayName("the body of the exchange is ignored: only the Authorization header counts")
    void bodyIsIgnored(String sent) throws Exception {
        TestPortal t = TestPortal.oneTime();
        PortalApi api = PortalApi.of(t.service);
        String link = t.service.createSession(SessionRequest.forCustomer(t.customer("alice").ref())).token();

        PortalResponse response = api.handle(new PortalRequest("POST", "/portal/api/session", null,
                Map.of("Authorization", List.of("Bearer " + link)), sent.getBytes(StandardCharsets.UTF_8)));

        assertThat(response.status()).isEqualTo(201);
        assertThat(body(response).get("session").get("token").asText()).isNotEqualTo(link);
    }

    @Test
    @DisplayName("a download records the request's address and user agent, cleaned")
    void downloadRecordsTheClient() {
        TestPortal t = new TestPortal();
        PortalApi api = PortalApi.of(t.service);
        Customer alice = t.customer("alice");
        LocalDate today = LocalDate.of(2026, 11, 21);
        t.documents.put(t.invoice(alice, "inv-1", today, today.plusDays(30), 100_00, "EUR", FINALIZED, PENDING),
                InvoiceDocument.bytes("INV-1.pdf", "application/pdf", new byte[] {1}));
        String token = t.service.createSession(SessionRequest.forCustomer(alice.ref())).token();

        PortalResponse response = api.handle(request("GET", "/portal/api/invoices/inv-1/download", token,
                "Evil\r\nX-Injected: 1 " + "A".repeat(1000)));

        assertThat(response.status()).isEqualTo(200);
        AuditEvent download = t.audit.find(alice.ref(), Instant.EPOCH, 10).get(1);
        assertThat(download.type()).isEqualTo(AuditEventType.INVOICE_DOWNLOADED);
        assertThat(download.invoiceId()).isEqualTo("inv-1");
        assertThat(download.clientAddress()).isEqualTo("198.51.100.23");
        assertThat(download.userAgent()).startsWith("Evil\ufffd\ufffdX-Injected: 1 AAA").hasSize(ClientInfo.MAX_USER_AGENT_LENGTH);
    }

    @Test
    @DisplayName("PortalRequest carries the client address; its toString never shows it or the headers")
    void requestCarriesTheClientAddress() {
        PortalRequest plain = PortalRequest.get("/portal/api/config", Map.of("User-Agent", List.of("ua/1")));
        PortalRequest located = plain.withClientAddress("192.0.2.1");

        assertThat(plain.clientAddress()).isNull();
        assertThat(plain.client()).isEqualTo(ClientInfo.of(null, "ua/1"));
        assertThat(located.client()).isEqualTo(ClientInfo.of("192.0.2.1", "ua/1"));
        assertThat(located.rawPath()).isEqualTo("/portal/api/config");
        assertThat(located.toString()).doesNotContain("192.0.2.1").doesNotContain("ua/1");
    }
}
