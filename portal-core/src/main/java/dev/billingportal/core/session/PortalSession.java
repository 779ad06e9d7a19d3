package dev.billingportal.core.session;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;

/**
 * A portal session just created for one customer: hand {@link #url()} to the customer's browser
 * (iframe or redirect). The {@link #token()} is a bearer credential: never log it; {@link #toString()}
 * leaves it and the URL out.
 *
 * <p>A session obtained by {@link dev.billingportal.core.PortalService#exchange exchanging} a one-time link is
 * not a link: it has no URL, and its token belongs in an {@code Authorization} header only, never in a URL.
 *
 * @param id                the session id (the token's {@code jti}); use it to revoke the session
 * @param customer          whose session it is
 * @param issuedAt          when it was issued
 * @param expiresAt         when it stops working
 * @param locale            the language asked for, or null to use the customer's or tenant's
 * @param returnUrl         where the portal's "back" link leads, or null for no back link
 * @param configurationName the name of the portal configuration to apply, or null for the default
 * @param flow              a deep link into one part of the portal (e.g. {@code invoices}), or null
 * @param token             the signed token
 * @param url               the portal URL carrying the token as {@code token} query parameter; null for a session
 *                          obtained by exchange
 */
public record PortalSession(String id, CustomerRef customer, Instant issuedAt, Instant expiresAt, Locale locale,
                            URI returnUrl, String configurationName, Flow flow, String token, URI url) {

    /** Validates that every required part is present and expiry follows issue. */
    public PortalSession {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(issuedAt, "issued_at");
        Checks.required(expiresAt, "expires_at");
        if (!expiresAt.isAfter(issuedAt)) {
            throw dev.billingportal.core.PortalException.invalid("expires_at", "must be after issued_at");
        }
        Checks.optionalHttpUrl(returnUrl, "return_url");
        Checks.required(token, "token");
    }

    /** Everything but the token and URL, which are credentials. */
    @Override
    public String toString() {
        return "PortalSession[id=" + id + ", customer=" + customer + ", issuedAt=" + issuedAt
                + ", expiresAt=" + expiresAt + ", locale=" + locale + ", returnUrl=" + returnUrl
                + ", configurationName=" + configurationName + ", flow=" + flow + ", token=<redacted>, url=<redacted>]";
    }
}
