package dev.billingportal.examples;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.config.CancellationReason;
import dev.billingportal.core.memory.InMemorySubscriptionProvider;
import dev.billingportal.core.memory.InMemoryPaymentMethodProvider;
import dev.billingportal.core.memory.InMemoryUsageProvider;
import dev.billingportal.core.memory.InMemoryWalletProvider;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.SubscriptionSettings;
import dev.billingportal.core.config.ProfileSettings;
import dev.billingportal.core.profile.ProfileField;
import java.util.EnumSet;
import java.util.List;
import dev.billingportal.core.api.FlexpriceCompatibleApi;
import dev.billingportal.core.api.LagoCompatibleApi;
import dev.billingportal.core.api.PortalRedirectEndpoint;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.httpserver.PortalHttpHandler;
import dev.billingportal.httpserver.PortalHttpServer;
import dev.billingportal.jdbc.JdbcPortalStore;
import dev.billingportal.jdbc.PortalSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo host application: a JDK {@code HttpServer} serving the portal page under {@code /portal/}, its API
 * under {@code /portal/api/}, Lago's {@code GET /api/v1/customers/{external_customer_id}/portal_url}, Flexprice's
 * {@code GET /v1/customers/portal/{external_id}} (both with the demo's API key) and a Stripe-style
 * {@code GET /billing/portal} redirect behind a demo sign-in ({@code GET /billing/sign-in?customer=demo-customer}), a
 * sandbox standing in for a payment provider's hosted page under {@code /billing-sandbox/} ({@link DemoSandboxPage}), over demo
 * data in a JDBC database: the one of {@code PORTAL_DEMO_JDBC_URL}, the demo app's H2 file under {@code ./data}, or
 * a private in-memory H2 database when the config names none (tests). The demo data is seeded once, when the demo
 * customer is absent, so data and sessions survive a restart. Every session created, exchanged or revoked and every
 * download goes to the JDBC audit trail, with the socket's remote address (the demo trusts no forwarding header).
 */
public final class DemoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final PortalService portal;
    private final HikariDataSource dataSource;
    private final AuditTrail audit;
    private final InMemorySubscriptionProvider subscriptions;
    private InMemoryUsageProvider usage;
    private InMemoryWalletProvider wallets;
    private InMemoryPaymentMethodProvider paymentMethods;

    private DemoServer(HttpServer server, ExecutorService executor, PortalService portal, HikariDataSource dataSource,
                       AuditTrail audit, InMemorySubscriptionProvider subscriptions) {
        this.server = server;
        this.executor = executor;
        this.portal = portal;
        this.dataSource = dataSource;
        this.audit = audit;
        this.subscriptions = subscriptions;
    }

    /** Opens the database (creating its tables and seeding the demo data the first time), binds the port and starts serving. */
    public static DemoServer start(DemoConfig config, Clock clock) throws IOException {
        // A fresh key per start: links from an earlier run stop working, which is right for a demo.
        return start(config, clock, KeyRing.of(SigningKey.generateHs256("demo-" + System.currentTimeMillis())));
    }

    /** As {@link #start(DemoConfig, Clock)}, signing with {@code keys}: tests that must know the key material. */
    static DemoServer start(DemoConfig config, Clock clock, KeyRing keys) throws IOException {
        HikariDataSource dataSource = dataSource(config);
        try {
            return start(config, clock, keys, dataSource);
        } catch (IOException | RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private static DemoServer start(DemoConfig config, Clock clock, KeyRing keys, HikariDataSource dataSource)
            throws IOException {
        PortalSchema.migrate(dataSource);
        JdbcPortalStore store = JdbcPortalStore.builder(dataSource).build();
        seedOnce(store, dataSource, LocalDate.now(clock));

        HttpServer server = PortalHttpServer.create(new InetSocketAddress("localhost", config.port()), 0); // TCP_NODELAY on
        int port = server.getAddress().getPort();
        // the demo's subscriptions live in memory (a host's come from its billing system)
        InMemorySubscriptionProvider subscriptions = DemoData.subscriptions(clock);
        // the demo's usage and prepaid wallets live in memory too (a host's come from its billing system); the invoice
        // a billed top-up names is put in the demo's invoice table, so that it can be paid like any other
        InMemoryUsageProvider usage = DemoData.usage(clock);
        InMemoryWalletProvider wallets = DemoData.wallets(clock);
        // payment methods in memory too, with the demo's sandbox standing in for the provider's hosted page
        InMemoryPaymentMethodProvider paymentMethods = DemoSandboxPage.provider(
                URI.create("http://localhost:" + port), store.invoices(), clock);
        PortalService portal = PortalService.builder()
                .customers(store.customers())
                .invoices(store.invoices())
                .sessions(store.sessions())
                .tokenSigner(JwtTokenSigner.hs256(keys))
                .portalUrl(URI.create("http://localhost:" + port + "/portal/"))
                .documents(DemoData.invoicePdfs(clock))
                .clock(clock)
                // The demo has one tenant and one configuration; a multi-tenant host keeps one or more per tenant in
                // PortalConfigurations (store.configurations() over JDBC).
                .defaultConfiguration(PortalConfiguration.builder().frameAncestors(config.frameAncestors())
                        .profile(new ProfileSettings(true, EnumSet.allOf(ProfileField.class)))
                        .subscriptions(SubscriptionSettings.DEFAULT.withReasons(List.of(CancellationReason.values()),
                                false, true))
                        .wallets(new dev.billingportal.core.config.WalletSettings(true, true,
                                new java.math.BigDecimal("10.00"), new java.math.BigDecimal("500.00"))).build())
                .subscriptions(subscriptions)
                .paymentMethods(paymentMethods)
                .usage(usage).wallets(DemoData.billedTopUps(wallets, store.invoices()))
                .linkMode(config.oneTimeLinks() ? LinkMode.ONE_TIME : LinkMode.REUSABLE)
                .audit(store.audit())
                // each write with its audit record, outbox event and idempotency key in one transaction
                .transactions(store.transactions()).outbox(store.outbox()).idempotency(store.idempotency())
                .build();
        PortalApi portalApi = PortalApi.of(portal);
        LagoCompatibleApi lagoApi = LagoCompatibleApi.builder(portal).apiKey(config.apiKey()).build();
        FlexpriceCompatibleApi flexpriceApi = FlexpriceCompatibleApi.builder(portal).apiKey(config.apiKey()).build();
        // The Stripe-style redirect behind the demo's stand-in sign-in (a real host passes its own session check).
        DemoSignIn signIn = new DemoSignIn();
        PortalRedirectEndpoint billingPortal = PortalRedirectEndpoint.builder(portal).signedInCustomer(signIn::customer)
                .returnUrl(URI.create("http://localhost:" + port + "/billing/")).build();

        // One context for the page and its API below it (/portal/ and /portal/api/).
        server.createContext(portalApi.uiPath(), new PortalHttpHandler(portalApi::handle));
        server.createContext(lagoApi.basePath() + "/", new PortalHttpHandler(lagoApi::handle));
        server.createContext(flexpriceApi.basePath() + "/", new PortalHttpHandler(flexpriceApi::handle));
        server.createContext("/billing/", new PortalHttpHandler(request -> request.rawPath().equals(billingPortal.path())
                ? billingPortal.handle(request) : signIn.handle(request)));
        server.createContext(DemoSandboxPage.PATH + "/", new PortalHttpHandler(
                new DemoSandboxPage(paymentMethods, URI.create("http://localhost:" + port))::handle));
        ExecutorService executor = Executors.newFixedThreadPool(16);
        server.setExecutor(executor);
        server.start();
        LOG.info("demo listening on port {}, {} links", port, config.oneTimeLinks() ? "one-time" : "reusable");
        DemoServer demo = new DemoServer(server, executor, portal, dataSource, store.audit(), subscriptions);
        demo.usage = usage;
        demo.wallets = wallets;
        demo.paymentMethods = paymentMethods;
        return demo;
    }

    private static HikariDataSource dataSource(DemoConfig config) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("portal-demo");
        if (config.jdbcUrl() == null) {
            pool.setJdbcUrl("jdbc:h2:mem:portal-demo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            pool.setUsername("sa");
            pool.setPassword("");
            LOG.info("demo data in a private in-memory H2 database");
        } else {
            pool.setJdbcUrl(config.jdbcUrl());
            if (config.jdbcUser() != null) {
                pool.setUsername(config.jdbcUser());
            }
            if (config.jdbcPassword() != null) {
                pool.setPassword(config.jdbcPassword());
            }
            LOG.info(config.defaultDatabase() ? "demo data in ./data/billing-portal-demo (H2 file; delete ./data to start afresh)"
                    : "demo data in the {} database of PORTAL_DEMO_JDBC_URL", config.databaseKind());
        }
        pool.setMaximumPoolSize(16);
        pool.setMinimumIdle(2);
        return new HikariDataSource(pool);
    }

    /**
     * Seeds the demo data unless the demo customer is there already. The seeding joins one transaction of ours
     * (see {@code HostTransactions}), so a crash half-way leaves nothing behind and the next start seeds again.
     */
    private static void seedOnce(JdbcPortalStore store, HikariDataSource dataSource, LocalDate today) {
        if (store.customers().findByExternalId(CustomerRef.of(DemoData.DEMO_CUSTOMER)).isPresent()) {
            LOG.info("demo data found: not seeding again");
            return;
        }
        try (Connection transaction = dataSource.getConnection()) {
            transaction.setAutoCommit(false);
            JdbcPortalStore seeding = JdbcPortalStore.builder(dataSource).dialect(store.dialect())
                    .tablePrefix(store.tablePrefix()).hostTransactions(() -> transaction).build();
            DemoData.seed(seeding.customers(), seeding.invoices(), today);
            transaction.commit();
            LOG.info("demo data seeded, dated relative to {}", today);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot seed the demo data (SQLState " + e.getSQLState() + ")", e);
        }
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

    /** The audit trail the demo writes to (its database's {@code portal_audit_events}). */
    public AuditTrail auditTrail() {
        return audit;
    }

    /** The demo's subscriptions and plans, for tests that check or move them. */
    InMemorySubscriptionProvider subscriptionProvider() {
        return subscriptions;
    }

    /** The demo's usage, for tests that compare the page with it. */
    InMemoryUsageProvider usageProvider() {
        return usage;
    }

    /** The demo's prepaid wallets, for tests that check or count their transactions. */
    InMemoryWalletProvider walletProvider() {
        return wallets;
    }

    /** The demo's payment methods and charges (its sandbox provider), for tests that check or move them. */
    InMemoryPaymentMethodProvider paymentMethodProvider() {
        return paymentMethods;
    }

    /** A fresh portal session for a customer of the default tenant. */
    public PortalSession createSession(String externalCustomerId) {
        return portal.createSession(SessionRequest.forCustomer(externalCustomerId));
    }

    /** Stops serving and closes the database pool. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        dataSource.close();
    }
}
