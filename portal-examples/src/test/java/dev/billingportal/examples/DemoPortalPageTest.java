package dev.billingportal.examples;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo serves the portal page behind its links, framable by the origins of PORTAL_DEMO_FRAME_ANCESTORS. */
class DemoPortalPageTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static DemoServer server;

    @BeforeAll
    static void start() throws Exception {
        DemoConfig config = DemoConfig.fromEnvironment(Map.of("PORTAL_DEMO_PORT", "0",
                "PORTAL_DEMO_FRAME_ANCESTORS", "https://app.example.com, http://localhost:3000"));
        server = DemoServer.start(config, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPortalLinkOpensThePageFramableByTheConfiguredOrigins() throws Exception {
        HttpResponse<String> page = get(server.createSession(DemoData.DEMO_CUSTOMER).url());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .startsWith("default-src 'none'; script-src 'self'")
                .endsWith("; frame-ancestors https://app.example.com http://localhost:3000");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.body()).contains("<meta name=\"portal-api\" content=\"/portal/api\">");
        assertThat(get(server.baseUrl().resolve("/portal/assets/portal.js")).body()).contains("history.replaceState");
    }

    @Test
    void aPageWithoutAGenuineTokenCannotBeFramed() throws Exception {
        HttpResponse<String> page = get(server.baseUrl().resolve("/portal/?token=forged.token.value"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).endsWith("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        HttpResponse<String> redirect = get(server.baseUrl().resolve("/portal?token=abc"));
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).contains("portal/?token=abc");
    }

    @Test
    void frameAncestorsComeFromTheEnvironmentAndAreCheckedStrictly() {
        assertThat(DemoConfig.fromEnvironment(Map.of()).frameAncestors()).isEmpty();
        assertThat(DemoConfig.fromEnvironment(Map.of("PORTAL_DEMO_FRAME_ANCESTORS", "HTTPS://App.Example.com:443,"))
                .frameAncestors()).containsExactly("https://app.example.com");
        for (String bad : List.of("*", "https://app.example.com/path", "'self'", "https://a.example.com; script-src *")) {
            assertThatThrownBy(() -> DemoConfig.fromEnvironment(Map.of("PORTAL_DEMO_FRAME_ANCESTORS", bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("PORTAL_DEMO_FRAME_ANCESTORS: ");
        }
        assertThat(new DemoConfig(0, "sixteen-chars-key", false).frameAncestors()).isEmpty();
        assertThat(new DemoConfig(0, "sixteen-chars-key", false, List.of("http://localhost:3000")).toString())
                .contains("frameAncestors=[http://localhost:3000]").doesNotContain("sixteen-chars-key");
    }
}
