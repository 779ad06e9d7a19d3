package dev.billingportal.examples.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.PortalService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample as its README section uses it: ask Lago's endpoint for a link, open it, read the invoices. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    PortalService portal;

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLinkFromLagosEndpointOpensTheSampleCustomersInvoices() throws Exception {
        HttpResponse<String> link = get("/api/v1/customers/" + SampleData.CUSTOMER + "/portal_url", "sample-api-key-change-me");
        assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
        URI url = URI.create(JSON.readTree(link.body()).get("customer").get("portal_url").asText());
        assertThat(url.getPath()).isEqualTo("/portal/");
        String token = url.getRawQuery().substring("token=".length());

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/portal/?token=" + token))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();

        JsonNode invoices = JSON.readTree(get("/portal/api/invoices", token).body()).get("invoices");
        assertThat(invoices).hasSize(12);
        assertThat(invoices.get(0).get("number").asText()).startsWith("SMP-");
    }

    @Test
    void theBillingPageSendsTheSignedInUserToTheirPortalAndNobodyElse() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/billing"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        ResponseEntity<Void> signedIn = new BillingController(portal).billing(() -> SampleData.CUSTOMER);
        assertThat(signedIn.getStatusCode().value()).isEqualTo(302);
        URI location = signedIn.getHeaders().getLocation();
        assertThat(location.toString()).startsWith(portal.portalUrl() + "?token=");
        String token = location.getRawQuery().substring("token=".length());
        assertThat(portal.authenticate(token).customer().externalId()).isEqualTo(SampleData.CUSTOMER);
    }
}
