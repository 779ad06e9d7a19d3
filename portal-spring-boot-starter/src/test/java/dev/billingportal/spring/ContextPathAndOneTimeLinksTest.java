package dev.billingportal.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app deployed under a context path with the portal at a path of its own and one-time links: the servlet
 * sees paths below the context path, and the page's POST exchange goes through it once.
 */
@SpringBootTest(classes = SampleHostApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.servlet.context-path=/shop",
        "spring.datasource.url=jdbc:h2:mem:boot-context-path-test;DB_CLOSE_DELAY=-1",
        "billing-portal.path=/billing",
        "billing-portal.portal-url=https://shop.example.com/shop/billing/",
        "billing-portal.signing.secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "billing-portal.link-mode=one-time"})
class ContextPathAndOneTimeLinksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    PortalService portal;
    @Autowired
    CustomerRepository customers;

    private HttpResponse<String> send(String method, String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aOneTimeLinkIsExchangedOnceBelowTheContextPath() throws Exception {
        if (customers.findByExternalId(CustomerRef.of("ext-ctx")).isEmpty()) {
            customers.save(TestData.customer(CustomerRef.DEFAULT_TENANT, "ctx"));
        }
        URI link = portal.createSession(SessionRequest.forCustomer("ext-ctx")).url();
        assertThat(link.getPath()).isEqualTo("/shop/billing/");
        String linkToken = link.getRawQuery().substring("token=".length());

        assertThat(send("GET", "/shop/billing/?token=" + linkToken, null).statusCode()).as("the page").isEqualTo(200);
        HttpResponse<String> first = send("POST", "/shop/billing/api/session", linkToken);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        String sessionToken = JSON.readTree(first.body()).get("session").get("token").asText();
        HttpResponse<String> second = send("POST", "/shop/billing/api/session", linkToken);
        assertThat(second.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(second.body()).get("code").asText()).isEqualTo("link_already_used");

        HttpResponse<String> invoices = send("GET", "/shop/billing/api/invoices", sessionToken);
        assertThat(invoices.statusCode()).as(invoices.body()).isEqualTo(200);
        assertThat(send("GET", "/billing/api/invoices", sessionToken).statusCode()).as("outside the context path").isEqualTo(404);
    }
}
