package dev.billingportal.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The starter in a running Spring Boot application on embedded Tomcat, over real HTTP: the app declares nothing
 * but a DataSource (from properties) and the billing-portal.* settings.
 */
@SpringBootTest(classes = SampleHostApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:boot-http-test;DB_CLOSE_DELAY=-1",
        // The port is random, so the links' origin is a placeholder; tests put the real port in (see local()).
        "billing-portal.portal-url=http://portal.invalid/portal/",
        "billing-portal.signing.secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "billing-portal.lago.api-key=" + BillingPortalHttpTest.API_KEY,
        "billing-portal.frame-ancestors=https://app.example.com"})
class BillingPortalHttpTest {
    static final String API_KEY = "spring-boot-test-api-key";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    CustomerRepository customers;
    @Autowired
    InvoiceRepository invoices;
    @Autowired
    AuditTrail audit;

    @BeforeEach
    void seedOnce() {
        if (customers.findByExternalId(CustomerRef.of("ext-acme")).isPresent()) {
            return;
        }
        Customer acme = TestData.customer(CustomerRef.DEFAULT_TENANT, "acme");
        customers.save(acme);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int i = 0; i < 3; i++) {
            invoices.save(TestData.invoice(acme, "acme-" + i, today.minusDays(5L * i + 1)).number("ACME-00" + i)
                    .paymentStatus(i == 0 ? PaymentStatus.SUCCEEDED : PaymentStatus.PENDING).build());
        }
    }

    private URI local(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private HttpResponse<String> get(String pathAndQuery, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(local(pathAndQuery));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A link from Lago's endpoint, pointed at this server's random port. */
    private URI link() throws Exception {
        HttpResponse<String> response = get("/api/v1/customers/ext-acme/portal_url", API_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        URI link = URI.create(JSON.readTree(response.body()).get("customer").get("portal_url").asText());
        assertThat(link.getHost()).isEqualTo("portal.invalid");
        return local(link.getRawPath() + "?" + link.getRawQuery());
    }

    private static String tokenOf(URI link) {
        return link.getRawQuery().substring("token=".length());
    }

    @Test
    void lagosEndpointMintsLinksAndAudits() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        URI link = link();
        assertThat(link.getRawPath()).isEqualTo("/portal/");
        assertThat(audit.find(CustomerRef.of("ext-acme"), before, 50)).extracting(event -> event.type())
                .contains(AuditEventType.SESSION_CREATED);
        HttpResponse<String> noKey = get("/api/v1/customers/ext-acme/portal_url", null);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.body()).isEqualTo("{\"status\":401,\"error\":\"Unauthorized\"}");
    }

    @Test
    void thePageIsServedWithItsSecurityHeaders() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(link()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("frame-ancestors https://app.example.com"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("id=\"invoice-rows\"");
    }

    @Test
    void theApiAnswersFromTheApplicationsDatabase() throws Exception {
        String token = tokenOf(link());
        HttpResponse<String> response = get("/portal/api/invoices", token);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode invoices = JSON.readTree(response.body()).get("invoices");
        assertThat(invoices).hasSize(3);
        assertThat(invoices.get(0).get("number").asText()).isEqualTo("ACME-000");
        JsonNode paid = JSON.readTree(get("/portal/api/invoices?payment_status=succeeded", token).body()).get("invoices");
        assertThat(paid).hasSize(1);

        HttpResponse<String> anonymous = get("/portal/api/invoices", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(anonymous.body()).get("code").asText()).isEqualTo("missing_authorization");
    }

    @Test
    void theHostsOwnControllersStillAnswer() throws Exception {
        HttpResponse<String> hello = get("/hello", null);
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hello from the host");
    }

    @Test
    void aBrowserOpensTheLinkAndSeesTheInvoices() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Chromium is missing at " + CHROMIUM + ": `apt-get update && apt-get install -y chromium`");
        }
        URI link = link();
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                     .setHeadless(true).setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                             "--no-first-run", "--disable-background-networking", "--disable-component-update",
                             "--disable-sync")))) {
            Page page = browser.newContext(new Browser.NewContextOptions().setLocale("en-US")).newPage();
            page.setDefaultTimeout(15_000);
            page.navigate(link.toString());
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#invoice-rows td.number"))
                    .hasText(new String[] {"ACME-000", "ACME-001", "ACME-002"});
        }
    }
}
