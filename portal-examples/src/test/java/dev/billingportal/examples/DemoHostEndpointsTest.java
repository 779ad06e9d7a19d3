package dev.billingportal.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.session.PortalContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's Flexprice endpoint and its Stripe-style {@code /billing/portal} redirect behind the demo sign-in, over real HTTP. */
class DemoHostEndpointsTest {
    private static final String API_KEY = "test_demo_api_key_42";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private static DemoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = DemoServer.start(new DemoConfig(0, API_KEY, false), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.baseUrl().resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void assertFlexpriceError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.size()).isEqualTo(3);
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.get("http_status_code").asInt()).isEqualTo(status);
    }

    private static void assertRedirectError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.headers().firstValue("Location")).isEmpty();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.get("error").get("code").asText()).isEqualTo(code);
        assertThat(body.get("error").get("message").asText()).isNotBlank();
    }

    @Test
    void flexpricesEndpointTakesTheSameApiKeyAsLagosAndItsTokenOpensThePortal() throws Exception {
        HttpResponse<String> ok = send("GET", "/v1/customers/portal/demo-customer", Map.of("x-api-key", API_KEY));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = JSON.readTree(ok.body());
        assertThat(body.properties()).extracting(Map.Entry::getKey).containsExactly("url", "token", "expires_at");
        String token = body.get("token").asText();
        assertThat(body.get("url").asText()).isEqualTo(server.baseUrl() + "/portal/?token=" + token);
        assertThat(body.get("expires_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        HttpResponse<String> customer = send("GET", "/portal/api/customer", Map.of("Authorization", "Bearer " + token));
        assertThat(JSON.readTree(customer.body()).get("customer").get("external_id").asText()).isEqualTo("demo-customer");

        assertThat(send("GET", "/api/v1/customers/demo-customer/portal_url", Map.of("Authorization", "Bearer " + API_KEY))
                .statusCode()).as("Lago's endpoint, same key").isEqualTo(200);
        assertThat(send("GET", "/v1/portal/demo-customer", Map.of("x-api-key", API_KEY)).statusCode())
                .as("the path of Flexprice's SDKs").isEqualTo(200);
    }

    @Test
    void flexpricesErrorsOverHttp() throws Exception {
        assertFlexpriceError(send("GET", "/v1/customers/portal/demo-customer", Map.of()), 401, "permission_denied");
        assertFlexpriceError(send("GET", "/v1/customers/portal/demo-customer", Map.of("x-api-key", "wrong_key_0123456789")),
                401, "permission_denied");
        assertFlexpriceError(send("GET", "/v1/customers/portal/demo-customer",
                Map.of("Authorization", "Bearer " + API_KEY)), 401, "permission_denied");
        assertFlexpriceError(send("GET", "/v1/customers/portal/nobody", Map.of("x-api-key", API_KEY)), 404, "not_found");
        assertFlexpriceError(send("GET", "/v1/customers/portal/%0A", Map.of("x-api-key", API_KEY)), 400, "validation_error");
        HttpResponse<String> post = send("POST", "/v1/customers/portal/demo-customer", Map.of("x-api-key", API_KEY));
        assertFlexpriceError(post, 405, "method_not_allowed");
        assertThat(post.headers().firstValue("Allow")).contains("GET");
        HttpResponse<String> head = send("HEAD", "/v1/customers/portal/demo-customer", Map.of("x-api-key", API_KEY));
        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void billingPortalRedirectsTheSignedInUserToAFreshPortalLinkWithTheReturnUrl() throws Exception {
        assertRedirectError(send("GET", "/billing/portal", Map.of()), 401, "UNAUTHORIZED");

        HttpResponse<String> signIn = send("GET", "/billing/sign-in?customer=demo-customer", Map.of());
        assertThat(signIn.statusCode()).isEqualTo(303);
        assertThat(signIn.headers().firstValue("Location")).contains("/billing/portal");
        String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(DemoSignIn.COOKIE + "=demo-customer.").contains("HttpOnly").contains("SameSite=Lax");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> redirect = send("GET", "/billing/portal", Map.of("Cookie", cookie));
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(redirect.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(server.baseUrl() + "/portal/?token=");
        PortalContext ctx = server.portal().authenticate(URI.create(location).getRawQuery().substring("token=".length()));
        assertThat(ctx.customer().ref()).isEqualTo(CustomerRef.of("demo-customer"));
        assertThat(ctx.returnUrl()).isEqualTo(server.baseUrl().resolve("/billing/"));

        HttpResponse<String> page = send("GET", "/portal/?token=" + URI.create(location).getRawQuery().substring(6), Map.of());
        assertThat(page.statusCode()).as("the link opens the portal page").isEqualTo(200);
        HttpResponse<String> account = send("GET", "/billing/", Map.of("Cookie", cookie));
        assertThat(account.statusCode()).isEqualTo(200);
        assertThat(account.body()).contains("signed in as demo-customer").contains("demo sign-in");
    }

    @Test
    void theDemoSignInCannotBeForgedOrUsedForAnotherCustomerOrTenant() throws Exception {
        String demoCookie = send("GET", "/billing/sign-in?customer=demo-customer", Map.of())
                .headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String mac = demoCookie.substring(demoCookie.lastIndexOf('.') + 1);
        assertRedirectError(send("GET", "/billing/portal", Map.of("Cookie", DemoSignIn.COOKIE + "=other-customer." + mac)),
                401, "UNAUTHORIZED");
        assertRedirectError(send("GET", "/billing/portal", Map.of("Cookie", DemoSignIn.COOKIE + "=demo-customer")),
                401, "UNAUTHORIZED");
        assertRedirectError(send("GET", "/billing/portal", Map.of("Cookie", DemoSignIn.COOKIE + "=demo-customer.AAAA")),
                401, "UNAUTHORIZED");
        for (String customer : new String[] {"nobody", "acme%2Fdemo-customer", ""}) {
            assertThat(send("GET", "/billing/sign-in?customer=" + customer, Map.of()).statusCode()).as(customer).isEqualTo(400);
        }

        String otherCookie = send("GET", "/billing/sign-in?customer=other-customer", Map.of())
                .headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String location = send("GET", "/billing/portal", Map.of("Cookie", "theme=dark; " + otherCookie))
                .headers().firstValue("Location").orElseThrow();
        assertThat(server.portal().authenticate(URI.create(location).getRawQuery().substring(6)).customer().ref())
                .isEqualTo(CustomerRef.of("other-customer"));
        HttpResponse<String> post = send("POST", "/billing/portal", Map.of("Cookie", otherCookie));
        assertRedirectError(post, 405, "METHOD_NOT_ALLOWED");
    }
}
