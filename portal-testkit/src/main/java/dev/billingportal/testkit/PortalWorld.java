package dev.billingportal.testkit;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.memory.InMemoryPortalConfigurations;
import dev.billingportal.core.profile.ProfileField;
import java.util.EnumSet;
import dev.billingportal.core.memory.InMemorySubscriptionProvider;
import dev.billingportal.core.subscriptions.Subscription;
import dev.billingportal.core.subscriptions.SubscriptionProvider;
import dev.billingportal.core.memory.InMemoryWalletProvider;
import dev.billingportal.core.wallets.Wallet;
import dev.billingportal.core.wallets.WalletProvider;
import dev.billingportal.core.wallets.WalletTransaction;
import java.math.BigDecimal;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Three customers who must never see each other, over one storage: A and B in tenant T, and A' in tenant U with the
 * same external id <em>and</em> the same internal id as A. Each has the same shapes of invoices (overdue, paid,
 * voided, failed, a draft, a non-ASCII number, a redirected document) on the same dates with distinct numbers and
 * amounts, so every filter that selects some of A's invoices selects the others' too; A and A' share invoice ids
 * across their tenants (one of them a draft on one side only), and so do B and A'. Every name, e-mail, number suffix
 * and id prefix is a marker: finding another customer's marker in a response is a leak.
 *
 * <p>The world of {@link PortalIsolationContract} and {@link PortalApiFuzzContract}, in parts: the seed data
 * ({@link WorldCatalogue}), the seeded providers ({@link WorldProviders}), the document store that records every
 * document asked for another customer's invoice ({@link WorldDocuments}), the sessions it mints and tracks
 * ({@link WorldSessions}) and the facts answers are checked against ({@link WorldFacts}). This class seeds the storage,
 * builds the portals over it and them, and keeps their members as its own: the checks read the world in one place.
 */
final class PortalWorld {
    static final String TENANT_T = "tenant-t";
    static final String TENANT_U = "tenant-u";
    static final Instant NOW = TestData.NOW;
    static final LocalDate TODAY = TestData.TODAY;
    /** An id no invoice has, in any tenant. */
    static final String MISSING_ID = "inv-missing-0";
    static final List<String> FRAME_ANCESTORS_T = List.of("https://app.teeside.example");
    static final List<String> FRAME_ANCESTORS_U = List.of("https://app.upton.example");
    static final Currency EUR = TestData.EUR;
    static final Currency USD = TestData.USD;
    static final Currency JPY = TestData.JPY;

    /** The three customers. */
    enum Who {
        A(TENANT_T, "cus-1", "ext-alice", "Alice Teeside", "alice@teeside.example", "ALICE-T", "t-a", 100_00),
        B(TENANT_T, "cus-2", "ext-bob", "Bob Teeside", "bob@teeside.example", "BOB-T", "t-b", 200_00),
        A_PRIME(TENANT_U, "cus-1", "ext-alice", "Alice Upton", "alice@upton.example", "ALICE-U", "u-a", 300_00);

        final String tenant;
        final String id;
        final String externalId;
        final String name;
        final String email;
        /** Ends every invoice number of this customer; appears in no other customer's data. */
        final String suffix;
        /** In every id of an invoice only this customer has. */
        final String tag;
        final long amountBase;

        Who(String tenant, String id, String externalId, String name, String email, String suffix, String tag,
            long amountBase) {
            this.tenant = tenant;
            this.id = id;
            this.externalId = externalId;
            this.name = name;
            this.email = email;
            this.suffix = suffix;
            this.tag = tag;
            this.amountBase = amountBase;
        }

        CustomerRef ref() {
            return CustomerRef.of(tenant, externalId);
        }

        CustomerScope scope() {
            return new CustomerScope(tenant, id);
        }

        URI returnUrl() {
            return URI.create("https://app." + (tenant.equals(TENANT_T) ? "teeside" : "upton") + ".example/back/" + suffix);
        }

