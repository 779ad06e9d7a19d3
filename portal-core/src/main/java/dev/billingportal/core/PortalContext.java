package dev.billingportal.core;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.spi.CustomerScope;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;

/**
 * An authenticated portal request: who it is for and how to present it. Obtained from
 * {@link PortalService#authenticate(String)}; every portal read takes it, so every read is scoped to
 * this customer.
 *
 * @param sessionId         the session (token {@code jti})
 * @param customer          the authenticated customer, as loaded during authentication
 * @param locale            the language to present in: the session's, else the customer's, else the default
 * @param returnUrl         the "back" link target, or null
 * @param expiresAt         when the session ends
 * @param configurationName the portal configuration name, or null
 * @param flow              the deep link, or null
 */
public record PortalContext(String sessionId, Customer customer, Locale locale, URI returnUrl, Instant expiresAt,
                            String configurationName, String flow) {

    /** Validates the required parts. */
    public PortalContext {
        Checks.id(sessionId, "session_id");
        Checks.required(customer, "customer");
        Checks.required(locale, "locale");
        Checks.required(expiresAt, "expires_at");
    }

    /** The tenant and external id of the customer. */
    public CustomerRef customerRef() {
        return customer.ref();
    }

    /** The scope to pass to repositories. */
    public CustomerScope scope() {
        return CustomerScope.of(customer);
    }
}
