package dev.billingportal.spring;

import dev.billingportal.core.session.LinkMode;
import dev.billingportal.jdbc.JdbcPortalStore;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The billing-portal.* settings. Only billing-portal.portal-url and
 * billing-portal.signing.secret are required (the secret not when the application defines its own
 * {@link dev.billingportal.core.token.TokenSigner} bean); a missing or bad one fails start-up naming it.
 *
 * @param portalUrl      the public URL of the portal page as customers reach it, e.g.
 *                       https://billing.example.com/portal/: links are this plus ?token=. Required.
 * @param path           where the portal is mounted in this application, below its context path (default
 *                       /portal): the page at PATH/, the API at PATH/api/
 * @param sessionTtl     how long a portal link lives (default 12h, between 1m and 7d)
 * @param linkMode       reusable (default): the link is the session, as in Lago; one-time: the link
 *                       opens the portal once and is exchanged for a short session
 * @param frameAncestors origins allowed to frame the portal page, e.g. https://app.example.com
 *                       (default none: the page refuses to be framed)
 * @param trustedProxies IP addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed
 *                       for the audit trail's client address (default none: the socket's peer)
 * @param signing        how links are signed
 * @param jdbc           the portal's tables in the application's DataSource
 * @param lago           Lago's admin endpoint for portal links
 */
@ConfigurationProperties("billing-portal")
public record PortalProperties(
        URI portalUrl,
        @DefaultValue(DEFAULT_PATH) String path,
        @DefaultValue("12h") Duration sessionTtl,
        @DefaultValue("reusable") LinkMode linkMode,
        List<String> frameAncestors,
        List<String> trustedProxies,
        @DefaultValue Signing signing,
        @DefaultValue Jdbc jdbc,
        @DefaultValue Lago lago) {

    /** Where the portal is mounted when {@code billing-portal.path} is not set. */
    public static final String DEFAULT_PATH = "/portal";

    /** Fills in what was left unset: empty lists, default nested settings. */
    public PortalProperties {
        frameAncestors = frameAncestors == null ? List.of() : List.copyOf(frameAncestors);
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        signing = signing == null ? new Signing(null, Signing.DEFAULT_KEY_ID) : signing;
        jdbc = jdbc == null ? new Jdbc(true, Jdbc.DEFAULT_TABLE_PREFIX, JdbcPortalStore.DEFAULT_CONFIGURATION_CACHE_TTL) : jdbc;
        lago = lago == null ? new Lago(null, Lago.DEFAULT_PATH) : lago;
    }

    /**
     * billing-portal.signing.*.
     *
     * @param secret the HS256 secret, base64 (standard or URL-safe alphabet), at least 32 bytes once decoded,
     *               e.g. from openssl rand -base64 32. Required unless the application defines a
     *               TokenSigner bean.
     * @param keyId  the key's id (kid) in every token (default default); give a new secret a new id
     */
    public record Signing(String secret, @DefaultValue(DEFAULT_KEY_ID) String keyId) {
        /** The key id when none is configured. */
        public static final String DEFAULT_KEY_ID = "default";

        /** The key id, never the secret. */
        @Override
        public String toString() {
            return "Signing[secret=" + (secret == null ? "unset" : "(hidden)") + ", keyId=" + keyId + "]";
        }
    }

    /**
     * billing-portal.jdbc.*.
     *
     * @param migrate               whether to create or upgrade the portal's tables at start-up (default true);
     *                              turn it off when the schema files run through Flyway or Liquibase instead
     * @param tablePrefix           the prefix of the portal's table names (default portal_)
     * @param configurationCacheTtl how long a configuration read from its table is used (default 5s, between 0s
     *                              and 1d; 0s reads the table on every request). A change made through the store is
     *                              seen at once in this application, one made elsewhere within this time
     */
    public record Jdbc(@DefaultValue("true") boolean migrate, @DefaultValue(DEFAULT_TABLE_PREFIX) String tablePrefix,
                       @DefaultValue(DEFAULT_CONFIGURATION_CACHE_TTL) Duration configurationCacheTtl) {
        /** The table prefix when none is configured. */
        public static final String DEFAULT_TABLE_PREFIX = "portal_";
        /** The configuration cache's time when none is configured: JdbcPortalStore's own default. */
        public static final String DEFAULT_CONFIGURATION_CACHE_TTL = "5s";
    }

    /**
     * billing-portal.lago.*.
     *
     * @param apiKey the API key Lago clients send as Authorization: Bearer (at least 16 characters); when
     *               set, GET PATH/customers/EXTERNAL_CUSTOMER_ID/portal_url is served (PATH being billing-portal.lago.path)
     * @param path   where Lago's API is mounted (default /api/v1)
     */
    public record Lago(String apiKey, @DefaultValue(DEFAULT_PATH) String path) {
        /** Lago's own API path. */
        public static final String DEFAULT_PATH = "/api/v1";

        /** The path, never the key. */
        @Override
        public String toString() {
            return "Lago[apiKey=" + (apiKey == null ? "unset" : "(hidden)") + ", path=" + path + "]";
        }
    }
}
