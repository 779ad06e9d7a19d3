package dev.billingportal.core.memory;

import dev.billingportal.core.idempotency.IdempotencyRecord;
import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Idempotency records in memory: exactly one of any number of racing {@link #begin} calls for one key wins (an atomic
 * map operation). For tests, demos and single-node hosts; records are lost on restart. Thread-safe.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private record Key(String tenantId, String customerId, String key) {
    }

    private final Map<Key, IdempotencyRecord> records = new ConcurrentHashMap<>();

    private static Key keyOf(IdempotencyRecord record) {
        return new Key(record.tenantId(), record.customerId(), record.key());
    }

    @Override
    public Optional<IdempotencyRecord> begin(IdempotencyRecord started, Instant now) {
        Checks.required(started, "record");
        Checks.required(now, "now");
        AtomicReference<IdempotencyRecord> existing = new AtomicReference<>();
        records.compute(keyOf(started), (key, current) -> {
            if (current != null && current.expiresAt().isAfter(now)) {
                existing.set(current);
                return current;
            }
            return started;
        });
        return Optional.ofNullable(existing.get());
    }

    @Override
    public void complete(IdempotencyRecord completed) {
        Checks.required(completed, "record");
        records.computeIfPresent(keyOf(completed), (key, current) ->
                current.inProgress() && current.requestDigest().equals(completed.requestDigest()) ? completed : current);
    }

    @Override
    public void release(IdempotencyRecord started) {
        Checks.required(started, "record");
        records.remove(keyOf(started), started);
    }

    @Override
    public int purgeExpired(Instant now) {
        int before = records.size();
        records.values().removeIf(record -> !record.expiresAt().isAfter(now));
        return Math.max(0, before - records.size());
    }

    /** How many records are kept. */
    public int size() {
        return records.size();
    }
}
