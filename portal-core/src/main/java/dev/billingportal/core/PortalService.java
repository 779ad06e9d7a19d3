package dev.billingportal.core;

import dev.billingportal.core.domain.BillingOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Invoice;
import dev.billingportal.core.domain.InvoiceStatus;
import dev.billingportal.core.domain.PortalSession;
import dev.billingportal.core.i18n.PortalLocales;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.CursorCodec;
import dev.billingportal.core.spi.CustomerRepository;
import dev.billingportal.core.spi.CustomerScope;
import dev.billingportal.core.spi.InvoiceDocumentStore;
import dev.billingportal.core.spi.InvoiceKey;
import dev.billingportal.core.spi.InvoiceRepository;
import dev.billingportal.core.spi.InvoiceSearch;
import dev.billingportal.core.spi.PortalSessionRepository;
import dev.billingportal.core.spi.SessionRecord;
import dev.billingportal.core.spi.TokenClaims;
import dev.billingportal.core.spi.TokenSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The portal: creates and revokes sessions for the host, authenticates portal tokens, and answers the
 * customer's reads, each scoped to the authenticated customer. Build it once with {@link #builder()} and
 * share it: it is thread-safe if its repositories are.
 *
 * <pre>{@code
 * PortalService portal = PortalService.builder()
 *     .customers(customers).invoices(invoices).sessions(sessions)
 *     .tokenSigner(JwtTokenSigner.hs256(keyRing))
 *     .portalUrl(URI.create("https://billing.example.com/portal"))
 *     .build();
 * }</pre>
 */
public final class PortalService {
    /** Session lifetime when none is configured: 12 hours, as Lago's portal links. */
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(12);
    /** Shortest configurable session lifetime. */
    public static final Duration MIN_SESSION_TTL = Duration.ofMinutes(1);
    /** Longest configurable session lifetime. */
    public static final Duration MAX_SESSION_TTL = Duration.ofDays(7);
    /** Clock difference tolerated between the node that signed a token and the one verifying it. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    /** Largest configurable clock skew. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** {@code iss} of tokens when none is configured. */
    public static final String DEFAULT_ISSUER = "billing-portal";
    /** {@code aud} of tokens when none is configured. */
    public static final String DEFAULT_AUDIENCE = "billing-portal";
    /** Language when neither the session, the customer nor the configuration names one. */
    public static final Locale DEFAULT_LOCALE = Locale.ENGLISH;
    /** Settings of every tenant unless configured otherwise: {@link TenantSettings#DEFAULT}. */
    public static final Function<String, TenantSettings> DEFAULT_TENANT_SETTINGS = tenantId -> TenantSettings.DEFAULT;

    private static final Logger LOG = LoggerFactory.getLogger(PortalService.class);
    private static final Set<InvoiceStatus> VISIBLE_STATUSES = EnumSet.of(InvoiceStatus.FINALIZED, InvoiceStatus.VOIDED);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CustomerRepository customers;
    private final InvoiceRepository invoices;
    private final PortalSessionRepository sessions;
    private final TokenSigner tokenSigner;
    private final URI portalUrl;
    private final Duration sessionTtl;
    private final Duration clockSkew;
    private final InvoiceDocumentStore documents;
    private final Clock clock;
    private final String issuer;
    private final String audience;
    private final Locale defaultLocale;
    private final Function<String, TenantSettings> tenantSettings;

    private PortalService(Builder b) {
        this.customers = b.customers;
        this.invoices = b.invoices;
        this.sessions = b.sessions;
        this.tokenSigner = b.tokenSigner;
        this.portalUrl = b.portalUrl;
        this.sessionTtl = b.sessionTtl;
        this.clockSkew = b.clockSkew;
        this.documents = b.documents;
        this.clock = b.clock;
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.defaultLocale = b.defaultLocale;
        this.tenantSettings = b.tenantSettings;
    }

    /** A builder; see the setter docs for required settings and defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this service's settings, to build a variant. */
    public Builder toBuilder() {
        return new Builder().customers(customers).invoices(invoices).sessions(sessions).tokenSigner(tokenSigner)
                .portalUrl(portalUrl).sessionTtl(sessionTtl).clockSkew(clockSkew).documents(documents).clock(clock)
                .issuer(issuer).audience(audience).defaultLocale(defaultLocale).tenantSettings(tenantSettings);
    }

