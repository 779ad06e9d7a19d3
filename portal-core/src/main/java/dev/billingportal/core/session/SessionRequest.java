package dev.billingportal.core.session;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalException;

import dev.billingportal.core.internal.Checks;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * What the host asks for when it creates a portal session. Immutable: each method returns a changed copy.
 *
 * <pre>{@code
 * SessionRequest.forCustomer("cus_123").tenant("acme").locale(Locale.FRENCH)
 *     .returnUrl(URI.create("https://app.example.com/settings"));
 * }</pre>
 *
 * @param externalCustomerId the customer's external id
 * @param tenantId           the tenant (default {@link CustomerRef#DEFAULT_TENANT})
 * @param locale             the language to show, or null for the customer's own
 * @param returnUrl          where the portal's "back" link leads (absolute http(s)), or null for none
 * @param configurationName  the portal configuration to apply, or null
 * @param flow               a deep link into one part of the portal, or null
 * @param ttl                a lifetime shorter than the service's session TTL, or null for the service's
 * @param client             who asked (the host's own caller: an admin's browser, a back-end service), recorded
 *                           in the {@code SESSION_CREATED} audit event; {@link ClientInfo#UNKNOWN} when not given
 */
public record SessionRequest(String externalCustomerId, String tenantId, Locale locale, URI returnUrl,
                             String configurationName, Flow flow, Duration ttl, ClientInfo client) {

    /** Validates every part. */
    public SessionRequest {
        Checks.id(externalCustomerId, "external_customer_id");
        Checks.id(tenantId, "tenant_id");
        Checks.optionalHttpUrl(returnUrl, "return_url");
        Checks.optionalText(configurationName, "configuration_name");
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw PortalException.invalid("ttl", "must be positive");
        }
        client = client == null ? ClientInfo.UNKNOWN : client;
    }

    /**
     * A request without client information.
     *
     * @param externalCustomerId the customer's external id
     * @param tenantId           the tenant
     * @param locale             the language, or null
     * @param returnUrl          the "back" link target, or null
     * @param configurationName  the portal configuration, or null
     * @param flow               a deep link, or null
     * @param ttl                a shorter lifetime, or null
     */
    public SessionRequest(String externalCustomerId, String tenantId, Locale locale, URI returnUrl,
                          String configurationName, Flow flow, Duration ttl) {
        this(externalCustomerId, tenantId, locale, returnUrl, configurationName, flow, ttl, ClientInfo.UNKNOWN);
    }

    /** A request for the customer with this external id, in the default tenant. */
    public static SessionRequest forCustomer(String externalCustomerId) {
        return new SessionRequest(externalCustomerId, CustomerRef.DEFAULT_TENANT, null, null, null, null, null);
    }

    /** A request for {@code customer}. */
    public static SessionRequest forCustomer(CustomerRef customer) {
        return forCustomer(customer.externalId()).tenant(customer.tenantId());
    }

    /** The customer asked for. */
    public CustomerRef customer() {
        return new CustomerRef(tenantId, externalCustomerId);
    }

    /** Copy with the tenant. */
    public SessionRequest tenant(String tenantId) {
        return new SessionRequest(externalCustomerId, tenantId, locale, returnUrl, configurationName, flow, ttl, client);
    }

    /** Copy with the language. */
    public SessionRequest locale(Locale locale) {
        return new SessionRequest(externalCustomerId, tenantId, locale, returnUrl, configurationName, flow, ttl, client);
    }

    /** Copy with the "back" link target. */
    public SessionRequest returnUrl(URI returnUrl) {
        return new SessionRequest(externalCustomerId, tenantId, locale, returnUrl, configurationName, flow, ttl, client);
    }

    /** Copy with a portal configuration name. */
    public SessionRequest configuration(String configurationName) {
        return new SessionRequest(externalCustomerId, tenantId, locale, returnUrl, configurationName, flow, ttl, client);
    }

    /** Copy with a deep link. */
    public SessionRequest flow(Flow flow) {
        return new SessionRequest(externalCustomerId, tenantId, locale, returnUrl, configurationName, flow, ttl, client);
    }

    /** Copy with a shorter lifetime than the service's default. */
    public SessionRequest ttl(Duration ttl) {
        return new SessionRequest(externalCustomerId, tenantId, locale, returnUrl, configurationName, flow, ttl, client);
    }

    /** Copy with the client that asked for the session, for the audit trail. */
    public SessionRequest client(ClientInfo client) {
        return new SessionRequest(externalCustomerId, tenantId, locale, returnUrl, configurationName, flow, ttl, client);
    }
}
