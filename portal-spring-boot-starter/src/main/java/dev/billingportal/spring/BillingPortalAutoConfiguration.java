package dev.billingportal.spring;

import dev.billingportal.core.PortalService;
import dev.billingportal.core.PortalServiceBuilder;
import dev.billingportal.core.PortalTransactions;
import dev.billingportal.core.config.PortalConfigurations;
import dev.billingportal.core.events.EventOutbox;
import dev.billingportal.core.events.PortalEventListener;
import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.Branding;
import dev.billingportal.core.api.LagoCompatibleApi;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.invoices.InvoiceDocumentStore;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.token.TokenSigner;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.jdbc.JdbcPortalStore;
import dev.billingportal.jdbc.PortalSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The portal in a Spring Boot application, from its {@code DataSource} and {@code billing-portal.*} properties
 * ({@link PortalProperties}): a {@link JdbcPortalStore} whose tables are migrated at start-up, the repositories it
 * hands out, an HS256 {@link TokenSigner}, the {@link PortalService} and the {@link PortalApi}; with
 * {@code billing-portal.lago.api-key}, also Lago's endpoint for portal links ({@link LagoCompatibleApi}).
 * {@link BillingPortalServletAutoConfiguration} mounts them in a servlet web application.
 *
 * <p>Every bean backs off when the application defines one of the same type: the application's own repositories,
 * signer, document store or service win. An application's own {@link JdbcPortalStore} (with a read replica,
 * say) replaces the starter's, and then the starter migrates no schema. Beans that are
 * only consulted when present: {@link InvoiceDocumentStore} (downloads), {@link Branding}, and every
 * {@link PortalServiceCustomizer}. The self-service feature providers (subscriptions, payment methods, usage,
 * wallets) will join these the same way: one more {@code ObjectProvider} parameter of
 * {@link #billingPortalService} handing the bean, if there is one, to the builder.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(PortalProperties.class)
public class BillingPortalAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(BillingPortalAutoConfiguration.class);
    private static final String STORE_ACTION = "give the application a DataSource (spring-boot-starter-jdbc and"
            + " spring.datasource.url), or define CustomerRepository, InvoiceRepository and PortalSessionRepository beans";

    /** Created by Spring Boot. */
    public BillingPortalAutoConfiguration() {
    }

    /**
     * The JDBC store over the application's only {@code DataSource}; its tables are created or upgraded first
     * unless {@code billing-portal.jdbc.migrate=false}.
     *
     * @param dataSource the application's data source
     * @param properties the settings
     * @return the store
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    public JdbcPortalStore billingPortalJdbcStore(DataSource dataSource, PortalProperties properties) {
        String prefix = properties.jdbc().tablePrefix();
        // Checked before any SQL runs with it.
        JdbcPortalStore.Builder builder = setting("billing-portal.jdbc.table-prefix",
                "use lower-case letters, digits and underscores, e.g. portal_",
                () -> JdbcPortalStore.builder(dataSource).tablePrefix(prefix));
        setting("billing-portal.jdbc.configuration-cache-ttl", "give a duration between 0s and 1d, e.g. 5s",
                () -> builder.configurationCacheTtl(properties.jdbc().configurationCacheTtl()));
        if (properties.jdbc().migrate()) {
            List<Integer> applied = PortalSchema.migrate(dataSource, prefix);
            LOG.info("billing portal schema (tables {}*): {}", prefix,
                    applied.isEmpty() ? "up to date" : "applied versions " + applied);
        }
        return builder.build();
    }

    /**
     * Customers, from the JDBC store.
     *
     * @param store the store, when there is one
     * @return the repository
     */
    @Bean
    @ConditionalOnMissingBean
    public CustomerRepository billingPortalCustomers(ObjectProvider<JdbcPortalStore> store) {
        return store(store, "CustomerRepository").customers();
    }

    /**
     * Invoices, from the JDBC store.
     *
     * @param store the store, when there is one
     * @return the repository
     */
    @Bean
    @ConditionalOnMissingBean
    public InvoiceRepository billingPortalInvoices(ObjectProvider<JdbcPortalStore> store) {
        return store(store, "InvoiceRepository").invoices();
    }

    /**
     * Portal sessions (revocation, one-time links), from the JDBC store.
     *
     * @param store the store, when there is one
     * @return the repository
     */
    @Bean
    @ConditionalOnMissingBean
    public PortalSessionRepository billingPortalSessions(ObjectProvider<JdbcPortalStore> store) {
        return store(store, "PortalSessionRepository").sessions();
    }

    /**
     * The audit trail, from the JDBC store.
     *
     * @param store the store
     * @return the audit trail
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    public AuditTrail billingPortalAuditTrail(JdbcPortalStore store) {
        return store.audit();
    }

    /**
     * The tenants' named portal configurations, in the store's configurations table (edit them from your admin).
     *
     * @param store the store
     * @return the configurations
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    public PortalConfigurations billingPortalConfigurations(JdbcPortalStore store) {
        return store.configurations();
    }

    /**
     * The transactional outbox: every portal event, written in the transaction of its write.
     *
     * @param store the store
     * @return the outbox
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    public EventOutbox billingPortalOutbox(JdbcPortalStore store) {
        return store.outbox();
    }

    /**
     * Runs each write with its audit record, event and idempotency record in one transaction of the store.
     *
     * @param store the store
     * @return the transactions
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    public PortalTransactions billingPortalTransactions(JdbcPortalStore store) {
        return store.transactions();
    }

    /**
     * Idempotency keys in the store, shared by every node of the application.
     *
     * @param store the store
     * @return the idempotency store
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    public IdempotencyStore billingPortalIdempotency(JdbcPortalStore store) {
        return store.idempotency();
    }

    /**
     * HS256 over {@code billing-portal.signing.secret}, with key id {@code billing-portal.signing.key-id}.
     *
     * @param properties the settings
     * @return the signer
     */
    @Bean
    @ConditionalOnMissingBean
    public TokenSigner billingPortalTokenSigner(PortalProperties properties) {
        String keyId = properties.signing().keyId();
        SigningKey key = setting("billing-portal.signing.key-id", "use a short printable id such as 2026-01",
                () -> SigningKey.hs256(keyId, secret(properties.signing().secret())));
        return JwtTokenSigner.hs256(KeyRing.of(key));
    }

    /** The decoded secret, checked; the messages never hold the value. */
    static byte[] secret(String secret) {
        String property = "billing-portal.signing.secret";
        String generate = "set it to a random secret of at least " + SigningKey.MIN_HMAC_SECRET_BYTES
                + " bytes in base64, e.g. from `openssl rand -base64 32`, or define a TokenSigner bean";
        if (secret == null || secret.isBlank()) {
            throw new BillingPortalConfigurationException(property,
                    property + " is required unless the application defines a TokenSigner bean", generate);
        }
        byte[] bytes;
        try {
            String value = secret.strip();
            bytes = value.indexOf('-') >= 0 || value.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(value) : Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            // Not chained: the decoder's message may quote a character of the secret.
            throw new BillingPortalConfigurationException(property, property + " is not valid base64", generate);
        }
        if (bytes.length < SigningKey.MIN_HMAC_SECRET_BYTES) {
            throw new BillingPortalConfigurationException(property, property + " must decode to at least "
                    + SigningKey.MIN_HMAC_SECRET_BYTES + " bytes (256 bits), was " + bytes.length, generate);
        }
        return bytes;
    }

    /**
     * The portal service from the settings, the repositories and signer, and what optional beans there are.
     *
     * @param properties  the settings
     * @param customers   customers
     * @param invoices    invoices
     * @param sessions    sessions
     * @param tokenSigner the signer
     * @param audit       the audit trail, when there is one
     * @param documents   the invoice documents, when there is a store for them
     * @param configurations the tenants' portal configurations, when there are some
     * @param outbox      the event outbox, when there is one
     * @param transactions the store's transactions, when there are some
     * @param idempotency the idempotency store, when there is one
     * @param listener    the application's event listener, when there is one
     * @param customizers last adjustments
     * @return the service
     */
    @Bean
    @ConditionalOnMissingBean
    public PortalService billingPortalService(PortalProperties properties, CustomerRepository customers,
                                              InvoiceRepository invoices, PortalSessionRepository sessions,
                                              TokenSigner tokenSigner, ObjectProvider<AuditTrail> audit,
                                              ObjectProvider<InvoiceDocumentStore> documents,
                                              ObjectProvider<PortalConfigurations> configurations,
                                              ObjectProvider<EventOutbox> outbox,
                                              ObjectProvider<PortalTransactions> transactions,
                                              ObjectProvider<IdempotencyStore> idempotency,
                                              ObjectProvider<PortalEventListener> listener,
                                              ObjectProvider<PortalServiceCustomizer> customizers) {
        if (properties.portalUrl() == null) {
            throw new BillingPortalConfigurationException("billing-portal.portal-url",
                    "billing-portal.portal-url is required: the public URL of the portal page, where links point",
                    "set it to this application's public URL plus billing-portal.path and a slash, e.g."
                            + " https://billing.example.com" + properties.path() + "/");
        }
        PortalServiceBuilder builder = PortalService.builder()
                .customers(customers)
                .invoices(invoices)
                .sessions(sessions)
                .tokenSigner(tokenSigner)
                .linkMode(properties.linkMode());
        setting("billing-portal.portal-url", "give an absolute http(s) URL without a token parameter",
                () -> builder.portalUrl(properties.portalUrl()));
        setting("billing-portal.session-ttl", "give a duration between 1m and 7d, e.g. 12h",
                () -> builder.sessionTtl(properties.sessionTtl()));
        if (!properties.frameAncestors().isEmpty()) {
            PortalConfiguration configuration = setting("billing-portal.frame-ancestors",
                    "list origins such as https://app.example.com (scheme, host and optional port, nothing else)",
                    () -> PortalConfiguration.builder().frameAncestors(properties.frameAncestors()).build());
            builder.defaultConfiguration(configuration);
        }
        audit.ifAvailable(builder::audit);
        documents.ifAvailable(builder::documents);
        configurations.ifAvailable(builder::configurations);
        outbox.ifAvailable(builder::outbox);
        transactions.ifAvailable(builder::transactions);
        idempotency.ifAvailable(builder::idempotency);
        listener.ifAvailable(builder::eventListener);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return setting("billing-portal", "check the billing-portal.* settings and any PortalServiceCustomizer",
                builder::build);
    }

    /**
     * The page and its API, at {@code billing-portal.path} and {@code billing-portal.path + "/api"}.
     *
     * @param portal     the service
     * @param properties the settings
     * @param branding   the page's name, logo and colour, when the application defines them
     * @return the API
     */
    @Bean
    @ConditionalOnMissingBean
    public PortalApi billingPortalApi(PortalService portal, PortalProperties properties,
                                      ObjectProvider<Branding> branding) {
        String path = properties.path();
        PortalApi.Builder builder = setting("billing-portal.path", "give a path such as /portal or /billing/portal",
                () -> PortalApi.builder(portal).uiPath(path).basePath(path + "/api"));
        branding.ifAvailable(builder::branding);
        String urlPath = portal.portalUrl().getPath();
        if (urlPath == null || !(urlPath.endsWith(path) || urlPath.endsWith(path + "/"))) {
            // A proxy may rewrite paths, so this is a hint, not an error.
            LOG.warn("billing-portal.portal-url ({}) does not end with billing-portal.path ({}): links may miss the page",
                    portal.portalUrl(), path);
        }
        return builder.build();
    }

    /** Lago's endpoint for portal links, when {@code billing-portal.lago.api-key} is set. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "billing-portal.lago", name = "api-key")
    public static class Lago {
        /** Created by Spring. */
        public Lago() {
        }

        /**
         * The endpoint, with the configured key for the default tenant.
         *
         * @param portal     the service
         * @param properties the settings
         * @return the endpoint
         */
        @Bean
        @ConditionalOnMissingBean
        public LagoCompatibleApi billingPortalLagoApi(PortalService portal, PortalProperties properties) {
            LagoCompatibleApi.Builder builder = setting("billing-portal.lago.path", "give a path such as /api/v1",
                    () -> LagoCompatibleApi.builder(portal).basePath(properties.lago().path()));
            // Not chained: the builder's message is about the key, and this one names the setting without it.
            String key = properties.lago().apiKey();
            if (key == null || key.strip().length() < LagoCompatibleApi.MIN_API_KEY_LENGTH || !key.equals(key.strip())) {
                throw new BillingPortalConfigurationException("billing-portal.lago.api-key", "billing-portal.lago.api-key"
                        + " must be at least " + LagoCompatibleApi.MIN_API_KEY_LENGTH + " characters without surrounding blanks",
                        "set a long random key, e.g. from `openssl rand -hex 24`, or remove the setting");
            }
            return builder.apiKey(key).build();
        }
    }

    private static JdbcPortalStore store(ObjectProvider<JdbcPortalStore> store, String what) {
        JdbcPortalStore found = store.getIfAvailable();
        if (found == null) {
            throw new BillingPortalConfigurationException("spring.datasource.url", "the billing portal needs a " + what
                    + ": there is no such bean and no single DataSource to build one from", STORE_ACTION);
        }
        return found;
    }

    /** Runs a builder step; its complaint becomes one about {@code property}. */
    static <T> T setting(String property, String action, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            if (e instanceof BillingPortalConfigurationException known) {
                throw known;
            }
            throw new BillingPortalConfigurationException(property, property + " is not valid: " + e.getMessage(), action, e);
        }
    }
}
