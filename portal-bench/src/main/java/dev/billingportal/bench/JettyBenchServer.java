package dev.billingportal.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.ResponseBody;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.jdbc.JdbcPortalStore;
import dev.billingportal.servlet.PortalServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The server of {@link JettyThroughputBenchmark} (and of its smoke test): embedded Jetty 12.1 (Servlet 6.1, ee11)
 * on 127.0.0.1 with, in one web application, a hello-world servlet at {@code /hello}, the same hello world after one
 * {@code SELECT 1} through the portal's connection pool at {@value #ROUND_TRIP_PATH}, a {@link PortalServlet} at
 * {@value #CACHED_CONFIG_PATH} answering a stored copy of the config response (no portal work), and {@link PortalServlet} at
 * {@code /portal/*} over a {@link PortalService} whose customers, invoices, sessions, configurations and audit trail
 * all come from one {@link JdbcPortalStore} (as the Spring Boot starter wires it) on H2 in memory or on a real
 * PostgreSQL, holding {@link #DATA} (generated at start; on PostgreSQL kept between runs by the generator's marker).
 */
final class JettyBenchServer implements AutoCloseable {
    /** A modest data set: 40 customers of 100 invoices, no big customer (4,000 invoices, generated in about a second). */
    static final DataSet DATA = new DataSet(40, 100, 0, 20_261_202L);
    /** Connections of the pool between the portal and its database, on either storage. */
    static final int POOL_SIZE = 4;
    /** Tables of its own, so that on a server named by {@code PORTAL_BENCH_POSTGRES_URL} the full data set stays. */
    static final String TABLE_PREFIX = "hb_";
    /** Where {@link #cachedConfig} is mounted. */
    static final String CACHED_CONFIG_PATH = "/cached-config";
    /** Where {@link RoundTripServlet} is mounted. */
    static final String ROUND_TRIP_PATH = "/round-trip";
    static final byte[] HELLO = "hello, world".getBytes(StandardCharsets.US_ASCII);

    /** Where the portal keeps its data. */
    enum Storage {
        /** H2 2.x in memory, in the benchmark's own JVM, result reuse off (see BUILD-FACTS). */
        H2,
        /** A real PostgreSQL 18 from the zonky binaries (or {@code PORTAL_BENCH_POSTGRES_URL}), on the loopback. */
        POSTGRES
    }

    final Storage storage;
    private final BenchDatabase postgres;
    private final HikariDataSource pool;
    private final Server server;
    private final ServerConnector connector;
    private final ConnectionStatistics connections = new ConnectionStatistics();
    /** One portal link token per customer of {@link #DATA} (reusable links: the page could use them as they are). */
    private final String[] tokens;

    private JettyBenchServer(Storage storage, BenchDatabase postgres, HikariDataSource pool, Server server,
                             ServerConnector connector, String[] tokens) {
        this.storage = storage;
        this.postgres = postgres;
        this.pool = pool;
        this.server = server;
        this.connector = connector;
        this.tokens = tokens;
    }

    /** Opens the storage, loads {@link #DATA}, signs in every customer and starts Jetty on a free port. */
    static JettyBenchServer start(Storage storage) throws Exception {
        BenchDatabase postgres = null;
        HikariDataSource pool;
        if (storage == Storage.POSTGRES) {
            String external = System.getenv("PORTAL_BENCH_POSTGRES_URL");
            postgres = external != null && !external.isBlank() ? BenchDatabase.open()
                    : BenchDatabase.embedded(BenchDatabase.dataDirectory().resolveSibling("http-bench-postgres"), false);
            // PostgreSQL's default, as the README now leaves it: the store asks for custom plans where they matter
            pool = postgres.pool("http-bench", POOL_SIZE, BenchDatabase.DEFAULT_PLANS);
        } else {
            HikariConfig config = new HikariConfig();
            config.setPoolName("http-bench-h2");
            config.setJdbcUrl("jdbc:h2:mem:http_bench;DB_CLOSE_DELAY=-1;OPTIMIZE_REUSE_RESULTS=FALSE");
            config.setUsername("sa");
            config.setMaximumPoolSize(POOL_SIZE);
            config.setMinimumIdle(POOL_SIZE);
            pool = new HikariDataSource(config);
        }
        try {
            DataGenerator.Result data = DataGenerator.generate(pool, DATA, TABLE_PREFIX, false);
            System.out.printf(Locale.ROOT, "%s: %,d invoices %s in %.1f s%n", storage, data.invoices(),
                    data.generated() ? "generated" : "already there", data.seconds());
            PortalService portal = portal(pool);
            String[] tokens = new String[DATA.customers()];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = portal.createSession(SessionRequest.forCustomer(DataSet.customerExternalId(i))
                        .tenant(DataSet.TENANT)).token();
            }

            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            PortalApi api = PortalApi.of(portal);
            context.addServlet(new PortalServlet(api::handle), api.uiPath() + "/*");
            context.addServlet(new HelloServlet(), "/hello");
            context.addServlet(new RoundTripServlet(pool), ROUND_TRIP_PATH);
            context.addServlet(new PortalServlet(cachedConfig(api, tokens[0])), CACHED_CONFIG_PATH + "/*");
            server.setHandler(context);
            JettyBenchServer bench = new JettyBenchServer(storage, postgres, pool, server, connector, tokens);
            connector.addBean(bench.connections);
            server.start();
            return bench;
        } catch (Exception | Error e) {
            pool.close();
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    /**
     * A handler that answers, without any portal work, a copy of what {@code GET /portal/api/config} answers
     * customer 0 (same status, headers and 16 KB body): the adapter's and the body's share of the cost.
     */
    private static Function<PortalRequest, PortalResponse> cachedConfig(PortalApi api, String token) {
        PortalResponse config = api.handle(new PortalRequest("GET", api.basePath() + "/config", null,
                Map.of("Authorization", List.of("Bearer " + token)), new byte[0], "127.0.0.1"));
        if (config.status() != 200) {
            throw new IllegalStateException("GET /portal/api/config answered " + config.status());
        }
        byte[] body = config.body().toByteArray();
        Map<String, List<String>> headers = config.headers();
        return request -> new PortalResponse(200, headers, ResponseBody.of(body));
    }

    /** The portal over one JDBC store on {@code dataSource}, its clock standing on {@link DataSet#TODAY}. */
    private static PortalService portal(DataSource dataSource) {
        Clock clock = Clock.fixed(DataSet.TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        JdbcPortalStore store = JdbcPortalStore.builder(dataSource).tablePrefix(TABLE_PREFIX).clock(clock).build();
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 42);
        return PortalService.builder()
                .customers(store.customers())
                .invoices(store.invoices())
                .sessions(store.sessions())
                .configurations(store.configurations())
                .audit(store.audit())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.hs256("bench", secret))))
                .portalUrl(URI.create("http://127.0.0.1/portal/"))
                .clock(clock)
                .build();
    }

    /** The port Jetty listens on, on 127.0.0.1. */
    int port() {
        return connector.getLocalPort();
    }

    /** The portal token of customer {@code index} (taken modulo the customers). */
    String token(int index) {
        return tokens[Math.floorMod(index, tokens.length)];
    }

    /** Connections Jetty has accepted since it started. */
    long connectionsOpened() {
        return connections.getConnectionsTotal();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Jetty did not stop", e);
        } finally {
            pool.close();
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** The floor: a fixed 12-byte body with its Content-Length, through the same container and connector. */
    static final class HelloServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            hello(response);
        }

        static void hello(HttpServletResponse response) throws IOException {
            response.setStatus(200);
            response.setContentType("text/plain");
            response.setContentLength(HELLO.length);
            OutputStream out = response.getOutputStream();
            out.write(HELLO);
            out.flush();
        }
    }

    /**
     * The floor of any answer that reads its database once: the hello world after one {@code SELECT 1} on a connection
     * of the portal's own pool (borrowed, prepared, executed, read, returned). On a database server beside the JVM it
     * shows what a single round trip costs on this machine's shared cores, whatever the portal does on top of it.
     */
    static final class RoundTripServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient DataSource pool;

        RoundTripServlet(DataSource pool) {
            this.pool = pool;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try (Connection connection = pool.getConnection();
                 PreparedStatement statement = connection.prepareStatement("SELECT 1");
                 ResultSet rows = statement.executeQuery()) {
                if (!rows.next() || rows.getInt(1) != 1) {
                    throw new IllegalStateException("SELECT 1 did not answer 1");
                }
            } catch (SQLException e) {
                throw new IOException("SELECT 1 failed", e);
            }
            HelloServlet.hello(response);
        }
    }

    /** For a quick look by hand: starts the server on {@code args[0]} (h2 or postgres) and waits. */
    public static void main(String[] args) throws Exception {
        Storage storage = Storage.valueOf((args.length > 0 ? args[0] : "h2").toUpperCase(Locale.ROOT));
        JettyBenchServer server = start(storage);
        System.out.println("http://127.0.0.1:" + server.port() + "/hello  token of customer 0: " + server.token(0));
        Thread.currentThread().join();
    }
}
