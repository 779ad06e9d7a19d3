package dev.billingportal.core.spi;

import dev.billingportal.core.CustomerRef;

import java.time.Instant;
import java.util.Optional;

/**
 * Stores portal sessions so they can be revoked before they expire. Tokens themselves are never stored.
 * Implementations must be safe for concurrent use; a revocation must be visible to every
 * {@link #find} that starts after {@link #revoke} or {@link #revokeAll} returned.
 */
public interface PortalSessionRepository {

    /** Stores a new session. Fails with {@code CONFLICT}, writing nothing, if the id exists. */
    void create(SessionRecord session);

    /** The session with this id, if it belongs to {@code customer} (revoked and expired ones included). */
    Optional<SessionRecord> find(CustomerRef customer, String sessionId);

    /**
     * Marks the session revoked at {@code at}.
     *
     * @return true if a session with this id existed and was not revoked before
     */
    boolean revoke(String sessionId, Instant at);

    /**
     * Marks every not-yet-revoked session of {@code customer} (that tenant and external id only) revoked at
     * {@code at}.
     *
     * @return how many sessions this call revoked
     */
    int revokeAll(CustomerRef customer, Instant at);

    /**
     * Deletes sessions that expired before {@code before}; they can no longer authenticate anyway.
     *
     * @return how many were deleted
     */
    int deleteExpired(Instant before);
}
