package dev.billingportal.core.session;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalService;

import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.CustomerScope;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;

/**
 * An authenticated portal request: who it is for, how to present it, and who sent it. Obtained from
 * {@link PortalService#authenticate(String, ClientInfo)}; every portal read takes it, so every read is scoped to
 * this customer, and audited actions (downloads) record its client.
 *
 * @param sessionId         the session (token {@code jti})
 * @param customer          the authenticated customer, as loaded during authentication
 * @param locale            the language to present in: the session's, else the customer's, else the default
 * @param returnUrl         the "back" link target, or null
 * @param expiresAt         when the session ends
 * @param configurationName the portal configuration name, or null
 * @param flow              the deep link, or null
 * @param client            the client of the request, as the host passed it in ({@link ClientInfo#UNKNOWN} when not)
 * @param configuration     the configuration the session resolved to (the tenant's or the service's default when
 *                          it named none); {@link PortalConfiguration#DEFAULT} when null
 */
public record PortalContext(String sessionId, Customer customer, Locale locale, URI returnUrl, Instant expiresAt,
                            String configurationName, Flow flow, ClientInfo client, PortalConfiguration configuration) {

    /** Validates the required parts; a null client becomes {@link ClientInfo#UNKNOWN}. */
    public PortalContext {
        Checks.id(sessionId, "session_id");
        Checks.required(customer, "customer");
        Checks.required(locale, "locale");
        Checks.required(expiresAt, "expires_at");
        client = client == null ? ClientInfo.UNKNOWN : client;
        configuration = configuration == null ? PortalConfiguration.DEFAULT : configuration;
    }

    /**
     * A context whose client is unknown.
     *
     * @param sessionId         the session
     * @param customer          the authenticated customer
     * @param locale            the language to present in
     * @param returnUrl         the "back" link target, or null
     * @param expiresAt         when the session ends
     * @param configurationName the portal configuration name, or null
     * @param flow              the deep link, or null
     */
    public PortalContext(String sessionId, Customer customer, Locale locale, URI returnUrl, Instant expiresAt,
                         String configurationName, Flow flow) {
        this(sessionId, customer, locale, returnUrl, expiresAt, configurationName, flow, ClientInfo.UNKNOWN, null);
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