    // ---------------------------------------------------------------- host side

    /**
     * Creates a portal session for one customer and returns its signed link.
     *
     * @throws PortalException {@code NOT_FOUND customer_not_found} when the tenant has no such customer;
     *                         {@code VALIDATION_ERROR} when the requested TTL is outside 1 minute to the session TTL
     */
    public PortalSession createSession(SessionRequest request) {
        Checks.required(request, "request");
        CustomerRef ref = request.customer();
        customers.findByExternalId(ref).orElseThrow(() -> PortalException.notFound("customer"));
        Duration ttl = request.ttl() == null ? sessionTtl : request.ttl();
        if (ttl.compareTo(MIN_SESSION_TTL) < 0 || ttl.compareTo(sessionTtl) > 0) {
            throw PortalException.invalid("ttl", "must be between " + MIN_SESSION_TTL + " and " + sessionTtl);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(ttl);
        String id = newSessionId();
        String locale = request.locale() == null ? null : request.locale().toLanguageTag();
        String token = tokenSigner.sign(new TokenClaims(issuer, audience, ref.externalId(), ref.tenantId(),
                now, now, expiresAt, id, locale));
        sessions.create(new SessionRecord(id, ref, now, expiresAt, request.locale(), request.returnUrl(),
                request.configurationName(), request.flow(), null));
        LOG.debug("portal session {} created for tenant {}, expires {}", id, ref.tenantId(), expiresAt);
        return new PortalSession(id, ref, now, expiresAt, request.locale(), request.returnUrl(),
                request.configurationName(), request.flow(), token, withToken(portalUrl, token));
    }

    /**
     * Revokes one session: its token fails on the very next {@link #authenticate}.
     *
     * @return true if the session existed and was live until now
     */
    public boolean revokeSession(String sessionId) {
        Checks.id(sessionId, "session_id");
        boolean revoked = sessions.revoke(sessionId, clock.instant());
        LOG.debug("portal session {} revoke requested: {}", sessionId, revoked ? "revoked" : "unknown or already revoked");
        return revoked;
    }

    /**
     * Revokes every live session of one customer of one tenant (no other customer, no other tenant).
     *
     * @return how many sessions were revoked
     */
    public int revokeAllSessions(CustomerRef customer) {
        Checks.required(customer, "customer");
        int revoked = sessions.revokeAll(customer, clock.instant());
        LOG.debug("{} portal sessions revoked for one customer of tenant {}", revoked, customer.tenantId());
        return revoked;
    }

    /**
     * Deletes stored sessions that expired before now (minus the clock skew); schedule it now and then.
     *
     * @return how many were deleted
     */
    public int purgeExpiredSessions() {
        return sessions.deleteExpired(clock.instant().minus(clockSkew));
    }

    // ---------------------------------------------------------------- customer side

    /**
     * Verifies a portal token and loads who it is for.
     *
     * @throws PortalException {@code UNAUTHORIZED} for any token that is malformed, forged, for another issuer
     *                         or audience, not valid yet, longer-lived than the session TTL, of an unknown or
     *                         revoked session ({@code session_revoked}) or a deleted customer;
     *                         {@code TOKEN_EXPIRED} once it has expired
     */
    public PortalContext authenticate(String token) {
        TokenClaims claims = tokenSigner.verify(token);
        if (!issuer.equals(claims.issuer()) || !audience.equals(claims.audience())) {
            throw unauthorized("invalid_token", "token of another issuer or audience");
        }
        Instant now = clock.instant();
        if (!now.isBefore(claims.expiresAt().plus(clockSkew))) {
            throw new PortalException(ErrorCode.TOKEN_EXPIRED, "token_expired", "the portal link has expired");
        }
        if (claims.notBefore().isAfter(now.plus(clockSkew)) || claims.issuedAt().isAfter(now.plus(clockSkew))) {
            throw unauthorized("invalid_token", "token not valid yet");
        }
        if (!claims.expiresAt().isAfter(claims.issuedAt())
                || Duration.between(claims.issuedAt(), claims.expiresAt()).compareTo(sessionTtl) > 0) {
            throw unauthorized("invalid_token", "token lifetime exceeds the session TTL");
        }
        CustomerRef ref;
        try {
            ref = CustomerRef.of(claims.tenantId(), claims.subject());
        } catch (PortalException e) {
            throw unauthorized("invalid_token", "token names no valid customer");
        }
        SessionRecord session = sessions.find(ref, claims.jwtId())
                .orElseThrow(() -> unauthorized("invalid_token", "unknown session"));
        if (session.revoked()) {
            throw unauthorized("session_revoked", "the portal session was revoked");
        }
        Customer customer = customers.findByExternalId(ref)
                .orElseThrow(() -> unauthorized("invalid_token", "the customer no longer exists"));
        return new PortalContext(session.id(), customer, resolveLocale(session, customer), session.returnUrl(),
                session.expiresAt(), session.configurationName(), session.flow());
    }

    /** The customer's totals per currency as of their today. */
    public BillingOverview overview(PortalContext ctx) {
        Checks.required(ctx, "context");
        return invoices.overview(ctx.scope(), today(ctx.customer()));
    }

    /**
     * One page of the customer's invoice history, newest first ({@code issuing_date DESC, id DESC}).
     * Drafts (and failed or pending invoices) never appear.
     *
     * @throws PortalException {@code INVALID_REQUEST invalid_cursor} for a cursor this session did not hand out
     */
    public Page<Invoice> invoices(PortalContext ctx, InvoiceQuery query) {
        Checks.required(ctx, "context");
        Checks.required(query, "query");
        CustomerScope scope = ctx.scope();
        InvoiceKey after = query.after() == null ? null : CursorCodec.decode(ctx.sessionId(), scope, query.after());
        Set<InvoiceStatus> statuses = query.statuses().isEmpty() ? VISIBLE_STATUSES : query.statuses();
        InvoiceSearch search = new InvoiceSearch(statuses, query.paymentStatuses(), query.overdueOnly(),
                query.issuedFrom(), query.issuedTo(), query.search(), today(ctx.customer()), after, query.limit() + 1);
        List<Invoice> rows = invoices.find(scope, search);
        List<Invoice> page = new ArrayList<>(Math.min(rows.size(), query.limit()));
        for (Invoice invoice : rows) {
            // Belt and braces: whatever an adapter returns, nothing foreign or hidden leaves this method.
            if (page.size() < query.limit() && visibleTo(scope, invoice)) {
                page.add(invoice);
            }
        }
        String next = rows.size() > query.limit() && !page.isEmpty()
                ? CursorCodec.encode(ctx.sessionId(), scope, InvoiceKey.of(page.get(page.size() - 1)))
                : null;
        return new Page<>(page, next);
    }

    /**
     * One invoice of the customer.
     *
     * @throws PortalException {@code NOT_FOUND invoice_not_found} when it does not exist, is a draft, or belongs
     *                         to someone else (indistinguishable on purpose)
     */
    public Invoice invoice(PortalContext ctx, String invoiceId) {
        Checks.required(ctx, "context");
        if (!isPlausibleInvoiceId(invoiceId)) {
            throw PortalException.notFound("invoice");
        }
        CustomerScope scope = ctx.scope();
        return invoices.findById(scope, invoiceId)
                .filter(invoice -> visibleTo(scope, invoice))
                .orElseThrow(() -> PortalException.notFound("invoice"));
    }

    /**
     * The document of one of the customer's invoices, to stream or redirect to.
     *
     * @throws PortalException {@code NOT_FOUND invoice_not_found} as {@link #invoice}; {@code NOT_FOUND
     *                         document_not_found} when no document store is configured or it has none
     */
    public InvoiceDocument downloadInvoice(PortalContext ctx, String invoiceId) {
        Invoice invoice = invoice(ctx, invoiceId);
        if (documents == null) {
            throw PortalException.notFound("document");
        }
        return documents.find(ctx.customer(), invoice).orElseThrow(() -> PortalException.notFound("document"));
    }

    /**
     * The origins that may frame the portal page opened with {@code token}: those of the tenant the token was
     * genuinely signed for (its signature verifies with a key of the ring, for this issuer and audience), even
     * when it has expired or was revoked, so that the customer sees the page's own friendly error inside the
     * host's frame rather than a blocked frame. Empty for a missing, malformed, forged or foreign token, so such
     * a page cannot be framed at all.
     *
     * <p>For presentation only: it checks neither lifetime nor revocation, so it never grants access to data.
     */
    public List<String> frameAncestorsFor(String token) {
        if (token == null || token.isBlank()) {
            return List.of();
        }
        TokenClaims claims;
        try {
            claims = tokenSigner.verify(token);
        } catch (PortalException e) {
            return List.of();
        }
        if (!issuer.equals(claims.issuer()) || !audience.equals(claims.audience())) {
            return List.of();
        }
        return tenantSettings(claims.tenantId()).frameAncestors();
    }

    // ---------------------------------------------------------------- settings, for transports

    /** The settings of one tenant ({@link TenantSettings#DEFAULT} when the configured function has none). */
    public TenantSettings tenantSettings(String tenantId) {
        Checks.id(tenantId, "tenant_id");
        TenantSettings settings = tenantSettings.apply(tenantId);
        return settings == null ? TenantSettings.DEFAULT : settings;
    }

    /** Whether invoice documents can be downloaded (a document store is configured). */
    public boolean documentsEnabled() {
        return documents != null;
    }

    /** The session lifetime. */
    public Duration sessionTtl() {
        return sessionTtl;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** The portal URL links point to. */
    public URI portalUrl() {
        return portalUrl;
    }

    /** The customer's today, in their time zone. */
    public LocalDate today(Customer customer) {
        return LocalDate.ofInstant(clock.instant(), customer.timezone());
    }

    /**
     * The session's language, else the customer's document language, else the tenant's default, else the
     * service's default: the first of them the portal speaks (a customer whose documents are in Korean is
     * better served by the tenant's language than by English labels around Korean numbers). A chosen locale
     * keeps its region (fr-CH formats amounts the Swiss way, with French labels).
     */
    private Locale resolveLocale(SessionRecord session, Customer customer) {
        Locale tenantDefault = tenantSettings(customer.tenantId()).defaultLocale();
        for (Locale candidate : new Locale[] {session.locale(), customer.documentLocale(), tenantDefault, defaultLocale}) {
            if (candidate != null && PortalLocales.match(candidate).isPresent()) {
                return candidate;
            }
        }
        return DEFAULT_LOCALE;
    }

    private static boolean visibleTo(CustomerScope scope, Invoice invoice) {
        return invoice.status().visibleInPortal() && invoice.customerId().equals(scope.customerId())
                && invoice.tenantId().equals(scope.tenantId());
    }

    private static boolean isPlausibleInvoiceId(String id) {
        try {
            Checks.asciiId(id, "id");
            return true;
        } catch (PortalException e) {
            return false;
        }
    }

    private static String newSessionId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "ps_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The portal URL with {@code token} appended as query parameter, keeping any query it already has. */
    static URI withToken(URI portalUrl, String token) {
        String url = portalUrl.toString();
        int hash = url.indexOf('#');
        String fragment = hash < 0 ? "" : url.substring(hash);
        String base = hash < 0 ? url : url.substring(0, hash);
        String separator = portalUrl.getRawQuery() == null ? "?" : (base.endsWith("?") || base.endsWith("&") ? "" : "&");
        try {
            // base64url and dots need no escaping in a query
            return new URI(base + separator + "token=" + token + fragment);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("portal URL cannot carry a token", e);
        }
    }

    private static PortalException unauthorized(String reason, String message) {
        return new PortalException(ErrorCode.UNAUTHORIZED, reason, message);
    }

    /**
     * Configures a {@link PortalService}. Required: {@link #customers}, {@link #invoices}, {@link #sessions},
     * {@link #tokenSigner}, {@link #portalUrl}. Every setter checks its value at once and {@link #build()}
     * names every missing setting, so a misconfiguration fails at start-up, not at the first request.
     */
    public static final class Builder {
        private CustomerRepository customers;
        private InvoiceRepository invoices;
        private PortalSessionRepository sessions;
        private TokenSigner tokenSigner;
        private URI portalUrl;
        private Duration sessionTtl = DEFAULT_SESSION_TTL;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private InvoiceDocumentStore documents;
        private Clock clock = Clock.systemUTC();
        private String issuer = DEFAULT_ISSUER;
        private String audience = DEFAULT_AUDIENCE;
        private Locale defaultLocale = DEFAULT_LOCALE;
        private Function<String, TenantSettings> tenantSettings = DEFAULT_TENANT_SETTINGS;

        private Builder() {
        }

        /** Customer storage (required). */
        public Builder customers(CustomerRepository customers) {
            this.customers = Objects.requireNonNull(customers, "customers");
            return this;
        }

        /** Invoice storage (required). */
        public Builder invoices(InvoiceRepository invoices) {
            this.invoices = Objects.requireNonNull(invoices, "invoices");
            return this;
        }

        /** Session storage, for revocation (required). */
        public Builder sessions(PortalSessionRepository sessions) {
            this.sessions = Objects.requireNonNull(sessions, "sessions");
            return this;
        }

        /** Signs and verifies tokens (required), e.g. {@code JwtTokenSigner.hs256(keyRing)}. */
        public Builder tokenSigner(TokenSigner tokenSigner) {
            this.tokenSigner = Objects.requireNonNull(tokenSigner, "tokenSigner");
            return this;
        }

        /**
         * The URL of the portal page (required): absolute http(s); links are this URL with the token added as
         * {@code token} query parameter.
         */
        public Builder portalUrl(URI portalUrl) {
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
        public Builder sessionTtl(Duration sessionTtl) {
            Objects.requireNonNull(sessionTtl, "sessionTtl");
            if (sessionTtl.compareTo(MIN_SESSION_TTL) < 0 || sessionTtl.compareTo(MAX_SESSION_TTL) > 0) {
                throw new IllegalArgumentException("sessionTtl must be between 1 minute and 7 days, was " + sessionTtl);
            }
            this.sessionTtl = sessionTtl;
            return this;
        }

        /** Clock difference tolerated when checking token times, 0 to 5 minutes (default 60 seconds). */
        public Builder clockSkew(Duration clockSkew) {
            Objects.requireNonNull(clockSkew, "clockSkew");
            if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("clockSkew must be between 0 and 5 minutes, was " + clockSkew);
            }
            this.clockSkew = clockSkew;
            return this;
        }

        /** Where invoice documents come from (optional; without it downloads answer 404). */
        public Builder documents(InvoiceDocumentStore documents) {
            this.documents = documents;
            return this;
        }

        /** The clock (default: the system UTC clock); tests pass a fixed or mutable one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The {@code iss} claim written and required (default {@value PortalService#DEFAULT_ISSUER}). */
        public Builder issuer(String issuer) {
            this.issuer = requireClaim(issuer, "issuer");
            return this;
        }

        /** The {@code aud} claim written and required (default {@value PortalService#DEFAULT_AUDIENCE}). */
        public Builder audience(String audience) {
            this.audience = requireClaim(audience, "audience");
            return this;
        }

        /**
         * The language when neither the session, the customer nor the customer's tenant names one (default
         * English); one of {@link PortalLocales#SUPPORTED} or a regional variant of one.
         */
        public Builder defaultLocale(Locale defaultLocale) {
            Objects.requireNonNull(defaultLocale, "defaultLocale");
            if (PortalLocales.match(defaultLocale).isEmpty()) {
                throw new IllegalArgumentException("defaultLocale " + defaultLocale.toLanguageTag()
                        + " is not a supported portal language; supported: " + PortalLocales.SUPPORTED);
            }
            this.defaultLocale = defaultLocale;
            return this;
        }

        /**
         * Per-tenant settings (frame ancestors, default language), looked up by tenant id on each portal page
         * and each authentication, so the function must be fast (cache what you load); returning null means
         * {@link TenantSettings#DEFAULT}. Default: {@link PortalService#DEFAULT_TENANT_SETTINGS}, no tenant may
         * frame the portal.
         */
        public Builder tenantSettings(Function<String, TenantSettings> tenantSettings) {
            this.tenantSettings = Objects.requireNonNull(tenantSettings, "tenantSettings");
            return this;
        }

        /** Per-tenant settings from a fixed map; tenants not in it get {@link TenantSettings#DEFAULT}. */
        public Builder tenantSettings(Map<String, TenantSettings> tenantSettings) {
            Map<String, TenantSettings> copy = Map.copyOf(Objects.requireNonNull(tenantSettings, "tenantSettings"));
            return tenantSettings((Function<String, TenantSettings>) tenant -> copy.getOrDefault(tenant, TenantSettings.DEFAULT));
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
            return new PortalService(this);
        }

        private static String requireClaim(String value, String setting) {
            if (value == null || value.isBlank() || value.length() > 255) {
                throw new IllegalArgumentException(setting + " must be 1 to 255 characters");
            }
            return value;
        }
    }
}
