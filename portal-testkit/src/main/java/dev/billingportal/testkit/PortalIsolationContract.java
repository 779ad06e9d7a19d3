package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.Page;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.CurrencyOverview;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.testkit.PortalWorld.Who;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
public abstract class PortalIsolationContract {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        assertThat(world.documentViolations).as("rule: no document is handed out for another customer's invoice (%s)", row)
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
        assertThat(world.documentViolations).as("rule: no document is handed out for another customer's invoice"
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
        checks.put("GET /customer", ApiCheck.of((viewer, variant) -> {
            JsonNode customer = ok(api("/customer", null, token(viewer)), viewer).get("customer");
            assertThat(customer.get("external_id").asText()).as("rule: GET /customer answers the viewer's own profile")
                    .isEqualTo(viewer.externalId);
            assertThat(customer.get("name").asText()).isEqualTo(viewer.name);
            assertThat(customer.get("email").asText()).isEqualTo(viewer.email);
            assertThat(customer.get("tax_identification_number").asText()).isEqualTo("TAX-" + viewer.suffix);
        }));
        checks.put("GET /overview", ApiCheck.of((viewer, variant) -> {
            JsonNode overview = ok(api("/overview", null, token(viewer)), viewer).get("overview");
            Map<String, List<Long>> actual = new TreeMap<>();
            for (JsonNode row : overview.get("currencies")) {
                actual.put(row.get("currency").asText(), List.of(row.get("total_invoiced_amount_cents").asLong(),
                        row.get("overdue_amount_cents").asLong(), row.get("overdue_invoices_count").asLong(),
                        row.get("outstanding_amount_cents").asLong(), row.get("outstanding_invoices_count").asLong()));
            }
            assertThat(actual).as("rule: GET /overview sums the viewer's own invoices only, per currency"
                    + " (invoiced, overdue amount and count, outstanding amount and count)")
                    .isEqualTo(overviewRows(expectedOverview(viewer)));
        }));
        checks.put("GET /config", ApiCheck.of((viewer, variant) -> {
            JsonNode config = ok(api("/config", null, token(viewer)), viewer).get("config");
            assertThat(config.get("return_url").asText()).as("rule: GET /config answers the viewer's own session")
                    .isEqualTo(viewer.returnUrl().toString());
        }));
        checks.put("GET /bootstrap", ApiCheck.of((viewer, variant) -> {
            JsonNode bootstrap = ok(api("/bootstrap", null, token(viewer)), viewer).get("bootstrap");
            assertThat(bootstrap.get("customer").get("external_id").asText()).isEqualTo(viewer.externalId);
            assertThat(bootstrap.get("customer").get("name").asText()).isEqualTo(viewer.name);
            assertThat(bootstrap.get("config").get("return_url").asText()).isEqualTo(viewer.returnUrl().toString());
            Map<String, List<Long>> overview = new TreeMap<>();
            for (JsonNode row : bootstrap.get("overview").get("currencies")) {
                overview.put(row.get("currency").asText(), List.of(row.get("total_invoiced_amount_cents").asLong(),
                        row.get("overdue_amount_cents").asLong(), row.get("overdue_invoices_count").asLong(),
                        row.get("outstanding_amount_cents").asLong(), row.get("outstanding_invoices_count").asLong()));
            }
            assertThat(overview).isEqualTo(overviewRows(expectedOverview(viewer)));
            List<Invoice> expected = world.expected(viewer, InvoiceQuery.firstPage());
            List<String> ids = new ArrayList<>();
            bootstrap.get("invoices").get("invoices").forEach(item -> ids.add(item.get("id").asText()));
            assertThat(ids).as("first page of %s", viewer).containsExactlyElementsOf(expected.subList(0,
                    Math.min(InvoiceQuery.DEFAULT_LIMIT, expected.size())).stream().map(Invoice::id).toList());
        }));
        checks.put("GET /messages", ApiCheck.of((viewer, variant) -> {
            PortalResponse withToken = api("/messages", "locale=fr", token(viewer));
            PortalResponse anonymous = api("/messages", "locale=fr", null);
            assertThat(withToken.status()).isEqualTo(200);
            assertSameResponse(withToken, anonymous, "messages with and without a token");
            assertThat(withToken.bodyAsString()).as("labels carry no customer's data")
                    .doesNotContain(world.allMarkers());
        }));
        List<String> listVariants = new ArrayList<>(LIST_CASES.stream().map(ListCase::name).toList());
        listVariants.add("cursors");
        checks.put("GET /invoices", new ApiCheck(listVariants, (viewer, variant) -> {
            if (variant.equals("cursors")) {
                cursorsStayWithTheirSession(viewer);
            } else {
                listCase(viewer, LIST_CASES.stream().filter(c -> c.name().equals(variant)).findFirst().orElseThrow());
            }
        }));
        checks.put("POST /session", ApiCheck.of((viewer, variant) -> exchangeRoute(viewer)));
        checks.put("PATCH /customer", new ApiCheck(List.of("own fields", "one key, two customers"),
                (viewer, variant) -> patchCustomerRoute(viewer, variant.equals("one key, two customers"))));
        checks.put("GET /invoices/{id}", ApiCheck.of((viewer, variant) -> invoiceRoute(viewer, "", null)));
        checks.put("GET /invoices/{id}/download", new ApiCheck(List.of("redirect allowed", "redirect=false"),
                (viewer, variant) -> invoiceRoute(viewer, "/download", variant.equals("redirect=false") ? "redirect=false" : null)));
        checks.put("GET /subscriptions", ApiCheck.of((viewer, variant) -> subscriptionList(viewer)));
        for (String route : List.of("GET /subscriptions/{id}", "GET /subscriptions/{id}/plans",
                "POST /subscriptions/{id}/preview", "POST /subscriptions/{id}/change", "POST /subscriptions/{id}/cancel",
                "POST /subscriptions/{id}/resume")) {
            checks.put(route, ApiCheck.of((viewer, variant) -> subscriptionRoute(viewer, route)));
        }
        // payments
        checks.put("GET /payment_methods", ApiCheck.of((viewer, variant) -> paymentMethodList(viewer)));
        checks.put("POST /payment_methods/setup", ApiCheck.of((viewer, variant) -> paymentSetupRoute(viewer)));
        for (String route : List.of("POST /payment_methods/{id}/default", "DELETE /payment_methods/{id}")) {
            checks.put(route, ApiCheck.of((viewer, variant) -> paymentMethodRoute(viewer, route)));
        }
        checks.put("POST /invoices/{id}/pay", ApiCheck.of((viewer, variant) -> invoicePayRoute(viewer)));
        // usage and wallets
        checks.put("GET /usage", ApiCheck.of((viewer, variant) -> usageList(viewer)));
        checks.put("GET /usage/history", ApiCheck.of((viewer, variant) -> usageHistory(viewer)));
        checks.put("GET /wallets", ApiCheck.of((viewer, variant) -> walletList(viewer)));
        checks.put("GET /wallets/{id}/transactions", new ApiCheck(List.of("pages", "cursors"),
                (viewer, variant) -> {
                    if (variant.equals("cursors")) {
                        walletCursorsStayWithTheirSession(viewer);
                    } else {
                        walletRoute(viewer, "GET /wallets/{id}/transactions");
                    }
                }));
        checks.put("POST /wallets/{id}/top_up", new ApiCheck(List.of("own wallet", "one key, two customers"),
                (viewer, variant) -> {
                    if (variant.equals("one key, two customers")) {
                        topUpKeyStaysWithItsCustomer(viewer);
                    } else {
                        walletRoute(viewer, "POST /wallets/{id}/top_up");
                    }
                }));
        return checks;
    }

    // ---------------------------------------------------------------- usage+wallets (branch usage)

    /** The current usage lists exactly the viewer's own subscriptions (A and A' share {@code sub-shared-1}). */
    private void usageList(Who viewer) throws Exception {
        JsonNode list = ok(api("/usage", null, token(viewer)), viewer).get("usage");
        List<String> ids = new ArrayList<>();
        list.forEach(s -> {
            ids.add(s.get("subscription_id").asText());
            assertThat(s.get("total_cents").asLong()).as("rule: the usage shown is %s's own", viewer)
                    .isEqualTo(viewer.amountBase + 11);
            assertThat(s.get("charges").get(0).get("metric_name").asText()).contains(viewer.suffix);
        });
        assertThat(ids).as("rule: GET /usage lists the viewer's subscriptions, no one else's")
                .containsExactlyInAnyOrderElementsOf(world.seededSubscriptions.get(viewer).keySet());
    }

    /** The history of every subscription id of the world: the viewer's own answer 200, others' as a missing one. */
    private void usageHistory(Who viewer) throws Exception {
        String token = token(viewer);
        PortalResponse missing = api("/usage/history", "subscription_id=" + PortalWorld.MISSING_SUBSCRIPTION, token);
        assertThat(missing.status()).as("history of a missing subscription: %s", missing.bodyAsString()).isEqualTo(404);
        assertThat(json(missing).get("code").asText()).isEqualTo("subscription_not_found");
        for (String id : world.allSubscriptionIds()) {
            if (world.seededSubscriptions.get(viewer).containsKey(id)) {
                JsonNode body = ok(api("/usage/history", "subscription_id=" + id + "&periods=24", token), viewer);
                assertThat(body.get("periods")).hasSize(1);
                assertThat(body.get("periods").get(0).get("total_cents").asLong())
                        .as("rule: the history shown is %s's own", viewer).isEqualTo(viewer.amountBase + 12);
                continue;
            }
            for (String probe : List.of(id, id.toUpperCase(java.util.Locale.ROOT))) {
                assertSameResponse(api("/usage/history", "subscription_id=" + probe, token), missing,
                        "rule: the history of " + probe + " (not " + viewer + "'s) answers as a missing one");
            }
        }
    }

