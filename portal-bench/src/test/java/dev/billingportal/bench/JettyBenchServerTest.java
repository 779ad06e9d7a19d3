package dev.billingportal.bench;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JettyThroughputBenchmark}'s server set-up, started once per storage as the benchmark starts it: every
 * endpoint it measures answers 200 through Jetty, on one keep-alive connection that stays open (so the benchmark
 * cannot rot unnoticed). No timing here.
 */
class JettyBenchServerTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(JettyBenchServer.Storage.class)
    @DisplayName("hello world, one SELECT 1, config and the first invoice page answer 200 on one keep-alive connection")
    void everyEndpointAnswers(JettyBenchServer.Storage storage) throws Exception {
        try (JettyBenchServer server = JettyBenchServer.start(storage);
             KeepAliveClient client = new KeepAliveClient(server.port())) {
            String token = server.token(3);
            for (int round = 0; round < 2; round++) {
                assertThat(client.exchange(JettyThroughputBenchmark.HELLO)).as("GET /hello").isEqualTo(200);
                assertThat(client.lastBody()).isEqualTo("hello, world");

                assertThat(client.exchange(JettyThroughputBenchmark.ROUND_TRIP)).as("GET /round-trip: %s",
                        client.lastBody()).isEqualTo(200);
                assertThat(client.lastBody()).isEqualTo("hello, world");

                assertThat(client.exchange(JettyThroughputBenchmark.CACHED_CONFIG)).as("GET /cached-config/config")
                        .isEqualTo(200);
                assertThat(client.lastBody()).startsWith("{\"config\":").contains("\"labels\"");

                assertThat(client.exchange(JettyThroughputBenchmark.config(token)))
                        .as("GET /portal/api/config: %s", client.lastBody()).isEqualTo(200);
                assertThat(client.lastBody()).startsWith("{\"config\":").contains("\"labels\"");

                assertThat(client.exchange(JettyThroughputBenchmark.invoices(token)))
                        .as("GET /portal/api/invoices?limit=20: %s", client.lastBody()).isEqualTo(200);
                assertThat(client.lastBody()).startsWith("{\"invoices\":[").contains("\"next_cursor\":\"");
                assertThat(client.lastBody().split("\"number\":", -1)).as("a full page of 20").hasSize(21);
            }
            assertThat(client.exchange(JettyThroughputBenchmark.config("not-a-token")))
                    .as("an unauthenticated call is refused, so the 200s above were authenticated").isEqualTo(401);
            assertThat(server.connectionsOpened()).as("one connection, kept alive for every request").isEqualTo(1);
        }
    }
}
