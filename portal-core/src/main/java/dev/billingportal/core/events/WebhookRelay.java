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
 * "{id}.{timestamp}.{body}">} (one such signature per secret, space-separated, while {@link Builder#additionalSecret}
 * rotates it). A {@code 2xx} answer marks the event delivered; any other answer, a timeout or a
 * connection failure marks it failed and it is tried again after an exponential backoff ({@link Builder#initialBackoff}
 * doubling up to {@link Builder#maxBackoff}, shortened by up to {@link Builder#jitter} at random). Redirects are not
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
 * {@link Builder#pollInterval}; {@link #close()} stops it. Logs name events by id and type only, never their payload,
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

    private WebhookRelay(Builder b) {
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
     * A builder reading from {@code outbox}; {@link Builder#url} and {@link Builder#secret} are required.
     *
     * @param outbox the outbox to relay
     * @return the builder
     */
    public static Builder builder(EventOutbox outbox) {
        return new Builder(outbox);
    }

    /**
     * One pass: polls up to {@link Builder#batchSize} events and posts, oldest first, each that is due and not behind
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
     * {@link Builder#pollInterval}, the first time at once. A failing pass (the outbox unavailable, say) is logged and
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

    /** Configures a {@link WebhookRelay}; fails fast naming the bad setting. */
    public static final class Builder {
        private final EventOutbox outbox;
        private URI url;
        private byte[] key;
        private final List<byte[]> additionalKeys = new java.util.ArrayList<>();
        private boolean allowPlainHttp;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private Random random = new Random();
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private double jitter = DEFAULT_JITTER;

        private Builder(EventOutbox outbox) {
            this.outbox = Objects.requireNonNull(outbox, "WebhookRelay.outbox");
        }

        /**
         * Where to post events (required): an absolute {@code https} URL; {@code http} only for a loopback host or
         * with {@link #allowPlainHttp}.
         *
         * @param url the receiver's URL
         * @return this builder
         */
        public Builder url(URI url) {
            Objects.requireNonNull(url, "WebhookRelay.url");
            if (!url.isAbsolute() || url.getHost() == null
                    || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))) {
                throw new IllegalArgumentException("WebhookRelay.url must be an absolute https URL, was not");
            }
            if (url.getRawFragment() != null || url.getRawUserInfo() != null) {
                throw new IllegalArgumentException("WebhookRelay.url must have neither user info nor fragment");
            }
            this.url = url;
            return this;
        }

        /**
         * Accepts a plain {@code http} URL for a host that is not loopback (default false): only inside a network you
         * trust, since anyone on the path can read the events.
         *
         * @param allowPlainHttp whether to accept {@code http}
         * @return this builder
         */
        public Builder allowPlainHttp(boolean allowPlainHttp) {
            this.allowPlainHttp = allowPlainHttp;
            return this;
        }

        /**
         * The signing secret (required) in the Standard Webhooks form: {@value WebhookRelay#SECRET_PREFIX} then the
         * key in base64, at least {@value WebhookRelay#MIN_SECRET_BYTES} bytes. Give the receiver the same string.
         *
         * @param secret the secret, read from your secret store
         * @return this builder
         */
        public Builder secret(String secret) {
            return secret(decode(secret, "secret"));
        }

        /**
         * The signing key as raw bytes, at least {@value WebhookRelay#MIN_SECRET_BYTES} (the receiver then holds
         * {@value WebhookRelay#SECRET_PREFIX} + their base64). Copied.
         *
         * @param key the key bytes
         * @return this builder
         */
        public Builder secret(byte[] key) {
            this.key = checked(key, "secret").clone();
            return this;
        }

        /**
         * A further secret to sign with while the receiver's secret is rotated (the same forms as {@link #secret(String)},
         * at most 2): {@code webhook-signature} then carries one {@code v1,} signature per secret, space-separated, and a
         * receiver holding either the old or the new secret verifies every delivery. Remove it once every receiver has
         * the new one.
         *
         * @param secret the other secret, {@value WebhookRelay#SECRET_PREFIX}{@code <base64>}
         * @return this builder
         */
        public Builder additionalSecret(String secret) {
            if (additionalKeys.size() == 2) {
                throw new IllegalArgumentException("WebhookRelay.additionalSecret: at most 2 besides the secret");
            }
            additionalKeys.add(decode(secret, "additionalSecret"));
            return this;
        }

        private static byte[] decode(String secret, String setting) {
            if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
                throw new IllegalArgumentException("WebhookRelay." + setting + " must be " + SECRET_PREFIX
                        + "<base64 key>, as Standard Webhooks secrets are");
            }
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("WebhookRelay." + setting + ": the part after " + SECRET_PREFIX
                        + " is not base64");
            }
            return checked(decoded, setting);
        }

        private static byte[] checked(byte[] key, String setting) {
            if (key == null || key.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("WebhookRelay." + setting + " must be at least " + MIN_SECRET_BYTES
                        + " random bytes");
            }
            return key;
        }

        /**
         * The HTTP client to post with (default: one of its own with {@link #connectTimeout} that follows no
         * redirects), for a proxy or a custom TLS setup; {@link #connectTimeout} then does not apply.
         *
         * @param httpClient the client
         * @return this builder
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "WebhookRelay.httpClient");
            return this;
        }

        /**
         * The clock for signature timestamps and backoff (default the UTC system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "WebhookRelay.clock");
            return this;
        }

        /**
         * Where the jitter comes from (default a {@code new Random()}); tests pass a seeded one.
         *
         * @param random the source
         * @return this builder
         */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "WebhookRelay.random");
            return this;
        }

        /**
         * Time between two passes of the background thread (default {@link WebhookRelay#DEFAULT_POLL_INTERVAL}),
         * from 10 ms to 1 hour.
         *
         * @param pollInterval the interval
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = within(pollInterval, Duration.ofMillis(10), Duration.ofHours(1), "pollInterval");
            return this;
        }

        /**
         * Events read per pass (default {@value WebhookRelay#DEFAULT_BATCH_SIZE}), 1 to 10,000.
         *
         * @param batchSize the batch size
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("WebhookRelay.batchSize must be 1 to 10000, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Longest wait for a connection (default {@link WebhookRelay#DEFAULT_CONNECT_TIMEOUT}), 1 ms to 5 minutes.
         *
         * @param connectTimeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = within(connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(5), "connectTimeout");
            return this;
        }

        /**
         * Longest wait for the answer to one post (default {@link WebhookRelay#DEFAULT_REQUEST_TIMEOUT}), 1 ms to
         * 5 minutes; a slower receiver counts as a failure.
         *
         * @param requestTimeout the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = within(requestTimeout, Duration.ofMillis(1), Duration.ofMinutes(5), "requestTimeout");
            return this;
        }

        /**
         * Wait before the first retry (default {@link WebhookRelay#DEFAULT_INITIAL_BACKOFF}), 1 ms to 1 day; each
         * further failure doubles it.
         *
         * @param initialBackoff the first wait
         * @return this builder
         */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = within(initialBackoff, Duration.ofMillis(1), Duration.ofDays(1), "initialBackoff");
            return this;
        }

        /**
         * Longest wait between attempts (default {@link WebhookRelay#DEFAULT_MAX_BACKOFF}), 1 ms to 7 days, and not
         * less than the initial backoff.
         *
         * @param maxBackoff the longest wait
         * @return this builder
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = within(maxBackoff, Duration.ofMillis(1), Duration.ofDays(7), "maxBackoff");
            return this;
        }

        /**
         * Share of each backoff taken off at random, 0 (none) to 1 (default {@value WebhookRelay#DEFAULT_JITTER}),
         * so that many events failed at once are not all retried at the same instant.
         *
         * @param jitter the share
         * @return this builder
         */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("WebhookRelay.jitter must be from 0 to 1, was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * Builds the relay (not started).
         *
         * @return the relay
         * @throws IllegalStateException naming the setting when the URL or secret is missing, the URL is plain
         *                               {@code http} to a host that is not loopback without {@link #allowPlainHttp},
         *                               or the maximum backoff is below the initial one
         */
        public WebhookRelay build() {
            if (url == null) {
                throw new IllegalStateException("WebhookRelay.url is required: where to post events");
            }
            if (key == null) {
                throw new IllegalStateException("WebhookRelay.secret is required: the whsec_ secret the receiver "
                        + "verifies signatures with");
            }
            if ("http".equalsIgnoreCase(url.getScheme()) && !allowPlainHttp && !loopback(url.getHost())) {
                throw new IllegalStateException("WebhookRelay.url must be https (http only to localhost, or with "
                        + "allowPlainHttp(true))");
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalStateException("WebhookRelay.maxBackoff must not be less than initialBackoff");
            }
            return new WebhookRelay(this);
        }

        private static boolean loopback(String host) {
            return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]");
        }

        private static Duration within(Duration value, Duration min, Duration max, String setting) {
            Objects.requireNonNull(value, "WebhookRelay." + setting);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException("WebhookRelay." + setting + " must be from " + min + " to " + max
                        + ", was " + value);
            }
            return value;
        }
    }
}