    /** The wallets listed are exactly the viewer's own (A and A' share {@code wal-shared-1}). */
    private void walletList(Who viewer) throws Exception {
        JsonNode list = ok(api("/wallets", null, token(viewer)), viewer).get("wallets");
        List<String> ids = new ArrayList<>();
        list.forEach(w -> {
            ids.add(w.get("id").asText());
            assertThat(w.get("name").asText()).as("rule: the wallets shown are %s's own", viewer).contains(viewer.suffix);
            assertThat(w.get("balance_cents").asLong()).isEqualTo(viewer.amountBase);
        });
        assertThat(ids).as("rule: GET /wallets lists the viewer's wallets, no one else's")
                .containsExactlyInAnyOrderElementsOf(world.seededWallets.get(viewer).keySet());
    }

    /**
     * One wallet route on every wallet id of the world: the viewer's own answer (their transactions; a top-up of
     * their wallet only), another customer's (or tenant's: the same id) exactly as a missing one.
     */
    private void walletRoute(Who viewer, String route) throws Exception {
        String token = token(viewer);
        try {
            PortalResponse missing = walletCall(route, PortalWorld.MISSING_WALLET, token, null);
            assertThat(missing.status()).as("%s on a missing wallet: %s", route, missing.bodyAsString()).isEqualTo(404);
            assertThat(json(missing).get("code").asText()).isEqualTo("wallet_not_found");
            for (String id : world.allWalletIds()) {
                if (!world.seededWallets.get(viewer).containsKey(id)) {
                    for (String probe : List.of(id, id.toUpperCase(java.util.Locale.ROOT))) {
                        assertSameResponse(walletCall(route, probe, token, null), missing,
                                "rule: " + route + " on " + probe + " (not " + viewer + "'s) answers as a missing one");
                    }
                    continue;
                }
                PortalResponse own = walletCall(route, id, token, null);
                if (route.startsWith("GET")) {
                    List<String> ids = new ArrayList<>();
                    ok(own, viewer).get("wallet_transactions").forEach(t -> ids.add(t.get("id").asText()));
                    assertThat(ids).as("rule: %s sees the transactions of their own %s, newest first", viewer, id)
                            .containsExactlyElementsOf(world.seededWalletTransactions.get(viewer).get(id).stream()
                                    .map(dev.billingportal.core.wallets.WalletTransaction::id).toList());
                } else {
                    assertThat(own.status()).as("rule: %s tops up their own %s: %s", viewer, id, own.bodyAsString())
                            .isEqualTo(201);
                    assertNoForeignData(viewer, own);
                    assertThat(json(own).get("wallet_transaction").get("wallet_id").asText()).isEqualTo(id);
                    assertThat(world.wallets.allTransactions(viewer.scope(), id)).as("the top-up is in %s's %s", viewer, id)
                            .hasSize(world.seededWalletTransactions.get(viewer).get(id).size() + 1);
                }
                assertWalletsOfOthersUntouched(viewer, route);
                world.restoreWallets();
            }
        } finally {
            world.restoreWallets();
        }
    }

    /** A wallet's cursor is good in its own session only: never in another session of the same wallet id. */
    private void walletCursorsStayWithTheirSession(Who viewer) throws Exception {
        String token = token(viewer);
        for (String id : world.seededWallets.get(viewer).keySet()) {
            JsonNode first = ok(api("/wallets/" + id + "/transactions", "limit=1", token), viewer);
            String cursor = first.get("next_cursor").asText();
            JsonNode second = ok(api("/wallets/" + id + "/transactions", "limit=1&cursor=" + cursor, token), viewer);
            assertThat(second.get("wallet_transactions").get(0).get("id").asText())
                    .isEqualTo(world.seededWalletTransactions.get(viewer).get(id).get(1).id());
            PortalResponse garbage = api("/wallets/" + id + "/transactions", "limit=1&cursor=" + tamper(cursor), token);
            assertThat(garbage.status()).as("rule: a tampered wallet cursor is a 400").isEqualTo(400);
            assertThat(json(garbage).get("code").asText()).isEqualTo("invalid_cursor");
            for (Who other : viewer.others()) {
                if (world.seededWallets.get(other).containsKey(id)) {
                    // the same wallet id in another tenant or customer: the cursor does not carry over
                    PortalResponse refused = api("/wallets/" + id + "/transactions", "limit=1&cursor=" + cursor,
                            token(other));
                    assertSameResponse(refused, api("/wallets/" + id + "/transactions", "limit=1&cursor="
                            + tamper(cursor), token(other)), "rule: " + viewer + "'s cursor of " + id + " for " + other);
                }
            }
            for (String otherWallet : world.seededWallets.get(viewer).keySet()) {
                if (!otherWallet.equals(id)) {
                    PortalResponse refused = api("/wallets/" + otherWallet + "/transactions", "cursor=" + cursor, token);
                    assertThat(refused.status()).as("rule: a cursor of %s is refused on %s", id, otherWallet).isEqualTo(400);
                }
            }
        }
    }

    /** One {@code Idempotency-Key} used by two customers tops up each one's own wallet, never replays across. */
    private void topUpKeyStaysWithItsCustomer(Who viewer) throws Exception {
        String key = "isolation-top-up-" + viewer.ordinal() + "-" + mode.ordinal() + "-" + ++auditWindows;
        String id = viewer == Who.B ? "wal-shared-b" : "wal-shared-1";
        try {
            PortalResponse first = walletCall("POST /wallets/{id}/top_up", id, token(viewer), key);
            assertThat(first.status()).as(first.bodyAsString()).isEqualTo(201);
            for (Who other : viewer.others()) {
                if (!world.seededWallets.get(other).containsKey(id)) {
                    continue;
                }
                PortalResponse theirs = walletCall("POST /wallets/{id}/top_up", id, token(other), key);
                assertThat(theirs.status()).as(theirs.bodyAsString()).isEqualTo(201);
                assertThat(theirs.header("Idempotent-Replayed")).as("rule: a key never replays across customers").isEmpty();
                assertThat(world.wallets.allTransactions(other.scope(), id)).as("rule: %s's own top-up", other)
                        .hasSize(world.seededWalletTransactions.get(other).get(id).size() + 1);
            }
            PortalResponse again = walletCall("POST /wallets/{id}/top_up", id, token(viewer), key);
            assertThat(again.header("Idempotent-Replayed")).as("the viewer's own retry").contains("true");
            assertThat(world.wallets.allTransactions(viewer.scope(), id)).as("rule: one top-up per key")
                    .hasSize(world.seededWalletTransactions.get(viewer).get(id).size() + 1);
        } finally {
            world.restoreWallets();
        }
    }

    private PortalResponse walletCall(String route, String id, String token, String key) {
        return switch (route) {
            case "GET /wallets/{id}/transactions" -> api("/wallets/" + id + "/transactions", null, token);
            case "POST /wallets/{id}/top_up" -> world.write(mode, "POST", PortalApi.DEFAULT_BASE_PATH + "/wallets/" + id
                    + "/top_up", "{\"credits\":\"12.50\"}", key, token);
            default -> throw new IllegalArgumentException(route);
        };
    }

    private void assertWalletsOfOthersUntouched(Who viewer, String route) {
        for (Who other : viewer.others()) {
            for (var seeded : world.seededWallets.get(other).values()) {
                assertThat(world.wallets.wallet(other.scope(), seeded.id())).as(
                        "rule: %s by %s leaves %s's %s as it was", route, viewer, other, seeded.id()).contains(seeded);
                assertThat(world.wallets.allTransactions(other.scope(), seeded.id()))
                        .as("rule: %s by %s adds nothing to %s's %s", route, viewer, other, seeded.id())
                        .containsExactlyInAnyOrderElementsOf(world.seededWalletTransactions.get(other).get(seeded.id()));
            }
        }
    }

    // ---------------------------------------------------------------- end usage+wallets

