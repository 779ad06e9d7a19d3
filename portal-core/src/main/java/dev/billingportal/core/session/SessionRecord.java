package dev.billingportal.core.session;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;

/**
 * What a {@link PortalSessionRepository} stores about a session: never the token itself, so a
 * leaked table holds no usable credential.
 *
 * <p>Two kinds share this record. A <em>link</em> ({@code linkId} null) is what the host creates and hands out as
 * a URL; in one-time mode it is {@linkplain #exchangedAt() exchanged} once. A session <em>exchanged from a link</em>
 * ({@code linkId} names the link) is what the page then uses; it ends when idle for longer than the service's
 * idle timeout, measured from {@link #lastSeenAt()}.
 *
 * @param id                the session id (the token's {@code jti})
 * @param customer          whose session it is
 * @param issuedAt          when it was issued
 * @param expiresAt         when it stops working, whatever its activity
 * @param locale            the language asked for, or null
 * @param returnUrl         the "back" link target, or null
 * @param configurationName the portal configuration name, or null
 * @param flow              the deep link, or null
 * @param revokedAt         when it was revoked, or null while it was not
 * @param linkId            the link this session was exchanged from, or null for a link
 * @param exchangedAt       when this link was exchanged for a session, or null while it was not (always null for an
 *                          exchanged session)
 * @param lastSeenAt        when this exchanged session was last seen active (its idle timeout counts from here), or
 *                          null for a link
 */
public record SessionRecord(String id, CustomerRef customer, Instant issuedAt, Instant expiresAt, Locale locale,
                            URI returnUrl, String configurationName, String flow, Instant revokedAt, String linkId,
                            Instant exchangedAt, Instant lastSeenAt) {

    /** Validates the required parts, and that only a link can be exchanged. */
    public SessionRecord {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(issuedAt, "issued_at");
        Checks.required(expiresAt, "expires_at");
        if (!expiresAt.isAfter(issuedAt)) {
            throw PortalException.invalid("expires_at", "must be after issued_at");
        }
        Checks.optionalHttpUrl(returnUrl, "return_url");
        Checks.optionalText(configurationName, "configuration_name");
        Checks.optionalText(flow, "flow");
        if (linkId != null) {
            Checks.id(linkId, "link_id");
            if (linkId.equals(id)) {
                throw PortalException.invalid("link_id", "must name another session");
            }
            if (exchangedAt != null) {
                throw PortalException.invalid("exchanged_at", "only a link can be exchanged");
            }
        }
    }

    /**
     * A link (or a session of a host that does not use one-time links): not exchanged, never seen.
     *
     * @param id                the session id
     * @param customer          whose session it is
     * @param issuedAt          when it was issued
     * @param expiresAt         when it stops working
     * @param locale            the language asked for, or null
     * @param returnUrl         the "back" link target, or null
     * @param configurationName the portal configuration name, or null
     * @param flow              the deep link, or null
     * @param revokedAt         when it was revoked, or null
     */
    public SessionRecord(String id, CustomerRef customer, Instant issuedAt, Instant expiresAt, Locale locale,
                         URI returnUrl, String configurationName, String flow, Instant revokedAt) {
        this(id, customer, issuedAt, expiresAt, locale, returnUrl, configurationName, flow, revokedAt, null, null, null);
    }

    /** Whether it has been revoked. */
    public boolean revoked() {
        return revokedAt != null;
    }

    /** Not revoked and not expired at {@code now} (idleness is the service's to judge). */
    public boolean activeAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }

    /** Whether this is a session exchanged from a link ({@link #linkId()} is set). */
    public boolean exchangedSession() {
        return linkId != null;
    }

    /** Whether this link has been exchanged for a session. */
    public boolean exchanged() {
        return exchangedAt != null;
    }

    /** A copy revoked at {@code at}. */
    public SessionRecord revokedAt(Instant at) {
        return new SessionRecord(id, customer, issuedAt, expiresAt, locale, returnUrl, configurationName, flow, at,
                linkId, exchangedAt, lastSeenAt);
    }

    /** A copy of this link, exchanged at {@code at}. */
    public SessionRecord exchangedAt(Instant at) {
        return new SessionRecord(id, customer, issuedAt, expiresAt, locale, returnUrl, configurationName, flow,
                revokedAt, linkId, at, lastSeenAt);
    }

    /** A copy last seen at {@code at}. */
    public SessionRecord lastSeenAt(Instant at) {
        return new SessionRecord(id, customer, issuedAt, expiresAt, locale, returnUrl, configurationName, flow,
                revokedAt, linkId, exchangedAt, at);
    }
}
