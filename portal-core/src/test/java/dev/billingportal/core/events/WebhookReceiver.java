package dev.billingportal.core.events;

import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real webhook receiver on 127.0.0.1 that verifies Standard Webhooks signatures with code of its own (not the
 * relay's): it decodes the {@code whsec_} secret, recomputes the HMAC of {@code id.timestamp.body}, compares it in
 * constant time with each {@code v1,} signature of the header, and checks the timestamp is within 5 minutes of its
 * clock. A request that fails verification is answered {@code 401}; one that passes is answered as {@code behaviour}
 * says (default 200).
 */
final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    record Delivery(String id, String timestamp, String signature, String contentType, String body, boolean verified,
                    int answered) {
    }

    private final byte[] key;
    private final Clock clock;
    private final List<Delivery> deliveries = new ArrayList<>();
    private volatile Function<Delivery, Integer> behaviour = d -> 200;
    private volatile CountDownLatch stall;
    private HttpServer server;
    private int port;

    WebhookReceiver(String whsecSecret, Clock clock) throws IOException {
        if (!whsecSecret.startsWith("whsec_")) {
            throw new IllegalArgumentException("not a whsec_ secret");
        }
        this.key = Base64.getDecoder().decode(whsecSecret.substring("whsec_".length()));
        this.clock = clock;
        start(0);
    }

    /** Binds 127.0.0.1 on {@code port} (0: any free port) and serves. */
    void start(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/hooks", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String id = exchange.getRequestHeaders().getFirst("webhook-id");
                String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
                String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
                boolean verified = "POST".equals(exchange.getRequestMethod()) && verify(id, timestamp, signature, body);
                Delivery delivery = new Delivery(id, timestamp, signature,
                        exchange.getRequestHeaders().getFirst("Content-Type"), body, verified, 0);
                CountDownLatch wait = stall;
                if (wait != null) {
                    wait.await(30, TimeUnit.SECONDS);
                }
                int status = verified ? behaviour.apply(delivery) : 401;
                synchronized (deliveries) {
                    deliveries.add(new Delivery(id, timestamp, signature, delivery.contentType(), body, verified, status));
                }
                exchange.sendResponseHeaders(status, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        this.port = server.getAddress().getPort();
    }

    /** Stops listening: connections are refused until {@link #start} again. */
    void stop() {
        server.stop(0);
    }

    private boolean verify(String id, String timestamp, String header, String body) {
        if (id == null || timestamp == null || header == null || !timestamp.matches("[0-9]{1,12}")) {
            return false;
        }
        long sent = Long.parseLong(timestamp);
        if (Math.abs(clock.instant().getEpochSecond() - sent) > 300) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        for (String candidate : header.split(" ")) {
            if (candidate.startsWith("v1,")) {
                byte[] presented;
                try {
                    presented = Base64.getDecoder().decode(candidate.substring(3));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, presented)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The status to answer verified deliveries with. */
    void answer(Function<Delivery, Integer> behaviour) {
        this.behaviour = behaviour;
    }

    /** Holds every request until the returned latch is released (a slow receiver). */
    CountDownLatch stallRequests() {
        CountDownLatch latch = new CountDownLatch(1);
        stall = latch;
        return latch;
    }

    /** Answers at once again. */
    void stopStalling() {
        CountDownLatch latch = stall;
        stall = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port + "/hooks");
    }

    int port() {
        return port;
    }

    List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /** Ids of the requests answered 2xx, in arrival order. */
    List<String> accepted() {
        return deliveries().stream().filter(d -> d.answered() / 100 == 2).map(Delivery::id).toList();
    }

    /** Waits (bounded) until {@code count} requests have been answered. */
    void awaitDeliveries(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (deliveries().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        stopStalling();
        server.stop(0);
    }
}