    /**
     * A profile edit changes the viewer's own record only: the others (A and A' share internal and external ids across
     * tenants) are untouched, and an {@code Idempotency-Key} never carries over from one customer to another.
     */
    private void patchCustomerRoute(Who viewer, boolean sharedKey) throws Exception {
        String path = world.api.basePath() + "/customer";
        String marker = "+1 555 0" + (100 + viewer.ordinal()) + " " + (mode == LinkMode.ONE_TIME ? 1 : 2);
        String key = "isolation-" + viewer.ordinal() + "-" + mode.ordinal() + "-" + sharedKey + "-" + ++auditWindows;
        PortalResponse changed = world.write(mode, "PATCH", path, "{\"phone\":\"" + marker + "\"}", key, token(viewer));
        try {
            JsonNode customer = ok(changed, viewer).get("customer");
            assertThat(customer.get("external_id").asText()).isEqualTo(viewer.externalId);
            assertThat(customer.get("phone").asText()).isEqualTo(marker);
            assertThat(portal().authenticate(token(viewer)).customer().phone()).isEqualTo(marker);
            for (Who other : viewer.others()) {
                PortalContext theirs = portal().authenticate(token(other));
                assertThat(theirs.customer()).as("%s after %s changed their phone", other, viewer)
                        .isEqualTo(world.customer(other));
                if (sharedKey) {
                    // The same key and body from another customer acts for that customer, never replays the viewer's answer.
                    PortalResponse same = world.write(mode, "PATCH", path, "{\"phone\":\"" + marker + "\"}", key,
                            token(other));
                    try {
                        JsonNode body = ok(same, other).get("customer");
                        assertThat(same.header("Idempotent-Replayed")).as("replayed across customers").isEmpty();
                        assertThat(body.get("external_id").asText()).isEqualTo(other.externalId);
                        assertThat(portal().authenticate(token(other)).customer().phone()).isEqualTo(marker);
                    } finally {
                        world.write(mode, "PATCH", path, "{\"phone\":null}", null, token(other));
                    }
                }
            }
            PortalResponse replay = world.write(mode, "PATCH", path, "{\"phone\":\"" + marker + "\"}", key, token(viewer));
            assertThat(replay.header("Idempotent-Replayed")).as("the viewer's own retry").contains("true");
            assertThat(replay.bodyAsString()).isEqualTo(changed.bodyAsString());
        } finally {
            PortalResponse restored = world.write(mode, "PATCH", path, "{\"phone\":null}", null, token(viewer));
            assertThat(restored.status()).as(restored.bodyAsString()).isEqualTo(200);
        }
        assertThat(portal().authenticate(token(viewer)).customer()).isEqualTo(world.customer(viewer));
        for (Who who : Who.values()) {
            assertThat(portal().authenticate(token(who)).customer()).as("%s after the edit was undone", who)
                    .isEqualTo(world.customer(who));
        }
    }

    // ---------------------------------------------------------------- subscriptions

    /** The list holds exactly the viewer's own subscriptions (A and A' share {@code sub-shared-1}). */
    private void subscriptionList(Who viewer) throws Exception {
        JsonNode list = ok(api("/subscriptions", null, token(viewer)), viewer).get("subscriptions");
        List<String> ids = new ArrayList<>();
        list.forEach(s -> {
            ids.add(s.get("id").asText());
            assertThat(s.get("name").asText()).as("rule: the list shows %s's own subscriptions", viewer)
                    .contains(viewer.suffix);
        });
        assertThat(ids).as("rule: GET /subscriptions lists the viewer's subscriptions, no one else's")
                .containsExactlyInAnyOrderElementsOf(world.seededSubscriptions.get(viewer).keySet());
    }

    /**
     * One subscription route, on every subscription id of the world: the viewer's own answer 200 and change only the
     * viewer's subscription; another customer's (or tenant's: the same id) answers exactly as a missing one.
     */
    private void subscriptionRoute(Who viewer, String route) throws Exception {
        String token = token(viewer);
        try {
            String ownFirst = "sub-" + viewer.tag + "-1";
            PortalResponse missing = subscriptionCall(route, PortalWorld.MISSING_SUBSCRIPTION, ownFirst, token);
            assertThat(missing.status()).as("%s on a missing subscription: %s", route, missing.bodyAsString()).isEqualTo(404);
            assertThat(json(missing).get("code").asText()).isEqualTo("subscription_not_found");
            for (String id : world.allSubscriptionIds()) {
                if (!world.seededSubscriptions.get(viewer).containsKey(id)) {
                    for (String probe : List.of(id, id.toUpperCase(java.util.Locale.ROOT))) {
                        assertSameResponse(subscriptionCall(route, probe, ownFirst, token), missing,
                                "rule: " + route + " on " + probe + " (not " + viewer + "'s) answers as a missing one");
                    }
                    continue;
                }
                PortalResponse own = subscriptionCall(route, id, id, token);
                JsonNode body = ok(own, viewer);
                if (route.equals("GET /subscriptions/{id}/plans")) {
                    List<String> codes = new ArrayList<>();
                    body.get("plans").forEach(plan -> codes.add(plan.get("code").asText()));
                    assertThat(PortalWorld.OFFERED_PLANS).as("rule: only the configured plans are offered")
                            .containsAll(codes);
                } else if (route.equals("POST /subscriptions/{id}/preview")) {
                    assertThat(body.get("preview").get("subscription_id").asText()).isEqualTo(id);
                    PortalResponse secret = world.write(mode, "POST", subscriptionPath(id, "/preview"),
                            "{\"plan_code\":\"secret\"}", null, token);
                    assertThat(secret.status()).as("rule: a plan outside the configuration is refused").isEqualTo(422);
                    assertThat(json(secret).get("error_details").get("plan_code").get(0).asText()).isEqualTo("not_offered");
                } else if (!route.startsWith("GET")) {
                    assertThat(body.get("subscription").get("id").asText()).isEqualTo(id);
                }
                if (route.equals("POST /subscriptions/{id}/change")) {
                    for (Who other : viewer.others()) {
                        if (world.seededSubscriptions.get(other).containsKey(id)) {
                            // the other's preview of the same id: never good for the viewer
                            world.restoreSubscriptions();
                            String theirs = previewId(id, world.login(other, mode).token());
                            PortalResponse refused = world.write(mode, "POST", subscriptionPath(id, "/change"),
                                    "{\"plan_code\":\"pro_year\",\"preview_id\":\"" + theirs + "\"}", null, token);
                            assertThat(refused.status()).as("rule: another customer's preview id is refused: %s",
                                    refused.bodyAsString()).isEqualTo(422);
                        }
                    }
                }
                assertOthersUntouched(viewer, route);
                world.restoreSubscriptions();
            }
        } finally {
            world.restoreSubscriptions();
        }
    }

    // ---------------------------------------------------------------- payments

    /** The list holds exactly the viewer's own payment methods (A and A' share {@code pm-shared-1}). */
    private void paymentMethodList(Who viewer) throws Exception {
        JsonNode list = ok(api("/payment_methods", null, token(viewer)), viewer).get("payment_methods");
        List<String> ids = new ArrayList<>();
        list.forEach(m -> ids.add(m.get("id").asText()));
        assertThat(ids).as("rule: GET /payment_methods lists the viewer's methods, no one else's")
                .containsExactlyElementsOf(world.seededPaymentMethods(viewer));
    }

    /** A setup is started for the viewer only, and its way back is the portal's own page. */
    private void paymentSetupRoute(Who viewer) throws Exception {
        try {
            PortalResponse started = world.write(mode, "POST", PortalApi.DEFAULT_BASE_PATH + "/payment_methods/setup",
                    "{}", null, token(viewer));
            String url = ok(started, viewer).get("setup").get("redirect_url").asText();
            assertThat(url).as("rule: the setup sends the customer to the provider's page")
                    .startsWith(world.payments.sandboxUrl().toString());
            java.net.URI back = world.payments.completeSetup(url.substring(url.lastIndexOf('/') + 1));
            String prefix = portal().portalUrl() + "?setup=complete&token=";
            assertThat(back.toString()).as("rule: the way back is the portal's own page, with a return link only")
                    .startsWith(prefix).doesNotContain("#").satisfies(u -> assertThat(u.substring(prefix.length()))
                            .as("the return link's token").matches("[A-Za-z0-9_.-]+"));
            String resumed = portal().exchange(back.toString().substring(prefix.length()), null).token();
            assertThat(portal().authenticate(resumed).customerRef())
                    .as("rule: the return link resumes the viewer's session, no one else's").isEqualTo(viewer.ref());
            assertThat(world.payments.paymentMethods(viewer.scope())).as("the viewer's methods after the setup")
                    .hasSize(world.seededPaymentMethods(viewer).size() + 1);
            assertPaymentsOfOthersUntouched(viewer, "POST /payment_methods/setup");
        } finally {
            world.restorePayments();
        }
    }

    /** One payment method route, on every method id of the world: another's answers exactly as a missing one. */
    private void paymentMethodRoute(Who viewer, String route) throws Exception {
        String token = token(viewer);
        try {
            PortalResponse missing = paymentMethodCall(route, PortalWorld.MISSING_PAYMENT_METHOD, token);
            assertThat(missing.status()).as("%s on a missing method: %s", route, missing.bodyAsString()).isEqualTo(404);
            assertThat(json(missing).get("code").asText()).isEqualTo("payment_method_not_found");
            for (String id : world.allPaymentMethodIds()) {
                if (!world.seededPaymentMethods(viewer).contains(id)) {
                    for (String probe : List.of(id, id.toUpperCase(java.util.Locale.ROOT))) {
                        assertSameResponse(paymentMethodCall(route, probe, token), missing,
                                "rule: " + route + " on " + probe + " (not " + viewer + "'s) answers as a missing one");
                    }
                    continue;
                }
                PortalResponse own = paymentMethodCall(route, id, token);
                if (route.startsWith("DELETE") && world.seededPaymentMethods(viewer).size() == 1) {
                    assertThat(own.status()).as("rule: the only method stays while a subscription runs: %s",
                            own.bodyAsString()).isEqualTo(409);
                    assertThat(json(own).get("code").asText()).isEqualTo("payment_method_required");
                } else if (route.startsWith("DELETE")) {
                    assertThat(own.status()).as("rule: %s removes their own %s: %s", viewer, id, own.bodyAsString())
                            .isEqualTo(204);
                    assertThat(world.payments.paymentMethods(viewer.scope()))
                            .extracting(dev.billingportal.core.payments.PaymentMethod::id).doesNotContain(id);
                } else {
                    JsonNode methods = ok(own, viewer).get("payment_methods");
                    methods.forEach(m -> assertThat(m.get("default").asBoolean()).as("default flag of %s", m)
                            .isEqualTo(m.get("id").asText().equals(id)));
                }
                assertPaymentsOfOthersUntouched(viewer, route);
                world.restorePayments();
            }
        } finally {
            world.restorePayments();
        }
    }

