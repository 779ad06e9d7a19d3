package dev.billingportal.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.ResponseBody;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The portal served by {@link PortalServlet} on a real container over real HTTP: subclassed once per container.
 * The portal page and API are mounted at {@code /portal/*}, Lago's endpoint at {@code /api/v1/*}, the same endpoint
 * behind a trusted proxy (127.0.0.1) at {@code /proxied/api/v1/*}, and two test handlers that show what a handler
 * receives ({@code /echo/*}) and what a failing one sends ({@code /boom/*}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PortalServletContract {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOO_LARGE = "{\"status\":413,\"error\":\"Payload Too Large\",\"code\":\"body_too_large\"}";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private ServletContainer container;
    private PortalFixture fixture;
    private URI base;

    /** Starts this suite's container. */
    abstract ServletContainer.Factory containers();

    @BeforeAll
    void start() throws Exception {
        PortalFixture.Late portal = new PortalFixture.Late();
        PortalFixture.Late lago = new PortalFixture.Late();
        PortalFixture.Late proxied = new PortalFixture.Late();
        Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        servlets.put("/portal/*", new PortalServlet(portal));
        servlets.put("/api/v1/*", new PortalServlet(lago));
        servlets.put("/proxied/api/v1/*", PortalServlet.builder(proxied).trustedProxies("127.0.0.1").build());
        servlets.put("/echo/*", PortalServlet.builder(PortalServletContract::echo).maxBodyBytes(1000).build());
        servlets.put("/boom/*", new PortalServlet(request -> {
            throw new IllegalStateException("a broken handler");
        }));
        container = containers().start("", servlets);
        base = container.origin();
        fixture = new PortalFixture(base.resolve("/portal/"));
        portal.set(fixture.api::handle);
        lago.set(fixture.lago::handle);
        proxied.set(fixture.proxiedLago::handle);
    }

    @AfterAll
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** What a handler received, as JSON. */
    private static PortalResponse echo(PortalRequest request) {
        var node = JSON.createObjectNode();
        node.put("method", request.method());
        node.put("raw_path", request.rawPath());
        node.put("raw_query", request.rawQuery());
        node.put("body_length", request.body().length);
        node.put("client_address", request.clientAddress());
        var multi = node.putArray("x_multi");
        request.headers("x-multi").forEach(multi::add);
        return new PortalResponse(200, Map.of("Content-Type", List.of("application/json")),
                ResponseBody.of(node.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> get(String pathAndQuery, String bearer) throws IOException, InterruptedException {
        return send(request(pathAndQuery, bearer).GET().build());
    }

    private HttpRequest.Builder request(String pathAndQuery, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(20));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private String token() {
        return fixture.portal.createSession(SessionRequest.forCustomer(PortalFixture.CUSTOMER)).token();
    }

    /** One request over a raw socket, read to the end: what the server really wrote. */
    private String raw(String requestHead) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** One request over a raw socket; reads one answer (headers and its Content-Length of body), not to the end. */
    private String rawOneAnswer(String requestHead) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            java.io.InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            String headers = head.toString(StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(headers);
            byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
            return headers + new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private String host() {
        return "Host: " + base.getHost() + ":" + base.getPort() + "\r\n";
    }

    private AuditEvent onlySessionCreated(String externalId) {
        List<AuditEvent> events = fixture.audit.find(CustomerRef.of(externalId), Instant.EPOCH, 10).stream()
                .filter(event -> event.type() == AuditEventType.SESSION_CREATED).toList();
        assertThat(events).as("session-created events of " + externalId).hasSize(1);
        return events.get(0);
    }

    // ---------------------------------------------------------------- the host endpoint and authentication

    @Test
    void lagoEndpointMintsALinkToThePageOnThisServer() throws Exception {
        HttpResponse<String> response = get("/api/v1/customers/" + PortalFixture.CUSTOMER + "/portal_url", PortalFixture.API_KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        String url = json(response).get("customer").get("portal_url").asText();
        assertThat(url).startsWith(base + "/portal/?token=");
    }

    @Test
    void lagoEndpointAnswersLagosErrorShapes() throws Exception {
        HttpResponse<String> noKey = get("/api/v1/customers/" + PortalFixture.CUSTOMER + "/portal_url", null);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(json(noKey).toString()).isEqualTo("{\"status\":401,\"error\":\"Unauthorized\"}");

        HttpResponse<String> unknown = get("/api/v1/customers/nobody/portal_url", PortalFixture.API_KEY);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).toString()).isEqualTo("{\"status\":404,\"error\":\"Not Found\",\"code\":\"customer_not_found\"}");
    }

    @Test
    void apiCallsWithoutAValidTokenAre401() throws Exception {
        HttpResponse<String> missing = get("/portal/api/invoices", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(json(missing).get("code").asText()).isEqualTo("missing_authorization");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));

        HttpResponse<String> forged = get("/portal/api/invoices", token() + "x");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(json(forged).get("status").asInt()).isEqualTo(401);
    }

    // ---------------------------------------------------------------- the API

    @Test
    void thePageExchangesTheLinkWithAPost() throws Exception {
        String token = token();
        HttpResponse<String> exchanged = send(request("/portal/api/session", token)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        assertThat(json(exchanged).get("session").get("token").asText()).as("a reusable link is its own session").isEqualTo(token);

        HttpResponse<String> get = get("/portal/api/session", token);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void invoicesComeInKeysetPagesWithoutGapsOrRepeats() throws Exception {
        String token = token();
        JsonNode first = json(get("/portal/api/invoices?limit=20", token));
        assertThat(first.get("invoices")).hasSize(20);
        assertThat(first.get("next_cursor").isTextual()).isTrue();
        JsonNode second = json(get("/portal/api/invoices?limit=20&cursor=" + first.get("next_cursor").asText(), token));
        assertThat(second.get("invoices")).hasSize(PortalFixture.INVOICES - 20);
        assertThat(second.get("next_cursor").isNull()).isTrue();
        Set<String> ids = new HashSet<>();
        first.get("invoices").forEach(invoice -> ids.add(invoice.get("id").asText()));
        second.get("invoices").forEach(invoice -> ids.add(invoice.get("id").asText()));
        assertThat(ids).hasSize(PortalFixture.INVOICES);
        assertThat(first.get("invoices").get(0).get("id").asText()).as("newest first").isEqualTo("inv-0");
    }

    @Test
    void filtersGoThroughTheRawQuery() throws Exception {
        String token = token();
        JsonNode paid = json(get("/portal/api/invoices?payment_status=succeeded&limit=100", token));
        assertThat(paid.get("invoices")).hasSize((int) fixture.paidCount())
                .allSatisfy(invoice -> assertThat(invoice.get("payment_status").asText()).isEqualTo("succeeded"));
        JsonNode overdue = json(get("/portal/api/invoices?overdue=true&limit=100", token));
        assertThat(fixture.overdueCount()).isPositive();
        assertThat(overdue.get("invoices")).hasSize((int) fixture.overdueCount())
                .allSatisfy(invoice -> assertThat(invoice.get("payment_overdue").asBoolean()).isTrue());
        // A percent-encoded search term arrives still encoded and is decoded once, by the API.
        JsonNode search = json(get("/portal/api/invoices?search=2026%2D007", token));
        assertThat(search.get("invoices")).hasSize(1);
        assertThat(search.get("invoices").get(0).get("number").asText()).isEqualTo("2026-007");

        HttpResponse<String> bad = get("/portal/api/invoices?overdue=maybe", token);
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(json(bad).get("error_details").has("overdue")).isTrue();
    }

    @Test
    void oneInvoiceOfTheCustomerAndNoOtherCustomers() throws Exception {
        String token = token();
        HttpResponse<String> own = get("/portal/api/invoices/inv-3", token);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(json(own).get("invoice").get("number").asText()).isEqualTo("2026-003");

        HttpResponse<String> foreign = get("/portal/api/invoices/" + PortalFixture.OTHER_CUSTOMER_INVOICE, token);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(json(foreign).get("code").asText()).isEqualTo("invoice_not_found");
    }

    @Test
    void downloadsStreamWithTheirContentLength() throws Exception {
        HttpResponse<byte[]> response = http.send(request("/portal/api/invoices/inv-0/download", token()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(PortalFixture.DOCUMENT.length);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                value -> assertThat(value).startsWith("attachment; filename=\"2026-000.pdf\""));
        assertThat(response.body()).isEqualTo(PortalFixture.DOCUMENT);
    }

    @Test
    void downloadsOfUnknownLengthStreamWithoutAContentLength() throws Exception {
        String answer = raw("GET /portal/api/invoices/inv-1/download HTTP/1.1\r\n" + host()
                + "Authorization: Bearer " + token() + "\r\nConnection: close\r\n\r\n");
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
        // Chunked, or (this request says Connection: close) delimited by the end of the connection: either way, the
        // servlet did not make one up.
        assertThat(head).startsWith("http/1.1 200").doesNotContain("content-length");
        HttpResponse<byte[]> response = http.send(request("/portal/api/invoices/inv-1/download", token()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.body()).isEqualTo(PortalFixture.UNSIZED_DOCUMENT);
    }

    @Test
    void unknownRoutesAndMethodsHaveTheApisErrorShapes() throws Exception {
        String token = token();
        HttpResponse<String> missing = get("/portal/api/nothing-here", token);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).toString()).isEqualTo("{\"status\":404,\"error\":\"Not Found\",\"code\":\"route_not_found\"}");

        HttpResponse<String> delete = send(request("/portal/api/invoices", token).DELETE().build());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(json(delete).get("code").asText()).isEqualTo("method_not_allowed");

        HttpResponse<String> patch = send(request("/portal/api/invoices", token)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(patch.statusCode()).as("every method reaches the API, not the container's default").isEqualTo(405);
    }

    @Test
    void headAnswersTheHeadersAndNoBody() throws Exception {
        String token = token();
        // Two HEADs then a GET on one kept-alive connection: a body written after a HEAD would be read as the next answer.
        String answer = raw("HEAD /portal/api/invoices HTTP/1.1\r\n" + host() + "Authorization: Bearer " + token + "\r\n\r\n"
                + "HEAD /portal/api/invoices/inv-0/download HTTP/1.1\r\n" + host() + "Authorization: Bearer " + token + "\r\n\r\n"
                + "GET /portal/api/messages HTTP/1.1\r\n" + host() + "Connection: close\r\n\r\n");
        String[] parts = answer.split("\r\n\r\n", 3);
        assertThat(parts).hasSize(3);
        assertThat(parts[0]).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: application/json");
        assertThat(parts[1]).as("the second answer starts right after the first's headers")
                .startsWith("HTTP/1.1 200").containsIgnoringCase("content-disposition: attachment");
        assertThat(parts[2]).as("the third answer starts right after the second's headers").startsWith("HTTP/1.1 200");
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413BeforeItIsSent() throws Exception {
        // 10 MB announced, none sent: only a servlet that does not wait for the body answers.
        String answer = rawOneAnswer("POST /portal/api/session HTTP/1.1\r\n" + host() + "Content-Type: application/json\r\n"
                + "Content-Length: 10000000\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 413").endsWith(TOO_LARGE);
    }

    @Test
    void bodiesOverTheLimitAre413AndAtTheLimitPass() throws Exception {
        byte[] over = new byte[PortalServlet.DEFAULT_MAX_BODY_BYTES + 1];
        HttpResponse<String> sized = send(request("/portal/api/session", null)
                .POST(HttpRequest.BodyPublishers.ofByteArray(over)).build());
        assertThat(sized.statusCode()).isEqualTo(413);
        assertThat(sized.body()).isEqualTo(TOO_LARGE);

        // No Content-Length: the body comes chunked and is cut off at the limit.
        HttpResponse<String> chunked = send(request("/portal/api/session", null)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(over))).build());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).isEqualTo(TOO_LARGE);

        HttpResponse<String> atLimit = send(request("/echo/x", null)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1000])).build());
        assertThat(atLimit.statusCode()).isEqualTo(200);
        assertThat(json(atLimit).get("body_length").asInt()).isEqualTo(1000);
        HttpResponse<String> overConfigured = send(request("/echo/x", null)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1001])).build());
        assertThat(overConfigured.statusCode()).isEqualTo(413);
    }

    @Test
    void theHandlerGetsTheRawPathQueryAndEveryHeaderValue() throws Exception {
        HttpResponse<String> response = send(request("/echo/a%20b/inv%C3%A9?x=1&x=%2B2&e=%26", null)
                .header("X-Multi", "one").header("X-Multi", "two").GET().build());
        JsonNode echo = json(response);
        assertThat(echo.get("method").asText()).isEqualTo("GET");
        assertThat(echo.get("raw_path").asText()).isEqualTo("/echo/a%20b/inv%C3%A9");
        assertThat(echo.get("raw_query").asText()).isEqualTo("x=1&x=%2B2&e=%26");
        List<String> multi = new ArrayList<>();
        echo.get("x_multi").forEach(value -> multi.add(value.asText()));
        assertThat(String.join(",", multi).replace(", ", ",")).isEqualTo("one,two");
    }

    @Test
    void anEncodedSlashInThePathIsRefusedByTheContainerAsDocumented() throws Exception {
        // docs/servlet.md says so: ids with a '/' need the container's setting relaxed.
        HttpResponse<String> response = get("/echo/inv%2F1", null);
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void aFailingHandlerIsA500InTheApisShapeAndTheLogHoldsNoQuery() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        HttpResponse<String> response;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            response = get("/boom/x?token=s3cr3t-link-token", null);
        } finally {
            System.setErr(original);
        }
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"status\":500,\"error\":\"Internal Server Error\",\"code\":\"internal_error\"}");
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("portal handler failed on GET /boom/x").doesNotContain("s3cr3t");
    }

    // ---------------------------------------------------------------- the page

    @Test
    void thePageCarriesItsSecurityHeaders() throws Exception {
        HttpResponse<String> page = get("/portal/?token=" + token(), null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src").contains("frame-ancestors"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.body()).contains("id=\"invoice-rows\"");

        HttpResponse<String> bare = get("/portal?token=abc", null);
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("portal/?token=abc"));
    }

    @Test
    void assetsRevalidateWithTheirETag() throws Exception {
        HttpResponse<String> asset = get("/portal/assets/portal.js", null);
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValueAsLong("Content-Length")).hasValue(asset.body().getBytes(StandardCharsets.UTF_8).length);
        String etag = asset.headers().firstValue("ETag").orElseThrow();
        String answer = rawOneAnswer("GET /portal/assets/portal.js HTTP/1.1\r\n" + host() + "If-None-Match: " + etag
                + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 304").containsIgnoringCase("etag: " + etag);
    }

    // ---------------------------------------------------------------- client address

    @Test
    void theClientAddressIsTheSocketsPeerWhenNoProxyIsTrusted() throws Exception {
        HttpResponse<String> response = send(request("/api/v1/customers/ext-audit-1/portal_url", PortalFixture.API_KEY)
                .header("X-Forwarded-For", "203.0.113.7").GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(onlySessionCreated("ext-audit-1").clientAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void behindATrustedProxyTheClientIsTheRightMostUntrustedForwardedAddress() throws Exception {
        HttpResponse<String> spoofed = send(request("/proxied/api/v1/customers/ext-audit-2/portal_url", PortalFixture.API_KEY)
                .header("X-Forwarded-For", "198.51.100.9, 203.0.113.7").GET().build());
        assertThat(spoofed.statusCode()).isEqualTo(200);
        assertThat(onlySessionCreated("ext-audit-2").clientAddress())
                .as("198.51.100.9 was written by the client itself").isEqualTo("203.0.113.7");

        send(request("/proxied/api/v1/customers/ext-audit-3/portal_url", PortalFixture.API_KEY)
                .header("X-Forwarded-For", "203.0.113.8, 127.0.0.1").GET().build());
        assertThat(onlySessionCreated("ext-audit-3").clientAddress()).as("a trusted hop is skipped").isEqualTo("203.0.113.8");

        send(request("/proxied/api/v1/customers/ext-audit-4/portal_url", PortalFixture.API_KEY).GET().build());
        assertThat(onlySessionCreated("ext-audit-4").clientAddress()).as("no header: the peer").isEqualTo("127.0.0.1");
    }

    @Test
    void overIpv6TheAddressComesWithoutBracketsAndProxiesAreRecognised() throws Exception {
        // Jetty reports an IPv6 peer as [0:0:0:0:0:0:0:1], Tomcat without brackets: the handler sees one form.
        try (ServletContainer ipv6 = containers().start("::1", "", Map.of(
                "/echo/*", new PortalServlet(PortalServletContract::echo),
                "/proxied/*", PortalServlet.builder(PortalServletContract::echo).trustedProxies("::1").build()))) {
            HttpResponse<String> direct = send(HttpRequest.newBuilder(ipv6.origin().resolve("/echo/x"))
                    .header("X-Forwarded-For", "203.0.113.9").build());
            assertThat(json(direct).get("client_address").asText()).isEqualTo("0:0:0:0:0:0:0:1");
            HttpResponse<String> proxied = send(HttpRequest.newBuilder(ipv6.origin().resolve("/proxied/x"))
                    .header("X-Forwarded-For", "203.0.113.9").build());
            assertThat(json(proxied).get("client_address").asText()).isEqualTo("203.0.113.9");
        }
    }

    // ---------------------------------------------------------------- context path

    @Test
    void underAContextPathTheHandlerSeesThePathBelowIt() throws Exception {
        PortalFixture.Late late = new PortalFixture.Late();
        try (ServletContainer shop = containers().start("/shop", Map.of(
                "/portal/*", new PortalServlet(late), "/echo/*", new PortalServlet(PortalServletContract::echo)))) {
            PortalFixture deployed = new PortalFixture(shop.origin().resolve("/shop/portal/"));
            late.set(deployed.api::handle);
            String link = deployed.portal.createSession(SessionRequest.forCustomer(PortalFixture.CUSTOMER)).url().toString();
            String token = link.substring(link.indexOf("token=") + 6);
            HttpResponse<String> invoices = send(HttpRequest.newBuilder(shop.origin().resolve("/shop/portal/api/invoices?limit=5"))
                    .header("Authorization", "Bearer " + token).build());
            assertThat(invoices.statusCode()).isEqualTo(200);
            assertThat(json(invoices).get("invoices")).hasSize(5);
            HttpResponse<String> echo = send(HttpRequest.newBuilder(shop.origin().resolve("/shop/echo/x%2Ey")).build());
            assertThat(json(echo).get("raw_path").asText()).isEqualTo("/echo/x%2Ey");
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(link)).build());
            assertThat(page.statusCode()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- a browser

    @Test
    void aBrowserOpensAPortalLinkAndSeesTheInvoices() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Chromium is missing at " + CHROMIUM + ": `apt-get update && apt-get install -y chromium`");
        }
        String link = json(get("/api/v1/customers/" + PortalFixture.CUSTOMER + "/portal_url", PortalFixture.API_KEY))
                .get("customer").get("portal_url").asText();
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                     .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(CHROMIUM_ARGS))) {
            Page page = browser.newContext(new Browser.NewContextOptions().setLocale("en-US")).newPage();
            page.setDefaultTimeout(15_000);
            List<String> errors = new ArrayList<>();
            page.onConsoleMessage(message -> {
                if ("error".equals(message.type())) {
                    errors.add(message.text());
                }
            });
            page.navigate(link);
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#invoice-rows td.number").first())
                    .hasText("2026-000");
            assertThat(page.locator("#invoice-rows td.number").count()).isEqualTo(20);
            assertThat(page.url()).as("the page removes the token from the address bar").doesNotContain("token=");
            assertThat(errors).as("console errors").isEmpty();
        }
    }
}
