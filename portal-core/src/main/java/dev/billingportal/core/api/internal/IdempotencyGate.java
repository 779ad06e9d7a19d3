package dev.billingportal.core.api.internal;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.ResponseBody;
import dev.billingportal.core.api.Route;
import dev.billingportal.core.idempotency.IdempotencyRecord;
import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.session.PortalContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Applies {@code Idempotency-Key} to a write: the first request with a key acts and its answer is kept for 24 hours
 * (in the same transaction as the write, with a transactional store); the same key, customer and request again gets
 * that answer without acting; the same key with another request is {@code 422 idempotency_key_reused}; while the
 * first still runs, {@code 409 request_in_progress}. Keys are scoped to the session's tenant and customer. Not API.
 */
public final class IdempotencyGate {
    /** How long a key is remembered. */
    public static final Duration RETENTION = Duration.ofHours(24);
    /** Longest key accepted. */
    public static final int MAX_KEY_LENGTH = 255;
    /** The header a replayed answer carries, so a client can tell it did not act again. */
    public static final String REPLAYED = "Idempotent-Replayed";
    private static final int MAX_STORED_BODY = 1024 * 1024;

    private IdempotencyGate() {
    }

    /**
     * Runs {@code action} at most once per key.
     *
     * @param portal  the portal (its store, clock and transactions)
     * @param ctx     the session
     * @param route   the route
     * @param request the request
     * @param action  the write
     * @return the answer: the action's, or the first one's again
     */
    public static PortalResponse run(PortalService portal, PortalContext ctx, Route route, PortalRequest request,
                                     Supplier<PortalResponse> action) {
        Optional<String> key = key(request);
        if (key.isEmpty()) {
            return portal.transactions().inTransaction(action::get);
        }
        IdempotencyStore store = portal.idempotency();
        Instant now = portal.clock().instant();
        IdempotencyRecord started = IdempotencyRecord.started(ctx.customer().tenantId(), ctx.customer().externalId(),
                key.get(), digest(route, request), now, now.plus(RETENTION));
        Optional<IdempotencyRecord> existing = store.begin(started, now);
        if (existing.isPresent()) {
            IdempotencyRecord first = existing.get();
            if (!first.requestDigest().equals(started.requestDigest())) {
                throw new PortalException(ErrorCode.VALIDATION_ERROR, "idempotency_key_reused",
                        "this Idempotency-Key was used with another request",
                        java.util.Map.of("Idempotency-Key", List.of("was used with another request")), null);
            }
            if (first.inProgress()) {
                throw new PortalException(ErrorCode.CONFLICT, "request_in_progress",
                        "a request with this Idempotency-Key is still running; retry in a moment");
            }
            return Http.withJsonHeaders(new PortalResponse.Builder(first.status()).header(REPLAYED, "true"))
                    .body(ResponseBody.of(first.body())).build();
        }
        try {
            return portal.transactions().inTransaction(() -> {
                PortalResponse response = action.get();
                byte[] body = bytes(response);
                store.complete(started.completed(response.status(), body));
                return new PortalResponse(response.status(), response.headers(), ResponseBody.of(body));
            });
        } catch (RuntimeException e) {
            // Nothing was done (the transaction rolled back, or the write refused before acting): a retry may act.
            try {
                store.release(started);
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
    }

    /**
     * The request's {@code Idempotency-Key}, validated: 1 to 255 visible ASCII characters, given once.
     *
     * @throws PortalException {@code INVALID_REQUEST invalid_idempotency_key} otherwise
     */
    public static Optional<String> key(PortalRequest request) {
        List<String> values = request.headers("Idempotency-Key");
        if (values.isEmpty()) {
            return Optional.empty();
        }
        String value = values.get(0);
        if (values.size() > 1 || value == null || value.isEmpty() || value.length() > MAX_KEY_LENGTH
                || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new PortalException(ErrorCode.INVALID_REQUEST, "invalid_idempotency_key",
                    "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters, given once");
        }
        if (dev.billingportal.core.payments.CardData.looksLikeCardData(value)) {
            // a key is opaque (19-digit nanosecond keys are common), so it is not refused; one that looks like a card
            // number is kept only as its hash, the same for every retry
            return Optional.of("sha256:" + Http.sha256Hex(value.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.of(value);
    }

    /**
     * What "the same request" means: same route, same path (the object acted on), same query (the language of the
     * answer), same body bytes.
     */
    private static String digest(Route route, PortalRequest request) {
        byte[] head = (route.route() + "\n" + request.rawPath() + "\n" + (request.rawQuery() == null ? "" : request.rawQuery())
                + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = request.body();
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return Http.sha256Hex(all);
    }

    private static byte[] bytes(PortalResponse response) {
        long length = response.body().length();
        if (length > MAX_STORED_BODY) {
            throw new IllegalStateException("a write's answer is too large to keep for idempotency");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length > 0 ? (int) length : 256);
        try {
            response.body().writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