    private PortalResponse paymentMethodCall(String route, String id, String token) {
        String path = PortalApi.DEFAULT_BASE_PATH + "/payment_methods/" + id;
        return route.startsWith("DELETE") ? world.write(mode, "DELETE", path, "{}", null, token)
                : world.write(mode, "POST", path + "/default", "{}", null, token);
    }

    /**
     * Paying, on every invoice id of the world: another customer's (or tenant's: the same id) answers exactly as a
     * missing one and charges nothing; the viewer's payable ones are charged to the viewer, the others refused.
     */
    private void invoicePayRoute(Who viewer) throws Exception {
        String token = token(viewer);
        try {
            PortalResponse missing = world.write(mode, "POST", PortalApi.DEFAULT_BASE_PATH + "/invoices/inv-missing-0/pay",
                    "{}", null, token);
            assertThat(missing.status()).as("pay a missing invoice: %s", missing.bodyAsString()).isEqualTo(404);
            for (String id : world.allIds()) {
                PortalResponse response = world.write(mode, "POST", PortalApi.DEFAULT_BASE_PATH + "/invoices/" + id
                        + "/pay", "{}", null, token);
                java.util.Optional<Invoice> own = world.visible(viewer, id);
                if (own.isEmpty()) {
                    assertSameResponse(response, missing, "rule: paying " + id + " (not " + viewer
                            + "'s) answers as a missing invoice");
                } else if (dev.billingportal.core.payments.PaymentService.payable(own.get())) {
                    assertThat(ok(response, viewer).get("payment").get("status").asText())
                            .as("rule: %s pays their own %s on the default method", viewer, id).isEqualTo("succeeded");
                } else {
                    assertThat(response.status()).as("rule: %s is not payable: %s", id, response.bodyAsString())
                            .isEqualTo(409);
                    assertThat(json(response).get("code").asText()).isEqualTo("invoice_not_payable");
                }
            }
            assertThat(world.payments.charges()).as("rule: every charge is the viewer's own")
                    .allSatisfy(charge -> assertThat(charge.scope()).isEqualTo(viewer.scope()));
            assertThat(world.payments.charges()).extracting(c -> c.invoiceId()).as("charges of %s", viewer)
                    .containsExactlyInAnyOrderElementsOf(world.invoices.get(viewer).stream()
                            .filter(i -> i.status().visibleInPortal()
                                    && dev.billingportal.core.payments.PaymentService.payable(i))
                            .map(Invoice::id).toList());
        } finally {
            world.restorePayments();
        }
    }

    private void assertPaymentsOfOthersUntouched(Who viewer, String route) {
        for (Who other : viewer.others()) {
            assertThat(world.payments.paymentMethods(other.scope()))
                    .extracting(dev.billingportal.core.payments.PaymentMethod::id)
                    .as("rule: %s by %s leaves %s's payment methods as they were", route, viewer, other)
                    .containsExactlyElementsOf(world.seededPaymentMethods(other));
        }
    }

    private void assertOthersUntouched(Who viewer, String route) {
        for (Who other : viewer.others()) {
            for (dev.billingportal.core.subscriptions.Subscription seeded : world.seededSubscriptions.get(other).values()) {
                assertThat(world.subscriptions.subscription(other.scope(), seeded.id())).as(
                        "rule: %s by %s leaves %s's %s as it was", route, viewer, other, seeded.id()).contains(seeded);
            }
        }
    }

    private static String subscriptionPath(String id, String rest) {
        return PortalApi.DEFAULT_BASE_PATH + "/subscriptions/" + id + rest;
    }

    /** One request of {@code route} on {@code id}; a change carries a fresh preview of {@code previewOf} by the token. */
    private PortalResponse subscriptionCall(String route, String id, String previewOf, String token) throws IOException {
        return switch (route) {
            case "GET /subscriptions/{id}" -> api("/subscriptions/" + id, null, token);
            case "GET /subscriptions/{id}/plans" -> api("/subscriptions/" + id + "/plans", null, token);
            case "POST /subscriptions/{id}/preview" -> world.write(mode, "POST", subscriptionPath(id, "/preview"),
                    "{\"plan_code\":\"pro_year\"}", null, token);
            case "POST /subscriptions/{id}/change" -> world.write(mode, "POST", subscriptionPath(id, "/change"),
                    "{\"plan_code\":\"pro_year\",\"preview_id\":\"" + previewId(previewOf, token) + "\"}", null, token);
            case "POST /subscriptions/{id}/cancel" -> world.write(mode, "POST", subscriptionPath(id, "/cancel"),
                    "{\"reason\":\"too_expensive\",\"comment\":\"isolation\"}", null, token);
            case "POST /subscriptions/{id}/resume" -> {
                // a cancellation to undo, on the viewer's own subscription of that id (if any)
                world.write(mode, "POST", subscriptionPath(previewOf, "/cancel"), "{}", null, token);
                yield world.write(mode, "POST", subscriptionPath(id, "/resume"), "{}", null, token);
            }
            default -> throw new IllegalArgumentException(route);
        };
    }

    /** A fresh preview id of changing {@code id} to {@code pro_year}, by the token's session. */
    private String previewId(String id, String token) {
        PortalResponse preview = world.write(mode, "POST", subscriptionPath(id, "/preview"),
                "{\"plan_code\":\"pro_year\"}", null, token);
        assertThat(preview.status()).as("preview of %s: %s", id, preview.bodyAsString()).isEqualTo(200);
        return json(preview).get("preview").get("id").asText();
    }

    /**
     * The exchange: a link of the viewer's opens a session of the viewer's only; in one-time mode once, never for a
     * session's token, and revoking the link ends that session and nobody else's.
     */
    private void exchangeRoute(Who viewer) throws Exception {
        String path = world.api.basePath() + "/session";
        PortalSession link = world.link(viewer, mode);
        PortalResponse exchanged = world.call(mode, "POST", path, null, link.token());
        assertNoForeignData(viewer, exchanged);
        for (String method : List.of("GET", "HEAD", "PUT")) {
            PortalResponse refused = world.call(mode, method, path, null, link.token());
            assertThat(refused.status()).as("%s /session", method).isEqualTo(405);
            assertThat(refused.header("Allow")).contains("POST");
        }
        JsonNode session = json(exchanged).get("session");
        String token = session.get("token").asText();
        if (mode == LinkMode.REUSABLE) {
            assertThat(exchanged.status()).isEqualTo(200);
            assertThat(token).as("a reusable link is its own session").isEqualTo(link.token());
            assertThat(session.get("idle_timeout_seconds").isNull()).isTrue();
            assertThat(world.call(mode, "POST", path, null, link.token()).status()).as("again").isEqualTo(200);
            return;
        }
        assertThat(exchanged.status()).isEqualTo(201);
        PortalContext ctx = portal().authenticate(token);
        world.track(viewer, new PortalSession(ctx.sessionId(), viewer.ref(), PortalWorld.NOW, ctx.expiresAt(), null, null,
                null, null, token, null));
        assertThat(ctx.customer()).isEqualTo(world.customer(viewer));
        assertThat(ok(api("/customer", null, token), viewer).get("customer").get("name").asText()).isEqualTo(viewer.name);

        PortalResponse replay = world.call(mode, "POST", path, null, link.token());
        assertThat(replay.status()).isEqualTo(401);
        assertThat(json(replay).get("code").asText()).isEqualTo("link_already_used");
        PortalResponse sessionToken = world.call(mode, "POST", path, null, token);
        assertThat(sessionToken.status()).isEqualTo(401);
        assertThat(json(sessionToken).get("code").asText()).as("a session's token is no link").isEqualTo("invalid_token");

        Map<Who, String> others = new LinkedHashMap<>();
        viewer.others().forEach(other -> others.put(other, world.login(other, mode).token()));
        assertThat(portal().revokeSession(link.id())).as("revoking the used link").isTrue();
        world.revoked(viewer, link.id());
        world.revoked(viewer, ctx.sessionId());
        assertServiceRefuses(() -> portal().authenticate(token), ErrorCode.UNAUTHORIZED, "session_revoked");
        others.forEach((other, otherToken) -> assertThat(portal().authenticate(otherToken).customer())
                .as("%s after %s's link was revoked", other, viewer).isEqualTo(world.customer(other)));
    }

