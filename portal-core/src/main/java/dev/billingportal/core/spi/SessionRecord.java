package dev.billingportal.core.spi;

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
 * @param id                the session id (the token's {@code jti})
 * @param customer          whose session it is
 * @param issuedAt          when it was issued
 * @param expiresAt         when it stops working
 * @param locale            the language asked for, or null
 * @param returnUrl         the "back" link target, or null
 * @param configurationName the portal configuration name, or null
 * @param flow              the deep link, or null
 * @param revokedAt         when it was revoked, or null while it was not
 */
public record SessionRecord(String id, CustomerRef customer, Instant issuedAt, Instant expiresAt, Locale locale,
                            URI returnUrl, String configurationName, String flow, Instant revokedAt) {

    /** Validates the required parts. */
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
    }

    /** Whether it has been revoked. */
    public boolean revoked() {
        return revokedAt != null;
    }

    /** Not revoked and not expired at {@code now}. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }

    /** A copy revoked at {@code at}. */
    public SessionRecord revokedAt(Instant at) {
        return new SessionRecord(id, customer, issuedAt, expiresAt, locale, returnUrl, configurationName, flow, at);
    }
}
