package dev.billingportal.core.session;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.profile.CustomerRepository;

import java.time.Instant;
import java.util.Optional;

/**
 * Stores portal sessions so they can be revoked before they expire, and so a one-time link can be exchanged
 * exactly once. Tokens themselves are never stored.
 *
 * <p>Implementations must be safe for concurrent use, across every node that shares the storage:
 * <ul>
 *   <li>a revocation must be visible to every {@link #find} that starts after {@link #revoke} or
 *       {@link #revokeAll} returned;</li>
 *   <li>{@link #markExchanged} must be atomic: of any number of calls for one link, on any nodes, at most one
 *       returns true (a single conditional {@code UPDATE}, or an atomic map operation);</li>
 *   <li>{@link #touch} changes nothing but the last-seen instant, so it can never undo a revocation.</li>
 * </ul>
 */
public interface PortalSessionRepository {

    /** Stores a new session. Fails with {@code CONFLICT}, writing nothing, if the id exists. */
    void create(SessionRecord session);

    /** The session with this id, if it belongs to {@code customer} (revoked and expired ones included). */
    Optional<SessionRecord> find(CustomerRef customer, String sessionId);

    /**
     * The session with this id, if it belongs to {@code customer}, together with that customer as {@code customers}
     * holds it: what every authenticated request reads. The default makes the two calls, {@link #find} then
     * {@link CustomerRepository#findByExternalId} (only when the session exists). A store that holds both may answer
     * in one read (the JDBC store joins the two tables), but only when {@code customers} is its own repository;
     * for any other it must ask {@code customers}, as the default does.
     *
     * <p>Like {@link #find}, it reads the primary: a revocation must be seen by the very next request.
     *
     * @param customer  whose session it must be
     * @param sessionId the session id, compared exactly
     * @param customers the portal's customer repository
     * @return the session and its customer (null when the customer no longer exists), or empty when no session of
     *         {@code customer} has this id
     */
    default Optional<SessionWithCustomer> findWithCustomer(CustomerRef customer, String sessionId,
                                                           CustomerRepository customers) {
        Checks.required(customers, "customers");
        return find(customer, sessionId)
                .map(session -> new SessionWithCustomer(session, customers.findByExternalId(customer).orElse(null)));
    }

    /**
     * The session with this id, whoever it belongs to: for host-side operations that name only the id (revocation,
     * to audit whose session it was). Never used to authenticate, which always goes through {@link #find}.
     *
     * @param sessionId the session id, compared exactly
     * @return the session, revoked and expired ones included
     */
    Optional<SessionRecord> findById(String sessionId);

    /**
     * Marks the session revoked at {@code at}, and with it every not-yet-revoked session exchanged from it
     * ({@link SessionRecord#linkId()} equal to {@code sessionId}), even when the session itself is revoked already
     * or deleted: revoking a link ends what was opened with it.
     *
     * @return true if a session with this id existed and was not revoked before
     */
    boolean revoke(String sessionId, Instant at);

    /**
     * Marks every not-yet-revoked session of {@code customer} (that tenant and external id only; links and exchanged
     * sessions alike) revoked at {@code at}, including a session exchanged concurrently from a link this call revokes:
     * that session is stored before its link is marked exchanged, and must not outlive the call (a single statement
     * whose snapshot predates it does not see it; a second one does).
     *
     * @return how many sessions this call revoked
     */
    int revokeAll(CustomerRef customer, Instant at);

    /**
     * Records that a link was exchanged for a session, atomically: sets {@link SessionRecord#exchangedAt()} to
     * {@code at} only if the session exists, is a link ({@code linkId} null), is not revoked and was not exchanged
     * before, in one indivisible step. Of any number of concurrent calls for one id, at most one returns true.
     * Expiry is the caller's to check.
     *
     * @param sessionId the link's id
     * @param at        when it is exchanged
     * @return true if this call exchanged it; false if it was unknown, an exchanged session, revoked or already
     *         exchanged (the first exchange instant is kept)
     */
    boolean markExchanged(String sessionId, Instant at);

    /**
     * Records activity: sets {@link SessionRecord#lastSeenAt()} to {@code at} if the session exists, is not revoked
     * and was last seen before {@code at} (or never), so the instant only moves forward however calls interleave.
     * Changes nothing else.
     *
     * @param sessionId the session's id
     * @param at        when it was seen
     * @return true if the last-seen instant moved to {@code at}
     */
    boolean touch(String sessionId, Instant at);

    /**
     * Deletes sessions that expired before {@code before}; they can no longer authenticate anyway.
     *
     * @return how many were deleted
     */
    int deleteExpired(Instant before);
}