        List<Who> others() {
            return java.util.Arrays.stream(values()).filter(w -> w != this).toList();
        }

        @Override
        public String toString() {
            return switch (this) {
                case A -> "A (" + tenant + ")";
                case B -> "B (" + tenant + ")";
                case A_PRIME -> "A' (" + tenant + ", same ids as A)";
            };
        }
    }

    final PortalStorage storage;
    /** The portal with reusable links (the default), and its API. */
    final PortalService service;
    final PortalApi api;
    /** The same portal over the same storage, signer and clock, with one-time links. */
    final PortalService oneTime;
    final PortalApi oneTimeApi;
    /** The client every session of the world is opened from, as audit events record it. */
    static final ClientInfo CLIENT = ClientInfo.of("203.0.113.7", "isolation-matrix");
    final Map<Who, Customer> customers = new EnumMap<>(Who.class);
    final Map<Who, List<Invoice>> invoices = new EnumMap<>(Who.class);
    /** Documents handed out for an invoice of another customer than the one asked for: must stay empty. */
    final List<String> documentViolations = Collections.synchronizedList(new ArrayList<>());
    /** The sessions minted through this world, by owner: {@link #login}, {@link #link} and those it tracks. */
    private final WorldSessions sessions;
    /** What the seeded data says each customer must and must not see. */
    private final WorldFacts facts;

    /**
     * Seeds {@code seedInto} (empty) and serves the portal from {@code serveFrom}: the same storage, possibly behind
     * decorators.
     */
    PortalWorld(PortalStorage seedInto, PortalStorage serveFrom) {
        this(seedInto, serveFrom, java.util.function.UnaryOperator.identity());
    }

    /** As above, the portal reading the subscription provider through {@code subscriptionsView} (a guard, say). */
    PortalWorld(PortalStorage seedInto, PortalStorage serveFrom,
                java.util.function.UnaryOperator<SubscriptionProvider> subscriptionsView) {
        this(seedInto, serveFrom, subscriptionsView, java.util.function.UnaryOperator.identity(),
                java.util.function.UnaryOperator.identity());
    }

