package dev.billingportal.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * HTTP-level throughput and latency on embedded Jetty 12.1 (ee11) on 127.0.0.1, 16 keep-alive connections (one per
 * JMH thread, each sending its next request when the last response is read in full), side by side on the same
 * server and the same client: a hello-world servlet (the floor), the portal's authenticated
 * {@code GET /portal/api/config} and {@code GET /portal/api/invoices?limit=20} through {@code PortalServlet}, over a
 * {@code PortalService} on one {@code JdbcPortalStore} on H2 in memory or on a real PostgreSQL ({@link ServerState#storage}).
 * Each thread signs in as a customer of its own (16 of the 40 in {@link JettyBenchServer#DATA}).
 *
 * <p>Throughput (ops/ms, all 16 threads together) and SampleTime (per-request latency, its percentiles) are two
 * modes, each in a fork of its own. The connections are opened once per fork and must stay open: the client never
 * reconnects, and the tear-down fails the run if Jetty accepted more connections than the threads opened.
 *
 * <p>The warm-up is long on purpose: on a 2-core machine the JIT's compiler threads share the cores with 16 client
 * threads and as many server threads, so the portal's code reaches its compiled steady state only after 25 to 30 s
 * of load (the authenticated answers kept rising for that long, from a fifth of their final rate; the hello world
 * settles in seconds). A shorter warm-up measured the portal half compiled.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 4)
@Measurement(iterations = 3, time = 4)
@Fork(1)
@Threads(JettyThroughputBenchmark.CONNECTIONS)
public class JettyThroughputBenchmark {
    /** Keep-alive connections, one per JMH thread. */
    static final int CONNECTIONS = 16;

    /** The server, shared by every thread of a fork. */
    @State(Scope.Benchmark)
    public static class ServerState {
        /** The portal's storage; the hello world runs on the same server in each. */
        @Param({"H2", "POSTGRES"})
        public String storage;

        JettyBenchServer server;
        /** The connections the setup's own check opened before the threads opened theirs. */
        private long before;

        /** Starts storage, data and Jetty, and checks that every endpoint answers 200 on a connection of its own. */
        @Setup(Level.Trial)
        public void start() throws Exception {
            server = JettyBenchServer.start(JettyBenchServer.Storage.valueOf(storage));
            try (KeepAliveClient check = new KeepAliveClient(server.port())) {
                for (byte[] request : new byte[][] {HELLO, CACHED_CONFIG, ROUND_TRIP, config(server.token(0)),
                    invoices(server.token(0))}) {
                    int status = check.exchange(request);
                    if (status != 200) {
                        throw new IllegalStateException("an endpoint answered " + status + ": " + check.lastBody());
                    }
                }
            }
            before = server.connectionsOpened();
        }

        /** Fails the run if a connection was not reused, then stops everything. */
        @TearDown(Level.Trial)
        public void stop() throws Exception {
            long opened = server.connectionsOpened() - before;
            server.close();
            System.out.println("connections accepted by Jetty during the run: " + opened);
            if (opened > CONNECTIONS) {
                throw new IllegalStateException(opened + " connections for " + CONNECTIONS
                        + " threads: keep-alive was not kept");
            }
        }
    }

    /** One thread's keep-alive connection and its prepared requests. */
    @State(Scope.Thread)
    public static class Connection {
        KeepAliveClient client;
        byte[] config;
        byte[] invoices;

        /** Opens the connection and signs in as customer {@code thread index}. */
        @Setup(Level.Trial)
        public void open(ServerState state, ThreadParams thread) throws IOException {
            client = new KeepAliveClient(state.server.port());
            String token = state.server.token(thread.getThreadIndex());
            config = config(token);
            invoices = invoices(token);
        }

        /** Closes it. */
        @TearDown(Level.Trial)
        public void close() throws IOException {
            client.close();
        }
    }

    static final byte[] HELLO = KeepAliveClient.get("/hello", "");
    static final byte[] CACHED_CONFIG = KeepAliveClient.get(JettyBenchServer.CACHED_CONFIG_PATH + "/config", "");
    static final byte[] ROUND_TRIP = KeepAliveClient.get(JettyBenchServer.ROUND_TRIP_PATH, "");

    static byte[] config(String token) {
        return KeepAliveClient.get("/portal/api/config", "Authorization: Bearer " + token + "\r\n");
    }

    static byte[] invoices(String token) {
        return KeepAliveClient.get("/portal/api/invoices?limit=20", "Authorization: Bearer " + token + "\r\n");
    }

    /** (a) The hello-world servlet on the same Jetty: the floor. */
    @Benchmark
    public int helloWorld(ServerState state, Connection connection) throws IOException {
        return check(connection.client.exchange(HELLO));
    }

    /** (b) Authenticated {@code GET /portal/api/config} through {@code PortalServlet}. */
    @Benchmark
    public int portalConfig(ServerState state, Connection connection) throws IOException {
        return check(connection.client.exchange(connection.config));
    }

    /**
     * Control, not a target: {@code PortalServlet} on the same Jetty answering a stored copy of (b)'s response
     * (same headers, same 16 KB body) without authentication or any portal work. (b) minus this is the portal's
     * own work; this minus (a) is the adapter's and the body's. Throughput only, to keep the run short.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    public int cachedConfig(ServerState state, Connection connection) throws IOException {
        return check(connection.client.exchange(CACHED_CONFIG));
    }

    /**
     * Control, not a target: the hello world after one {@code SELECT 1} through the portal's connection pool, on the
     * same Jetty. Every authenticated answer reads its session at least once (a revoked session must fail on the very
     * next request), so on a storage server beside the JVM this is the most any of them could reach. Throughput only.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    public int roundTrip(ServerState state, Connection connection) throws IOException {
        return check(connection.client.exchange(ROUND_TRIP));
    }

    /** (c) Authenticated {@code GET /portal/api/invoices?limit=20}: the customer's first page of 20. */
    @Benchmark
    public int portalInvoices(ServerState state, Connection connection) throws IOException {
        return check(connection.client.exchange(connection.invoices));
    }

    private static int check(int status) {
        if (status != 200) {
            throw new IllegalStateException("answered " + status);
        }
        return status;
    }
}
