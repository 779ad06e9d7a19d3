package dev.billingportal.core;

import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;

import java.time.Instant;
import java.util.Optional;

/** Session storage that forwards every call, for tests that intercept one of them. */
class ForwardingSessions implements PortalSessionRepository {
    private final PortalSessionRepository delegate;

    ForwardingSessions(PortalSessionRepository delegate) {
        this.delegate = delegate;
    }

    @Override
    public void create(SessionRecord session) {
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
    public boolean revoke(String sessionId, Instant at) {
        return delegate.revoke(sessionId, at);
    }

    @Override
    public int revokeAll(CustomerRef customer, Instant at) {
        return delegate.revokeAll(customer, at);
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
    public int deleteExpired(Instant before) {
        return delegate.deleteExpired(before);
    }
}