    private void listCase(Who viewer, ListCase listCase) throws Exception {
        PortalSession session = world.login(viewer, mode);
        InvoiceQuery query = listCase.query();
        List<Invoice> expected = world.expected(viewer, query);
        List<Invoice> page = expected.subList(0, Math.min(query.limit(), expected.size()));

        JsonNode body = ok(api("/invoices", listCase.rawQuery(), session.token()), viewer);
        List<String> ids = new ArrayList<>();
        for (JsonNode item : body.get("invoices")) {
            ids.add(item.get("id").asText());
            Invoice own = world.visible(viewer, item.get("id").asText()).orElseThrow(
                    () -> new AssertionError(viewer + " was shown invoice " + item.get("id") + " of someone else"));
            assertThat(item.get("number").asText()).isEqualTo(own.number());
            assertThat(item.get("total_amount_cents").asLong()).isEqualTo(own.total().amountMinor());
        }
        assertThat(ids).as("rule: GET /invoices lists exactly the viewer's own matching invoices, newest first (%s)", listCase)
                .containsExactlyElementsOf(page.stream().map(Invoice::id).toList());
        assertThat(body.get("next_cursor").isNull()).as("last page").isEqualTo(expected.size() <= query.limit());

        PortalContext ctx = portal().authenticate(session.token());
        Page<Invoice> servicePage = portal().invoices(ctx, query);
        assertThat(servicePage.items()).as("rule: PortalService.invoices lists exactly the viewer's own matching invoices"
                + " (%s)", listCase).containsExactlyElementsOf(page);
    }

    private void cursorsStayWithTheirSession(Who viewer) throws Exception {
        PortalSession session = world.login(viewer, mode);
        List<Invoice> expected = world.expected(viewer, InvoiceQuery.firstPage());
        assertThat(expected).as("visible invoices of %s", viewer).hasSizeGreaterThan(3);

        List<String> seen = new ArrayList<>();
        List<String> cursors = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = ok(api("/invoices", "limit=1" + (cursor == null ? "" : "&cursor=" + cursor), session.token()),
                    viewer);
            page.get("invoices").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            if (cursor != null) {
                cursors.add(cursor);
            }
        } while (cursor != null && seen.size() <= expected.size());
        assertThat(seen).as("every page of %s", viewer).containsExactlyElementsOf(expected.stream().map(Invoice::id).toList());
        assertThat(cursors).hasSize(expected.size() - 1);

