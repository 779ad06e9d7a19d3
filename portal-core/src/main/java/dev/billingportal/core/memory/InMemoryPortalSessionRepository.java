package dev.billingportal.core.memory;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sessions in memory: right for a single node. Several nodes need a shared store (the JDBC one), or a
 * revocation (or a one-time link's exchange) on one node would not reach the others. Thread-safe: every change is
 * an atomic map operation per session, so a revocation is visible to the next lookup on any thread and of any
 * number of concurrent {@link #markExchanged} calls for one link exactly one wins.
 */
public final class InMemoryPortalSessionRepository implements PortalSessionRepository {
    private final Map<String, SessionRecord> byId = new ConcurrentHashMap<>();

    @Override
    public void create(SessionRecord session) {
        Checks.required(session, "session");
        if (byId.putIfAbsent(session.id(), session) != null) {
            throw new PortalException(ErrorCode.CONFLICT, "session_exists", "a session with this id exists");
        }
    }

    @Override
    public Optional<SessionRecord> find(CustomerRef customer, String sessionId) {
        Checks.required(customer, "customer");
        if (sessionId == null) {
            return Optional.empty();
        }
        SessionRecord session = byId.get(sessionId);
        return session != null && session.customer().equals(customer) ? Optional.of(session) : Optional.empty();
    }

    @Override
    public Optional<SessionRecord> findById(String sessionId) {
        return sessionId == null ? Optional.empty() : Optional.ofNullable(byId.get(sessionId));
    }

    @Override
    public boolean revoke(String sessionId, Instant at) {
        Checks.required(sessionId, "session_id");
        Checks.required(at, "at");
        boolean[] revoked = {false};
        byId.computeIfPresent(sessionId, (id, session) -> {
            if (session.revoked()) {
                return session;
            }
            revoked[0] = true;
            return session.revokedAt(at);
        });
        // Then what was exchanged from it: a session exchanged concurrently was created before its link was marked
        // exchanged, and the mark fails once the link is revoked, so none escapes this walk.
        for (String id : byId.keySet()) {
            byId.computeIfPresent(id, (key, session) ->
                    sessionId.equals(session.linkId()) && !session.revoked() ? session.revokedAt(at) : session);
        }
        return revoked[0];
    }

    @Override
    public int revokeAll(CustomerRef customer, Instant at) {
        Checks.required(customer, "customer");
        Checks.required(at, "at");
        AtomicInteger count = new AtomicInteger();
        // Twice: the iteration is weakly consistent, so a session exchanged while it runs, from a link it then revokes,
        // may be stored in a part of the map already passed; it was stored before the link was marked, so a second
        // pass, started after the first one revoked that link, sees it.
        for (int pass = 0; pass < 2; pass++) {
            for (String id : byId.keySet()) {
                byId.computeIfPresent(id, (key, session) -> {
                    if (session.customer().equals(customer) && !session.revoked()) {
                        count.incrementAndGet();
                        return session.revokedAt(at);
                    }
                    return session;
                });
            }
        }
        return count.get();
    }

    @Override
    public boolean markExchanged(String sessionId, Instant at) {
        Checks.required(sessionId, "session_id");
        Checks.required(at, "at");
        boolean[] exchanged = {false};
        byId.computeIfPresent(sessionId, (id, session) -> {
            if (session.exchangedSession() || session.revoked() || session.exchanged()) {
                return session;
            }
            exchanged[0] = true;
            return session.exchangedAt(at);
        });
        return exchanged[0];
    }

    @Override
    public boolean touch(String sessionId, Instant at) {
        Checks.required(sessionId, "session_id");
        Checks.required(at, "at");
        boolean[] touched = {false};
        byId.computeIfPresent(sessionId, (id, session) -> {
            if (session.revoked() || (session.lastSeenAt() != null && !session.lastSeenAt().isBefore(at))) {
                return session;
            }
            touched[0] = true;
            return session.lastSeenAt(at);
        });
        return touched[0];
    }

    @Override
    public int deleteExpired(Instant before) {
        Checks.required(before, "before");
        AtomicInteger count = new AtomicInteger();
        // Decide and remove atomically per session: values().removeIf tests one version and removes only if it
        // is unchanged, so a session revoked in between was counted here and then deleted and counted again.
        for (String id : byId.keySet()) {
            byId.computeIfPresent(id, (key, session) -> {
                if (session.expiresAt().isBefore(before)) {
                    count.incrementAndGet();
                    return null;
                }
                return session;
            });
        }
        return count.get();
    }

    /** How many sessions are stored (live, revoked or expired). */
    public int size() {
        return byId.size();
    }
}
