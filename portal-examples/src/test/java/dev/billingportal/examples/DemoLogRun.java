package dev.billingportal.examples;

import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.api.FlexpriceCompatibleApi;
import dev.billingportal.core.api.LagoCompatibleApi;
import dev.billingportal.core.api.PortalRedirectEndpoint;
import dev.billingportal.core.events.SessionCreated;
import dev.billingportal.core.events.WebhookRelay;
import dev.billingportal.core.memory.InMemoryEventOutbox;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.invoices.InvoiceSearch;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.httpserver.PortalHttpHandler;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A full demo run, in a JVM of its own whose logging {@link DemoLogCaptureTest} sets to the finest level and captures:
 * starts the demo server with key material, API key and database password the run knows, mints links through
 * Lago's and Flexprice's endpoints and the demo sign-in's {@code /billing/portal} redirect, uses the portal with valid, expired, tampered and revoked tokens, downloads, errors of every kind,
 * then again with one-time links (exchanged, replayed, idle past their timeout, revoked) and with the database password
 * in the JDBC URL, forces 500s through broken adapters and 503s through a failing audit trail in process, and stops. It writes every secret it saw to {@code secrets.txt}
 * (one per line, {@code kind<TAB>value}) and the status of every request to {@code statuses.txt}.
 */
public final class DemoLogRun {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Map<String, List<String>> secrets = new LinkedHashMap<>();
    private final List<String> statuses = new ArrayList<>();
    private URI base;

    private DemoLogRun() {
    }

    /** Runs the demo; {@code args[0]} is the directory for {@code secrets.txt} and {@code statuses.txt}. */
    public static void main(String[] args) throws Exception {
        new DemoLogRun().run(Path.of(args[0]));
    }

