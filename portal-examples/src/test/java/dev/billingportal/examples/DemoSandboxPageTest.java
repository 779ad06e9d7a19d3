package dev.billingportal.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.payments.PaymentMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's sandbox payment page over real HTTP: marked as a sandbox, no card field, strict headers, 404 for an
 * unknown or finished session, and its buttons answering a 303 to the portal's own page with a working return link.
 */
class DemoSandboxPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static DemoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = DemoServer.start(new DemoConfig(0, "test_demo_api_key_42", false).withOneTimeLinks(true), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.baseUrl().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A session token as the page holds it (the demo here mints one-time links). */
    private static String session() throws Exception {
        String link = server.createSession(DemoData.DEMO_CUSTOMER).token();
        HttpResponse<String> exchanged = send("POST", "/portal/api/session", link, null);
        assertThat(exchanged.statusCode()).isEqualTo(201);
        return JSON.readTree(exchanged.body()).get("session").get("token").asText();
    }

    private static String pathOf(String url) {
        URI uri = URI.create(url);
        assertThat(uri.getScheme() + "://" + uri.getAuthority()).isEqualTo(server.baseUrl().toString());
        return uri.getRawPath();
    }

    private static String tokenOf(String location) {
        String query = URI.create(location).getRawQuery();
        return query.substring(query.indexOf("token=") + "token=".length());
    }

    @Test
    @DisplayName("setup: a page marked as a sandbox, without card fields, strict headers; complete comes back with a token")
    void setupCompletes() throws Exception {
        String token = session();
        int before = server.paymentMethodProvider().paymentMethods(CustomerScope.of(DemoData.demoCustomer())).size();
        JsonNode setup = JSON.readTree(send("POST", "/portal/api/payment_methods/setup", token, "{}").body()).get("setup");
        String page = pathOf(setup.get("redirect_url").asText());
        assertThat(page).startsWith("/billing-sandbox/setup/");

        HttpResponse<String> shown = send("GET", page, null, null);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("Sandbox — no real card, no real money").contains("method=\"post\"")
                .doesNotContain("<input").doesNotContainIgnoringCase("card number").doesNotContain("<script");
        assertThat(shown.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'").contains("form-action 'self'").contains("frame-ancestors 'none'");
        assertThat(shown.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(shown.headers().firstValue("X-Content-Type-Options")).contains("nosniff");

        HttpResponse<String> done = send("POST", page + "/complete", null, "");
        assertThat(done.statusCode()).isEqualTo(303);
        String location = done.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(server.baseUrl() + "/portal/?setup=complete&token=");
        assertThat(done.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(server.paymentMethodProvider().paymentMethods(CustomerScope.of(DemoData.demoCustomer())))
                .hasSize(before + 1);

        // the token resumes the session once
        HttpResponse<String> resumed = send("POST", "/portal/api/session", tokenOf(location), null);
        assertThat(resumed.statusCode()).isEqualTo(201);
        String again = JSON.readTree(resumed.body()).get("session").get("token").asText();
        assertThat(send("GET", "/portal/api/payment_methods", again, null).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/portal/api/session", tokenOf(location), null).statusCode()).isEqualTo(401);

        // finished: 404, and so is any unknown id or path
        assertThat(send("GET", page, null, null).statusCode()).isEqualTo(404);
        assertThat(send("POST", page + "/complete", null, "").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/billing-sandbox/setup/seti_unknown", null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/billing-sandbox/pay/cs_unknown", null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/billing-sandbox/setup/../../portal/", null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/billing-sandbox/", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("setup: cancel comes back with setup=canceled and adds nothing; GET on a button is 405, a foreign Origin 403")
    void setupCancels() throws Exception {
        String token = session();
        List<PaymentMethod> before = server.paymentMethodProvider().paymentMethods(CustomerScope.of(DemoData.demoCustomer()));
        String page = pathOf(JSON.readTree(send("POST", "/portal/api/payment_methods/setup", token, "{}").body())
                .get("setup").get("redirect_url").asText());
        assertThat(send("GET", page + "/complete", null, null).statusCode()).isEqualTo(405);
        HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(server.baseUrl().resolve(page + "/complete"))
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        HttpResponse<String> canceled = send("POST", page + "/cancel", null, "");
        assertThat(canceled.statusCode()).isEqualTo(303);
        assertThat(canceled.headers().firstValue("Location").orElseThrow())
                .startsWith(server.baseUrl() + "/portal/?setup=canceled&token=");
        assertThat(server.paymentMethodProvider().paymentMethods(CustomerScope.of(DemoData.demoCustomer())))
                .isEqualTo(before);
    }

    @Test
    @DisplayName("pay: the page names the invoice and amount; complete charges once and the invoice shows paid")
    void payCompletes() throws Exception {
        String token = session();
        CustomerScope demo = CustomerScope.of(DemoData.demoCustomer());
        for (PaymentMethod m : server.paymentMethodProvider().paymentMethods(demo)) {
            server.paymentMethodProvider().remove(demo, m.id()); // no default method: the hosted payment page
        }
        String invoice = "inv_demo_004"; // failed, overdue
        JsonNode payment = JSON.readTree(send("POST", "/portal/api/invoices/" + invoice + "/pay", token, "{}").body())
                .get("payment");
        assertThat(payment.get("status").asText()).isEqualTo("redirect");
        String page = pathOf(payment.get("redirect_url").asText());
        assertThat(page).startsWith("/billing-sandbox/pay/");
        HttpResponse<String> shown = send("GET", page, null, null);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("Sandbox — no real card, no real money").contains("NORD-")
                .doesNotContain("<input");
        int charges = server.paymentMethodProvider().charges().size();
        HttpResponse<String> done = send("POST", page + "/complete", null, "");
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location").orElseThrow())
                .startsWith(server.baseUrl() + "/portal/?payment=complete&invoice=" + invoice + "&token=");
        assertThat(server.paymentMethodProvider().charges()).hasSize(charges + 1);
        JsonNode paid = JSON.readTree(send("GET", "/portal/api/invoices/" + invoice, token, null).body());
        assertThat(paid.toString()).contains("\"payment_status\":\"succeeded\"");
        assertThat(send("POST", page + "/complete", null, "").statusCode()).isEqualTo(404);
    }
}
