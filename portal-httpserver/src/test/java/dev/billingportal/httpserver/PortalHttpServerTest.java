package dev.billingportal.httpserver;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The adapter over real HTTP on loopback sockets: nodelay as the JDK itself applied it, keep-alive, the body limit,
 * HEAD. Speed is not asserted here (see {@code KeepAliveLatencyBenchmark} in portal-bench).
 */
class PortalHttpServerTest {
    private static HttpServer server;
    private static ExecutorService executor;
    private static String token;

    @BeforeAll
    static void start() throws IOException {
        // The first HttpServer of this test JVM: every test here creates servers through PortalHttpServer only.
        server = PortalHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
        customers.save(Customer.builder().id("cus_1").externalId("customer-1").name("Keep Alive").build());
        PortalService portal = PortalService.builder()
                .customers(customers)
                .invoices(new InMemoryInvoiceRepository())
                .sessions(new InMemoryPortalSessionRepository())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("test"))))
                .portalUrl(URI.create("http://localhost/portal/"))
                .build();
        token = portal.createSession(SessionRequest.forCustomer("customer-1")).token();
        PortalApi api = PortalApi.of(portal);
        server.createContext(api.uiPath(), new PortalHttpHandler(api::handle));
        server.createContext("/small", new PortalHttpHandler(api::handle, 10));
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void nodelayIsOnAsTheJdkItselfReadsIt() {
        assertThat(System.getProperty(PortalHttpServer.NODELAY_PROPERTY)).isEqualTo("true");
        // surefire opens sun.net.httpserver to this test, so the JDK's own setting is readable, not just the property.
        assertThat(PortalHttpServer.noDelayInEffect()).as("sun.net.httpserver.ServerConfig.noDelay()").contains(true);
    }

    @Test
    @Timeout(30)
    void twentyAuthenticatedRequestsShareOneKeepAliveConnection() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 20; i++) {
                out.write(("GET /portal/api/config HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                RawResponse response = RawResponse.read(in);
                assertThat(response.status()).as("request %d on the same connection", i + 1).isEqualTo(200);
                assertThat(response.body()).contains("\"locale\"");
                assertThat(response.headers()).doesNotContainEntry("connection", "close");
            }
        }
    }

    @Test
    void bodiesOverTheLimitAre413WithLagosErrorShapeAndTheLimitItselfPasses() throws IOException {
        RawResponse tooLarge = exchange("POST", "/small/x", new byte[11]);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.headers()).containsEntry("content-type", "application/json");
        assertThat(tooLarge.body()).isEqualTo("{\"status\":413,\"error\":\"Payload Too Large\",\"code\":\"body_too_large\"}");
        // 10 bytes is within the limit: the API answers (an unknown route under /small), not the handler.
        assertThat(exchange("POST", "/small/x", new byte[10]).status()).isNotEqualTo(413);
        assertThat(new PortalHttpHandler(r -> null).maxBodyBytes()).isEqualTo(64 * 1024);
        assertThat(exchange("POST", "/portal/api/config", new byte[PortalHttpHandler.DEFAULT_MAX_BODY_BYTES + 1])
                .status()).isEqualTo(413);
    }

    @Test
    void headAnswersWithoutABody() throws IOException {
        RawResponse head = exchange("HEAD", "/portal/", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> new PortalHttpHandler(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("api");
        assertThatThrownBy(() -> new PortalHttpHandler(r -> null, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBodyBytes");
    }

    @Test
    @Timeout(60)
    void warnsWhenAnEarlierHttpServerAlreadyFixedNodelayOff() throws Exception {
        Path log = Path.of("target", "late-nodelay.log").toAbsolutePath();
        java.nio.file.Files.deleteIfExists(log);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "jdk.httpserver/sun.net.httpserver=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.logFile=" + log,
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                LateNoDelayMain.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(50, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("in effect: false");
        assertThat(java.nio.file.Files.readString(log)).contains("WARN").contains("TCP_NODELAY is off")
                .contains("-Dsun.net.httpserver.nodelay=true");
    }

    private static RawResponse exchange(String method, String path, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (body != null ? "Content-Length: " + body.length + "\r\n" : "") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return RawResponse.read(socket.getInputStream(), "HEAD".equals(method));
        }
    }

    /** One HTTP/1.1 response read off a socket: fixed-length bodies only, which is what these endpoints send. */
    record RawResponse(int status, Map<String, String> headers, String body) {
        static RawResponse read(InputStream in) throws IOException {
            return read(in, false);
        }

        static RawResponse read(InputStream in, boolean head) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            int length = head ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new RawResponse(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed mid-response");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }
    }
}