    private void run(Path out) throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        secret("signing secret", Base64.getEncoder().encodeToString(secret));
        String apiKey = DemoConfig.randomApiKey();
        secret("api key", apiKey);
        String password = "pw-" + UUID.randomUUID();
        secret("database password", password);
        DemoConfig config = new DemoConfig(0, apiKey, false, List.of(),
                "jdbc:h2:mem:demo-log-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "demo_log_user", password);
        ShiftableClock clock = new ShiftableClock();

        try (DemoServer server = DemoServer.start(config, clock, KeyRing.of(SigningKey.hs256("log-run-key", secret)))) {
            base = server.baseUrl();
            String wrongKey = DemoConfig.randomApiKey();
            secret("presented api key", wrongKey);

            // Links the way Lago clients mint them
            String link = json(get("/api/v1/customers/demo-customer/portal_url", "Bearer " + apiKey)).split("\"portal_url\":\"")[1]
                    .split("\"")[0];
            String token = link.substring(link.indexOf("token=") + "token=".length());
            secret("token", token);
            get("/api/v1/customers/demo-customer/portal_url", "Bearer " + wrongKey);
            get("/api/v1/customers/demo-customer/portal_url", "bearer " + apiKey);
            get("/api/v1/customers/nobody/portal_url", "Bearer " + apiKey);
            get("/api/v1/customers/demo-customer/portal_url", null);
            send("POST", "/api/v1/customers/demo-customer/portal_url", "Bearer " + apiKey, new byte[0]);
            get("/api/v1/customers/demo%2Dcustomer/portal_url", "Bearer " + apiKey);

            // Flexprice's endpoint, same API key: its answer carries the token itself
            String flexprice = json(with("GET", "/v1/customers/portal/demo-customer", Map.of("x-api-key", apiKey)));
            secret("token", flexprice.split("\"token\":\"")[1].split("\"")[0]);
            with("GET", "/v1/customers/portal/demo-customer", Map.of("x-api-key", wrongKey));
            with("GET", "/v1/customers/portal/nobody", Map.of("x-api-key", apiKey));
            with("GET", "/v1/customers/portal/%0A", Map.of("x-api-key", apiKey));
            with("POST", "/v1/customers/portal/demo-customer", Map.of("x-api-key", apiKey));

            // The Stripe-style redirect behind the demo sign-in: the cookie and the Location's token stay out of logs
            with("GET", "/billing/portal", Map.of());
            String cookie = with("GET", "/billing/sign-in?customer=demo-customer", Map.of())
                    .headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            secret("sign-in cookie", cookie.substring(cookie.indexOf('=') + 1));
            String location = with("GET", "/billing/portal", Map.of("Cookie", cookie)).headers().firstValue("Location")
                    .orElseThrow();
            secret("token", location.substring(location.indexOf("token=") + "token=".length()));
            with("GET", "/billing/portal", Map.of("Cookie", cookie + "x"));
            with("GET", "/billing/", Map.of("Cookie", cookie));

            // The page, with the token in its query as the link has it
            get("/portal/?token=" + token, null);
            get("/portal?token=" + token, null);
            get("/portal/assets/portal.js", null);
            get("/portal/api/messages?locale=fr", null);

            // Every endpoint with the valid token, good and bad parameters
            String bearer = "Bearer " + token;
            for (String path : List.of("/portal/api/customer", "/portal/api/overview", "/portal/api/config",
                    "/portal/api/invoices", "/portal/api/invoices?overdue=true&status=finalized&payment_status=pending,failed",
                    "/portal/api/invoices?search=%E8%AB%8B%E6%B1%82%E6%9B%B8", "/portal/api/invoices?issued_from=2026-02-30",
                    "/portal/api/invoices?limit=0", "/portal/api/invoices?limit=99999999999", "/portal/api/invoices?cursor=AAAA",
                    "/portal/api/invoices?locale=xx", "/portal/api/invoices?search=%25", "/portal/api/invoices/inv_demo_001",
                    "/portal/api/invoices/inv_other_001", "/portal/api/invoices/%00", "/portal/api/invoices/inv_demo_001/download",
                    "/portal/api/invoices/inv_demo_002/download?redirect=false", "/portal/api/nothing", "/portal/api/invoices?search=%C3")) {
                get(path, bearer);
            }
            String page = json(get("/portal/api/invoices?limit=2", bearer));
            String cursor = page.split("\"next_cursor\":\"")[1].split("\"")[0];
            secret("cursor", cursor);
            get("/portal/api/invoices?limit=2&cursor=" + cursor, bearer);
            send("HEAD", "/portal/api/overview", bearer, null);
            send("DELETE", "/portal/api/invoices/inv_demo_001", bearer, null);
            send("POST", "/portal/api/overview", bearer, new byte[PortalHttpHandler.DEFAULT_MAX_BODY_BYTES + 1]);

            // Bad credentials
            String tampered = token.substring(0, token.length() - 3) + (token.endsWith("AAA") ? "BBB" : "AAA");
            secret("token", tampered);
            get("/portal/api/customer", "Bearer " + tampered);
            get("/portal/api/customer", "Basic " + Base64.getEncoder().encodeToString(("user:" + token).getBytes(StandardCharsets.UTF_8)));
            get("/portal/api/customer", token);
            get("/portal/api/customer", null);
            PortalSession revoked = server.createSession("demo-customer");
            secret("token", revoked.token());
            server.portal().revokeSession(revoked.id());
            get("/portal/api/customer", "Bearer " + revoked.token());
            get("/portal/?token=" + revoked.token(), null);
            PortalSession expiring = server.portal().createSession(SessionRequest.forCustomer("other-customer"));
            secret("token", expiring.token());
            get("/portal/api/overview", "Bearer " + expiring.token());
            clock.shift(Duration.ofHours(13));
            get("/portal/api/overview", "Bearer " + expiring.token());
            get("/portal/?token=" + expiring.token(), null);
            clock.reset();
            server.portal().revokeAllSessions(dev.billingportal.core.CustomerRef.of("demo-customer"));
            get("/portal/api/overview", bearer);

            forcedServerErrors(server.portal());
        }
        // One-time links: the page trades the link's token for a session's, once
        DemoConfig oneTime = new DemoConfig(0, apiKey, false, List.of(), "jdbc:h2:mem:demo-log-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1", "demo_log_user", password).withOneTimeLinks(true);
        try (DemoServer server = DemoServer.start(oneTime, clock, KeyRing.of(SigningKey.hs256("log-run-key", secret)))) {
            base = server.baseUrl();
            String link = json(get("/api/v1/customers/demo-customer/portal_url", "Bearer " + apiKey)).split("\"portal_url\":\"")[1]
                    .split("\"")[0];
            String linkToken = link.substring(link.indexOf("token=") + "token=".length());
            secret("token", linkToken);
            get("/portal/?token=" + linkToken, null);
            get("/portal/api/customer", "Bearer " + linkToken); // 401 exchange_required
            String exchanged = send("POST", "/portal/api/session", "Bearer " + linkToken, new byte[0]).body();
            String sessionToken = exchanged.split("\"token\":\"")[1].split("\"")[0];
            secret("token", sessionToken);
            send("POST", "/portal/api/session", "Bearer " + linkToken, new byte[0]); // replay: refused and audited
            send("POST", "/portal/api/session", "Bearer " + sessionToken, new byte[0]); // a session's token: refused
            for (String path : List.of("/portal/api/customer", "/portal/api/overview", "/portal/api/invoices?limit=3",
                    "/portal/api/invoices/inv_demo_001/download", "/portal/api/invoices/inv_demo_002/download?redirect=false")) {
                get(path, "Bearer " + sessionToken);
            }
            clock.shift(Duration.ofMinutes(45)); // past the idle timeout
            get("/portal/api/overview", "Bearer " + sessionToken);
            clock.reset();
            PortalSession revokedLink = server.portal().createSession(SessionRequest.forCustomer("demo-customer"));
            secret("token", revokedLink.token());
            server.portal().revokeSession(revokedLink.id());
            send("POST", "/portal/api/session", "Bearer " + revokedLink.token(), new byte[0]);
        }

        // A database password in the JDBC URL, as hosts often configure it
        String urlPassword = "pw-url-" + UUID.randomUUID();
        secret("database password", urlPassword);
        DemoConfig passwordInUrl = new DemoConfig(0, apiKey, false, List.of(), "jdbc:h2:mem:demo-log-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;password=" + urlPassword, "demo_log_user", null);
        try (DemoServer server = DemoServer.start(passwordInUrl, clock)) {
            base = server.baseUrl();
            String link = json(get("/api/v1/customers/demo-customer/portal_url", "Bearer " + apiKey)).split("\"portal_url\":\"")[1]
                    .split("\"")[0];
            String token = link.substring(link.indexOf("token=") + "token=".length());
            secret("token", token);
            get("/portal/api/overview", "Bearer " + token);
        }
        Files.createDirectories(out);
        List<String> lines = new ArrayList<>();
        secrets.forEach((kind, values) -> values.forEach(value -> lines.add(kind + "\t" + value)));
        Files.write(out.resolve("secrets.txt"), lines, StandardCharsets.UTF_8);
        Files.write(out.resolve("statuses.txt"), statuses, StandardCharsets.UTF_8);
    }

