package dev.billingportal.testkit;

import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.testkit.InvoiceIsolationChecks.ListCase;
import dev.billingportal.testkit.PortalWorld.Who;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.billingportal.testkit.InvoiceIsolationChecks.LIST_CASES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The isolation matrix: every route of {@link PortalApi} and every customer-facing method of {@link PortalService},
 * run over your storage, must keep each customer's data to that customer. Subclass it, return your repositories over
 * EMPTY storage from {@link #createStorage()}, and run it as an ordinary JUnit Jupiter test class.
 *
 * <pre>{@code
 * class MyStorageIsolationTest extends PortalIsolationContract {
 *     @Override
 *     protected PortalStorage createStorage() {
 *         MyStore store = MyStore.overEmptySchema();
 *         return new PortalStorage(store.customers(), store.invoices(), store.sessions());
 *     }
 * }
 * }</pre>
 *
 * <p>The world it builds: customers A and B in tenant T, and A' in tenant U with A's external id and A's internal
 * id; each with the same shapes of invoices (overdue, paid, voided, failed, a draft, a non-ASCII number, a
 * redirected document) on the same dates, and invoice ids shared across the tenants (A with A', B with A', one of
 * them a draft on A's side only). Two portals serve it, over the same storage and audit trail: one with reusable
 * links, one with one-time links, whose rows call the API with sessions exchanged from a link. Then, for each
 * customer as the viewer and each link mode, it asserts that:
 *
 * <ul>
 *   <li>every API route answers the viewer's own data and nothing of the others' (their names, e-mails, numbers,
 *       ids, return URLs never appear in a body or header); every invoice list filter and search, each chosen to
 *       match the others' invoices too, returns exactly the viewer's reference answer;</li>
 *   <li>another customer's invoice id, a draft, or an id in another tenant answers, on the invoice and download
 *       routes, the very same response (status, headers, bytes) as an id no invoice has: no existence oracle;</li>
 *   <li>a cursor is refused by every other session, another customer's or the viewer's own other session;</li>
 *   <li>every {@code PortalService} method keeps the same scope: authentication resolves the token's own customer,
 *       {@code createSession} is scoped by tenant, revocations act on the named session or customer only;</li>
 *   <li>the exchange ({@code POST /session}, {@code PortalService.exchange}) opens a session of the link's customer
 *       only, once for a one-time link, never for a session's token, and revoking the link ends that session and
 *       nobody else's;</li>
 *   <li>the audit trail of a customer holds exactly that customer's events (sessions created, exchanged, replayed,
 *       revoked, downloads), none of another customer's, A's never A''s;</li>
 *   <li>HEAD answers what GET answers, without a body.</li>
 * </ul>
 *
 * <p>Rows are generated from {@link PortalApi#API_ROUTES}, {@link PortalApi#PAGE_ROUTES} and the public methods of
 * {@link PortalService}: a new route or method adds rows, which fail until this suite knows how to attack them. The
 * storage is created and seeded once per test class (about 35 invoices); each row mints its own sessions. The audit
 * trail comes with the storage ({@link PortalStorage#audit()}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.SAME_THREAD) // its rows share the link mode and the audit windows: one at a time
public abstract class PortalIsolationContract {

    /** PortalService methods that do not act on one customer's data, with the reason. */
    private static final Map<String, String> SERVICE_METHODS_WITHOUT_CUSTOMER_DATA = Map.ofEntries(
            Map.entry("toBuilder", "configuration"),
            Map.entry("purgeExpiredSessions", "host-side maintenance over expired sessions of every customer, by design"),
            Map.entry("frameAncestorsFor", "covered by the page rows: the frame-ancestors of the page for each token"),
            Map.entry("invoiceHistory", "the invoices slice: its methods are checked as overview, invoices, invoice and downloadInvoice"),
            Map.entry("idempotency", "configuration: the store is scoped per customer, checked by the PATCH /customer rows"),
            Map.entry("transactions", "configuration"),
            Map.entry("documentsEnabled", "configuration"),
            Map.entry("sessionTtl", "configuration"),
            Map.entry("clock", "configuration"),
            Map.entry("portalUrl", "configuration"),
            Map.entry("linkMode", "configuration"),
            Map.entry("exchangedSessionTtl", "configuration"),
            Map.entry("today", "a date computed from a customer the caller already holds"));

    private PortalWorld world;
    /** The link mode of the row running: its tokens come from, and its requests go to, the portal of that mode. */
    private LinkMode mode = LinkMode.REUSABLE;
    /** Moves the clock of each audit row to a window of its own. */
    private int auditWindows;
    /** The checks, one class per feature; built with the world, before the first row. */
    private AccountIsolationChecks account;
    private ExchangeIsolationChecks exchange;
    private InvoiceIsolationChecks invoices;
    private SubscriptionIsolationChecks subscriptions;
    private PaymentIsolationChecks payments;
    private UsageIsolationChecks usage;
    private WalletIsolationChecks wallets;
    private PageIsolationChecks page;
    private ServiceSessionIsolationChecks serviceSessions;
    private ServiceDataIsolationChecks serviceData;
    private final Map<String, ApiCheck> apiChecks = apiChecks();
    private final Map<String, ApiCheck> pageChecks = pageChecks();
    private final Map<String, Consumer<Who>> serviceChecks = serviceChecks();

    /**
     * Return the three repositories over EMPTY storage; called once per test class, before any test. The suite
     * saves three customers, then their invoices, then creates sessions as it goes.
     *
     * @return the storage under test
     */
    protected abstract PortalStorage createStorage();

    @BeforeAll
    final void buildWorld() {
        PortalStorage storage = createStorage();
        assertThat(storage).as("createStorage()").isNotNull();
        world = new PortalWorld(storage, storage);
        IsolationRun run = new IsolationRun(world, () -> mode, () -> ++auditWindows);
        account = new AccountIsolationChecks(world, run);
        exchange = new ExchangeIsolationChecks(world, run);
        invoices = new InvoiceIsolationChecks(world, run);
        subscriptions = new SubscriptionIsolationChecks(world, run);
        payments = new PaymentIsolationChecks(world, run);
        usage = new UsageIsolationChecks(world, run);
        wallets = new WalletIsolationChecks(world, run);
        page = new PageIsolationChecks(world, run);
        serviceSessions = new ServiceSessionIsolationChecks(world, run);
        serviceData = new ServiceDataIsolationChecks(world, run, subscriptions, payments, wallets);
    }

    /** A check of one route: its variants (for example one per list filter), and what it asserts per viewer. */
    private record ApiCheck(List<String> variants, Check check) {
        static ApiCheck of(Check check) {
            return new ApiCheck(List.of(""), check);
        }
    }

    @FunctionalInterface
    private interface Check {
        void run(Who viewer, String variant) throws Exception;
    }

    /** One row of the API matrix. */
    private record Row(String kind, String route, String variant, Who viewer, LinkMode mode) {
        @Override
        public String toString() {
            return kind + " " + route + (variant.isEmpty() ? "" : " [" + variant + "]") + " as " + viewer + ", "
                    + (mode == LinkMode.ONE_TIME ? "session exchanged from a one-time link" : "reusable link");
        }
    }

    // ================================================================ the matrix

    final Stream<Arguments> apiRows() {
        return rows("API", PortalApi.API_ROUTES, apiChecks);
    }

    final Stream<Arguments> pageRows() {
        return rows("page", PortalApi.PAGE_ROUTES, pageChecks);
    }

    private static Stream<Arguments> rows(String kind, List<String> routes, Map<String, ApiCheck> checks) {
        List<Arguments> rows = new ArrayList<>();
        for (String route : routes) {
            ApiCheck check = checks.get(route);
            for (String variant : check == null ? List.of("no isolation check known") : check.variants()) {
                for (LinkMode mode : LinkMode.values()) {
                    for (Who viewer : Who.values()) {
                        rows.add(Arguments.of(new Row(kind, route, variant, viewer, mode)));
                    }
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("apiRows")
    @DisplayName("API route")
    void apiRoute(Row row) throws Exception {
        run(row, apiChecks);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("pageRows")
    @DisplayName("page route")
    void pageRoute(Row row) throws Exception {
        run(row, pageChecks);
    }

    private void run(Row row, Map<String, ApiCheck> checks) throws Exception {
        ApiCheck check = checks.get(row.route());
        assertThat(check).as("PortalApi route %s has no isolation check: extend PortalIsolationContract", row.route())
                .isNotNull();
        mode = row.mode();
        check.check().run(row.viewer(), row.variant());
        assertThat(world.takeDocumentViolations()).as("rule: no document is handed out for another customer's invoice (%s)", row)
                .isEmpty();
    }

    final Stream<Arguments> serviceRows() {
        List<Arguments> rows = new ArrayList<>();
        for (String method : serviceMethods()) {
            if (SERVICE_METHODS_WITHOUT_CUSTOMER_DATA.containsKey(method)) {
                continue;
            }
            for (LinkMode mode : LinkMode.values()) {
                for (Who viewer : Who.values()) {
                    rows.add(Arguments.of(method, viewer, mode));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "PortalService.{0} as {1}, {2} links")
    @MethodSource("serviceRows")
    @DisplayName("PortalService method")
    void serviceMethod(String method, Who viewer, LinkMode linkMode) {
        mode = linkMode;
        Consumer<Who> check = serviceChecks.get(method);
        assertThat(check).as("PortalService.%s has no isolation check: extend PortalIsolationContract", method).isNotNull();
        check.accept(viewer);
        assertThat(world.takeDocumentViolations()).as("rule: no document is handed out for another customer's invoice"
                + " (PortalService.%s as %s)", method, viewer).isEmpty();
    }

    // ---------------------------------------------------------------- guards of the guard

    @Test
    @DisplayName("the matrix knows every route of PortalApi, and no route it does not have")
    void everyRouteIsInTheMatrix() {
        assertThat(apiChecks.keySet()).as("API routes with an isolation check")
                .containsExactlyInAnyOrderElementsOf(PortalApi.API_ROUTES);
        assertThat(pageChecks.keySet()).as("page routes with an isolation check")
                .containsExactlyInAnyOrderElementsOf(PortalApi.PAGE_ROUTES);
    }

    @Test
    @DisplayName("the matrix knows every public method of PortalService")
    void everyServiceMethodIsInTheMatrix() {
        assertThat(serviceMethods()).as("the methods the exemption list names are methods of PortalService")
                .containsAll(SERVICE_METHODS_WITHOUT_CUSTOMER_DATA.keySet());
        Set<String> known = new LinkedHashSet<>(serviceChecks.keySet());
        known.addAll(SERVICE_METHODS_WITHOUT_CUSTOMER_DATA.keySet());
        assertThat(serviceMethods()).as("public methods of PortalService").isNotEmpty();
        Set<String> all = new LinkedHashSet<>(serviceMethods());
        all.addAll(SERVICE_METHODS_WITHOUT_CUSTOMER_DATA.keySet());
        assertThat(known).as("PortalService methods with an isolation check or a reason not to have one")
                .containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    @DisplayName("the world is a trap: shared ids across tenants, and every list case selects other customers' invoices")
    void theWorldIsATrap() {
        for (String id : List.of("inv-shared-1", "inv-shared-2", "inv-shared-draft")) {
            assertThat(world.invoices.get(Who.A)).as(id).anyMatch(i -> i.id().equals(id));
            assertThat(world.invoices.get(Who.A_PRIME)).as(id).anyMatch(i -> i.id().equals(id));
        }
        assertThat(world.invoices.get(Who.B)).anyMatch(i -> i.id().equals("inv-shared-b"));
        assertThat(world.seededSubscriptions.get(Who.A)).as("subscriptions of A").containsKey("sub-shared-1");
        assertThat(world.seededSubscriptions.get(Who.A_PRIME)).as("subscriptions of A'").containsKeys("sub-shared-1",
                "sub-shared-b");
        assertThat(world.seededSubscriptions.get(Who.B)).as("subscriptions of B").containsKey("sub-shared-b");
        assertThat(world.invoices.get(Who.A_PRIME)).anyMatch(i -> i.id().equals("inv-shared-b"));
        for (ListCase listCase : LIST_CASES) {
            long customersSelected = Arrays.stream(Who.values())
                    .filter(who -> !world.expected(who, listCase.query()).isEmpty()).count();
            // selected for at least one customer, so for the other two viewers it is a trap
            assertThat(customersSelected).as("customers whose invoices %s selects", listCase).isPositive();
        }
        long selectingSeveral = LIST_CASES.stream().filter(listCase -> Arrays.stream(Who.values())
                .filter(who -> !world.expected(who, listCase.query()).isEmpty()).count() == 3).count();
        assertThat(selectingSeveral).as("list cases that select invoices of all three customers").isGreaterThan(15);
    }

    private static List<String> serviceMethods() {
        return Arrays.stream(PortalService.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).distinct().sorted().toList();
    }

    // ================================================================ API routes

    private Map<String, ApiCheck> apiChecks() {
        Map<String, ApiCheck> checks = new LinkedHashMap<>();
        checks.put("GET /customer", ApiCheck.of((viewer, variant) -> account.customerRoute(viewer)));
        checks.put("GET /overview", ApiCheck.of((viewer, variant) -> account.overviewRoute(viewer)));
        checks.put("GET /config", ApiCheck.of((viewer, variant) -> account.configRoute(viewer)));
        checks.put("GET /bootstrap", ApiCheck.of((viewer, variant) -> account.bootstrapRoute(viewer)));
        checks.put("GET /messages", ApiCheck.of((viewer, variant) -> account.messagesRoute(viewer)));
        List<String> listVariants = new ArrayList<>(LIST_CASES.stream().map(ListCase::name).toList());
        listVariants.add("cursors");
        checks.put("GET /invoices", new ApiCheck(listVariants, (viewer, variant) -> {
            if (variant.equals("cursors")) {
                invoices.cursorsStayWithTheirSession(viewer);
            } else {
                invoices.listCase(viewer, LIST_CASES.stream().filter(c -> c.name().equals(variant)).findFirst().orElseThrow());
            }
        }));
        checks.put("POST /session", ApiCheck.of((viewer, variant) -> exchange.exchangeRoute(viewer)));
        checks.put("PATCH /customer", new ApiCheck(List.of("own fields", "one key, two customers"),
                (viewer, variant) -> account.patchCustomerRoute(viewer, variant.equals("one key, two customers"))));
        checks.put("GET /invoices/{id}", ApiCheck.of((viewer, variant) -> invoices.invoiceRoute(viewer, "", null)));
        checks.put("GET /invoices/{id}/download", new ApiCheck(List.of("redirect allowed", "redirect=false"),
                (viewer, variant) -> invoices.invoiceRoute(viewer, "/download",
                        variant.equals("redirect=false") ? "redirect=false" : null)));
        checks.put("GET /subscriptions", ApiCheck.of((viewer, variant) -> subscriptions.subscriptionList(viewer)));
        for (String route : List.of("GET /subscriptions/{id}", "GET /subscriptions/{id}/plans",
                "POST /subscriptions/{id}/preview", "POST /subscriptions/{id}/change", "POST /subscriptions/{id}/cancel",
                "POST /subscriptions/{id}/resume")) {
            checks.put(route, ApiCheck.of((viewer, variant) -> subscriptions.subscriptionRoute(viewer, route)));
        }
        // payments
        checks.put("GET /payment_methods", ApiCheck.of((viewer, variant) -> payments.paymentMethodList(viewer)));
        checks.put("POST /payment_methods/setup", ApiCheck.of((viewer, variant) -> payments.paymentSetupRoute(viewer)));
        for (String route : List.of("POST /payment_methods/{id}/default", "DELETE /payment_methods/{id}")) {
            checks.put(route, ApiCheck.of((viewer, variant) -> payments.paymentMethodRoute(viewer, route)));
        }
        checks.put("POST /invoices/{id}/pay", ApiCheck.of((viewer, variant) -> payments.invoicePayRoute(viewer)));
        // usage and wallets
        checks.put("GET /usage", ApiCheck.of((viewer, variant) -> usage.usageList(viewer)));
        checks.put("GET /usage/history", ApiCheck.of((viewer, variant) -> usage.usageHistory(viewer)));
        checks.put("GET /wallets", ApiCheck.of((viewer, variant) -> wallets.walletList(viewer)));
        checks.put("GET /wallets/{id}/transactions", new ApiCheck(List.of("pages", "cursors"),
                (viewer, variant) -> {
                    if (variant.equals("cursors")) {
                        wallets.walletCursorsStayWithTheirSession(viewer);
                    } else {
                        wallets.walletRoute(viewer, "GET /wallets/{id}/transactions");
                    }
                }));
        checks.put("POST /wallets/{id}/top_up", new ApiCheck(List.of("own wallet", "one key, two customers"),
                (viewer, variant) -> {
                    if (variant.equals("one key, two customers")) {
                        wallets.topUpKeyStaysWithItsCustomer(viewer);
                    } else {
                        wallets.walletRoute(viewer, "POST /wallets/{id}/top_up");
                    }
                }));
        return checks;
    }

    // ================================================================ page routes

    private Map<String, ApiCheck> pageChecks() {
        Map<String, ApiCheck> checks = new LinkedHashMap<>();
        checks.put("GET", ApiCheck.of((viewer, variant) -> page.redirectRoute(viewer)));
        ApiCheck index = ApiCheck.of((viewer, variant) -> page.pageOfToken(viewer, "/"));
        checks.put("GET /", index);
        checks.put("GET /index.html", ApiCheck.of((viewer, variant) -> page.pageOfToken(viewer, "/index.html")));
        for (String route : PortalApi.PAGE_ROUTES) {
            if (route.startsWith("GET /assets/")) {
                checks.put(route, ApiCheck.of((viewer, variant) -> page.assetRoute(viewer, route)));
            }
        }
        return checks;
    }

    // ================================================================ PortalService methods

    private Map<String, Consumer<Who>> serviceChecks() {
        Map<String, Consumer<Who>> checks = new LinkedHashMap<>();
        checks.put("authenticate", viewer -> serviceSessions.authenticate(viewer));
        checks.put("createSession", viewer -> serviceSessions.createSession(viewer));
        checks.put("overview", viewer -> serviceData.overview(viewer));
        checks.put("invoices", viewer -> serviceData.invoices(viewer));
        checks.put("invoice", viewer -> serviceData.invoice(viewer));
        checks.put("downloadInvoice", viewer -> serviceData.downloadInvoice(viewer));
        checks.put("exchange", viewer -> serviceSessions.exchange(viewer));
        checks.put("auditTrail", viewer -> serviceSessions.auditTrailOf(viewer));
        checks.put("profile", viewer -> serviceData.profile(viewer));
        checks.put("subscriptions", viewer -> serviceData.subscriptions(viewer));
        checks.put("payments", viewer -> serviceData.payments(viewer));
        checks.put("usage", viewer -> serviceData.usage(viewer));
        checks.put("wallets", viewer -> serviceData.wallets(viewer));
        checks.put("features", viewer -> serviceData.features(viewer));
        checks.put("revokeSession", viewer -> serviceSessions.revokeSession(viewer));
        checks.put("revokeAllSessions", viewer -> serviceSessions.revokeAllSessions(viewer));
        return checks;
    }
}
