package dev.billingportal.bench;

import com.sun.net.httpserver.HttpServer;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.httpserver.PortalHttpHandler;
import dev.billingportal.httpserver.PortalHttpServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Per-request latency on one keep-alive HTTP/1.1 connection to the JDK {@code HttpServer} made by
 * {@link PortalHttpServer#create}: the portal's authenticated {@code GET /portal/api/config} (in-memory storage) and
 * a hello-world handler on the same server, and both again in a JVM started with
 * {@code -Dsun.net.httpserver.nodelay=false} (Nagle on, the JDK's default). The client is a raw socket with
 * TCP_NODELAY on, as curl and most HTTP clients set it, reading each response in full before sending the next
 * request; the connection is opened once per fork, so connection set-up is not in the figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(2)
public class KeepAliveLatencyBenchmark {
    private static final byte[] HELLO = "hello, world".getBytes(StandardCharsets.US_ASCII);

    private HttpServer server;
    private ExecutorService executor;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private byte[] configRequest;
    private byte[] helloRequest;

    /** Starts the server (portal over in-memory storage, and a hello world) and opens the one connection. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
        customers.save(Customer.builder().id("cus_1").externalId("customer-1").name("Bench").build());
        PortalService portal = PortalService.builder()
                .customers(customers)
                .invoices(new InMemoryInvoiceRepository())
                .sessions(new InMemoryPortalSessionRepository())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("bench"))))
                .portalUrl(URI.create("http://localhost/portal/"))
                .build();
        String token = portal.createSession(SessionRequest.forCustomer("customer-1")).token();
        PortalApi api = PortalApi.of(portal);

        server = PortalHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(api.uiPath(), new PortalHttpHandler(api::handle));
        server.createContext("/hello", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, HELLO.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(HELLO);
                }
            }
        });
        executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.start();

        socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
        configRequest = ("GET /portal/api/config HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        helloRequest = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        // Fail at once, not with a misleading figure, if either endpoint does not answer 200.
        if (exchange(configRequest) != 200 || exchange(helloRequest) != 200) {
            throw new IllegalStateException("the benchmark's endpoints do not answer 200");
        }
    }

    /** Closes the connection and stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        socket.close();
        server.stop(0);
        executor.shutdownNow();
    }

    /** The portal's authenticated {@code GET /portal/api/config}, TCP_NODELAY on (PortalHttpServer's default). */
    @Benchmark
    public int portalConfig() throws IOException {
        return exchange(configRequest);
    }

    /** A hello-world handler on the same server and connection kind, TCP_NODELAY on. */
    @Benchmark
    public int helloWorld() throws IOException {
        return exchange(helloRequest);
    }

    /** The portal's config with Nagle on: the JDK's default, which {@code PortalHttpServer} turns off. */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=false")
    public int portalConfigWithoutNoDelay() throws IOException {
        return exchange(configRequest);
    }

    /** The hello world with Nagle on. */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=false")
    public int helloWorldWithoutNoDelay() throws IOException {
        return exchange(helloRequest);
    }

    /** Sends one request and reads its whole response (fixed length: both endpoints send Content-Length). */
    private int exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String status = line();
        int length = -1;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).strip());
            }
        }
        if (length < 0) {
            throw new IOException("response without Content-Length: " + status);
        }
        in.readNBytes(length);
        return Integer.parseInt(status.substring(9, 12));
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