    /** A portal and a Lago API over adapters that throw: the library logs each 500. */
    private void forcedServerErrors(PortalService demo) throws IOException {
        CustomerRepository customers = new CustomerRepository() {
            @Override
            public Optional<Customer> findByExternalId(dev.billingportal.core.CustomerRef ref) {
                return Optional.of(Customer.builder().id("c1").externalId(ref.externalId()).tenantId(ref.tenantId()).build());
            }

            @Override
            public Optional<Customer> findById(String tenantId, String customerId) {
                return Optional.empty();
            }

            @Override
            public void save(Customer customer) {
                throw new IllegalStateException("simulated adapter failure");
            }
        };
        InvoiceRepository invoices = new InvoiceRepository() {
            @Override
            public void save(Invoice invoice) {
                throw new IllegalStateException("simulated adapter failure");
            }

            @Override
            public Optional<Invoice> findById(CustomerScope scope, String invoiceId) {
                throw new IllegalStateException("simulated adapter failure");
            }

            @Override
            public List<Invoice> find(CustomerScope scope, InvoiceSearch search) {
                throw new IllegalStateException("simulated adapter failure");
            }

            @Override
            public BillingOverview overview(CustomerScope scope, LocalDate today) {
                throw new IllegalStateException("simulated adapter failure");
            }
        };
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        secret("signing secret", Base64.getEncoder().encodeToString(secret));
        PortalService broken = PortalService.builder().customers(customers).invoices(invoices)
                .sessions(new InMemoryPortalSessionRepository())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.hs256("broken", secret))))
                .portalUrl(URI.create("https://billing.example.com/portal/")).build();
        String token = broken.createSession(SessionRequest.forCustomer("anyone")).token();
        secret("token", token);
        PortalApi api = PortalApi.of(broken);
        for (String path : List.of("/portal/api/overview", "/portal/api/invoices", "/portal/api/invoices/inv-1",
                "/portal/api/invoices/inv-1/download")) {
            PortalResponse response = api.handle(PortalRequest.get(path, Map.of("Authorization", List.of("Bearer " + token))));
            statuses.add("in process " + path + " " + response.status());
        }
        String key = DemoConfig.randomApiKey();
        secret("api key", key);
        LagoCompatibleApi lago = LagoCompatibleApi.builder(brokenSessions(broken)).apiKey(key).build();
        PortalResponse response = lago.handle(PortalRequest.get("/api/v1/customers/anyone/portal_url",
                Map.of("Authorization", List.of("Bearer " + key))));
        statuses.add("in process lago " + response.status());
        PortalService brokenSessions = brokenSessions(broken);
        PortalResponse flexprice = FlexpriceCompatibleApi.builder(brokenSessions).apiKey(key).build()
                .handle(PortalRequest.get("/v1/customers/portal/anyone", Map.of("x-api-key", List.of(key))));
        statuses.add("in process flexprice " + flexprice.status());
        PortalResponse redirect = PortalRedirectEndpoint.builder(brokenSessions)
                .signedInCustomer(request -> Optional.of(dev.billingportal.core.CustomerRef.of("anyone"))).build()
                .handle(PortalRequest.get("/billing/portal", Map.of()));
        statuses.add("in process redirect " + redirect.status());
        relayWebhooks();
        demo.purgeExpiredSessions();

        // An audit trail that fails: what grants access is refused and logged at ERROR
        PortalService unaudited = PortalService.builder().customers(customers).invoices(invoices)
                .sessions(new InMemoryPortalSessionRepository())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.hs256("broken", secret))))
                .portalUrl(URI.create("https://billing.example.com/portal/"))
                .linkMode(dev.billingportal.core.session.LinkMode.ONE_TIME)
                .audit(new dev.billingportal.core.audit.AuditTrail() {
                    @Override
                    public void record(dev.billingportal.core.audit.AuditEvent event) {
                        throw new IllegalStateException("simulated audit trail failure");
                    }

                    @Override
                    public List<dev.billingportal.core.audit.AuditEvent> find(dev.billingportal.core.CustomerRef customer,
                                                                           java.time.Instant since, int limit) {
                        return List.of();
                    }
                }).build();
        try {
            unaudited.createSession(SessionRequest.forCustomer("anyone"));
            statuses.add("in process unaudited createSession succeeded");
        } catch (dev.billingportal.core.PortalException e) {
            statuses.add("in process unaudited createSession " + e.code());
        }
        LagoCompatibleApi unauditedLago = LagoCompatibleApi.builder(unaudited).apiKey(key).build();
        PortalResponse refused = unauditedLago.handle(PortalRequest.get("/api/v1/customers/anyone/portal_url",
                Map.of("Authorization", List.of("Bearer " + key))));
        statuses.add("in process unaudited lago " + refused.status());
    }

    /**
     * The webhook relay at TRACE: a receiver that refuses, is slow past the timeout, then accepts; the relay logs event
     * ids and types only, never the secret or the payload.
     */
    private void relayWebhooks() throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String whsec = "whsec_" + Base64.getEncoder().encodeToString(key);
        secret("webhook secret", whsec);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hooks", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(calls.incrementAndGet() == 1 ? 500 : 200, -1);
            }
        });
        receiver.start();
        try {
            InMemoryEventOutbox outbox = new InMemoryEventOutbox();
            java.time.Instant now = java.time.Instant.now();
            outbox.append(new SessionCreated("evt_log_run_1", dev.billingportal.core.CustomerRef.of("demo-customer"),
                    "ps_log_run_1", now, now.plusSeconds(60), null, null));
            WebhookRelay relay = WebhookRelay.builder(outbox)
                    .url(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks"))
                    .secret(whsec).initialBackoff(Duration.ofMillis(1)).jitter(0).build();
            WebhookRelay.Result first = relay.runOnce();
            WebhookRelay.Result second;
            do {
                second = relay.runOnce();
            } while (second.deferred() > 0);
            statuses.add("in process webhook relay " + first.failed() + " failed, then " + second.delivered() + " delivered");
        } finally {
            receiver.stop(0);
        }
    }

    /** A portal whose session storage throws on create: the Lago endpoint then fails with a 500. */
    private static PortalService brokenSessions(PortalService portal) {
        InMemoryPortalSessionRepository real = new InMemoryPortalSessionRepository();
        return portal.toBuilder().sessions(new PortalSessionRepository() {
            @Override
            public void create(SessionRecord session) {
                throw new IllegalStateException("simulated adapter failure");
            }

            @Override
            public Optional<SessionRecord> find(dev.billingportal.core.CustomerRef customer, String sessionId) {
                return real.find(customer, sessionId);
            }

            @Override
            public Optional<SessionRecord> findById(String sessionId) {
                return real.findById(sessionId);
            }

            @Override
            public boolean markExchanged(String sessionId, java.time.Instant at) {
                return real.markExchanged(sessionId, at);
            }

            @Override
            public boolean touch(String sessionId, java.time.Instant at) {
                return real.touch(sessionId, at);
            }

            @Override
            public boolean revoke(String sessionId, java.time.Instant at) {
                return real.revoke(sessionId, at);
            }

            @Override
            public int revokeAll(dev.billingportal.core.CustomerRef customer, java.time.Instant at) {
                return real.revokeAll(customer, at);
            }

            @Override
            public int deleteExpired(java.time.Instant before) {
                return real.deleteExpired(before);
            }
        }).build();
    }

    private void secret(String kind, String value) {
        secrets.computeIfAbsent(kind, k -> new ArrayList<>()).add(value);
    }

    private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        return send("GET", path, authorization, null);
    }

    private HttpResponse<String> send(String method, String path, String authorization, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        statuses.add(method + " " + path.replaceAll("token=[^&]*", "token=...") + " " + response.statusCode());
        return response;
    }

    private HttpResponse<String> with(String method, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        statuses.add(method + " " + path + " " + response.statusCode());
        return response;
    }

    private static String json(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("expected 200, was " + response.statusCode());
        }
        return response.body();
    }
}
