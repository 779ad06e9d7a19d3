package dev.billingportal.examples;

import com.sun.net.httpserver.HttpServer;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.SessionRequest;
import dev.billingportal.core.TenantSettings;
import dev.billingportal.core.api.LagoCompatibleApi;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.domain.PortalSession;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo host application: a JDK {@code HttpServer} serving the portal page under {@code /portal/}, its API
 * under {@code /portal/api/} and Lago's {@code GET /api/v1/customers/{external_customer_id}/portal_url}, over
 * seeded demo data.
 */
public final class DemoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final PortalService portal;

    private DemoServer(HttpServer server, ExecutorService executor, PortalService portal) {
        this.server = server;
        this.executor = executor;
        this.portal = portal;
    }

    /** Seeds the data, binds the port and starts serving. */
    public static DemoServer start(DemoConfig config, Clock clock) throws IOException {
        InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
        InMemoryInvoiceRepository invoices = new InMemoryInvoiceRepository();
        DemoData.seed(customers, invoices, LocalDate.now(clock));

        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", config.port()), 0);
        int port = server.getAddress().getPort();
        PortalService portal = PortalService.builder()
                .customers(customers)
                .invoices(invoices)
                .sessions(new InMemoryPortalSessionRepository())
                // A fresh key per start: links from an earlier run stop working, which is right for a demo.
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("demo-" + System.currentTimeMillis()))))
                .portalUrl(URI.create("http://localhost:" + port + "/portal/"))
                .documents(DemoData.invoicePdfs(clock))
                .clock(clock)
                // The demo has one tenant; a multi-tenant host looks each tenant's origins up here.
                .tenantSettings(tenant -> TenantSettings.DEFAULT.withFrameAncestors(config.frameAncestors()))
                .build();
        PortalApi portalApi = PortalApi.of(portal);
        LagoCompatibleApi lagoApi = LagoCompatibleApi.builder(portal).apiKey(config.apiKey()).build();

        // One context for the page and its API below it (/portal/ and /portal/api/).
        server.createContext(portalApi.uiPath(), new PortalHttpHandler(portalApi::handle));
        server.createContext(lagoApi.basePath() + "/", new PortalHttpHandler(lagoApi::handle));
        ExecutorService executor = Executors.newFixedThreadPool(16);
        server.setExecutor(executor);
        server.start();
        LOG.info("demo listening on port {}", port);
        return new DemoServer(server, executor, portal);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL, e.g. {@code http://localhost:8080}. */
    public URI baseUrl() {
        return URI.create("http://localhost:" + port());
    }

    /** The portal service, for examples and tests that mint sessions directly. */
    public PortalService portal() {
        return portal;
    }

    /** A fresh portal session for a customer of the default tenant. */
    public PortalSession createSession(String externalCustomerId) {
        return portal.createSession(SessionRequest.forCustomer(externalCustomerId));
    }

    /** Stops serving. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
