package dev.billingportal.core.idempotency;

import java.time.Instant;
import java.util.Optional;

/**
 * Remembers writes sent with an {@code Idempotency-Key} for 24 hours, scoped to one tenant and one customer (one
 * customer's key never meets another's). The portal calls {@link #begin} before acting; whoever's record is stored
 * first acts, everyone else gets the stored record back. Then {@link #complete} (in the same transaction as the write,
 * with a transactional store) or, when the write failed without acting, {@link #release}.
 *
 * <p>Implementations must be safe for concurrent use across threads and nodes: {@link #begin} is the one place where
 * "exactly once" is decided, so it must be atomic (a unique key, an atomic map operation). Failures surface as
 * {@code PortalException UNAVAILABLE}.
 */
public interface IdempotencyStore {

    /**
     * Stores {@code started} unless a live record of the same tenant, customer and key exists (an expired one is
     * replaced).
     *
     * @param started the record of the request about to run ({@link IdempotencyRecord#inProgress()})
     * @param now     the current time, to tell live from expired records
     * @return empty when {@code started} was stored (the caller acts), else the record that was there
     */
    Optional<IdempotencyRecord> begin(IdempotencyRecord started, Instant now);

    /**
     * Stores the answer of a request that {@link #begin} let act.
     *
     * @param completed the record with its answer ({@link IdempotencyRecord#completed})
     */
    void complete(IdempotencyRecord completed);

    /**
     * Forgets the running record of a request that failed without acting, so that a retry with the same key acts.
     *
     * @param started the record {@link #begin} stored
     */
    void release(IdempotencyRecord started);

    /**
     * Deletes records that expired before {@code now}.
     *
     * @param now the current time
     * @return how many were deleted
     */
    int purgeExpired(Instant now);
}