        String tampered = tamper(cursors.get(0));
        List<PortalSession> strangers = new ArrayList<>();
        strangers.add(world.login(viewer, mode)); // the viewer's own other session
        viewer.others().forEach(other -> strangers.add(world.login(other, mode)));
        for (PortalSession stranger : strangers) {
            PortalResponse garbage = api("/invoices", "limit=1&cursor=" + tampered, stranger.token());
            assertThat(garbage.status()).as("rule: a tampered cursor is a 400").isEqualTo(400);
            assertThat(json(garbage).get("code").asText()).as("rule: a tampered cursor is invalid_cursor")
                    .isEqualTo("invalid_cursor");
            PortalContext strangerCtx = portal().authenticate(stranger.token());
            for (String foreign : cursors) {
                PortalResponse refused = api("/invoices", "limit=1&cursor=" + foreign, stranger.token());
                assertSameResponse(refused, garbage, "a cursor of " + viewer + " presented by another session");
                assertServiceRefuses(() -> portal().invoices(strangerCtx, InvoiceQuery.builder().limit(1).after(foreign).build()),
                        ErrorCode.INVALID_REQUEST, "invalid_cursor");
            }
        }
    }

    /** The invoice or download route for every id of the world and some near misses. */
    private void invoiceRoute(Who viewer, String suffix, String query) throws Exception {
        String token = token(viewer);
        PortalResponse missing = api("/invoices/" + PortalWorld.MISSING_ID + suffix, query, token);
        assertThat(missing.status()).as("rule: a missing invoice is a 404").isEqualTo(404);
        assertThat(json(missing).get("code").asText()).isEqualTo("invoice_not_found");
        int own = 0;
        int foreign = 0;
        for (String id : probeIds(viewer)) {
            PortalResponse response = api("/invoices/" + id + suffix, query, token);
            String decoded = java.net.URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8);
            var visible = world.visible(viewer, decoded);
            if (visible.isPresent()) {
                own++;
                assertOwnInvoiceResponse(viewer, visible.get(), suffix, query, response);
            } else {
                foreign++;
                assertSameResponse(response, missing, "invoice " + id + suffix + " as " + viewer);
            }
        }
        assertThat(own).as("own invoices probed").isGreaterThanOrEqualTo(6);
        assertThat(foreign).as("other customers' and missing invoices probed").isGreaterThanOrEqualTo(12);
    }

    private void assertOwnInvoiceResponse(Who viewer, Invoice invoice, String suffix, String query, PortalResponse response)
            throws Exception {
        assertNoForeignData(viewer, response);
        if (suffix.isEmpty()) {
            JsonNode item = ok(response, viewer).get("invoice");
            assertThat(item.get("id").asText()).isEqualTo(invoice.id());
            assertThat(item.get("number").asText()).isEqualTo(invoice.number());
            assertThat(item.get("total_amount_cents").asLong()).isEqualTo(invoice.total().amountMinor());
            return;
        }
        boolean redirect = "redirect".equals(invoice.documentRef());
        if (redirect && query == null) {
            assertThat(response.status()).isEqualTo(302);
            assertThat(response.header("Location")).contains(PortalWorld.documentUrl(invoice).toString());
        } else if (redirect) {
            assertThat(ok(response, viewer).get("download").get("url").asText())
                    .isEqualTo(PortalWorld.documentUrl(invoice).toString());
        } else {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().toByteArray()).isEqualTo(PortalWorld.documentBytes(invoice));
        }
    }

    /**
     * Every id of the world (each as is and percent-encoded), ids that differ from one by case, a blank, a NUL or
     * a path trick, and ids no invoice could have.
     */
    private List<String> probeIds(Who viewer) {
        List<String> ids = new ArrayList<>();
        for (String id : world.allIds()) {
            ids.add(id);
            ids.add(URLEncoder.encode(id, StandardCharsets.UTF_8).replace("-", "%2D"));
            ids.add(id.toUpperCase(java.util.Locale.ROOT));
            ids.add(id + "%20");
            ids.add("%20" + id);
            ids.add(id + "%00");
            ids.add("..%2F" + id);
        }
        ids.addAll(List.of("inv-%C3%A9t%C3%A9", "x".repeat(255), "x".repeat(256), "%2A", "%25", "inv-t-a-%25",
                "inv-shared-_", "inv-shared-%2F", "inv-%F0%9F%98%80"));
        return ids;
    }

    // ================================================================ page routes

    private Map<String, ApiCheck> pageChecks() {
        Map<String, ApiCheck> checks = new LinkedHashMap<>();
        checks.put("GET", ApiCheck.of((viewer, variant) -> {
            String token = world.link(viewer, mode).token();
            PortalResponse redirect = page("", "token=" + token, null);
            assertThat(redirect.status()).isEqualTo(302);
            assertThat(redirect.header("Location")).hasValueSatisfying(location -> {
                assertThat(location).endsWith("/?token=" + token);
            });
            assertNoForeignData(viewer, redirect);
        }));
        ApiCheck index = ApiCheck.of((viewer, variant) -> pageOfToken(viewer, "/"));
        checks.put("GET /", index);
        checks.put("GET /index.html", ApiCheck.of((viewer, variant) -> pageOfToken(viewer, "/index.html")));
        for (String route : PortalApi.PAGE_ROUTES) {
            if (route.startsWith("GET /assets/")) {
                checks.put(route, ApiCheck.of((viewer, variant) -> {
                    String path = route.substring("GET ".length());
                    String link = world.link(viewer, mode).token();
                    PortalResponse withToken = page(path, "token=" + link, link);
                    PortalResponse anonymous = page(path, null, null);
                    assertThat(withToken.status()).isEqualTo(200);
                    assertSameResponse(withToken, anonymous, "asset " + path + " with and without a token");
                    assertThat(withToken.bodyAsString()).doesNotContain(world.allMarkers());
                }));
            }
        }
        return checks;
    }

    /** The page is the same for everyone; only its frame-ancestors follow the tenant the token was signed for. */
    private void pageOfToken(Who viewer, String path) {
        String token = world.link(viewer, mode).token();
        PortalResponse page = page(path, "token=" + token, null);
        PortalResponse anonymous = page(path, null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().toByteArray()).as("the page's bytes").isEqualTo(anonymous.body().toByteArray());
        assertNoForeignData(viewer, page);
        List<String> own = viewer.tenant.equals(PortalWorld.TENANT_T) ? PortalWorld.FRAME_ANCESTORS_T : PortalWorld.FRAME_ANCESTORS_U;
        List<String> foreign = viewer.tenant.equals(PortalWorld.TENANT_T) ? PortalWorld.FRAME_ANCESTORS_U : PortalWorld.FRAME_ANCESTORS_T;
        assertThat(page.header("Content-Security-Policy")).hasValueSatisfying(csp -> {
            assertThat(csp).contains("frame-ancestors " + String.join(" ", own));
            assertThat(csp).doesNotContain(foreign);
        });
        PortalResponse tampered = page(path, "token=" + tamper(token), null);
        assertThat(tampered.header("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("frame-ancestors 'none'"));
    }

    // ================================================================ PortalService methods

    private Map<String, Consumer<Who>> serviceChecks() {
        Map<String, Consumer<Who>> checks = new LinkedHashMap<>();
        checks.put("authenticate", viewer -> {
            for (Who who : Who.values()) {
                PortalContext ctx = portal().authenticate(world.login(who, mode).token());
                assertThat(ctx.customer()).as("the customer of %s's token", who).isEqualTo(world.customer(who));
                assertThat(ctx.scope()).isEqualTo(who.scope());
            }
        });
        checks.put("createSession", viewer -> {
            for (String tenant : List.of(PortalWorld.TENANT_T, PortalWorld.TENANT_U)) {
                SessionRequest request = SessionRequest.forCustomer(viewer.externalId).tenant(tenant);
                Who holder = Arrays.stream(Who.values())
                        .filter(w -> w.tenant.equals(tenant) && w.externalId.equals(viewer.externalId)).findFirst().orElse(null);
                if (holder == null) {
                    assertServiceRefuses(() -> portal().createSession(request), ErrorCode.NOT_FOUND, "customer_not_found");
                } else {
                    PortalSession session = portal().createSession(request);
                    world.track(holder, session);
                    assertThat(session.customer()).isEqualTo(holder.ref());
                    String token = session.token();
                    if (mode == LinkMode.ONE_TIME) {
                        assertServiceRefuses(() -> portal().authenticate(session.token()), ErrorCode.UNAUTHORIZED,
                                "exchange_required");
                        PortalSession exchanged = portal().exchange(session.token(), PortalWorld.CLIENT);
                        world.track(holder, exchanged);
                        token = exchanged.token();
                    }
                    assertThat(portal().authenticate(token).customer()).isEqualTo(world.customer(holder));
                }
            }
        });
        checks.put("overview", viewer -> {
            BillingOverview overview = portal().overview(context(viewer));
            assertThat(overviewRows(overview)).isEqualTo(overviewRows(expectedOverview(viewer)));
        });
        checks.put("invoices", viewer -> {
            PortalContext ctx = context(viewer);
            for (ListCase listCase : LIST_CASES) {
                List<Invoice> expected = world.expected(viewer, listCase.query());
                assertThat(portal().invoices(ctx, listCase.query()).items()).as("%s", listCase)
                        .containsExactlyElementsOf(expected.subList(0, Math.min(listCase.query().limit(), expected.size())));
            }
        });
        checks.put("invoice", viewer -> serviceLookups(viewer, (ctx, id) -> portal().invoice(ctx, id)));
        checks.put("downloadInvoice", viewer -> serviceLookups(viewer, (ctx, id) -> portal().downloadInvoice(ctx, id)));
        checks.put("exchange", viewer -> {
            PortalSession link = world.link(viewer, mode);
            PortalSession session = portal().exchange(link.token(), PortalWorld.CLIENT);
            assertThat(session.customer()).isEqualTo(viewer.ref());
            assertThat(portal().authenticate(session.token()).customer()).isEqualTo(world.customer(viewer));
            if (mode == LinkMode.REUSABLE) {
                assertThat(session.token()).isEqualTo(link.token());
                assertThat(session.id()).isEqualTo(link.id());
                return;
            }
            world.track(viewer, session);
            assertThat(session.id()).isNotEqualTo(link.id());
            assertThat(session.url()).as("an exchanged session has no URL").isNull();
            assertServiceRefuses(() -> portal().exchange(link.token(), PortalWorld.CLIENT), ErrorCode.UNAUTHORIZED,
                    "link_already_used");
            assertServiceRefuses(() -> portal().exchange(session.token(), PortalWorld.CLIENT), ErrorCode.UNAUTHORIZED,
                    "invalid_token");
            for (Who other : viewer.others()) {
                PortalSession theirs = portal().exchange(world.link(other, mode).token(), PortalWorld.CLIENT);
                world.track(other, theirs);
                assertThat(portal().authenticate(theirs.token()).customer()).isEqualTo(world.customer(other));
            }
        });
        checks.put("auditTrail", this::auditTrailOf);
        checks.put("profile", viewer -> {
            PortalContext ctx = context(viewer);
            assertThat(portal().profile().customer(ctx)).isEqualTo(world.customer(viewer));
            try {
                Customer changed = portal().profile().update(ctx,
                        dev.billingportal.core.profile.CustomerUpdate.builder().legalName("Legal " + viewer).build());
                assertThat(changed.tenantId()).isEqualTo(viewer.tenant);
                assertThat(changed.externalId()).isEqualTo(viewer.externalId);
                for (Who other : viewer.others()) {
                    assertThat(portal().authenticate(token(other)).customer()).as("%s after %s's update", other, viewer)
                            .isEqualTo(world.customer(other));
                }
            } finally {
                portal().profile().update(context(viewer), dev.billingportal.core.profile.CustomerUpdate.builder()
                        .legalName(world.customer(viewer).legalName()).build());
            }
            assertThat(portal().authenticate(token(viewer)).customer()).isEqualTo(world.customer(viewer));
        });
        checks.put("subscriptions", viewer -> {
            PortalContext ctx = context(viewer);
            var slice = portal().subscriptions();
            assertThat(slice.subscriptions(ctx)).extracting(dev.billingportal.core.subscriptions.Subscription::id)
                    .as("rule: the slice lists the viewer's own subscriptions")
                    .containsExactlyInAnyOrderElementsOf(world.seededSubscriptions.get(viewer).keySet());
            PortalException missing = catchThrowableOfType(PortalException.class,
                    () -> slice.subscription(ctx, PortalWorld.MISSING_SUBSCRIPTION));
            assertThat(missing.reason()).isEqualTo("subscription_not_found");
            for (String id : world.allSubscriptionIds()) {
                if (world.seededSubscriptions.get(viewer).containsKey(id)) {
                    assertThat(slice.subscription(ctx, id)).isEqualTo(world.seededSubscriptions.get(viewer).get(id));
                    continue;
                }
                for (ThrowingCallable call : List.<ThrowingCallable>of(() -> slice.subscription(ctx, id),
                        () -> slice.plans(ctx, id), () -> slice.preview(ctx, id, "pro_year"),
                        () -> slice.cancel(ctx, id, null, null), () -> slice.resume(ctx, id))) {
                    PortalException e = catchThrowableOfType(PortalException.class, call);
                    assertThat(e).as("rule: %s's slice on %s (not theirs)", viewer, id).isNotNull();
                    assertThat(List.of(e.code(), e.reason(), e.getMessage())).as("%s on %s, as a missing one", viewer, id)
                            .isEqualTo(List.of(missing.code(), missing.reason(), missing.getMessage()));
                }
            }
            assertOthersUntouched(viewer, "the subscriptions slice");
        });
        checks.put("payments", viewer -> {
            PortalContext ctx = context(viewer);
            var slice = portal().payments();
            assertThat(slice.paymentMethods(ctx)).extracting(dev.billingportal.core.payments.PaymentMethod::id)
                    .as("rule: the slice lists the viewer's own payment methods")
                    .containsExactlyElementsOf(world.seededPaymentMethods(viewer));
            PortalException missing = catchThrowableOfType(PortalException.class,
                    () -> slice.setDefault(ctx, PortalWorld.MISSING_PAYMENT_METHOD));
            assertThat(missing.reason()).isEqualTo("payment_method_not_found");
            for (String id : world.allPaymentMethodIds()) {
                if (world.seededPaymentMethods(viewer).contains(id)) {
                    continue;
                }
                for (ThrowingCallable call : List.<ThrowingCallable>of(() -> slice.setDefault(ctx, id),
                        () -> slice.remove(ctx, id))) {
                    PortalException e = catchThrowableOfType(PortalException.class, call);
                    assertThat(e).as("rule: %s's slice on %s (not theirs)", viewer, id).isNotNull();
                    assertThat(List.of(e.code(), e.reason(), e.getMessage())).as("%s on %s, as a missing one", viewer, id)
                            .isEqualTo(List.of(missing.code(), missing.reason(), missing.getMessage()));
                }
            }
            for (String id : world.allIds()) {
                if (world.visible(viewer, id).isEmpty()) {
                    PortalException e = catchThrowableOfType(PortalException.class, () -> slice.payInvoice(ctx, id, "k"));
                    assertThat(e).as("rule: %s pays %s (not theirs)", viewer, id).isNotNull();
                    assertThat(e.reason()).isEqualTo("invoice_not_found");
                }
            }
            assertThat(world.payments.charges()).as("rule: nothing charged for another's invoice").isEmpty();
            assertPaymentsOfOthersUntouched(viewer, "the payments slice");
        });
        checks.put("usage", viewer -> {
            PortalContext ctx = context(viewer);
            var slice = portal().usage();
            assertThat(slice.current(ctx)).extracting(dev.billingportal.core.usage.UsageSummary::subscriptionId)
                    .as("rule: the usage slice shows the viewer's own subscriptions")
                    .containsExactlyInAnyOrderElementsOf(world.seededSubscriptions.get(viewer).keySet());
            PortalException missing = catchThrowableOfType(PortalException.class,
                    () -> slice.history(ctx, PortalWorld.MISSING_SUBSCRIPTION, 6));
            assertThat(missing.reason()).isEqualTo("subscription_not_found");
            for (String id : world.allSubscriptionIds()) {
                if (world.seededSubscriptions.get(viewer).containsKey(id)) {
                    assertThat(slice.history(ctx, id, 6)).singleElement()
                            .extracting(p -> p.total().amountMinor()).isEqualTo(viewer.amountBase + 12);
                    continue;
                }
                PortalException e = catchThrowableOfType(PortalException.class, () -> slice.history(ctx, id, 6));
                assertThat(List.of(e.code(), e.reason(), e.getMessage())).as("rule: %s's history of %s, as a missing one",
                        viewer, id).isEqualTo(List.of(missing.code(), missing.reason(), missing.getMessage()));
            }
        });
        checks.put("wallets", viewer -> {
            PortalContext ctx = context(viewer);
            var slice = portal().wallets();
            assertThat(slice.wallets(ctx)).extracting(dev.billingportal.core.wallets.Wallet::id)
                    .as("rule: the wallets slice lists the viewer's own wallets")
                    .containsExactlyInAnyOrderElementsOf(world.seededWallets.get(viewer).keySet());
            PortalException missing = catchThrowableOfType(PortalException.class,
                    () -> slice.wallet(ctx, PortalWorld.MISSING_WALLET));
            assertThat(missing.reason()).isEqualTo("wallet_not_found");
            try {
                for (String id : world.allWalletIds()) {
                    if (world.seededWallets.get(viewer).containsKey(id)) {
                        assertThat(slice.wallet(ctx, id)).isEqualTo(world.seededWallets.get(viewer).get(id));
                        assertThat(slice.transactions(ctx, id, 100, null).transactions())
                                .containsExactlyElementsOf(world.seededWalletTransactions.get(viewer).get(id));
                        continue;
                    }
                    for (ThrowingCallable call : List.<ThrowingCallable>of(() -> slice.wallet(ctx, id),
                            () -> slice.transactions(ctx, id, 10, null),
                            () -> slice.topUp(ctx, id, "5.00", "topup_isolation_" + id))) {
                        PortalException e = catchThrowableOfType(PortalException.class, call);
                        assertThat(e).as("rule: %s's slice on %s (not theirs)", viewer, id).isNotNull();
                        assertThat(List.of(e.code(), e.reason(), e.getMessage())).as("%s on %s, as a missing one",
                                viewer, id).isEqualTo(List.of(missing.code(), missing.reason(), missing.getMessage()));
                    }
                }
                assertWalletsOfOthersUntouched(viewer, "the wallets slice");
            } finally {
                world.restoreWallets();
            }
        });
        checks.put("features", viewer -> {
            assertThat(portal().features(context(viewer)).profileEditable()).as("profile edits of %s's tenant", viewer)
                    .containsExactlyInAnyOrderElementsOf(PortalWorld.EDITABLE);
        });
        checks.put("revokeSession", viewer -> {
            PortalSession target = world.login(viewer, mode);
            PortalSession sibling = world.login(viewer, mode);
            Map<Who, PortalSession> others = new LinkedHashMap<>();
            viewer.others().forEach(other -> others.put(other, world.login(other, mode)));

            assertThat(portal().revokeSession(target.id())).isTrue();
            world.revoked(viewer, target.id());
            assertRevoked(target);
            assertThat(portal().authenticate(sibling.token()).customer()).isEqualTo(world.customer(viewer));
            others.forEach((other, session) -> assertThat(portal().authenticate(session.token()).customer())
                    .as("%s after %s's session was revoked", other, viewer).isEqualTo(world.customer(other)));
            assertThat(portal().revokeSession(target.id())).as("revoking twice").isFalse();
        });
        checks.put("revokeAllSessions", viewer -> {
            List<PortalSession> own = List.of(world.login(viewer, mode), world.login(viewer, mode));
            Map<Who, PortalSession> others = new LinkedHashMap<>();
            viewer.others().forEach(other -> others.put(other, world.login(other, mode)));
            int live = world.liveSessionCount(viewer);

            assertThat(portal().revokeAllSessions(viewer.ref())).as("sessions of %s revoked", viewer).isEqualTo(live);
            world.allRevoked(viewer);
            own.forEach(this::assertRevoked);
            others.forEach((other, session) -> assertThat(portal().authenticate(session.token()).customer())
                    .as("%s after revoking every session of %s", other, viewer).isEqualTo(world.customer(other)));
            assertThat(portal().revokeAllSessions(viewer.ref())).as("revoking again").isZero();
        });
        return checks;
    }

    /**
     * Everything audited for every customer, in a time window of its own: the viewer's trail holds exactly the
     * viewer's events (tenant and external id), none of the others', A's never A''s.
     */
    private void auditTrailOf(Who viewer) {
        java.time.Instant since = PortalWorld.NOW.plus(java.time.Duration.ofDays(1 + ++auditWindows));
        PortalService later = portal().toBuilder().clock(java.time.Clock.fixed(since, java.time.ZoneOffset.UTC)).build();
        Map<Who, Set<String>> sessionIds = new LinkedHashMap<>();
        for (Who who : Who.values()) {
            Set<String> ids = new LinkedHashSet<>();
            PortalSession link = later.createSession(SessionRequest.forCustomer(who.ref()).client(PortalWorld.CLIENT));
            ids.add(link.id());
            String token = link.token();
            if (mode == LinkMode.ONE_TIME) {
                PortalSession session = later.exchange(link.token(), PortalWorld.CLIENT);
                ids.add(session.id());
                token = session.token();
                assertServiceRefuses(() -> later.exchange(link.token(), PortalWorld.CLIENT), ErrorCode.UNAUTHORIZED,
                        "link_already_used");
            }
            PortalContext ctx = later.authenticate(token, PortalWorld.CLIENT);
            Invoice own = world.invoices.get(who).stream().filter(i -> i.status().visibleInPortal()).findFirst().orElseThrow();
            later.downloadInvoice(ctx, own.id());
            PortalSession revoked = later.createSession(SessionRequest.forCustomer(who.ref()));
            ids.add(revoked.id());
            later.revokeSession(revoked.id());
            later.revokeAllSessions(who.ref());
            world.allRevoked(who);
            sessionIds.put(who, ids);
        }
        List<AuditEvent> events = later.auditTrail().find(viewer.ref(), since, AuditTrail.MAX_FIND_LIMIT);
        assertThat(events).as("audit events of %s", viewer).isNotEmpty()
                .allSatisfy(event -> {
                    assertThat(event.customer()).isEqualTo(viewer.ref());
                    if (event.sessionId() != null) {
                        assertThat(sessionIds.get(viewer)).as("session of %s", event).contains(event.sessionId());
                    }
                    if (event.linkId() != null) {
                        assertThat(sessionIds.get(viewer)).as("link of %s", event).contains(event.linkId());
                    }
                    if (event.invoiceId() != null) {
                        assertThat(world.visible(viewer, event.invoiceId())).as("invoice of %s", event).isPresent();
                    }
                });
        List<AuditEventType> expected = new ArrayList<>(List.of(AuditEventType.SESSION_CREATED,
                AuditEventType.INVOICE_DOWNLOADED, AuditEventType.SESSION_CREATED, AuditEventType.SESSION_REVOKED,
                AuditEventType.ALL_SESSIONS_REVOKED));
        if (mode == LinkMode.ONE_TIME) {
            expected.addAll(List.of(AuditEventType.SESSION_EXCHANGED, AuditEventType.LINK_REPLAY_REFUSED));
        }
        assertThat(events.stream().map(AuditEvent::type).toList()).as("what was audited for %s", viewer)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private void serviceLookups(Who viewer, BiConsumer<PortalContext, String> lookup) {
        PortalContext ctx = context(viewer);
        PortalException missing = catchThrowableOfType(PortalException.class,
                () -> lookup.accept(ctx, PortalWorld.MISSING_ID));
        assertThat(missing).isNotNull();
        assertThat(missing.code()).isEqualTo(ErrorCode.NOT_FOUND);
        int own = 0;
        for (String id : world.allIds()) {
            if (world.visible(viewer, id).isPresent()) {
                own++;
                lookup.accept(ctx, id);
                continue;
            }
            for (String probe : List.of(id, id.toUpperCase(java.util.Locale.ROOT), id + " ", " " + id, id + "\0")) {
                PortalException e = catchThrowableOfType(PortalException.class, () -> lookup.accept(ctx, probe));
                assertThat(e).as("%s looking up %s", viewer, probe).isNotNull();
                assertThat(List.of(e.code(), e.reason(), e.getMessage(), e.details()))
                        .as("%s looking up %s, compared with a missing id", viewer, probe)
                        .isEqualTo(List.of(missing.code(), missing.reason(), missing.getMessage(), missing.details()));
            }
        }
        assertThat(own).isGreaterThanOrEqualTo(6);
        for (Invoice invoice : world.invoices.get(viewer)) {
            if (invoice.status().visibleInPortal()) {
                assertThat(portal().invoice(ctx, invoice.id())).isEqualTo(invoice);
                InvoiceDocument document = portal().downloadInvoice(ctx, invoice.id());
                if (document instanceof InvoiceDocument.Redirect redirect) {
                    assertThat(redirect.location()).isEqualTo(PortalWorld.documentUrl(invoice));
                } else {
                    assertThat(read((InvoiceDocument.Stream) document)).isEqualTo(PortalWorld.documentBytes(invoice));
                }
            }
        }
    }

    private void assertRevoked(PortalSession session) {
        assertServiceRefuses(() -> portal().authenticate(session.token()), ErrorCode.UNAUTHORIZED, "session_revoked");
        PortalResponse first = null;
        for (String route : PortalApi.API_ROUTES) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replace("{id}", "inv-shared-1");
            if (route.equals("GET /messages")) {
                continue; // needs no token
            }
            if (!method.equals("GET") && !route.equals("POST /session")) {
                PortalResponse response = world.write(mode, method, world.api.basePath() + path, "{}", null, session.token());
                assertThat(response.status()).as(route).isEqualTo(401);
                assertThat(json(response).get("code").asText()).as(route).isEqualTo("session_revoked");
                continue;
            }
            if (!method.equals("GET")) {
                // the exchange: a revoked link is refused as revoked, a session's token (revoked or not) as no link
                PortalResponse response = world.call(mode, method, world.api.basePath() + path, null, session.token());
                assertThat(response.status()).as(route).isEqualTo(401);
                assertThat(json(response).get("code").asText()).as(route)
                        .isEqualTo(mode == LinkMode.ONE_TIME ? "invalid_token" : "session_revoked");
                continue;
            }
            PortalResponse response = api(path, null, session.token());
            assertThat(response.status()).as(route).isEqualTo(401);
            assertThat(json(response).get("code").asText()).as(route).isEqualTo("session_revoked");
            if (first == null) {
                first = response;
            }
            assertSameResponse(response, first, route + " with a revoked token");
        }
    }

    // ================================================================ list cases

    /** One request for the invoice list, as query string and as the {@link InvoiceQuery} it means. */
    private record ListCase(String name, String rawQuery, Consumer<InvoiceQuery.Builder> builder) {
        InvoiceQuery query() {
            InvoiceQuery.Builder b = InvoiceQuery.builder();
            builder.accept(b);
            return b.build();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static ListCase listCase(String rawQuery, Consumer<InvoiceQuery.Builder> builder) {
        return new ListCase(rawQuery.isEmpty() ? "no filter" : rawQuery, rawQuery, builder);
    }

    /** Every filter, alone and together, and searches for the others' numbers and ids. */
    private static final List<ListCase> LIST_CASES = List.of(
            listCase("", b -> { }),
            listCase("limit=100", b -> b.limit(100)),
            listCase("limit=2", b -> b.limit(2)),
            listCase("status=finalized", b -> b.statuses(InvoiceStatus.FINALIZED)),
            listCase("status=voided", b -> b.statuses(InvoiceStatus.VOIDED)),
            listCase("status=finalized,voided", b -> b.statuses(InvoiceStatus.FINALIZED, InvoiceStatus.VOIDED)),
            listCase("payment_status=pending", b -> b.paymentStatuses(PaymentStatus.PENDING)),
            listCase("payment_status=succeeded", b -> b.paymentStatuses(PaymentStatus.SUCCEEDED)),
            listCase("payment_status=failed", b -> b.paymentStatuses(PaymentStatus.FAILED)),
            listCase("payment_status=pending&payment_status=failed", b -> b.paymentStatuses(PaymentStatus.PENDING, PaymentStatus.FAILED)),
            listCase("overdue=true", b -> b.overdueOnly(true)),
            listCase("overdue=false", b -> b.overdueOnly(false)),
            listCase("issued_from=2026-01-01", b -> b.issuedFrom(LocalDate.of(2026, 1, 1))),
            listCase("issued_to=2026-06-30", b -> b.issuedTo(LocalDate.of(2026, 6, 30))),
            listCase("issued_from=2026-03-01&issued_to=2026-09-30",
                    b -> b.issuedFrom(LocalDate.of(2026, 3, 1)).issuedTo(LocalDate.of(2026, 9, 30))),
            listCase("issued_from=2026-09-01&issued_to=2026-09-01",
                    b -> b.issuedFrom(LocalDate.of(2026, 9, 1)).issuedTo(LocalDate.of(2026, 9, 1))),
            listCase("search=INV-2026", b -> b.search("INV-2026")),
            listCase("search=inv-2026-1-", b -> b.search("inv-2026-1-")),
            listCase("search=alice", b -> b.search("alice")),
            listCase("search=ALICE-U", b -> b.search("ALICE-U")),
            listCase("search=ALICE-T", b -> b.search("ALICE-T")),
            listCase("search=bob-t", b -> b.search("bob-t")),
            listCase("search=%C3%89T%C3%89", b -> b.search("ÉTÉ")),
            listCase("search=-S", b -> b.search("-S")),
            listCase("search=inv-t-a-1", b -> b.search("inv-t-a-1")),
            listCase("search=inv-t-b-1", b -> b.search("inv-t-b-1")),
            listCase("search=inv-u-a-2", b -> b.search("inv-u-a-2")),
            listCase("search=inv-shared-1", b -> b.search("inv-shared-1")),
            listCase("search=inv-shared-b", b -> b.search("inv-shared-b")),
            listCase("search=inv-shared-draft", b -> b.search("inv-shared-draft")),
            listCase("search=INV-2026-SD", b -> b.search("INV-2026-SD")),
            listCase("status=voided&search=S2", b -> b.statuses(InvoiceStatus.VOIDED).search("S2")),
            listCase("status=finalized&payment_status=pending,failed&overdue=true&issued_from=2026-01-01"
                            + "&issued_to=2026-12-31&search=2026&limit=50",
                    b -> b.statuses(InvoiceStatus.FINALIZED).paymentStatuses(PaymentStatus.PENDING, PaymentStatus.FAILED)
                            .overdueOnly(true).issuedFrom(LocalDate.of(2026, 1, 1)).issuedTo(LocalDate.of(2026, 12, 31))
                            .search("2026").limit(50)));

    // ================================================================ helpers

    /** The portal of the row's link mode. */
    private PortalService portal() {
        return world.service(mode);
    }

    private String token(Who viewer) {
        return world.login(viewer, mode).token();
    }

    private PortalContext context(Who viewer) {
        return portal().authenticate(token(viewer));
    }

    /** GET under the API's base path, also asked as HEAD, which must answer the same without a body. */
    private PortalResponse api(String path, String query, String token) {
        return getAndHead(world.api.basePath() + path, query, token);
    }

    /** GET under the page's path, also asked as HEAD. */
    private PortalResponse page(String path, String query, String token) {
        return getAndHead(world.api.uiPath() + path, query, token);
    }

    private PortalResponse getAndHead(String path, String query, String token) {
        PortalResponse get = world.call(mode, "GET", path, query, token);
        PortalResponse head = world.call(mode, "HEAD", path, query, token);
        assertThat(head.status()).as("HEAD %s", path).isEqualTo(get.status());
        assertThat(head.headers()).as("HEAD %s", path).isEqualTo(get.headers());
        assertThat(head.body().toByteArray()).as("HEAD %s body", path).isEmpty();
        assertThat(get.status()).as("GET %s", path).isLessThan(500);
        return get;
    }

    private JsonNode ok(PortalResponse response, Who viewer) throws IOException {
        assertThat(response.status()).as("rule: %s reads their own data (200 expected); answer: %s", viewer,
                response.bodyAsString()).isEqualTo(200);
        assertNoForeignData(viewer, response);
        return json(response);
    }

    private void assertNoForeignData(Who viewer, PortalResponse response) {
        String everything = response.headers() + "\n" + response.bodyAsString();
        Set<String> found = world.foreignMarkers(viewer).stream().filter(everything::contains).collect(Collectors.toSet());
        assertThat(found).as("rule: no response to %s carries another customer's data; found in: %s", viewer, everything)
                .isEmpty();
    }

    private static void assertSameResponse(PortalResponse actual, PortalResponse expected, String what) {
        assertThat(actual.status()).as("%s: status", what).isEqualTo(expected.status());
        assertThat(actual.headers()).as("%s: headers", what).isEqualTo(expected.headers());
        assertThat(actual.bodyAsString()).as("%s: body", what).isEqualTo(expected.bodyAsString());
        assertThat(actual.body().toByteArray()).as("%s: body bytes", what).isEqualTo(expected.body().toByteArray());
    }

    private static void assertServiceRefuses(ThrowingCallable call, ErrorCode code, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.reason()).isEqualTo(reason);
        });
    }

    private static JsonNode json(PortalResponse response) {
        try {
            return JSON.readTree(response.body().toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BillingOverview expectedOverview(Who viewer) {
        return TestData.expectedOverview(world.allInvoices(), viewer.scope(), PortalWorld.TODAY);
    }

    private static Map<String, List<Long>> overviewRows(BillingOverview overview) {
        Map<String, List<Long>> rows = new TreeMap<>();
        for (CurrencyOverview row : overview.currencies()) {
            rows.put(row.currency().getCurrencyCode(), List.of(row.totalInvoiced().amountMinor(), row.overdue().amountMinor(),
                    row.overdueCount(), row.outstanding().amountMinor(), row.outstandingCount()));
        }
        return rows;
    }

    /** The same text with one character changed, so its MAC or signature no longer verifies. */
    private static String tamper(String text) {
        int at = text.length() / 2;
        char c = text.charAt(at);
        return text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1);
    }

    private static byte[] read(InvoiceDocument.Stream stream) {
        try (InputStream in = stream.content().open()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
