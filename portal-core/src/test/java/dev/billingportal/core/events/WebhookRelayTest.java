package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.MutableClock;
import dev.billingportal.core.memory.InMemoryEventOutbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook relay against a real local receiver that verifies every signature with code of its own. */
class WebhookRelayTest {
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final CustomerRef ALICE = CustomerRef.of("alice");
    private static final CustomerRef BOB = CustomerRef.of("bob");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryEventOutbox outbox = new InMemoryEventOutbox();
    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new WebhookReceiver(SECRET, clock);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private WebhookRelay relay(UnaryOperator<WebhookRelayBuilder> configure) {
        return configure.apply(WebhookRelay.builder(outbox).url(receiver.url()).secret(SECRET).clock(clock)
                .jitter(0).initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(5))).build();
    }

    private WebhookRelay relay() {
        return relay(UnaryOperator.identity());
    }

    private static int counter;

    private PortalEvent append(CustomerRef customer) {
        String id = "evt_" + customer.externalId() + "_" + (++counter);
        PortalEvent event = new SessionCreated(id, customer, "ses_" + counter, NOW, NOW.plusSeconds(3600), null, null);
        outbox.append(event);
        return event;
    }

    @Test
    void sessionsThePortalCreatesAndRevokesReachTheReceiverAsSignedEventsInOrder() throws Exception {
        dev.billingportal.core.TestPortal t = new dev.billingportal.core.TestPortal(b -> b.outbox(outbox));
        t.customer("cus_1");
        dev.billingportal.core.session.PortalSession session = t.service.createSession(
                dev.billingportal.core.session.SessionRequest.forCustomer("cus_1"));
        t.service.revokeSession(session.id());

        assertThat(relay().runOnce()).isEqualTo(new WebhookRelay.Result(2, 0, 0));
        List<WebhookReceiver.Delivery> deliveries = receiver.deliveries();
        assertThat(deliveries).allMatch(WebhookReceiver.Delivery::verified);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(deliveries).extracting(d -> json.readTree(d.body()).get("type").asText())
                .containsExactly("portal_session.created", "portal_session.revoked");
        for (WebhookReceiver.Delivery d : deliveries) {
            com.fasterxml.jackson.databind.JsonNode body = json.readTree(d.body());
            assertThat(body.get("id").asText()).isEqualTo(d.id());
            assertThat(body.get("customer_id").asText()).isEqualTo("cus_1");
            assertThat(body.get("session_id").asText()).isEqualTo(session.id());
            assertThat(d.body()).as("never the token").doesNotContain(session.token());
        }
    }

    @Test
    void signsLikeStandardWebhooksOwnTestVector() {
        // The example of the Standard Webhooks specification's reference libraries.
        byte[] key = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(WebhookRelay.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void postsThePayloadSignedAndMarksItDelivered() {
        PortalEvent event = append(ALICE);
        String payload = outbox.pending().get(0).payload();

        WebhookRelay.Result result = relay().runOnce();

        assertThat(result).isEqualTo(new WebhookRelay.Result(1, 0, 0));
        assertThat(receiver.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.verified()).as("signature verified by the receiver").isTrue();
            assertThat(d.id()).isEqualTo(event.id());
            assertThat(d.timestamp()).isEqualTo(Long.toString(NOW.getEpochSecond()));
            assertThat(d.signature()).startsWith("v1,");
            assertThat(d.contentType()).isEqualTo("application/json");
            assertThat(d.body()).isEqualTo(payload).contains("\"type\":\"portal_session.created\"");
        });
        assertThat(outbox.pending()).isEmpty();
        assertThat(outbox.deliveredCount()).isEqualTo(1);
    }

    @Test
    void aReceiverThatAnswers500IsRetriedAfterTheBackoffAndTheEventMarkedDeliveredOnce() {
        PortalEvent event = append(ALICE);
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(d -> calls.incrementAndGet() == 1 ? 500 : 200);
        WebhookRelay relay = relay();

        assertThat(relay.runOnce()).isEqualTo(new WebhookRelay.Result(0, 1, 0));
        assertThat(outbox.pending()).singleElement().extracting(OutboxEvent::attempts).isEqualTo(1);

        clock.advance(Duration.ofMillis(999));
        assertThat(relay.runOnce()).as("still within the backoff").isEqualTo(new WebhookRelay.Result(0, 0, 1));
        assertThat(receiver.deliveries()).hasSize(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(relay.runOnce()).isEqualTo(new WebhookRelay.Result(1, 0, 0));
        assertThat(receiver.deliveries()).extracting(WebhookReceiver.Delivery::id).containsExactly(event.id(), event.id());
        assertThat(receiver.deliveries()).extracting(WebhookReceiver.Delivery::answered).containsExactly(500, 200);
        assertThat(outbox.deliveredCount()).isEqualTo(1);
        assertThat(relay.runOnce()).as("nothing left").isEqualTo(new WebhookRelay.Result(0, 0, 0));
        assertThat(receiver.deliveries()).hasSize(2);
    }

    @Test
    void aReceiverThatIsDownIsRetriedUntilItIsBackOnTheSamePort() throws Exception {
        PortalEvent event = append(ALICE);
        int port = receiver.port();
        receiver.stop();
        WebhookRelay relay = relay();

        assertThat(relay.runOnce()).as("connection refused").isEqualTo(new WebhookRelay.Result(0, 1, 0));
        clock.advance(Duration.ofSeconds(1));
        assertThat(relay.runOnce()).as("still refused").isEqualTo(new WebhookRelay.Result(0, 1, 0));
        assertThat(outbox.pending()).singleElement().extracting(OutboxEvent::attempts).isEqualTo(2);

        receiver.start(port);
        clock.advance(Duration.ofSeconds(2)); // the second failure doubled the backoff
        assertThat(relay.runOnce()).isEqualTo(new WebhookRelay.Result(1, 0, 0));
        assertThat(receiver.accepted()).containsExactly(event.id());
        assertThat(outbox.pending()).isEmpty();
    }

    @Test
    @Timeout(20)
    void aReceiverSlowerThanTheTimeoutCountsAsAFailure() {
        PortalEvent event = append(ALICE);
        CountDownLatch stalled = receiver.stallRequests();
        WebhookRelay relay = relay(b -> b.requestTimeout(Duration.ofMillis(300)));

        long started = System.nanoTime();
        assertThat(relay.runOnce()).isEqualTo(new WebhookRelay.Result(0, 1, 0));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("gave up after the timeout")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(outbox.pending()).singleElement().extracting(OutboxEvent::attempts).isEqualTo(1);

        stalled.countDown();
        receiver.stopStalling();
        clock.advance(Duration.ofSeconds(1));
        assertThat(relay.runOnce()).isEqualTo(new WebhookRelay.Result(1, 0, 0));
        assertThat(receiver.accepted()).contains(event.id());
    }

    @Test
    void aRelayWithAnotherSecretIsRejectedByTheReceiver() {
        append(ALICE);
        String forged = "whsec_" + Base64.getEncoder().encodeToString(
                "0123456789abcdef0123456789abcdeF".getBytes(StandardCharsets.US_ASCII));
        WebhookRelay relay = relay(b -> b.secret(forged));

        assertThat(relay.runOnce()).isEqualTo(new WebhookRelay.Result(0, 1, 0));
        assertThat(receiver.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.verified()).isFalse();
            assertThat(d.answered()).isEqualTo(401);
        });
        assertThat(outbox.pending()).as("not delivered").hasSize(1);
    }

    @Test
    void duringARotationEachDeliveryCarriesOneSignaturePerSecretAndEitherReceiverVerifiesIt() throws Exception {
        String next = "whsec_" + Base64.getEncoder().encodeToString(
                "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        append(ALICE);
        append(BOB);
        WebhookRelay rotating = relay(b -> b.secret(next).additionalSecret(SECRET));
        assertThat(rotating.runOnce().delivered()).as("the receiver still holds the old secret").isEqualTo(1 + 1);
        assertThat(receiver.deliveries()).allSatisfy(d -> {
            assertThat(d.verified()).isTrue();
            assertThat(d.signature().split(" ")).hasSize(2).allMatch(sig -> sig.startsWith("v1,"));
        });

        try (WebhookReceiver upgraded = new WebhookReceiver(next, clock)) {
            append(ALICE);
            WebhookRelay toUpgraded = WebhookRelay.builder(outbox).url(upgraded.url()).secret(next)
                    .additionalSecret(SECRET).clock(clock).build();
            assertThat(toUpgraded.runOnce().delivered()).as("a receiver with the new secret").isEqualTo(1);
            assertThat(upgraded.deliveries()).singleElement().extracting(WebhookReceiver.Delivery::verified).isEqualTo(true);
        }
        assertThatThrownBy(() -> WebhookRelay.builder(outbox).additionalSecret("whsec_short"))
                .hasMessageContaining("WebhookRelay.additionalSecret");
        assertThatThrownBy(() -> WebhookRelay.builder(outbox).additionalSecret(SECRET).additionalSecret(SECRET)
                .additionalSecret(SECRET)).hasMessageContaining("at most 2");
    }

    @Test
    void theReceiversVerificationRejectsATamperedBodyIdOrTimestamp() throws Exception {
        // guards the guard: the receiver's own check refuses anything but the signed triple
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        long ts = NOW.getEpochSecond();
        String body = "{\"id\":\"evt_1\"}";
        String signature = "v1," + WebhookRelay.sign(key, "evt_1", ts, body.getBytes(StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        assertThat(post(http, "evt_1", ts, signature, body)).isEqualTo(200);
        assertThat(post(http, "evt_1", ts, signature, body + " ")).isEqualTo(401);
        assertThat(post(http, "evt_2", ts, signature, body)).isEqualTo(401);
        assertThat(post(http, "evt_1", ts + 1, signature, body)).isEqualTo(401);
        assertThat(post(http, "evt_1", ts, "v1," + Base64.getEncoder().encodeToString(new byte[32]), body)).isEqualTo(401);
        clock.advance(Duration.ofMinutes(6));
        assertThat(post(http, "evt_1", ts, signature, body)).as("too old").isEqualTo(401);
    }

    private int post(HttpClient http, String id, long ts, String signature, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(receiver.url()).header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(ts)).header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aCustomersLaterEventWaitsBehindItsFailedEarlierOneWhileOtherCustomersGoOn() {
        PortalEvent a1 = append(ALICE);
        PortalEvent b1 = append(BOB);
        PortalEvent a2 = append(ALICE);
        PortalEvent b2 = append(BOB);
        AtomicInteger a1Calls = new AtomicInteger();
        receiver.answer(d -> d.id().equals(a1.id()) && a1Calls.incrementAndGet() == 1 ? 503 : 200);
        WebhookRelay relay = relay();

        assertThat(relay.runOnce()).isEqualTo(new WebhookRelay.Result(2, 1, 1));
        assertThat(receiver.deliveries()).extracting(WebhookReceiver.Delivery::id)
                .as("alice's second event was not sent").containsExactly(a1.id(), b1.id(), b2.id());

        assertThat(relay.runOnce()).as("a1 in its backoff holds a2").isEqualTo(new WebhookRelay.Result(0, 0, 2));

        clock.advance(Duration.ofSeconds(1));
        assertThat(relay.runOnce()).isEqualTo(new WebhookRelay.Result(2, 0, 0));
        assertThat(receiver.accepted()).containsExactly(b1.id(), b2.id(), a1.id(), a2.id());
        assertThat(outbox.pending()).isEmpty();
    }

    @Test
    void aCrashBetweenThePostAndMarkDeliveredSendsTheEventAgainWithTheSameId() {
        PortalEvent event = append(ALICE);
        EventOutbox crashing = new EventOutbox() {
            @Override
            public void append(PortalEvent e) {
                outbox.append(e);
            }

            @Override
            public List<OutboxEvent> poll(int limit) {
                return outbox.poll(limit);
            }

            @Override
            public void markDelivered(Collection<Long> sequences) {
                throw new IllegalStateException("simulated crash before markDelivered");
            }
        };
        WebhookRelay beforeCrash = WebhookRelay.builder(crashing).url(receiver.url()).secret(SECRET).clock(clock).build();
        assertThatThrownBy(beforeCrash::runOnce).hasMessageContaining("simulated crash");
        assertThat(outbox.pending()).as("still in the outbox").hasSize(1);

        WebhookRelay afterRestart = relay();
        assertThat(afterRestart.runOnce()).isEqualTo(new WebhookRelay.Result(1, 0, 0));
        assertThat(receiver.accepted()).containsExactly(event.id(), event.id());
        assertThat(receiver.deliveries()).allMatch(WebhookReceiver.Delivery::verified);
        assertThat(outbox.pending()).isEmpty();
    }

    @Test
    void backoffDoublesUpToTheMaximumAndJitterComesFromTheInjectedRandom() {
        WebhookRelay plain = relay();
        assertThat(List.of(plain.backoff(1), plain.backoff(2), plain.backoff(3), plain.backoff(4), plain.backoff(60)))
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                        Duration.ofSeconds(5), Duration.ofSeconds(5));
        Random half = new Random() {
            @Override
            public double nextDouble() {
                return 0.5;
            }
        };
        WebhookRelay jittered = relay(b -> b.jitter(0.5).random(half));
        assertThat(jittered.backoff(2)).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aFailedEventIsTriedAgainExactlyWhenItsGrowingBackoffEnds() {
        append(ALICE);
        receiver.answer(d -> 500);
        WebhookRelay relay = relay();
        relay.runOnce(); // 1st failure: 1 s
        clock.advance(Duration.ofSeconds(1));
        relay.runOnce(); // 2nd: 2 s
        clock.advance(Duration.ofSeconds(2));
        relay.runOnce(); // 3rd: 4 s
        assertThat(receiver.deliveries()).hasSize(3);
        clock.advance(Duration.ofMillis(3_999));
        assertThat(relay.runOnce().deferred()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(relay.runOnce().failed()).isEqualTo(1);
        assertThat(receiver.deliveries()).hasSize(4);
        assertThat(outbox.pending()).singleElement().extracting(OutboxEvent::attempts).isEqualTo(4);
    }

    @Test
    @Timeout(20)
    void startRunsPassesOnADaemonThreadUntilClosed() throws Exception {
        PortalEvent first = append(ALICE);
        WebhookRelay relay = relay(b -> b.pollInterval(Duration.ofMillis(20)));
        relay.start();
        assertThat(relay.running()).isTrue();
        assertThatThrownBy(relay::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        receiver.awaitDeliveries(1);
        PortalEvent second = append(BOB);
        receiver.awaitDeliveries(2);
        relay.close();
        assertThat(relay.running()).isFalse();
        assertThat(receiver.accepted()).containsExactly(first.id(), second.id());

        append(ALICE);
        Thread.sleep(200); // bounded wait: would be several passes if it still ran
        assertThat(receiver.deliveries()).as("no pass after close").hasSize(2);
        assertThatThrownBy(relay::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        relay.close(); // idempotent
    }

    @Test
    void settingsFailFastNamingTheSetting() {
        WebhookRelayBuilder ok = WebhookRelay.builder(outbox).url(receiver.url()).secret(SECRET);
        assertThatThrownBy(() -> WebhookRelay.builder(outbox).secret(SECRET).build())
                .hasMessageContaining("WebhookRelay.url");
        assertThatThrownBy(() -> WebhookRelay.builder(outbox).url(receiver.url()).build())
                .hasMessageContaining("WebhookRelay.secret");
        assertThatThrownBy(() -> ok.secret("not-a-whsec")).hasMessageContaining("WebhookRelay.secret");
        assertThatThrownBy(() -> ok.secret("whsec_%%%")).hasMessageContaining("WebhookRelay.secret");
        assertThatThrownBy(() -> ok.secret("whsec_" + Base64.getEncoder().encodeToString(new byte[23])))
                .hasMessageContaining("WebhookRelay.secret").hasMessageContaining("24");
        assertThatThrownBy(() -> ok.secret(new byte[10])).hasMessageContaining("WebhookRelay.secret");
        assertThatThrownBy(() -> ok.url(URI.create("ftp://example.com/x"))).hasMessageContaining("WebhookRelay.url");
        assertThatThrownBy(() -> ok.url(URI.create("/relative"))).hasMessageContaining("WebhookRelay.url");
        assertThatThrownBy(() -> WebhookRelay.builder(outbox).url(URI.create("http://hooks.example.com/x"))
                .secret(SECRET).build()).hasMessageContaining("WebhookRelay.url").hasMessageContaining("https");
        assertThat(WebhookRelay.builder(outbox).url(URI.create("http://hooks.example.com/x")).allowPlainHttp(true)
                .secret(SECRET).build()).isNotNull();
        assertThatThrownBy(() -> ok.batchSize(0)).hasMessageContaining("WebhookRelay.batchSize");
        assertThatThrownBy(() -> ok.jitter(1.5)).hasMessageContaining("WebhookRelay.jitter");
        assertThatThrownBy(() -> ok.jitter(Double.NaN)).hasMessageContaining("WebhookRelay.jitter");
        assertThatThrownBy(() -> ok.requestTimeout(Duration.ZERO)).hasMessageContaining("WebhookRelay.requestTimeout");
        assertThatThrownBy(() -> ok.pollInterval(Duration.ofDays(2))).hasMessageContaining("WebhookRelay.pollInterval");
        assertThatThrownBy(() -> WebhookRelay.builder(outbox).url(receiver.url()).secret(SECRET)
                .initialBackoff(Duration.ofMinutes(2)).maxBackoff(Duration.ofMinutes(1)).build())
                .hasMessageContaining("WebhookRelay.maxBackoff");
    }

    @Test
    void toStringNamesTheReceiversOriginOnly() {
        WebhookRelay relay = WebhookRelay.builder(outbox).url(URI.create("https://hooks.example.com/in/s3cr3t?k=v"))
                .secret(SECRET).build();
        assertThat(relay.toString()).contains("https://hooks.example.com").doesNotContain("s3cr3t")
                .doesNotContain(SECRET.substring(6, 20)).contains("<redacted>");
    }
}
