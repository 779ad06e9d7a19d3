package dev.billingportal.core.idempotency;

import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.Arrays;

/**
 * What the portal remembers of one write sent with an {@code Idempotency-Key}: who sent it (tenant and customer), a
 * digest of what was asked (method, route and body), and, once the write is done, its answer.
 *
 * @param tenantId      the session's tenant
 * @param customerId    the session's customer (external id)
 * @param key           the client's {@code Idempotency-Key}
 * @param requestDigest SHA-256 of method, route and body, hex: the same key with another request is refused
 * @param createdAt     when the first request arrived
 * @param expiresAt     when the key may be forgotten (24 hours after creation)
 * @param status        the answer's HTTP status, or 0 while the first request is still running
 * @param body          the answer's body (JSON bytes; empty for none), or null while running
 */
public record IdempotencyRecord(String tenantId, String customerId, String key, String requestDigest,
                                Instant createdAt, Instant expiresAt, int status, byte[] body) {

    /** Validates the record. */
    public IdempotencyRecord {
        Checks.id(tenantId, "tenant_id");
        Checks.id(customerId, "customer_id");
        Checks.required(key, "key");
        Checks.required(requestDigest, "request_digest");
        Checks.required(createdAt, "created_at");
        Checks.required(expiresAt, "expires_at");
        if ((status == 0) != (body == null)) {
            throw new IllegalArgumentException("a completed record has both a status and a body; a running one neither");
        }
        body = body == null ? null : body.clone();
    }

    /** A record of a request that has just started. */
    public static IdempotencyRecord started(String tenantId, String customerId, String key, String requestDigest,
                                            Instant createdAt, Instant expiresAt) {
        return new IdempotencyRecord(tenantId, customerId, key, requestDigest, createdAt, expiresAt, 0, null);
    }

    /** This record completed with this answer. */
    public IdempotencyRecord completed(int status, byte[] body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status");
        }
        return new IdempotencyRecord(tenantId, customerId, key, requestDigest, createdAt, expiresAt, status,
                body == null ? new byte[0] : body);
    }

    /** Whether the first request is still running. */
    public boolean inProgress() {
        return status == 0;
    }

    /** The answer's body (a copy). */
    @Override
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdempotencyRecord r && tenantId.equals(r.tenantId) && customerId.equals(r.customerId)
                && key.equals(r.key) && requestDigest.equals(r.requestDigest) && createdAt.equals(r.createdAt)
                && expiresAt.equals(r.expiresAt) && status == r.status && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return (tenantId + customerId + key).hashCode() * 31 + status;
    }

    @Override
    public String toString() {
        // The key is the client's; the body may hold customer data: neither belongs in a log line.
        return "IdempotencyRecord[tenant=" + tenantId + ", status=" + status + ", expiresAt=" + expiresAt + "]";
    }
}
