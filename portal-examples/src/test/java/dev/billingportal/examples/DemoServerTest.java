package dev.billingportal.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.httpserver.PortalHttpHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo host app over real HTTP: Lago's portal_url endpoint and the portal API behind its links. */
class DemoServerTest {
    private static final String API_KEY = "test_demo_api_key_42";
    private static final String PORTAL_URL_PATH = "/customers/{external_customer_id}/portal_url";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DemoServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = DemoServer.start(new DemoConfig(0, API_KEY, false), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.baseUrl().resolve(path)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String tokenOf(String portalUrl) {
        String query = URI.create(portalUrl).getRawQuery();
        assertThat(query).startsWith("token=");
        return query.substring("token=".length());
    }

    @Test
    void portalUrlEndpointAnswersLikeLagoAndValidatesAgainstItsSpec() throws Exception {
        LagoOpenApi spec = LagoOpenApi.load();

        HttpResponse<String> ok = get("/api/v1/customers/demo-customer/portal_url", API_KEY);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(LagoOpenApi.violations(spec.responseSchema(PORTAL_URL_PATH, "get", 200), ok.body())).isEmpty();

        HttpResponse<String> unauthorized = get("/api/v1/customers/demo-customer/portal_url", "wrong-key-0000000000");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(JSON.readTree(unauthorized.body())).isEqualTo(JSON.readTree("{\"status\":401,\"error\":\"Unauthorized\"}"));
        assertThat(LagoOpenApi.violations(spec.responseSchema(PORTAL_URL_PATH, "get", 401), unauthorized.body())).isEmpty();

        HttpResponse<String> notFound = get("/api/v1/customers/nobody/portal_url", API_KEY);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(JSON.readTree(notFound.body()))
                .isEqualTo(JSON.readTree("{\"status\":404,\"error\":\"Not Found\",\"code\":\"customer_not_found\"}"));
        assertThat(LagoOpenApi.violations(spec.responseSchema(PORTAL_URL_PATH, "get", 404), notFound.body())).isEmpty();
    }

    @Test
    void theSpecValidatorCatchesAWrongShape() {
        // Guards the guard: a body missing the required portal_url must not validate.
        JsonSchema schema = LagoOpenApi.load().responseSchema(PORTAL_URL_PATH, "get", 200);
        assertThat(LagoOpenApi.violations(schema, "{\"customer\":{}}")).isNotEmpty();
        assertThat(LagoOpenApi.violations(LagoOpenApi.load().responseSchema(PORTAL_URL_PATH, "get", 404),
                "{\"status\":404,\"error\":\"Not Found\"}")).isNotEmpty();
    }

    @Test
    void missingAuthorizationIs401() throws Exception {
        HttpResponse<String> response = get("/api/v1/customers/demo-customer/portal_url", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void theLinksTokenOpensTheCustomersOwnDataOnly() throws Exception {
        String url = JSON.readTree(get("/api/v1/customers/demo-customer/portal_url", API_KEY).body())
                .get("customer").get("portal_url").asText();
        assertThat(url).startsWith(server.baseUrl() + "/portal/?token=");
        String token = tokenOf(url);

        JsonNode customer = JSON.readTree(get("/portal/api/customer", token).body()).get("customer");
        assertThat(customer.get("external_id").asText()).isEqualTo("demo-customer");

        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(get("/portal/api/invoices?limit=100" + (cursor == null ? "" : "&cursor=" + cursor), token).body());
            page.get("invoices").forEach(invoice -> ids.add(invoice.get("id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(ids).hasSizeGreaterThanOrEqualTo(40).allMatch(id -> id.startsWith("inv_demo_"));

        assertThat(get("/portal/api/invoices/inv_other_001", token).statusCode()).isEqualTo(404);
        JsonNode search = JSON.readTree(get("/portal/api/invoices?search=DUP-", token).body());
        assertThat(search.get("invoices")).isEmpty();
    }

    @Test
    void idsArePercentDecodedAndNonAsciiSearchWorksOverHttp() throws Exception {
        String token = server.createSession("demo-customer").token();
        JsonNode page = JSON.readTree(get("/portal/api/invoices?search=%E8%AB%8B%E6%B1%82%E6%9B%B8", token).body());
        assertThat(page.get("invoices")).hasSize(1);
        assertThat(page.get("invoices").get(0).get("number").asText()).startsWith("請求書");
        HttpResponse<String> encoded = get("/api/v1/customers/demo%2Dcustomer/portal_url", API_KEY);
        assertThat(encoded.statusCode()).isEqualTo(200);
    }

    @Test
    void downloadsStreamThroughTheHttpServer() throws Exception {
        String token = server.createSession("demo-customer").token();
        HttpResponse<String> response = get("/portal/api/invoices/inv_demo_001/download", token);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/pdf");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> v.startsWith("attachment;"));
        assertThat(response.body()).startsWith("%PDF-");
    }

    @Test
    void theAuditTrailRecordsSessionsAndDownloadsWithTheSocketAddressAndUserAgent() throws Exception {
        Instant since = Instant.now().minusSeconds(5);
        String url = JSON.readTree(get("/api/v1/customers/other-customer/portal_url", API_KEY).body())
                .get("customer").get("portal_url").asText();
        HttpResponse<String> download = HTTP.send(HttpRequest.newBuilder(server.baseUrl()
                        .resolve("/portal/api/invoices/inv_other_001/download"))
                .header("Authorization", "Bearer " + tokenOf(url))
                .header("User-Agent", "audit-test/1.0 (demo)")
                .header("X-Forwarded-For", "203.0.113.99").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(download.statusCode()).isEqualTo(200);

        List<AuditEvent> events = server.auditTrail().find(CustomerRef.of("other-customer"), since, 100);
        assertThat(events).extracting(AuditEvent::type)
                .containsSubsequence(AuditEventType.SESSION_CREATED, AuditEventType.INVOICE_DOWNLOADED);
        AuditEvent created = events.stream().filter(e -> e.type() == AuditEventType.SESSION_CREATED).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(created.actor()).isEqualTo(AuditActor.HOST);
        assertThat(created.clientAddress()).isEqualTo("127.0.0.1");
        assertThat(created.userAgent()).startsWith("Java-http-client/");
        AuditEvent downloaded = events.stream().filter(e -> e.type() == AuditEventType.INVOICE_DOWNLOADED).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(downloaded.invoiceId()).isEqualTo("inv_other_001");
        assertThat(downloaded.sessionId()).isEqualTo(created.sessionId());
        assertThat(downloaded.clientAddress()).as("the socket's peer; a forwarding header is not trusted").isEqualTo("127.0.0.1");
        assertThat(downloaded.userAgent()).isEqualTo("audit-test/1.0 (demo)");
        assertThat(events).allSatisfy(event -> assertThat(event.toString()).doesNotContain(tokenOf(url)));
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.baseUrl().resolve("/portal/api/overview"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[PortalHttpHandler.DEFAULT_MAX_BODY_BYTES + 10])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("code").asText()).isEqualTo("body_too_large");
    }

    @Test
    void bannerPrintsAReadyLinkForTheDemoCustomer() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoApp.printBanner(new PrintStream(out, true, StandardCharsets.UTF_8), server, new DemoConfig(0, API_KEY, true));
        String banner = out.toString(StandardCharsets.UTF_8);
        String url = banner.lines().map(String::strip).filter(line -> line.startsWith("http") && line.contains("token="))
                .findFirst().orElseThrow();
        assertThat(get("/portal/api/customer", tokenOf(url)).body()).contains("\"external_id\":\"demo-customer\"");
        assertThat(banner).contains("export PORTAL_DEMO_API_KEY='" + API_KEY + "'");
        ByteArrayOutputStream configured = new ByteArrayOutputStream();
        DemoApp.printBanner(new PrintStream(configured, true, StandardCharsets.UTF_8), server, new DemoConfig(0, API_KEY, false));
        assertThat(configured.toString(StandardCharsets.UTF_8)).doesNotContain(API_KEY);
    }

    @Test
    void theBannersCommandsRunAsPasted() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoApp.printBanner(new PrintStream(out, true, StandardCharsets.UTF_8), server, new DemoConfig(0, API_KEY, true));
        List<Integer> statuses = BannerShell.run(out.toString(StandardCharsets.UTF_8), HTTP);
        // Lago's link, Flexprice's session, then overview and invoices with the link's token
        assertThat(statuses).as("statuses of the banner's curl commands, in order").containsExactly(200, 200, 200, 200);
    }

    @Test
    void theBannersCommandsRunAsPastedWithOneTimeLinks() throws Exception {
        try (DemoServer oneTime = DemoServer.start(new DemoConfig(0, API_KEY, true).withOneTimeLinks(true), Clock.systemUTC())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DemoApp.printBanner(new PrintStream(out, true, StandardCharsets.UTF_8), oneTime,
                    new DemoConfig(0, API_KEY, true).withOneTimeLinks(true));
            // the Lago and Flexprice calls, the exchange (inside export PORTAL_TOKEN=$(...)), then overview and invoices
            assertThat(BannerShell.run(out.toString(StandardCharsets.UTF_8), HTTP)).containsExactly(200, 200, 201, 200, 200);
        }
    }
}
