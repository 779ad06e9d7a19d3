package dev.billingportal.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpServer;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.config.CancelMode;
import dev.billingportal.core.config.CancellationReason;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.SubscriptionSettings;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.memory.InMemorySubscriptionProvider;
import dev.billingportal.core.session.AfterCompletion;
import dev.billingportal.core.session.Flow;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.subscriptions.Cancellation;
import dev.billingportal.core.subscriptions.Plan;
import dev.billingportal.core.subscriptions.PlanInterval;
import dev.billingportal.core.subscriptions.Subscription;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.httpserver.PortalHttpHandler;
import dev.billingportal.httpserver.PortalHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The customer's subscriptions on the portal page, in a real headless Chromium against the running demo (whose
 * configuration changes any plan, upgrades at once and downgrades at period end, cancels at period end with every
 * reason offered, optionally, and a comment, and resumes): the section, the plan picker, the confirmation of the
 * server's preview before anything changes, the cancel form, resume, the three subscription flows with their
 * after-completion, and what the host's page learns by postMessage. Every result is checked against the API (and the
 * in-memory provider's charges) too. One Chromium for the whole class; a fresh browser context per test, and the
 * demo's subscriptions and plans as seeded again before each test. Screenshots land in {@code target/screenshots/}.
 */
class SubscriptionsBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final String ANALYTICS = "sub_demo_analytics"; // Pro monthly
    private static final String ARCHIVE = "sub_demo_archive";     // Starter yearly, quantity 2
    private static final String ANALYTICS_NAME = "Analytics Pro (API calls billed by usage)";

    private static EmbeddingHost allowedHost;
    private static DemoServer demo;
    private static Browser browser;

    private BrowserContext context;
    private Page page;
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    /** What the host page received: {receiver origin, sender origin, message as JSON}. */
    private final List<String[]> hostMessages = new CopyOnWriteArrayList<>();
    /** The provider's charges and cancellations before the test (the reseeding keeps their history). */
    private int chargesBefore;
    private int cancellationsBefore;
    /** The subscription writes (POST) the page sent. */
    private final List<Request> writes = new CopyOnWriteArrayList<>();
    /** The answers to the page's previews, as JSON. */
    private final List<JsonNode> previews = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startDemoAndBrowser() throws IOException {
        allowedHost = EmbeddingHost.start();
        demo = DemoServer.start(new DemoConfig(0, "subscriptions_browser_test_key", false,
                List.of(allowedHost.origin())), Clock.systemUTC());
        Files.createDirectories(PortalPageBrowserTest.SCREENSHOTS);
        browser = SharedChromium.browser(); // one Chromium for every browser test class of the run
    }

    @AfterAll
    static void stopEverything() {
        for (AutoCloseable closeable : new AutoCloseable[] {demo, allowedHost}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @BeforeEach
    void reseedAndOpenContext() {
        // Every test starts from the demo's seeded subscriptions and prices.
        InMemorySubscriptionProvider seeded = DemoData.subscriptions(Clock.systemUTC());
        InMemorySubscriptionProvider live = demo.subscriptionProvider();
        for (Customer customer : List.of(DemoData.demoCustomer(), DemoData.otherCustomer())) {
            CustomerScope scope = CustomerScope.of(customer);
            seeded.plans(scope, null).forEach(plan -> live.savePlan(customer.tenantId(), plan));
            seeded.subscriptions(scope).forEach(s -> live.save(scope, s));
        }
        chargesBefore = live.charges().size();
        cancellationsBefore = live.cancellations().size();
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900).setLocale("en-US"));
        context.setDefaultTimeout(10_000);
        context.exposeBinding("recordHostMessage", (source, args) -> {
            hostMessages.add(new String[] {origin(source.frame().url()), (String) args[0], (String) args[1]});
            return null;
        });
        page = context.newPage();
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                consoleErrors.add(message.text());
            }
        });
        page.onRequest(request -> {
            if ("POST".equals(request.method()) && request.url().contains("/portal/api/subscriptions/")) {
                writes.add(request);
            }
        });
        page.onResponse(this::keepPreview);
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    // ---------------------------------------------------------------- helpers

    private void keepPreview(Response response) {
        if (response.url().contains("/preview") && response.status() == 200) {
            try {
                previews.add(JSON.readTree(response.text()).get("preview"));
            } catch (Exception e) {
                // a body the page could not read either; the assertions on the page will tell
            }
        }
    }

    /** The charges made during this test. */
    private List<InMemorySubscriptionProvider.Charge> charges() {
        List<InMemorySubscriptionProvider.Charge> all = demo.subscriptionProvider().charges();
        return all.subList(chargesBefore, all.size());
    }

    /** The cancellations made during this test. */
    private List<Cancellation> cancellations() {
        List<Cancellation> all = demo.subscriptionProvider().cancellations();
        return all.subList(cancellationsBefore, all.size());
    }

    /** The page's texts below AA contrast, once its buttons' colour transitions (0.15 s) are over. */
    private List<?> lowContrastTexts() {
        page.waitForTimeout(300);
        return (List<?>) page.evaluate(PortalPageBrowserTest.LOW_CONTRAST_TEXTS);
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    private static PortalSession session(SessionRequest request) {
        return demo.portal().createSession(request);
    }

    private static SessionRequest english() {
        return SessionRequest.forCustomer(DemoData.DEMO_CUSTOMER).locale(Locale.ENGLISH);
    }

    private static JsonNode api(String token, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(demo.baseUrl().resolve("/portal/api" + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode subscription(String token, String id) throws IOException, InterruptedException {
        return api(token, "/subscriptions/" + id).get("subscription");
    }

    private void openPortal(String url) {
        page.navigate(url);
        assertThat(page.locator("#portal")).isVisible();
    }

    private Locator card(String id) {
        return page.locator("[data-subscription-id=\"" + id + "\"]");
    }

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator radio(String name) {
        return page.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(PortalPageBrowserTest.SCREENSHOTS.resolve(name + ".png"))
                .setFullPage(true));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private List<Request> writesTo(String tail) {
        return writes.stream().filter(r -> r.url().split("\\?")[0].endsWith(tail)).toList();
    }

    /** Each card offers exactly the buttons its subscription's actions (as the API reports them) allow. */
    private void assertButtonsMatchTheActions(String token) throws Exception {
        for (JsonNode s : api(token, "/subscriptions").get("subscriptions")) {
            Locator card = card(s.get("id").asText());
            for (String action : List.of("change", "cancel", "resume")) {
                assertThat(card.locator("[data-action=" + action + "]"))
                        .hasCount(s.get("actions").get(action).asBoolean() ? 1 : 0);
            }
        }
    }

    /** The confirmation step shows the page's last preview exactly as the server formatted it. */
    private JsonNode assertConfirmationShowsTheLastPreview() {
        assertThat(page.locator("#plan-confirm")).isVisible();
        page.waitForCondition(() -> !previews.isEmpty());
        JsonNode preview = previews.get(previews.size() - 1);
        assertThat(page.locator("#preview-due")).hasText(preview.get("formatted").get("amount_due_now").asText());
        Locator rows = page.locator("#preview-lines tr");
        assertThat(rows).hasCount(preview.get("lines").size());
        for (int i = 0; i < preview.get("lines").size(); i++) {
            JsonNode line = preview.get("lines").get(i);
            assertThat(rows.nth(i).locator("td").nth(0)).hasText(line.get("description").asText());
            assertThat(rows.nth(i).locator("td").nth(1)).hasText(line.get("formatted").get("amount").asText());
        }
        return preview;
    }

    private List<JsonNode> messagesOf(String type) {
        List<JsonNode> found = new ArrayList<>();
        for (String[] m : hostMessages) {
            JsonNode data = json(m[2]);
            if (type.equals(data.path("type").asText())) {
                found.add(data);
            }
        }
        return found;
    }

    // ---------------------------------------------------------------- the section

    @Test
    void theSectionShowsEachSubscriptionAsTheApiReportsIt() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        page.onRequest(request -> {
            String path = URI.create(request.url()).getPath();
            if (path.startsWith("/portal/api/")) {
                calls.add(request.method() + " " + path);
            }
        });
        PortalSession s = session(english());
        openPortal(s.url().toString());
        assertThat(page.locator("#subscriptions-section")).isVisible();
        // They come with the bootstrap answer: still two round trips before the page shows.
        assertThat(calls.subList(0, 2)).containsExactly("POST /portal/api/session", "GET /portal/api/bootstrap");
        // asked by the first render, never waited for: the usage chart's past periods, the wallets' transactions
        assertThat(calls.subList(2, calls.size())).allMatch(call -> call.equals("GET /portal/api/usage/history")
                || call.matches("GET /portal/api/wallets/[^/]+/transactions"));
        assertThat(page.locator("#subscriptions-title")).hasText("Subscriptions");
        JsonNode analytics = subscription(s.token(), ANALYTICS);
        Locator card = card(ANALYTICS);
        assertThat(card.locator("h3")).hasText(ANALYTICS_NAME);
        assertThat(card.locator("[data-field=status]")).hasText("Active");
        assertThat(card.locator("[data-field=plan]")).hasText("Pro");
        assertThat(card.locator("[data-field=price]")).hasText(analytics.get("plan").get("formatted").get("amount").asText() + " per month");
        assertThat(card.locator("[data-field=renews_at]")).hasText(analytics.get("formatted").get("current_period_end").asText());
        assertThat(card.locator("[data-field=period]")).hasText(analytics.get("formatted").get("current_period_start").asText()
                + " – " + analytics.get("formatted").get("current_period_end").asText());
        Locator archive = card(ARCHIVE);
        assertThat(archive.locator("[data-field=price]")).hasText(Pattern.compile(" per year$"));
        assertThat(archive.locator("[data-field=quantity]")).hasText("2");
        // The other customer's subscription is not on this customer's page.
        assertThat(card("sub_other_business")).hasCount(0);
        assertThat(page.locator(".subscription")).hasCount(api(s.token(), "/subscriptions").get("subscriptions").size());
        assertButtonsMatchTheActions(s.token());
        assertThat(card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Change the plan of " + ANALYTICS_NAME)))
                .isVisible();
        assertThat(lowContrastTexts()).isEmpty();
        screenshot("subscriptions");
        assertThat(consoleErrors).isEmpty();
    }

    // ---------------------------------------------------------------- changing the plan

    @Test
    void anUpgradeShowsWhatIsDueNowBeforeAndChangesThePlanAtOnce() throws Exception {
        PortalSession s = session(english());
        openPortal(s.url().toString());
        card(ANALYTICS).locator("[data-action=change]").click();
        assertThat(page.locator("#plan-form")).isVisible();
        assertThat(page.locator("#plan-form-title")).hasText("Change the plan of " + ANALYTICS_NAME);
        assertThat(page.locator("#subscription-list")).isHidden();
        JsonNode offered = api(s.token(), "/subscriptions/" + ANALYTICS + "/plans").get("plans");
        assertThat(page.locator(".plan-option")).hasCount(offered.size());
        for (JsonNode plan : offered) {
            Locator option = page.locator(".plan-option[data-plan-code=\"" + plan.get("code").asText() + "\"]");
            assertThat(option.locator(".plan-name")).hasText(plan.get("name").asText());
            assertThat(option.locator(".badge")).hasText(switch (plan.get("direction").asText()) {
                case "upgrade" -> "Upgrade";
                case "downgrade" -> "Downgrade";
                default -> "Same price";
            });
        }
        assertThat(page.locator("#plan-options input:checked")).hasCount(0); // nothing is preselected outside a flow
        radio("Business").check();
        button("Review the change").click();

        JsonNode preview = assertConfirmationShowsTheLastPreview();
        assertThat(preview.get("timing").asText()).isEqualTo("immediately");
        assertThat(preview.get("amount_due_now_cents").asLong()).isPositive();
        assertThat(page.locator("#plan-confirm-summary")).hasText("From Pro to Business");
        assertThat(page.locator("#plan-confirm-timing")).hasText("The change takes effect now.");
        assertThat(page.locator("#plan-confirm")).isFocused();
        assertThat(page.locator("#plan-confirm-notice")).isHidden();
        assertThat(lowContrastTexts()).isEmpty();
        screenshot("subscriptions-upgrade-preview");
        // Nothing changed yet: only a preview was asked.
        assertThat(subscription(s.token(), ANALYTICS).get("plan").get("code").asText()).isEqualTo("pro_monthly");
        assertThat(charges()).isEmpty();

        button("Confirm change").click();
        assertThat(page.locator("#subscriptions-status")).hasText("Your plan was changed to Business.");
        assertThat(card(ANALYTICS).locator("[data-field=plan]")).hasText("Business");
        assertThat(page.locator("#plan-confirm")).isHidden();
        assertThat(card(ANALYTICS).locator("[data-action=change]")).isFocused();

        List<Request> previewsSent = writesTo("/preview");
        List<Request> changes = writesTo("/change");
        assertThat(previewsSent).hasSize(1);
        assertThat(changes).hasSize(1);
        Request change = changes.get(0);
        assertThat(change.headerValue("content-type")).isEqualTo("application/json");
        assertThat(change.headerValue("authorization")).startsWith("Bearer ");
        assertThat(change.headerValue("idempotency-key")).matches(UUID)
                .isNotEqualTo(previewsSent.get(0).headerValue("idempotency-key"));
        assertThat(json(change.postData())).isEqualTo(json("{\"plan_code\":\"business_monthly\",\"preview_id\":\""
                + preview.get("id").asText() + "\"}"));

        JsonNode after = subscription(s.token(), ANALYTICS);
        assertThat(after.get("plan").get("code").asText()).isEqualTo("business_monthly");
        assertThat(after.get("pending_change").isNull()).isTrue();
        // Charged exactly what the page showed.
        List<InMemorySubscriptionProvider.Charge> charges = charges();
        assertThat(charges).hasSize(1);
        assertThat(charges.get(0).amount().amountMinor()).isEqualTo(preview.get("amount_due_now_cents").asLong());
        assertButtonsMatchTheActions(s.token());
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void inGermanADowngradeIsScheduledForThePeriodEndAndShownAsPending() throws Exception {
        PortalSession s = session(SessionRequest.forCustomer(DemoData.DEMO_CUSTOMER).locale(Locale.GERMAN));
        openPortal(s.url().toString());
        assertThat(page.locator("#subscriptions-title")).hasText("Abonnements");
        assertThat(card(ANALYTICS).locator("[data-field=status]")).hasText("Aktiv");
        card(ANALYTICS).locator("[data-action=change]").click();
        assertThat(page.locator("#plan-form-title")).hasText("Tarif von " + ANALYTICS_NAME + " wechseln");
        assertThat(page.locator(".plan-option[data-plan-code=starter_monthly] .badge")).hasText("Niedrigerer Tarif");
        radio("Starter").check();
        button("Änderung prüfen").click();

        JsonNode preview = assertConfirmationShowsTheLastPreview();
        assertThat(preview.get("timing").asText()).isEqualTo("period_end");
        assertThat(page.locator("#plan-confirm-title")).hasText("Neuen Tarif bestätigen");
        String effective = preview.get("formatted").get("effective_at").asText();
        assertThat(page.locator("#plan-confirm-timing"))
                .hasText("Die Änderung gilt ab " + effective + ", zum Ende des aktuellen Zeitraums.");
        assertThat(page.locator("#preview-no-lines")).hasText("Jetzt wird nichts berechnet oder gutgeschrieben.");
        assertThat(page.locator("#preview-next")).hasText("Nächste Rechnung am "
                + preview.get("formatted").get("next_invoice_at").asText() + ": "
                + preview.get("formatted").get("next_invoice_amount").asText());
        screenshot("subscriptions-downgrade-preview-de");
        button("Änderung bestätigen").click();

        assertThat(page.locator("#subscriptions-status")).hasText("Ihr Tarif wechselt am " + effective + " zu Starter.");
        Locator card = card(ANALYTICS);
        assertThat(card.locator("[data-field=plan]")).hasText("Pro"); // until the period ends
        assertThat(card.locator("[data-field=changing]")).hasText("Tarifwechsel vorgemerkt");
        JsonNode after = subscription(s.token(), ANALYTICS);
        assertThat(after.get("plan").get("code").asText()).isEqualTo("pro_monthly");
        assertThat(after.get("pending_change").get("plan").get("code").asText()).isEqualTo("starter_monthly");
        assertThat(card.locator("[data-field=pending_change]")).hasText(Pattern.compile(
                "^Starter \\(.+ pro Monat\\), ab " + after.get("pending_change").get("formatted").get("effective_at").asText()
                        .replaceAll("[^\\p{L}\\p{N} ]", "\\\\$0") + "$"));
        assertThat(charges()).isEmpty();
        assertButtonsMatchTheActions(s.token());
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void whenThePriceChangesBeforeConfirmingTheCustomerSeesTheNewAmountsAndIsChargedThose() throws Exception {
        PortalSession s = session(english());
        openPortal(s.url().toString());
        card(ANALYTICS).locator("[data-action=change]").click();
        radio("Business").check();
        button("Review the change").click();
        JsonNode first = assertConfirmationShowsTheLastPreview();

        // The host's billing system raises Business's price while the customer reads the confirmation.
        demo.subscriptionProvider().savePlan(DemoData.demoCustomer().tenantId(),
                new Plan("business_monthly", "Business", PlanInterval.MONTH, Money.of(15_900, "EUR")));
        button("Confirm change").click();

        assertThat(page.locator("#plan-confirm-notice"))
                .hasText("The price has changed since you looked. Please check the new amounts before confirming.");
        page.waitForCondition(() -> previews.size() == 2);
        JsonNode second = assertConfirmationShowsTheLastPreview();
        assertThat(second.get("amount_due_now_cents").asLong()).isGreaterThan(first.get("amount_due_now_cents").asLong());
        assertThat(page.locator("#preview-due")).not().hasText(first.get("formatted").get("amount_due_now").asText());
        // The refused confirmation changed nothing.
        assertThat(subscription(s.token(), ANALYTICS).get("plan").get("code").asText()).isEqualTo("pro_monthly");
        assertThat(charges()).isEmpty();
        screenshot("subscriptions-price-changed");

        button("Confirm change").click();
        assertThat(page.locator("#subscriptions-status")).hasText("Your plan was changed to Business.");
        assertThat(charges()).extracting(c -> c.amount().amountMinor())
                .containsExactly(second.get("amount_due_now_cents").asLong());
        List<Request> changes = writesTo("/change");
        assertThat(changes).hasSize(2);
        assertThat(json(changes.get(1).postData()).get("preview_id").asText()).isEqualTo(second.get("id").asText());
        assertThat(changes.get(1).headerValue("idempotency-key")).isNotEqualTo(changes.get(0).headerValue("idempotency-key"));
    }

    @Test
    void aLostAnswerToTheChangeIsRetriedWithTheSameKeyAndChargesOnce() throws Exception {
        PortalSession s = session(english());
        boolean[] first = {true};
        page.route("**/portal/api/subscriptions/*/change**", route -> {
            if (first[0]) {
                first[0] = false;
                assertThat(route.fetch().status()).isEqualTo(200); // the server acts...
                route.abort("connectionreset");                    // ...and its answer is lost on the way
            } else {
                route.resume();
            }
        });
        openPortal(s.url().toString());
        card(ANALYTICS).locator("[data-action=change]").click();
        radio("Business").check();
        button("Review the change").click();
        JsonNode preview = assertConfirmationShowsTheLastPreview();
        button("Confirm change").click();
        assertThat(page.locator("#subscriptions-status")).hasText("Your plan was changed to Business.");
        List<Request> changes = writesTo("/change");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1).headerValue("idempotency-key")).isEqualTo(changes.get(0).headerValue("idempotency-key"));
        assertThat(charges()).extracting(c -> c.amount().amountMinor())
                .containsExactly(preview.get("amount_due_now_cents").asLong());
        assertThat(subscription(s.token(), ANALYTICS).get("plan").get("code").asText()).isEqualTo("business_monthly");
    }

    // ---------------------------------------------------------------- cancelling and resuming

    @Test
    void cancellingWithAReasonAndCommentThenResuming() throws Exception {
        PortalSession s = session(english());
        openPortal(s.url().toString());
        Locator card = card(ARCHIVE);
        card.locator("[data-action=cancel]").click();
        assertThat(page.locator("#cancel-form")).isVisible();
        assertThat(page.locator("#cancel-form-title")).hasText("Cancel Archive Starter");
        JsonNode before = subscription(s.token(), ARCHIVE);
        assertThat(page.locator("#cancel-form-effect")).hasText("Your subscription stays active until "
                + before.get("formatted").get("current_period_end").asText() + ", then ends. Until then you can resume it here.");
        // Every configured reason as a radio button, optional; the comment box.
        assertThat(page.locator("#cancel-reason-options input[type=radio]")).hasCount(CancellationReason.values().length);
        assertThat(page.locator("#cancel-reasons-optional")).hasText("(optional)");
        assertThat(radio("It is too expensive")).isFocused();
        assertThat(page.locator("#cancel-comment")).hasAttribute("maxlength", "500");
        radio("It is too expensive").check();
        page.getByLabel("Anything else you would like to tell us?").fill("We archive less <b>now</b>.");
        assertThat(page.locator("#cancel-comment-hint")).hasText("Optional, at most 500 characters (473 left).");
        screenshot("subscriptions-cancel");
        button("Confirm cancellation").click();

        // Read the stored state only once the page says the cancellation is done: read at once, it raced the POST.
        assertThat(page.locator("#subscriptions-status"))
                .hasText(Pattern.compile("^Your subscription will end on .+\\.$"));
        JsonNode after = subscription(s.token(), ARCHIVE);
        assertThat(page.locator("#subscriptions-status"))
                .hasText("Your subscription will end on " + after.get("formatted").get("ending_at").asText() + ".");
        assertThat(after.get("cancel_at_period_end").asBoolean()).isTrue();
        assertThat(card.locator("[data-field=ending]")).hasText("Cancellation scheduled");
        assertThat(card.locator("[data-field=ending_at]")).hasText(after.get("formatted").get("ending_at").asText());
        assertThat(card.locator("[data-action=resume]")).isFocused();
        assertThat(card.locator("[data-action=change]")).hasCount(0);
        assertThat(card.locator("[data-action=cancel]")).hasCount(0);
        assertButtonsMatchTheActions(s.token());
        Cancellation cancellation = cancellations().get(0);
        assertThat(cancellation.reason()).isEqualTo(CancellationReason.TOO_EXPENSIVE);
        assertThat(cancellation.comment()).isEqualTo("We archive less <b>now</b>.");
        assertThat(json(writesTo("/cancel").get(0).postData())).isEqualTo(json(
                "{\"reason\":\"too_expensive\",\"comment\":\"We archive less <b>now</b>.\"}"));
        screenshot("subscriptions-canceled");

        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Resume Archive Starter").setExact(true)).click();
        assertThat(page.locator("#subscriptions-status")).hasText("Your subscription will continue.");
        assertThat(card.locator("[data-field=ending]")).hasCount(0);
        assertThat(card.locator("[data-field=renews_at]")).isVisible();
        assertThat(card.locator("[data-action=cancel]")).isFocused();
        JsonNode resumed = subscription(s.token(), ARCHIVE);
        assertThat(resumed.get("cancel_at_period_end").asBoolean()).isFalse();
        assertThat(resumed.get("ending_at").isNull()).isTrue();
        assertButtonsMatchTheActions(s.token());
        assertThat(writesTo("/resume")).singleElement().satisfies(r -> {
            assertThat(r.postData()).isEqualTo("{}");
            assertThat(r.headerValue("idempotency-key")).matches(UUID);
        });
        // Cancelling again starts afresh: nothing kept from before, nothing left disabled.
        card.locator("[data-action=cancel]").click();
        assertThat(page.locator("#cancel-reason-options input:checked")).hasCount(0);
        assertThat(page.locator("#cancel-comment")).hasValue("");
        assertThat(button("Confirm cancellation")).isEnabled();
        button("Keep subscription").click();
        assertThat(page.locator("#cancel-form")).isHidden();
        assertThat(card.locator("[data-action=cancel]")).isFocused();
        assertThat(writesTo("/cancel")).hasSize(1);
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void inFrenchTheCancelFlowAndTheServersRefusalSpeakFrench() throws Exception {
        PortalSession s = session(SessionRequest.forCustomer(DemoData.DEMO_CUSTOMER).locale(Locale.FRENCH)
                .flow(Flow.subscriptionCancel(ANALYTICS).afterCompletion(AfterCompletion.hostedConfirmation(null))));
        page.navigate(s.url().toString());
        assertThat(page.locator("#cancel-form")).isVisible();
        assertThat(page.locator("#cancel-form-title")).hasText("Résilier " + ANALYTICS_NAME);
        assertThat(page.locator("#invoices")).isHidden();
        assertThat(page.locator("#overview-title")).isHidden();
        assertThat(page.locator("#subscription-list")).isHidden();

        // A reason the configuration does not offer, sent for real: the server's 422, shown at the reasons in French.
        page.route("**/portal/api/subscriptions/*/cancel**", route ->
                route.resume(new Route.ResumeOptions().setPostData("{\"reason\":\"bored\"}")));
        radio("C’est trop cher").check();
        button("Confirmer la résiliation").click();
        assertThat(page.locator("#cancel-reasons-error")).hasText(Pattern.compile("Choisissez l’une des raisons proposées\\."));
        assertThat(page.locator("#cancel-form-error")).hasText("Certaines informations sont à corriger : voir les champs signalés.");
        assertThat(page.locator("#cancel-form")).not().containsText("not_offered");
        assertThat(subscription(s.token(), ANALYTICS).get("cancel_at_period_end").asBoolean()).isFalse();
        page.unroute("**/portal/api/subscriptions/*/cancel**");

        button("Confirmer la résiliation").click();
        assertThat(page.locator("#confirmation")).isVisible(); // the POST is answered: only now read what it stored
        JsonNode after = subscription(s.token(), ANALYTICS);
        assertThat(page.locator("#confirmation-message"))
                .hasText("Votre abonnement prendra fin le " + after.get("formatted").get("ending_at").asText() + ".");
        assertThat(after.get("cancel_at_period_end").asBoolean()).isTrue();
        assertThat(cancellations()).singleElement()
                .satisfies(c -> assertThat(c.reason()).isEqualTo(CancellationReason.TOO_EXPENSIVE));
        screenshot("subscriptions-cancel-flow-fr");
    }

    // ---------------------------------------------------------------- the flows

    @Test
    void theUpdateFlowOpensThePickerAndRedirectsAfterTheChange() throws Exception {
        String returnUrl = allowedHost.origin() + "/settings/billing?plan=changed";
        PortalSession s = session(english().flow(Flow.subscriptionUpdate(ANALYTICS)
                .afterCompletion(AfterCompletion.redirect(URI.create(returnUrl)))));
        page.navigate(s.url().toString());
        assertThat(page.locator("#plan-form")).isVisible();
        assertThat(page.locator("#plan-form-title")).hasText("Change the plan of " + ANALYTICS_NAME);
        assertThat(page.locator("#invoices")).isHidden();
        assertThat(page.locator("#customer-section")).isHidden();
        screenshot("subscriptions-update-flow");
        radio("Business").check();
        button("Review the change").click();
        assertConfirmationShowsTheLastPreview();
        button("Confirm change").click();
        page.waitForURL(returnUrl);
        assertThat(subscription(s.token(), ANALYTICS).get("plan").get("code").asText()).isEqualTo("business_monthly");
    }

    @Test
    void theUpdateConfirmFlowGoesStraightToThePreviewAndBackToThePortal() throws Exception {
        PortalSession s = session(english().flow(Flow.subscriptionUpdateConfirm(ANALYTICS, "business_monthly")
                .afterCompletion(AfterCompletion.PORTAL_HOMEPAGE)));
        page.navigate(s.url().toString());
        JsonNode preview = assertConfirmationShowsTheLastPreview();
        assertThat(preview.get("plan_code").asText()).isEqualTo("business_monthly");
        assertThat(page.locator("#plan-confirm-summary")).hasText("From Pro to Business");
        assertThat(page.locator("#overview-title")).isHidden();
        button("Confirm change").click();
        assertThat(page.locator("#subscriptions-status")).hasText("Your plan was changed to Business.");
        assertThat(page.locator("#overview-title")).isVisible();
        assertThat(page.locator("#invoices")).isVisible();
        assertThat(card(ANALYTICS).locator("[data-field=plan]")).hasText("Business");
        assertThat(subscription(s.token(), ANALYTICS).get("plan").get("code").asText()).isEqualTo("business_monthly");
        assertThat(charges()).extracting(c -> c.amount().amountMinor())
                .containsExactly(preview.get("amount_due_now_cents").asLong());
    }

    @Test
    void leavingAFlowShowsTheWholePortalAndChangesNothing() throws Exception {
        PortalSession s = session(english().flow(Flow.subscriptionUpdateConfirm(ANALYTICS, "starter_monthly")));
        page.navigate(s.url().toString());
        assertConfirmationShowsTheLastPreview();
        page.keyboard().press("Escape");
        assertThat(page.locator("#plan-confirm")).isHidden();
        assertThat(page.locator("#invoices")).isVisible();
        assertThat(card(ANALYTICS).locator("[data-action=change]")).isFocused();
        assertThat(writesTo("/change")).isEmpty();
        assertThat(subscription(s.token(), ANALYTICS).get("pending_change").isNull()).isTrue();
    }

    // ---------------------------------------------------------------- the host's page

    @Test
    void framedTheHostLearnsOfTheChangeAndTheFlowsEnd() throws Exception {
        PortalSession s = session(english().flow(Flow.subscriptionUpdateConfirm(ANALYTICS, "business_monthly")
                .afterCompletion(AfterCompletion.hostedConfirmation("Plan updated."))));
        page.navigate(allowedHost.pageFraming(s.url().toString()).toString());
        FrameLocator portal = page.frameLocator("iframe");
        assertThat(portal.locator("#plan-confirm")).isVisible();
        assertThat(portal.locator("#preview-due")).not().isEmpty();
        portal.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Confirm change").setExact(true)).click();
        assertThat(portal.locator("#confirmation-message")).hasText("Plan updated.");
        page.waitForCondition(() -> hostMessages.size() >= 3);
        page.waitForTimeout(300); // nothing more arrives

        String portalOrigin = origin(demo.baseUrl().toString());
        assertThat(hostMessages).allSatisfy(m -> {
            assertThat(m[0]).as("received by").isEqualTo(allowedHost.origin());
            assertThat(m[1]).as("sent from").isEqualTo(portalOrigin);
            assertThat(m[2]).doesNotContainIgnoringCase("token").doesNotContain(s.token());
        });
        assertThat(hostMessages).extracting(m -> json(m[2]).get("type").asText()).containsExactly(
                "billing-portal:loaded", "billing-portal:subscription_changed", "billing-portal:flow_completed");
        JsonNode after = subscription(s.token(), ANALYTICS);
        JsonNode changed = messagesOf("billing-portal:subscription_changed").get(0);
        assertThat(changed.get("subscription_id").asText()).isEqualTo(ANALYTICS);
        assertThat(changed.get("plan_code").asText()).isEqualTo("business_monthly");
        assertThat(changed.get("status").asText()).isEqualTo(after.get("status").asText());
        assertThat(changed.get("timing").asText()).isEqualTo("immediately");
        assertThat(changed.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("type", "subscription_id", "plan_code", "status", "timing", "effective_at");
        assertThat(messagesOf("billing-portal:flow_completed").get(0)).isEqualTo(json(
                "{\"type\":\"billing-portal:flow_completed\",\"flow\":\"subscription_update_confirm\"}"));
        assertThat(after.get("plan").get("code").asText()).isEqualTo("business_monthly");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void framedTheHostLearnsOfTheCancellation() throws Exception {
        PortalSession s = session(english().flow(Flow.subscriptionCancel(ARCHIVE)
                .afterCompletion(AfterCompletion.PORTAL_HOMEPAGE)));
        page.navigate(allowedHost.pageFraming(s.url().toString()).toString());
        FrameLocator portal = page.frameLocator("iframe");
        assertThat(portal.locator("#cancel-form")).isVisible();
        portal.getByRole(AriaRole.RADIO, new FrameLocator.GetByRoleOptions().setName("I do not use it enough").setExact(true)).check();
        portal.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Confirm cancellation").setExact(true)).click();
        assertThat(portal.locator("#subscriptions-status")).hasText(Pattern.compile("^Your subscription will end on "));
        assertThat(portal.locator("#invoices")).isVisible();
        page.waitForCondition(() -> hostMessages.size() >= 3);
        JsonNode after = subscription(s.token(), ARCHIVE);
        assertThat(hostMessages).extracting(m -> json(m[2]).get("type").asText()).containsExactly(
                "billing-portal:loaded", "billing-portal:subscription_canceled", "billing-portal:flow_completed");
        assertThat(messagesOf("billing-portal:subscription_canceled").get(0)).isEqualTo(json(
                "{\"type\":\"billing-portal:subscription_canceled\",\"subscription_id\":\"" + ARCHIVE + "\","
                        + "\"cancel_at_period_end\":true,\"ending_at\":\"" + after.get("ending_at").asText() + "\"}"));
        assertThat(messagesOf("billing-portal:flow_completed").get(0)).isEqualTo(json(
                "{\"type\":\"billing-portal:flow_completed\",\"flow\":\"subscription_cancel\"}"));
        assertThat(after.get("cancel_at_period_end").asBoolean()).isTrue();
        assertThat(cancellations()).singleElement()
                .satisfies(c -> assertThat(c.reason()).isEqualTo(CancellationReason.UNUSED));
    }

    @Test
    void notFramedThePagePostsNothing() throws Exception {
        page.addInitScript("window.__posts = 0; const post = window.postMessage.bind(window);"
                + " window.postMessage = function () { window.__posts++; return post.apply(null, arguments); };");
        PortalSession s = session(english().flow(Flow.subscriptionUpdateConfirm(ANALYTICS, "business_monthly")
                .afterCompletion(AfterCompletion.PORTAL_HOMEPAGE)));
        page.navigate(s.url().toString());
        assertConfirmationShowsTheLastPreview();
        button("Confirm change").click();
        assertThat(page.locator("#subscriptions-status")).hasText("Your plan was changed to Business.");
        card(ARCHIVE).locator("[data-action=cancel]").click();
        button("Confirm cancellation").click(); // reasons are optional in the demo
        assertThat(page.locator("#subscriptions-status")).hasText(Pattern.compile("^Your subscription will end on "));
        assertThat(((Number) page.evaluate("() => window.__posts")).intValue()).isZero();
        assertThat(subscription(s.token(), ARCHIVE).get("cancel_at_period_end").asBoolean()).isTrue();
        assertThat(consoleErrors).isEmpty();
    }

    // ---------------------------------------------------------------- keyboard, contrast, phone

    @Test
    void theStepsWorkFromTheKeyboardMeetAaContrastAndFitAPhone() throws Exception {
        page.setViewportSize(360, 740);
        PortalSession s = session(english());
        openPortal(s.url().toString());
        card(ANALYTICS).locator("[data-action=change]").focus();
        page.keyboard().press("Enter");
        Locator firstPlan = page.locator("#plan-options input").first();
        assertThat(firstPlan).isFocused();
        assertThat(page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")).isNotEqualTo("none");
        page.keyboard().press("Space");
        assertThat(firstPlan).isChecked();
        page.keyboard().press("Tab");
        assertThat(button("Review the change")).isFocused();
        page.keyboard().press("Enter");
        assertConfirmationShowsTheLastPreview();
        assertThat(page.evaluate("() => document.documentElement.scrollWidth")).isEqualTo(360);
        assertThat(lowContrastTexts()).isEmpty();
        page.locator("#subscriptions-section").screenshot(new Locator.ScreenshotOptions()
                .setPath(PortalPageBrowserTest.SCREENSHOTS.resolve("subscriptions-phone-preview.png")));
        page.keyboard().press("Tab");
        assertThat(button("Confirm change")).isFocused();
        page.keyboard().press("Escape");
        assertThat(page.locator("#plan-confirm")).isHidden();
        assertThat(card(ANALYTICS).locator("[data-action=change]")).isFocused();
        assertThat(writesTo("/change")).isEmpty();

        card(ARCHIVE).locator("[data-action=cancel]").focus();
        page.keyboard().press("Enter");
        assertThat(radio("It is too expensive")).isFocused();
        assertThat(page.evaluate("() => document.documentElement.scrollWidth")).isEqualTo(360);
        assertThat(lowContrastTexts()).isEmpty();
        page.locator("#subscriptions-section").screenshot(new Locator.ScreenshotOptions()
                .setPath(PortalPageBrowserTest.SCREENSHOTS.resolve("subscriptions-phone-cancel.png")));
        page.keyboard().press("Escape");
        assertThat(card(ARCHIVE).locator("[data-action=cancel]")).isFocused();
        page.locator("#subscriptions-section").screenshot(new Locator.ScreenshotOptions()
                .setPath(PortalPageBrowserTest.SCREENSHOTS.resolve("subscriptions-phone.png")));
        assertThat(page.evaluate("() => document.documentElement.scrollWidth")).isEqualTo(360);
        assertThat(writesTo("/change")).isEmpty(); // only a preview was sent
        assertThat(writesTo("/cancel")).isEmpty();
    }

    // ---------------------------------------------------------------- other configurations

    @Test
    void aRequiredReasonAnImmediateCancelAndNoButtonTheConfigurationRefuses() throws Exception {
        SubscriptionSettings settings = SubscriptionSettings.DEFAULT.withChange(false)
                .withCancel(true, CancelMode.IMMEDIATELY)
                .withReasons(List.of(CancellationReason.TOO_EXPENSIVE, CancellationReason.OTHER), true, false)
                .withResume(false);
        try (SmallPortal small = SmallPortal.start(PortalConfiguration.builder().subscriptions(settings).build())) {
            openPortal(small.link());
            Locator card = card("sub_small");
            assertThat(card.locator("[data-action=cancel]")).hasCount(1);
            assertThat(card.locator("[data-action=change]")).hasCount(0); // changes are off
            assertThat(card.locator("[data-action=resume]")).hasCount(0);
            card.locator("[data-action=cancel]").click();
            assertThat(page.locator("#cancel-form-effect")).hasText("Your subscription ends now.");
            assertThat(page.locator("#cancel-reason-options input[type=radio]")).hasCount(2);
            assertThat(page.locator("#cancel-reasons-optional")).isHidden();
            assertThat(page.locator("#cancel-comment")).isHidden(); // no comment asked
            button("Confirm cancellation").click();
            assertThat(page.locator("#cancel-reasons-error")).hasText(Pattern.compile("Choose a reason\\."));
            assertThat(radio("It is too expensive")).isFocused();
            assertThat(writes).isEmpty(); // the page's own check: nothing sent
            radio("Another reason").check();
            button("Confirm cancellation").click();
            assertThat(page.locator("#subscriptions-status")).hasText("Your subscription was canceled.");
            assertThat(card.locator("[data-field=status]")).hasText("Canceled");
            assertThat(card.locator("button")).hasCount(0);
            assertThat(small.provider.cancellations()).singleElement().satisfies(c -> {
                assertThat(c.reason()).isEqualTo(CancellationReason.OTHER);
                assertThat(c.mode()).isEqualTo(CancelMode.IMMEDIATELY);
            });
        }
    }

    @Test
    void withoutTheFeatureThereIsNoSection() throws Exception {
        try (HostileDataPortal hostile = HostileDataPortal.start()) { // no subscription provider installed
            openPortal(hostile.link());
            assertThat(page.locator("#subscriptions-section")).isHidden();
            assertThat(page.locator("#subscription-list button")).hasCount(0);
        }
        assertThat(consoleErrors).isEmpty();
    }

    /** A portal of one customer with one monthly subscription, under a configuration of the test's choosing. */
    private static final class SmallPortal implements AutoCloseable {
        private final HttpServer server;
        private final PortalService portal;
        private final InMemorySubscriptionProvider provider;

        private SmallPortal(HttpServer server, PortalService portal, InMemorySubscriptionProvider provider) {
            this.server = server;
            this.portal = portal;
            this.provider = provider;
        }

        static SmallPortal start(PortalConfiguration configuration) throws IOException {
            InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
            Customer customer = Customer.builder().id("c_small").externalId("small").name("Small Co").currency("EUR").build();
            customers.save(customer);
            InMemorySubscriptionProvider provider = new InMemorySubscriptionProvider(Clock.systemUTC());
            Plan basic = new Plan("basic", "Basic", PlanInterval.MONTH, Money.of(1_000, "EUR"));
            provider.savePlan(customer.tenantId(), basic);
            LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
            provider.save(CustomerScope.of(customer), Subscription.builder().id("sub_small").name("Small Basic").plan(basic)
                    .startedAt(day(month.minusMonths(2))).currentPeriodStart(day(month))
                    .currentPeriodEnd(day(month.plusMonths(1))).build());
            HttpServer server = PortalHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            PortalService portal = PortalService.builder().customers(customers).invoices(new InMemoryInvoiceRepository())
                    .sessions(new InMemoryPortalSessionRepository())
                    .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("small"))))
                    .portalUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/portal/"))
                    .defaultConfiguration(configuration).subscriptions(provider).build();
            PortalApi api = PortalApi.of(portal);
            server.createContext(api.uiPath(), new PortalHttpHandler(api::handle));
            server.start();
            return new SmallPortal(server, portal, provider);
        }

        private static Instant day(LocalDate day) {
            return day.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        String link() {
            return portal.createSession(SessionRequest.forCustomer("small").locale(Locale.ENGLISH)).url().toString();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