    /** As above, the portal also reading the payment and wallet providers through these views (guards, say). */
    PortalWorld(PortalStorage seedInto, PortalStorage serveFrom,
                java.util.function.UnaryOperator<SubscriptionProvider> subscriptionsView,
                java.util.function.UnaryOperator<dev.billingportal.core.payments.PaymentMethodProvider> paymentsView,
                java.util.function.UnaryOperator<WalletProvider> walletsView) {
        this.storage = serveFrom;
        for (Who who : Who.values()) {
            Customer customer = WorldCatalogue.customerOf(who);
            customers.put(who, customer);
            seedInto.customers().save(customer);
        }
        for (Who who : Who.values()) {
            List<Invoice> own = WorldCatalogue.invoicesOf(customers.get(who), who);
            invoices.put(who, own);
            own.forEach(seedInto.invoices()::save);
        }
        this.service = PortalService.builder()
                .customers(serveFrom.customers()).invoices(serveFrom.invoices()).sessions(serveFrom.sessions())
                .audit(serveFrom.audit())
                // the storage's own transactions, outbox and idempotency keys: over JDBC, writes run as in production
                .transactions(serveFrom.transactions()).outbox(serveFrom.outbox()).idempotency(serveFrom.idempotency())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("world-1"))))
                .portalUrl(URI.create("https://billing.example.com/portal/"))
                .documents(new WorldDocuments(documentViolations))
                .subscriptions(subscriptionsView.apply(subscriptions))
                .paymentMethods(paymentsView.apply(payments))
                .usage(providers.usage).wallets(walletsView.apply(wallets))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .configurations(new InMemoryPortalConfigurations()
                        .saveDefault(TENANT_T, WorldCatalogue.configuration(FRAME_ANCESTORS_T))
                        .saveDefault(TENANT_U, WorldCatalogue.configuration(FRAME_ANCESTORS_U)))
                .build();
        this.api = PortalApi.of(service);
        this.oneTime = service.toBuilder().linkMode(LinkMode.ONE_TIME).build();
        this.oneTimeApi = PortalApi.of(oneTime);
        this.sessions = new WorldSessions(service, oneTime);
        this.facts = new WorldFacts(invoices, providers);
    }

    // ---------------------------------------------------------------- subscriptions, payments, usage and wallets

    /** The providers every portal of the world reads, seeded as they are created (before the storage is). */
    private final WorldProviders providers = new WorldProviders();
    /** The subscription provider every portal of the world reads. */
    final InMemorySubscriptionProvider subscriptions = providers.subscriptions;
    /** Each customer's subscriptions as seeded, by id. */
    final Map<Who, Map<String, Subscription>> seededSubscriptions = providers.seededSubscriptions;
    /** The payment provider every portal of the world reads. */
    final dev.billingportal.core.memory.InMemoryPaymentMethodProvider payments = providers.payments;
    /** The wallet provider every portal of the world reads. */
    final InMemoryWalletProvider wallets = providers.wallets;
    /** Each customer's wallets as seeded, by id. */
    final Map<Who, Map<String, Wallet>> seededWallets = providers.seededWallets;
    /** Each customer's wallet transactions as seeded, by wallet id, newest first. */
    final Map<Who, Map<String, List<WalletTransaction>>> seededWalletTransactions = providers.seededWalletTransactions;

    /** A subscription id nobody has, in any tenant. */
    static final String MISSING_SUBSCRIPTION = "sub-missing-0";
    /** The plans each tenant's configuration offers (the provider also has {@code secret}, offered nowhere). */
    static final List<String> OFFERED_PLANS = List.of("starter", "pro", "business", "pro_year");
    /** A payment method id nobody has, in any tenant. */
    static final String MISSING_PAYMENT_METHOD = "pm-missing-0";
    /** A wallet id nobody has, in any tenant. */
    static final String MISSING_WALLET = "wal-missing-0";
    /** The fewest credits one top-up may buy in each tenant's configuration. */
    static final BigDecimal MIN_TOP_UP = new BigDecimal("1.00");
    /** The most credits one top-up may buy in each tenant's configuration. */
    static final BigDecimal MAX_TOP_UP = new BigDecimal("1000.00");

    /** Every subscription id of the world, in any tenant. */
    Set<String> allSubscriptionIds() {
        return providers.allSubscriptionIds();
    }

    /** Puts every subscription back as seeded. */
    void restoreSubscriptions() {
        providers.restoreSubscriptions();
    }

    /** Each customer's payment method ids, as {@link WorldProviders#seededPaymentMethods} seeds them. */
    List<String> seededPaymentMethods(Who who) {
        return providers.seededPaymentMethods(who);
    }

    /** Every payment method id of the world, in any tenant. */
    Set<String> allPaymentMethodIds() {
        return providers.allPaymentMethodIds();
    }

    /** Puts every payment method back as seeded, and forgets every charge. */
    void restorePayments() {
        providers.restorePayments();
    }

    /** Every wallet id of the world, in any tenant. */
    Set<String> allWalletIds() {
        return providers.allWalletIds();
    }

    /** Puts every wallet and its transactions back as seeded (top-ups made since are gone). */
    void restoreWallets() {
        providers.restoreWallets();
    }

    /** The profile fields each tenant lets its customers edit: all but the tax id. */
    static final Set<ProfileField> EDITABLE = Set.copyOf(EnumSet.complementOf(EnumSet.of(ProfileField.TAX_ID)));

    PortalService service(LinkMode mode) {
        return mode == LinkMode.ONE_TIME ? oneTime : service;
    }

    PortalApi api(LinkMode mode) {
        return mode == LinkMode.ONE_TIME ? oneTimeApi : api;
    }

    // ---------------------------------------------------------------- facts about the data

    Customer customer(Who who) {
        return customers.get(who);
    }

    /** Every invoice of every customer, drafts included. */
    List<Invoice> allInvoices() {
        return facts.allInvoices();
    }

    /** Every invoice id of the world, in any tenant. */
    Set<String> allIds() {
        return facts.allIds();
    }

    /** The invoice of {@code who} with this id that the portal shows (not a draft), if any. */
    Optional<Invoice> visible(Who who, String id) {
        return facts.visible(who, id);
    }

    /** What the portal must answer {@code who} for {@code query}, ignoring its limit and cursor. */
    List<Invoice> expected(Who who, InvoiceQuery query) {
        return facts.expected(who, query);
    }

    /**
     * Texts that only the other customers' data contains: names, e-mails, number suffixes, tax ids, return URLs and
     * the ids of invoices {@code viewer} has none of.
     */
    Set<String> foreignMarkers(Who viewer) {
        return facts.foreignMarkers(viewer);
    }

    /** Every customer's markers: none may appear where no customer is authenticated. */
    Set<String> allMarkers() {
        return facts.allMarkers();
    }

    // ---------------------------------------------------------------- sessions and requests

    /** A new session of {@code who}, with a return URL of its own: a reusable link. */
    PortalSession login(Who who) {
        return sessions.login(who);
    }

    /**
     * What {@code who} calls the API with in {@code mode}: a reusable link, or the session exchanged from a new
     * one-time link (the link itself is tracked too, as it stays revocable).
     */
    PortalSession login(Who who, LinkMode mode) {
        return sessions.login(who, mode);
    }

    /** A new link of {@code who}, not exchanged. */
    PortalSession link(Who who, LinkMode mode) {
        return sessions.link(who, mode);
    }

    /** Records a session of {@code who} minted elsewhere, so {@link #liveSessionCount} counts it. */
    void track(Who who, PortalSession session) {
        sessions.track(who, session);
    }

    /** How many sessions minted by {@link #login} for {@code who} are still live. */
    int liveSessionCount(Who who) {
        return sessions.liveSessionCount(who);
    }

    /** Records that {@code who}'s session was revoked. */
    void revoked(Who who, String sessionId) {
        sessions.revoked(who, sessionId);
    }

    /** Records that every session of {@code who} was revoked. */
    void allRevoked(Who who) {
        sessions.allRevoked(who);
    }

    /** One request to the API or page, with {@code token} as bearer (none when null). */
    PortalResponse call(String method, String path, String rawQuery, String token) {
        return call(LinkMode.REUSABLE, method, path, rawQuery, token);
    }

    /** One request to the API or page of the portal of {@code mode}. */
    PortalResponse call(LinkMode mode, String method, String path, String rawQuery, String token) {
        Map<String, List<String>> headers = token == null ? Map.of() : Map.of("Authorization", List.of("Bearer " + token));
        return api(mode).handle(PortalRequest.of(method, path, rawQuery, headers));
    }

    /** The customer as the storage holds it now (read past any guard). */
    Customer storedCustomer(Who who) {
        return storage.customers().findByExternalId(who.ref()).orElseThrow();
    }

    /** A write with a JSON body (and an {@code Idempotency-Key} when {@code key} is not null). */
    PortalResponse write(LinkMode mode, String method, String path, String json, String key, String token) {
        Map<String, List<String>> headers = new java.util.HashMap<>();
        if (token != null) {
            headers.put("Authorization", List.of("Bearer " + token));
        }
        headers.put("Content-Type", List.of("application/json"));
        if (key != null) {
            headers.put("Idempotency-Key", List.of(key));
        }
        return api(mode).handle(new PortalRequest(method, path, null, headers,
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The violations recorded since the last call, and none kept: one row's failure must not fail every later row. */
    List<String> takeDocumentViolations() {
        synchronized (documentViolations) {
            List<String> violations = new ArrayList<>(documentViolations);
            documentViolations.clear();
            return violations;
        }
    }
}
