package dev.billingportal.core;

import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.PortalConfigurations;
import dev.billingportal.core.events.EventOutbox;
import dev.billingportal.core.events.PortalEventListener;
import dev.billingportal.core.i18n.PortalLocales;
import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.invoices.InvoiceDocumentStore;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.memory.InMemoryIdempotencyStore;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.payments.PaymentMethodProvider;
import dev.billingportal.core.subscriptions.SubscriptionProvider;
// usage+wallets (branch usage)
import dev.billingportal.core.usage.UsageProvider;
import dev.billingportal.core.wallets.WalletProvider;
import dev.billingportal.core.token.TokenSigner;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Configures a {@link PortalService}. Required: {@link #customers}, {@link #invoices}, {@link #sessions},
 * {@link #tokenSigner}, {@link #portalUrl}. Every setter checks its value at once and {@link #build()}
 * names every missing setting, so a misconfiguration fails at start-up, not at the first request.
 */
public final class PortalServiceBuilder {
    private CustomerRepository customers;
    private InvoiceRepository invoices;
    private PortalSessionRepository sessions;
    private TokenSigner tokenSigner;
    private URI portalUrl;
    private Duration sessionTtl = PortalService.DEFAULT_SESSION_TTL;
    private Duration clockSkew = PortalService.DEFAULT_CLOCK_SKEW;
    private InvoiceDocumentStore documents;
    private Clock clock = Clock.systemUTC();
    private String issuer = PortalService.DEFAULT_ISSUER;
    private String audience = PortalService.DEFAULT_AUDIENCE;
    private Locale defaultLocale = PortalService.DEFAULT_LOCALE;
    private PortalConfigurations configurations = PortalConfigurations.none();
    private PortalConfiguration defaultConfiguration = PortalConfiguration.DEFAULT;
    private PortalEventListener listener = PortalEventListener.none();
    private EventOutbox outbox = EventOutbox.none();
    private PortalTransactions transactions = PortalTransactions.none();
    private IdempotencyStore idempotency;
    private LinkMode linkMode = PortalService.DEFAULT_LINK_MODE;
    private Duration exchangedSessionTtl = PortalService.DEFAULT_EXCHANGED_SESSION_TTL;
    private AuditTrail audit = AuditTrail.none();
    private SubscriptionProvider subscriptions;
    private PaymentMethodProvider paymentMethods;
    // usage+wallets (branch usage)
    private UsageProvider usage;
    private WalletProvider wallets;

    PortalServiceBuilder() {
    }

    /** A builder holding the settings of {@code runtime}. */
    PortalServiceBuilder(PortalRuntime r) {
        customers(r.customers()).invoices(r.invoices()).sessions(r.sessions()).tokenSigner(r.tokenSigner())
                .portalUrl(r.portalUrl()).sessionTtl(r.sessionTtl()).clockSkew(r.clockSkew()).documents(r.documents())
                .clock(r.clock()).issuer(r.issuer()).audience(r.audience()).defaultLocale(r.defaultLocale())
                .configurations(r.configurations()).defaultConfiguration(r.defaultConfiguration())
                .linkMode(r.linkMode()).exchangedSessionTtl(r.exchangedSessionTtl()).audit(r.audit())
                .eventListener(r.listener()).outbox(r.outbox()).transactions(r.transactions())
                .idempotency(r.idempotency());
        this.subscriptions = r.subscriptions();
        this.paymentMethods = r.paymentMethods();
        // usage+wallets (branch usage)
        this.usage = r.usage();
        this.wallets = r.wallets();
    }

    /** Customer storage (required). */
    public PortalServiceBuilder customers(CustomerRepository customers) {
        this.customers = Objects.requireNonNull(customers, "customers");
        return this;
    }

    /** Invoice storage (required). */
    public PortalServiceBuilder invoices(InvoiceRepository invoices) {
        this.invoices = Objects.requireNonNull(invoices, "invoices");
        return this;
    }

    /** Session storage, for revocation (required). */
    public PortalServiceBuilder sessions(PortalSessionRepository sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        return this;
    }

    /** Signs and verifies tokens (required), e.g. {@code JwtTokenSigner.hs256(keyRing)}. */
    public PortalServiceBuilder tokenSigner(TokenSigner tokenSigner) {
        this.tokenSigner = Objects.requireNonNull(tokenSigner, "tokenSigner");
        return this;
    }

    /**
     * The URL of the portal page (required): absolute http(s); links are this URL with the token added as
     * {@code token} query parameter.
     */
    public PortalServiceBuilder portalUrl(URI portalUrl) {
        Objects.requireNonNull(portalUrl, "portalUrl");
        if (!portalUrl.isAbsolute() || portalUrl.getHost() == null
                || !("https".equalsIgnoreCase(portalUrl.getScheme()) || "http".equalsIgnoreCase(portalUrl.getScheme()))) {
            throw new IllegalArgumentException("portalUrl must be an absolute http or https URL, was " + portalUrl);
        }
        if (portalUrl.getRawQuery() != null && portalUrl.getRawQuery().matches("(^|.*&)token=.*")) {
            throw new IllegalArgumentException("portalUrl must not already carry a token parameter");
        }
        this.portalUrl = portalUrl;
        return this;
    }

    /** Session lifetime, 1 minute to 7 days (default 12 hours). */
    public PortalServiceBuilder sessionTtl(Duration sessionTtl) {
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        if (sessionTtl.compareTo(PortalService.MIN_SESSION_TTL) < 0 || sessionTtl.compareTo(PortalService.MAX_SESSION_TTL) > 0) {
            throw new IllegalArgumentException("sessionTtl must be between 1 minute and 7 days, was " + sessionTtl);
        }
        this.sessionTtl = sessionTtl;
        return this;
    }

    /** Clock difference tolerated when checking token times, 0 to 5 minutes (default 60 seconds). */
    public PortalServiceBuilder clockSkew(Duration clockSkew) {
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (clockSkew.isNegative() || clockSkew.compareTo(PortalService.MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clockSkew must be between 0 and 5 minutes, was " + clockSkew);
        }
        this.clockSkew = clockSkew;
        return this;
    }

    /** Where invoice documents come from (optional; without it downloads answer 404). */
    public PortalServiceBuilder documents(InvoiceDocumentStore documents) {
        this.documents = documents;
        return this;
    }

    /** The clock (default: the system UTC clock); tests pass a fixed or mutable one. */
    public PortalServiceBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The {@code iss} claim written and required (default {@value PortalService#DEFAULT_ISSUER}). */
    public PortalServiceBuilder issuer(String issuer) {
        this.issuer = requireClaim(issuer, "issuer");
        return this;
    }

    /** The {@code aud} claim written and required (default {@value PortalService#DEFAULT_AUDIENCE}). */
    public PortalServiceBuilder audience(String audience) {
        this.audience = requireClaim(audience, "audience");
        return this;
    }

    /**
     * The language when neither the session, the customer nor the customer's tenant names one (default
     * English); one of {@link PortalLocales#SUPPORTED} or a regional variant of one.
     */
    public PortalServiceBuilder defaultLocale(Locale defaultLocale) {
        Objects.requireNonNull(defaultLocale, "defaultLocale");
        if (PortalLocales.match(defaultLocale).isEmpty()) {
            throw new IllegalArgumentException("defaultLocale " + defaultLocale.toLanguageTag()
                    + " is not a supported portal language; supported: " + PortalLocales.SUPPORTED);
        }
        this.defaultLocale = defaultLocale;
        return this;
    }

    /**
     * What links do (default {@link LinkMode#REUSABLE}, Lago's behaviour): {@link LinkMode#ONE_TIME} makes a link
     * open the portal once, through {@link PortalService#exchange}.
     */
    public PortalServiceBuilder linkMode(LinkMode linkMode) {
        this.linkMode = Objects.requireNonNull(linkMode, "linkMode");
        return this;
    }

    /**
     * Idle timeout of a session exchanged from a one-time link, 1 minute to 12 hours (default 30 minutes): the
     * session ends once no request used it for this long. It slides with each request, but never past one
     * {@linkplain #sessionTtl session TTL} after the exchange.
     */
    public PortalServiceBuilder exchangedSessionTtl(Duration exchangedSessionTtl) {
        Objects.requireNonNull(exchangedSessionTtl, "exchangedSessionTtl");
        if (exchangedSessionTtl.compareTo(PortalService.MIN_EXCHANGED_SESSION_TTL) < 0
                || exchangedSessionTtl.compareTo(PortalService.MAX_EXCHANGED_SESSION_TTL) > 0) {
            throw new IllegalArgumentException("exchangedSessionTtl must be between 1 minute and 12 hours, was "
                    + exchangedSessionTtl);
        }
        this.exchangedSessionTtl = exchangedSessionTtl;
        return this;
    }

    /**
     * Where audit events go (default {@link AuditTrail#none()}: nowhere). For example portal-jdbc's
     * {@code store.audit()}, or an {@code InMemoryAuditTrail}. See the class documentation for what happens when
     * it fails.
     */
    public PortalServiceBuilder audit(AuditTrail audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
        return this;
    }

    /**
     * Where each tenant's named configurations come from (default {@link PortalConfigurations#none()}: every session
     * uses the {@linkplain #defaultConfiguration default configuration}). Looked up on each session creation,
     * authentication and portal page, so it must be fast (cache what you load).
     */
    public PortalServiceBuilder configurations(PortalConfigurations configurations) {
        this.configurations = Objects.requireNonNull(configurations, "configurations");
        return this;
    }

    /**
     * The configuration of sessions whose tenant has no default of its own (default
     * {@link PortalConfiguration#DEFAULT}: not framable, invoices, no profile edits).
     */
    public PortalServiceBuilder defaultConfiguration(PortalConfiguration defaultConfiguration) {
        this.defaultConfiguration = Objects.requireNonNull(defaultConfiguration, "defaultConfiguration");
        return this;
    }

    /**
     * Hears every {@link dev.billingportal.core.events.PortalEvent} after its write succeeded (default
     * {@link PortalEventListener#none()}); a listener that throws is logged and changes nothing.
     */
    public PortalServiceBuilder eventListener(PortalEventListener listener) {
        this.listener = Objects.requireNonNull(listener, "eventListener");
        return this;
    }

    /**
     * Receives every event inside the transaction of its write (default {@link EventOutbox#none()}), e.g. portal-jdbc's
     * {@code store.outbox()}; set {@link #transactions} to the same store's so both commit together.
     */
    public PortalServiceBuilder outbox(EventOutbox outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        return this;
    }

    /**
     * Runs each write with its audit record, outbox event and idempotency record in one transaction (default
     * {@link PortalTransactions#none()}), e.g. portal-jdbc's {@code store.transactions()}.
     */
    public PortalServiceBuilder transactions(PortalTransactions transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        return this;
    }

    /**
     * Remembers writes sent with an {@code Idempotency-Key} for 24 hours (default: an
     * {@link InMemoryIdempotencyStore} of this service; use portal-jdbc's {@code store.idempotency()} when several
     * nodes serve the portal, so a retry that reaches another node is still recognised).
     */
    public PortalServiceBuilder idempotency(IdempotencyStore idempotency) {
        this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
        return this;
    }

    /**
     * The host's subscriptions (default: none, and the subscriptions feature is off whatever the configuration
     * says). With a provider, each configuration's {@code subscriptions} settings decide what customers may do.
     *
     * @param subscriptions the provider, or null for none
     * @return this
     */
    public PortalServiceBuilder subscriptions(SubscriptionProvider subscriptions) {
        this.subscriptions = subscriptions;
        return this;
    }

    // ---------------------------------------------------------------- usage+wallets (branch usage)

    /**
     * The host's metered usage (default: none, and the usage feature is off whatever the configuration says).
     *
     * @param usage the provider, or null for none
     * @return this
     */
    public PortalServiceBuilder usage(UsageProvider usage) {
        this.usage = usage;
        return this;
    }

    /**
     * The host's prepaid wallets (default: none, and the wallets feature is off whatever the configuration says).
     * With a provider, each configuration's {@code wallets} settings decide whether customers may top up and by how
     * much.
     *
     * @param wallets the provider, or null for none
     * @return this
     */
    public PortalServiceBuilder wallets(WalletProvider wallets) {
        this.wallets = wallets;
        return this;
    }

    // ---------------------------------------------------------------- end usage+wallets

    /**
     * The host's payment provider (default: none, and payment methods and invoice payments are off whatever the
     * configuration says). It hands customers off to its hosted pages: the library never sees card data.
     *
     * @param paymentMethods the provider, or null for none
     * @return this
     */
    public PortalServiceBuilder paymentMethods(PaymentMethodProvider paymentMethods) {
        this.paymentMethods = paymentMethods;
        return this;
    }

    /**
     * Builds the service.
     *
     * @throws IllegalStateException naming every required setting that is missing
     */
    public PortalService build() {
        List<String> missing = new ArrayList<>();
        if (customers == null) missing.add("customers");
        if (invoices == null) missing.add("invoices");
        if (sessions == null) missing.add("sessions");
        if (tokenSigner == null) missing.add("tokenSigner");
        if (portalUrl == null) missing.add("portalUrl");
        if (!missing.isEmpty()) {
            throw new IllegalStateException("PortalService is missing required settings: " + String.join(", ", missing));
        }
        return new PortalService(new PortalRuntime(customers, invoices, sessions, tokenSigner, portalUrl, sessionTtl,
                clockSkew, documents, clock, issuer, audience, defaultLocale, configurations, defaultConfiguration,
                linkMode, exchangedSessionTtl, audit, listener, outbox, transactions,
                idempotency != null ? idempotency : new InMemoryIdempotencyStore(), subscriptions,
                paymentMethods, usage, wallets));
    }

    private static String requireClaim(String value, String setting) {
        if (value == null || value.isBlank() || value.length() > 255) {
            throw new IllegalArgumentException(setting + " must be 1 to 255 characters");
        }
        return value;
    }
}

