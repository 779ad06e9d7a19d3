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

/** Configures a {@link WebhookRelay}; fails fast naming the bad setting. */
public final class WebhookRelayBuilder {
    final EventOutbox outbox;
    URI url;
    byte[] key;
    final List<byte[]> additionalKeys = new java.util.ArrayList<>();
    boolean allowPlainHttp;
    HttpClient httpClient;
    Clock clock = Clock.systemUTC();
    Random random = new Random();
    Duration pollInterval = WebhookRelay.DEFAULT_POLL_INTERVAL;
    int batchSize = WebhookRelay.DEFAULT_BATCH_SIZE;
    Duration connectTimeout = WebhookRelay.DEFAULT_CONNECT_TIMEOUT;
    Duration requestTimeout = WebhookRelay.DEFAULT_REQUEST_TIMEOUT;
    Duration initialBackoff = WebhookRelay.DEFAULT_INITIAL_BACKOFF;
    Duration maxBackoff = WebhookRelay.DEFAULT_MAX_BACKOFF;
    double jitter = WebhookRelay.DEFAULT_JITTER;

    WebhookRelayBuilder(EventOutbox outbox) {
        this.outbox = Objects.requireNonNull(outbox, "WebhookRelay.outbox");
    }

    /**
     * Where to post events (required): an absolute {@code https} URL; {@code http} only for a loopback host or
     * with {@link #allowPlainHttp}.
     *
     * @param url the receiver's URL
     * @return this builder
     */
    public WebhookRelayBuilder url(URI url) {
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
    public WebhookRelayBuilder allowPlainHttp(boolean allowPlainHttp) {
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
    public WebhookRelayBuilder secret(String secret) {
        return secret(decode(secret, "secret"));
    }

    /**
     * The signing key as raw bytes, at least {@value WebhookRelay#MIN_SECRET_BYTES} (the receiver then holds
     * {@value WebhookRelay#SECRET_PREFIX} + their base64). Copied.
     *
     * @param key the key bytes
     * @return this builder
     */
    public WebhookRelayBuilder secret(byte[] key) {
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
    public WebhookRelayBuilder additionalSecret(String secret) {
        if (additionalKeys.size() == 2) {
            throw new IllegalArgumentException("WebhookRelay.additionalSecret: at most 2 besides the secret");
        }
        additionalKeys.add(decode(secret, "additionalSecret"));
        return this;
    }

    private static byte[] decode(String secret, String setting) {
        if (secret == null || !secret.startsWith(WebhookRelay.SECRET_PREFIX)) {
            throw new IllegalArgumentException("WebhookRelay." + setting + " must be " + WebhookRelay.SECRET_PREFIX
                    + "<base64 key>, as Standard Webhooks secrets are");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(secret.substring(WebhookRelay.SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("WebhookRelay." + setting + ": the part after " + WebhookRelay.SECRET_PREFIX
                    + " is not base64");
        }
        return checked(decoded, setting);
    }

    private static byte[] checked(byte[] key, String setting) {
        if (key == null || key.length < WebhookRelay.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("WebhookRelay." + setting + " must be at least " + WebhookRelay.MIN_SECRET_BYTES
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
    public WebhookRelayBuilder httpClient(HttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "WebhookRelay.httpClient");
        return this;
    }

    /**
     * The clock for signature timestamps and backoff (default the UTC system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public WebhookRelayBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "WebhookRelay.clock");
        return this;
    }

    /**
     * Where the jitter comes from (default a {@code new Random()}); tests pass a seeded one.
     *
     * @param random the source
     * @return this builder
     */
    public WebhookRelayBuilder random(Random random) {
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
    public WebhookRelayBuilder pollInterval(Duration pollInterval) {
        this.pollInterval = within(pollInterval, Duration.ofMillis(10), Duration.ofHours(1), "pollInterval");
        return this;
    }

    /**
     * Events read per pass (default {@value WebhookRelay#DEFAULT_BATCH_SIZE}), 1 to 10,000.
     *
     * @param batchSize the batch size
     * @return this builder
     */
    public WebhookRelayBuilder batchSize(int batchSize) {
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
    public WebhookRelayBuilder connectTimeout(Duration connectTimeout) {
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
    public WebhookRelayBuilder requestTimeout(Duration requestTimeout) {
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
    public WebhookRelayBuilder initialBackoff(Duration initialBackoff) {
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
    public WebhookRelayBuilder maxBackoff(Duration maxBackoff) {
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
    public WebhookRelayBuilder jitter(double jitter) {
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

