package dev.billingportal.core.api;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Session storage that counts the sessions created, and fails on create when told to (a broken adapter). */
final class CountingSessions implements PortalSessionRepository {
    final AtomicInteger creates = new AtomicInteger();
    final AtomicBoolean broken = new AtomicBoolean();
    private final PortalSessionRepository delegate;

    CountingSessions(PortalSessionRepository delegate) {
        this.delegate = delegate;
    }

    @Override
    public void create(SessionRecord session) {
        if (broken.get()) {
            throw new IllegalStateException("simulated adapter failure");
        }
        creates.incrementAndGet();
        delegate.create(session);
    }

    @Override
    public Optional<SessionRecord> find(CustomerRef customer, String sessionId) {
        return delegate.find(customer, sessionId);
    }

    @Override
    public Optional<SessionRecord> findById(String sessionId) {
        return delegate.findById(sessionId);
    }

    @Override
    public boolean markExchanged(String sessionId, Instant at) {
        return delegate.markExchanged(sessionId, at);
    }

    @Override
    public boolean touch(String sessionId, Instant at) {
        return delegate.touch(sessionId, at);
    }

    @Override
    public boolean revoke(String sessionId, Instant at) {
        return delegate.revoke(sessionId, at);
    }

    @Override
    public int revokeAll(CustomerRef customer, Instant at) {
        return delegate.revokeAll(customer, at);
    }

    @Override
    public int deleteExpired(Instant before) {
        return delegate.deleteExpired(before);
    }
}
