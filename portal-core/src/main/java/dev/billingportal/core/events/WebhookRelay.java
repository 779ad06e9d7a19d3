package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Posts the events of an {@link EventOutbox} to one URL, signed by the
 * <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> scheme, so the host's other services learn what
 * customers did in the portal.
 *
 * <p>Each event is one {@code POST} of {@link OutboxEvent#payload()} ({@code Content-Type: application/json}) with
 * the headers {@code webhook-id} (the event's id, the same on every attempt: receivers deduplicate by it),
 * {@code webhook-timestamp} (unix seconds of this attempt) and {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "{id}.{timestamp}.{body}">} (one such signature per secret, space-separated, while {@link WebhookRelayBuilder#additionalSecret}
 * rotates it). A {@code 2xx} answer marks the event delivered; any other answer, a timeout or a
 * connection failure marks it failed and it is tried again after an exponential backoff ({@link WebhookRelayBuilder#initialBackoff}
 * doubling up to {@link WebhookRelayBuilder#maxBackoff}, shortened by up to {@link WebhookRelayBuilder#jitter} at random). Redirects are not
 * followed: a {@code 3xx} is a failure.
 *
 * <p>Guarantees: every event is delivered at least once (a crash between the {@code POST} and
 * {@link EventOutbox#markDelivered} sends it again, with the same {@code webhook-id}); a customer's events arrive in
 * the order they were appended, because a later event of a customer is not sent while an earlier one of the same
 * customer waits for its retry. Events are never dropped: an event the receiver keeps refusing holds back its
 * customer's later events until it is accepted (watch {@link OutboxEvent#attempts()}). Run one relay per outbox: two
 * relays over one outbox would each send every event.
 *
 * <p>Backoff times are kept in memory: after a restart, events that were waiting are tried at once.
 *
 * <p>Use {@link #runOnce()} from the host's own scheduler, or {@link #start()} for a daemon thread that runs it every
 * {@link WebhookRelayBuilder#pollInterval}; {@link #close()} stops it. Logs name events by id and type only, never their payload,
 * the secret or the URL's path and query. Thread-safe: passes never overlap.
 *
 * <pre>{@code
 * WebhookRelay relay = WebhookRelay.builder(outbox)
 *     .url(URI.create("https://hooks.example.com/billing-portal"))
 *     .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
 *     .build();
 * relay.start();
 * }</pre>
 */
public final class WebhookRelay implements AutoCloseable {
    /** Time between two passes of the {@link #start() background thread}, unless configured. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Events read from the outbox per pass, unless configured. */
    public static final int DEFAULT_BATCH_SIZE = 100;
    /** Longest wait for a connection to the receiver, unless configured. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longest wait for the receiver's answer, unless configured. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Wait before the first retry of a failed event, unless configured; it doubles with each failure. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(5);
    /** Longest wait between two attempts of one event, unless configured. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofHours(1);
    /** Share of a backoff taken off at random, unless configured (0 for none). */
    public static final double DEFAULT_JITTER = 0.2;
    /** Shortest signing secret, in bytes, as Standard Webhooks asks. */
    public static final int MIN_SECRET_BYTES = 24;
    /** The prefix of a Standard Webhooks secret: {@code whsec_} then the key in base64. */
    public static final String SECRET_PREFIX = "whsec_";
    /** The {@code User-Agent} of every request. */
    public static final String USER_AGENT = "billing-portal-webhook-relay";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRelay.class);

    private final EventOutbox outbox;
    private final URI url;
    private final String receiver;
    private final List<byte[]> keys;
    private final HttpClient http;
    private final Clock clock;
    private final Random random;
    private final Duration pollInterval;
    private final int batchSize;
    private final Duration requestTimeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double jitter;

    /** Retries by outbox sequence: when the event may be tried again, and how often it failed here. */
    private final Map<Long, Retry> retries = new HashMap<>();
    private final Object lifecycle = new Object();
    private ScheduledExecutorService executor;
    private boolean closed;

    private record Retry(int failures, Instant notBefore) {
    }

    /**
     * What one {@link #runOnce()} pass did.
     *
     * @param delivered events the receiver accepted and that were marked delivered
     * @param failed    events whose attempt failed (marked failed, to be retried after their backoff)
     * @param deferred  events not attempted in this pass: waiting for their backoff, or behind an earlier event of
     *                  the same customer that is
     */
    public record Result(int delivered, int failed, int deferred) {
    }

    WebhookRelay(WebhookRelayBuilder b) {
        this.outbox = b.outbox;
        this.url = b.url;
        this.receiver = b.url.getScheme() + "://" + b.url.getAuthority();
        List<byte[]> all = new java.util.ArrayList<>();
        all.add(b.key.clone());
        b.additionalKeys.forEach(k -> all.add(k.clone()));
        this.keys = List.copyOf(all);
        this.clock = b.clock;
        this.random = b.random;
        this.pollInterval = b.pollInterval;
        this.batchSize = b.batchSize;
        this.requestTimeout = b.requestTimeout;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.jitter = b.jitter;
        this.http = b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * A builder reading from {@code outbox}; {@link WebhookRelayBuilder#url} and {@link WebhookRelayBuilder#secret} are required.
     *
     * @param outbox the outbox to relay
     * @return the builder
     */
    public static WebhookRelayBuilder builder(EventOutbox outbox) {
        return new WebhookRelayBuilder(outbox);
    }

    /**
     * One pass: polls up to {@link WebhookRelayBuilder#batchSize} events and posts, oldest first, each that is due and not behind
     * a waiting event of its customer; marks each delivered right after the receiver accepted it, or failed.
     *
     * @return what the pass did
     * @throws dev.billingportal.core.PortalException as the outbox throws it (for example {@code UNAVAILABLE});
     *                                                events already accepted but not yet marked are sent again by a
     *                                                later pass
     */
    public synchronized Result runOnce() {
        List<OutboxEvent> events = outbox.poll(batchSize);
        if (events.size() < batchSize) {
            // the whole outbox was seen: forget retries of events someone else marked delivered
            Set<Long> pending = new HashSet<>();
            events.forEach(e -> pending.add(e.sequence()));
            retries.keySet().retainAll(pending);
        }
        Set<CustomerRef> held = new HashSet<>();
        int delivered = 0;
        int failed = 0;
        int deferred = 0;
        for (OutboxEvent event : events) {
            if (Thread.currentThread().isInterrupted()) {
                break; // closing: the rest waits for the next pass
            }
            Retry retry = retries.get(event.sequence());
            if (held.contains(event.customer())
                    || (retry != null && clock.instant().isBefore(retry.notBefore()))) {
                held.add(event.customer());
                deferred++;
                continue;
            }
            if (deliver(event)) {
                outbox.markDelivered(List.of(event.sequence()));
                retries.remove(event.sequence());
                delivered++;
            } else {
                int failures = Math.max(retry == null ? 0 : retry.failures(), event.attempts()) + 1;
                Instant notBefore = clock.instant().plus(backoff(failures));
                retries.put(event.sequence(), new Retry(failures, notBefore));
                outbox.markFailed(List.of(event.sequence()));
                held.add(event.customer());
                failed++;
                LOG.debug("webhook event {} ({}) retried not before {}", event.eventId(), event.type(), notBefore);
            }
        }
        return new Result(delivered, failed, deferred);
    }

    /** The wait after the {@code failures}-th failure: initial × 2^(failures−1), at most the maximum, less jitter. */
    Duration backoff(int failures) {
        Duration delay = maxBackoff;
        if (failures - 1 < 40) {
            long millis = initialBackoff.toMillis() << (failures - 1);
            if (millis > 0 && millis < maxBackoff.toMillis()) {
                delay = Duration.ofMillis(millis);
            }
        }
        if (jitter > 0) {
            delay = Duration.ofMillis(Math.round(delay.toMillis() * (1 - jitter * random.nextDouble())));
        }
        return delay;
    }

    private boolean deliver(OutboxEvent event) {
        byte[] body = event.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", event.eventId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signatures(event.eventId(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                LOG.debug("webhook event {} ({}) delivered to {}: {}", event.eventId(), event.type(), receiver, status);
                return true;
            }
            LOG.warn("webhook event {} ({}) refused by {}: HTTP {}", event.eventId(), event.type(), receiver, status);
        } catch (IOException e) {
            // the message of a timeout or a refused connection names neither payload nor secret
            LOG.warn("webhook event {} ({}) not delivered to {}: {}", event.eventId(), event.type(), receiver,
                    e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("webhook event {} ({}) not delivered to {}: interrupted", event.eventId(), event.type(), receiver);
        }
        return false;
    }

    /** {@code v1,<sig>} under each key, space-separated: a receiver holding any one of the secrets verifies it. */
    private String signatures(String id, long timestamp, byte[] body) {
        StringBuilder header = new StringBuilder();
        for (byte[] key : keys) {
            header.append(header.length() == 0 ? "" : " ").append("v1,").append(sign(key, id, timestamp, body));
        }
        return header.toString();
    }

    /**
     * The Standard Webhooks signature: base64 of HMAC-SHA256 under {@code key} of {@code "{id}.{timestamp}.{body}"}.
     */
    static String sign(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Starts a daemon thread ({@code billing-portal-webhook-relay}) that runs {@link #runOnce()} every
     * {@link WebhookRelayBuilder#pollInterval}, the first time at once. A failing pass (the outbox unavailable, say) is logged and
     * the next one runs at the next interval.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("WebhookRelay is closed");
            }
            if (executor != null) {
                throw new IllegalStateException("WebhookRelay is already started");
            }
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "billing-portal-webhook-relay");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::runSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
            executor = scheduler;
        }
    }

    private void runSafely() {
        try {
            Result result = runOnce();
            if (result.failed() > 0) {
                LOG.debug("webhook relay pass: {}", result);
            }
        } catch (RuntimeException e) {
            LOG.error("webhook relay pass failed; retrying in {}", pollInterval, e);
        }
    }

    /** Whether the background thread runs. */
    public boolean running() {
        synchronized (lifecycle) {
            return executor != null && !executor.isShutdown();
        }
    }

    /**
     * Stops the background thread, letting a pass in progress finish (at most the request timeout for its current
     * event, then it is interrupted). A relay that was never started just becomes closed. Idempotent.
     */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (lifecycle) {
            closed = true;
            running = executor;
        }
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            if (!running.awaitTermination(requestTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Names the receiver's origin only: the URL's path or query may hold a credential, the secret is one. */
    @Override
    public String toString() {
        return "WebhookRelay[receiver=" + receiver + ", secret=<redacted>]";
    }
}
