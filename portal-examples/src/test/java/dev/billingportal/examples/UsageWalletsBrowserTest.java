package dev.billingportal.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpServer;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.WalletSettings;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPaymentMethodProvider;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.payments.PaymentMethod;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.httpserver.PortalHttpHandler;
import dev.billingportal.httpserver.PortalHttpServer;
import dev.billingportal.core.memory.InMemoryWalletProvider;
import dev.billingportal.core.session.AfterCompletion;
import dev.billingportal.core.session.Flow;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.usage.Charge;
import dev.billingportal.core.usage.UsagePeriod;
import dev.billingportal.core.usage.UsageSummary;
import dev.billingportal.core.wallets.Wallet;
import dev.billingportal.core.wallets.WalletTransaction;
import dev.billingportal.core.wallets.WalletTransactionStatus;
import dev.billingportal.core.wallets.WalletTransactionType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * The usage and prepaid-credit sections of the portal page, in a real headless Chromium against the running demo
 * (whose configuration allows top-ups of 10.00 to 500.00 credits): the usage figures and charges as the provider holds
 * them, the chart's bars and its table read back and compared with the provider's totals, the wallet with its
 * transactions and "more", the top-up dialog refusing bad amounts before any request and then topping up once, the
 * server's refusal landing on the field, flow {@code wallet_top_up}, and {@code billing-portal:wallet_topped_up} to
 * a framing host. One Chromium shared by the run's browser tests; a fresh context per test, and the demo's wallets as seeded again before
 * each. Screenshots land in {@code target/screenshots/}.
 */
class UsageWalletsBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final String ANALYTICS = "sub_demo_analytics";
    private static final String ANALYTICS_NAME = "Analytics Pro (API calls billed by usage)";
    private static final String WALLET = "wal_demo_credits";
    /** The chart's plot height in SVG units (portal-usage.js PLOT_HEIGHT). */
    private static final long PLOT_HEIGHT = 160;

    private static EmbeddingHost allowedHost;
    private static DemoServer demo;
    private static Browser browser;

    private BrowserContext context;
    private Page page;
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    private final List<String[]> hostMessages = new CopyOnWriteArrayList<>();
    /** Every request the page made, as "METHOD url". */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** The top-up requests (POST .../top_up) the page sent. */
    private final List<Request> topUps = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startDemoAndBrowser() throws IOException {
        allowedHost = EmbeddingHost.start();
        demo = DemoServer.start(new DemoConfig(0, "usage_wallets_browser_test_key", false,
                List.of(allowedHost.origin())), Clock.systemUTC());
        Files.createDirectories(PortalPageBrowserTest.SCREENSHOTS);
        browser = SharedChromium.browser();
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
        // Every test starts from the demo's seeded wallet and its transactions.
        InMemoryWalletProvider seeded = DemoData.wallets(Clock.systemUTC());
        InMemoryWalletProvider live = demo.walletProvider();
        CustomerScope scope = scope();
        live.remove(scope, WALLET);
        seeded.wallets(scope).forEach(w -> live.put(scope, w));
        seeded.allTransactions(scope, WALLET).forEach(t -> live.record(scope, t));

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
            requests.add(request.method() + " " + request.url());
            if ("POST".equals(request.method()) && request.url().split("\\?")[0].endsWith("/top_up")) {
                topUps.add(request);
            }
        });
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    // ---------------------------------------------------------------- helpers

    private static CustomerScope scope() {
        return CustomerScope.of(DemoData.demoCustomer());
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

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private void openPortal(String url) {
        page.navigate(url);
        assertThat(page.locator("#portal")).isVisible();
    }

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator walletCard() {
        return page.locator("[data-wallet-id=\"" + WALLET + "\"]");
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(PortalPageBrowserTest.SCREENSHOTS.resolve(name + ".png"))
                .setFullPage(true));
    }

    private List<?> lowContrastTexts() {
        page.waitForTimeout(300);
        return (List<?>) page.evaluate(PortalPageBrowserTest.LOW_CONTRAST_TEXTS);
    }

    private List<WalletTransaction> providerTransactions() {
        return demo.walletProvider().allTransactions(scope(), WALLET);
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

    private Locator dialog() {
        return page.locator("#topup-dialog");
    }

    // ---------------------------------------------------------------- usage

    @Test
    void theUsageSectionShowsThePeriodTotalsAndChargesAsTheProviderHoldsThem() throws Exception {
        PortalSession s = session(english());
        openPortal(s.url().toString());
        assertThat(page.locator("#usage-title")).hasText("Usage");
        UsageSummary held = demo.usageProvider().currentUsage(scope()).get(0);
        JsonNode answered = api(s.token(), "/usage").get("usage").get(0);
        assertThat(answered.get("subscription_id").asText()).isEqualTo(held.subscriptionId());

        Locator usage = page.locator(".usage-subscription[data-usage-subscription-id=\"" + ANALYTICS + "\"]");
        assertThat(page.locator(".usage-subscription")).hasCount(1); // only this customer's
        assertThat(usage.locator("h3")).hasText(ANALYTICS_NAME); // named as the subscriptions section names it
        assertThat(usage.locator("[data-field=current_period]")).hasText("Current period: "
                + answered.get("formatted").get("from").asText() + " – " + answered.get("formatted").get("to").asText());
        assertThat(usage.locator("[data-field=total]")).hasText(answered.get("formatted").get("total").asText());
        assertThat(usage.locator("[data-field=projected_total]"))
                .hasText(answered.get("formatted").get("projected_total").asText());

        Locator rows = usage.locator("table.usage-charges tbody tr");
        assertThat(rows).hasCount(held.charges().size());
        for (int i = 0; i < held.charges().size(); i++) {
            Charge charge = held.charges().get(i);
            JsonNode shown = answered.get("charges").get(i);
            Locator row = rows.nth(i);
            assertThat(row).hasAttribute("data-metric-code", charge.metricCode());
            assertThat(row.locator("[data-field=metric]")).hasText(charge.metricName());
            assertThat(row.locator("[data-field=units]")).hasAttribute("data-units", charge.units().toPlainString());
            assertThat(row.locator("[data-field=units]")).hasText(shown.get("formatted").get("units").asText());
            assertThat(row.locator("[data-field=amount]"))
                    .hasAttribute("data-amount", Long.toString(charge.amount().amountMinor()));
            assertThat(row.locator("[data-field=amount]")).hasText(shown.get("formatted").get("amount").asText());
        }
        assertThat(rows.nth(0).locator("[data-field=units]")).hasText("284,500"); // grouped, every digit kept
        assertThat(rows.nth(1).locator("[data-field=units]")).hasText("29.3");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void theChartsBarsAndItsTableCarryTheProvidersTotalsWithoutARequestOfTheirOwn() throws Exception {
        PortalSession s = session(english());
        openPortal(s.url().toString());
        Locator chart = page.locator(".usage-subscription[data-usage-subscription-id=\"" + ANALYTICS + "\"] .usage-chart");
        Locator bars = chart.locator("svg.usage-bars rect");
        assertThat(bars).hasCount(7); // six past periods and this one

        UsageSummary current = demo.usageProvider().currentUsage(scope()).get(0);
        List<UsagePeriod> past = new ArrayList<>(demo.usageProvider().pastUsage(scope(), ANALYTICS, 6));
        java.util.Collections.reverse(past); // the chart reads oldest to newest
        List<Long> expected = new ArrayList<>();
        List<String> periods = new ArrayList<>();
        past.forEach(p -> {
            expected.add(p.total().amountMinor());
            periods.add(p.from().toString());
        });
        expected.add(current.total().amountMinor());
        periods.add(current.from().toString());
        long max = expected.stream().mapToLong(Long::longValue).max().orElseThrow();

        JsonNode history = api(s.token(), "/usage/history?subscription_id=" + ANALYTICS + "&periods=6").get("periods");
        for (int i = 0; i < 7; i++) {
            Locator bar = bars.nth(i);
            assertThat(bar).hasAttribute("data-amount", Long.toString(expected.get(i)));
            assertThat(bar).hasAttribute("data-period", periods.get(i));
            long height = Long.parseLong(bar.getAttribute("height"));
            assertThat(height).as("bar %d: integer height from minor units", i).isEqualTo(expected.get(i) * PLOT_HEIGHT / max);
            assertThat(Long.parseLong(bar.getAttribute("y")) + height).as("bars stand on one base line").isEqualTo(24 + PLOT_HEIGHT);
        }
        assertThat(bars.nth(6)).hasAttribute("data-current", "true");
        // each bar's label is the server's formatted total
        Locator values = chart.locator("svg text.usage-value");
        for (int i = 0; i < 6; i++) {
            assertThat(values.nth(i)).hasText(history.get(5 - i).get("formatted").get("total").asText());
        }
        assertThat(chart.locator("svg.usage-bars")).hasAttribute("aria-hidden", "true");

        // the same values as a table, for screen readers (visually hidden) and on request for everyone
        Locator table = chart.locator("table.usage-history-table");
        Locator rows = table.locator("tbody tr");
        assertThat(rows).hasCount(7);
        for (int i = 0; i < 7; i++) {
            assertThat(rows.nth(i)).hasAttribute("data-period", periods.get(i));
            assertThat(rows.nth(i).locator("[data-field=period_total]")).hasAttribute("data-amount", Long.toString(expected.get(i)));
        }
        assertThat(rows.nth(0).locator("[data-field=period_total]")).hasText(history.get(5).get("formatted").get("total").asText());
        assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("This period compared with past periods")))
                .hasCount(1);
        assertThat(chart.locator(".usage-history")).hasClass(Pattern.compile("\\bvisually-hidden\\b"));
        Locator toggle = chart.locator(".usage-toggle");
        assertThat(toggle).hasAccessibleName("Show as table");
        assertThat(toggle).hasAttribute("aria-expanded", "false");
        toggle.click();
        assertThat(chart.locator(".usage-history")).not().hasClass(Pattern.compile("\\bvisually-hidden\\b"));
        assertThat(chart.locator(".usage-svg")).isHidden();
        assertThat(toggle).hasText("Show as chart");
        assertThat(toggle).hasAttribute("aria-expanded", "true");
        assertThat(lowContrastTexts()).isEmpty();
        toggle.click();
        assertThat(chart.locator(".usage-svg")).isVisible();
        screenshot("usage-chart");

        // the chart asked nothing of its own: every request went to the portal's API, once for the history
        String portalOrigin = origin(demo.baseUrl().toString());
        assertThat(requests).allSatisfy(r -> assertThat(origin(r.substring(r.indexOf(' ') + 1))).isEqualTo(portalOrigin));
        assertThat(requests.stream().filter(r -> r.contains("/usage/history")).toList()).singleElement()
                .satisfies(r -> assertThat(r).contains("subscription_id=" + ANALYTICS).contains("periods=6"));
        assertThat(consoleErrors).isEmpty();
    }

    // ---------------------------------------------------------------- wallet

    @Test
    void theWalletShowsItsBalancesAndTheLatestFiveTransactionsThenMore() throws Exception {
        CustomerScope scope = scope();
        for (int i = 0; i < 5; i++) { // 12 in all: pages of 5, 5 and 2
            demo.walletProvider().record(scope, new WalletTransaction("wtx_more_" + i, WALLET, WalletTransactionType.OUTBOUND,
                    WalletTransactionStatus.FAILED, new BigDecimal("0.0" + (i + 1)), dev.billingportal.core.domain.Money.of(i + 1, "EUR"),
                    Instant.now().minus(Duration.ofDays(200 + i))));
        }
        PortalSession s = session(english());
        openPortal(s.url().toString());
        assertThat(page.locator("#wallets-title")).hasText("Prepaid credits");
        Wallet held = demo.walletProvider().wallet(scope, WALLET).orElseThrow();
        JsonNode answered = api(s.token(), "/wallets").get("wallets").get(0);
        Locator card = walletCard();
        assertThat(card.locator("h3")).hasText(held.name());
        assertThat(card.locator("[data-field=wallet_status]")).hasText("Active");
        assertThat(card.locator("[data-field=balance]")).hasText(answered.get("formatted").get("balance").asText());
        assertThat(card.locator("[data-field=credits_balance]")).hasText(held.creditsBalance().toPlainString() + " credits");
        assertThat(card.locator("[data-field=rate]")).hasText("1 credit = " + held.rateAmount().toPlainString() + " EUR");
        assertThat(card.locator("[data-field=expires_at]")).hasText(answered.get("formatted").get("expires_at").asText());
        assertThat(card.locator("[data-field=limits]")).hasText("Between 10.00 and 500.00 credits per top-up.");

        List<String> newestFirst = demo.walletProvider().transactions(scope, WALLET, null, 100).stream()
                .map(WalletTransaction::id).toList();
        assertThat(newestFirst).hasSize(12);
        Locator rows = card.locator("tbody tr");
        assertThat(rows).hasCount(5);
        for (int i = 0; i < 5; i++) {
            assertThat(rows.nth(i)).hasAttribute("data-transaction-id", newestFirst.get(i));
        }
        WalletTransaction newest = demo.walletProvider().transactions(scope, WALLET, null, 1).get(0);
        assertThat(rows.nth(0).locator("[data-field=type]")).hasText("Used");
        assertThat(rows.nth(0).locator("[data-field=credits]")).hasText("−" + newest.credits().toPlainString());
        assertThat(rows.nth(0).locator("[data-field=status]")).hasText("Completed");
        Locator more = card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Show more transactions"));
        assertThat(more).isVisible();
        assertThat(lowContrastTexts()).isEmpty();
        screenshot("wallet");

        more.click();
        assertThat(rows).hasCount(10);
        more = card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Show more transactions"));
        more.click();
        assertThat(rows).hasCount(12);
        assertThat(card.locator("[data-field=more]")).isHidden();
        for (int i = 0; i < 12; i++) {
            assertThat(rows.nth(i)).hasAttribute("data-transaction-id", newestFirst.get(i));
        }
        assertThat(rows.nth(11).locator("[data-field=status]")).hasText("Failed");
        List<String> pages = requests.stream().filter(r -> r.contains("/wallets/" + WALLET + "/transactions")).toList();
        assertThat(pages).hasSize(3);
        assertThat(pages.get(0)).contains("limit=5").doesNotContain("cursor=");
        assertThat(pages.get(1)).contains("limit=5").contains("cursor=");
        assertThat(pages.get(2)).contains("cursor=");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void theTopUpDialogRefusesBadAmountsBeforeAnythingIsSentAndIsKeyboardUsable() {
        PortalSession s = session(english());
        openPortal(s.url().toString());
        Locator topUp = walletCard().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Top up Prepaid credits"));
        topUp.focus();
        page.keyboard().press("Enter");
        assertThat(dialog()).isVisible();
        assertThat(page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Top up Prepaid credits"))).isVisible();
        Locator input = page.getByLabel("Credits to buy", new Page.GetByLabelOptions().setExact(true));
        assertThat(input).isFocused();
        assertThat(page.locator("#topup-limits")).hasText("Between 10.00 and 500.00 credits per top-up.");
        assertThat(page.locator("#topup-decimals")).hasText("Up to 2 decimal places.");
        assertThat(input).hasAttribute("aria-describedby", Pattern.compile("topup-limits"));

        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("9.99", "At least 10.00 credits.");
        refused.put("500.01", "At most 500.00 credits.");
        refused.put("10.001", "Use at most 2 decimal places.");
        refused.put("abc", "Enter a number, for example 50 or 50.25.");
        refused.put("1e3", "Enter a number, for example 50 or 50.25.");
        refused.put("0", "Enter more than zero credits.");
        refused.put("-20", "Enter more than zero credits.");
        refused.put("9999999999999", "That is too many credits for one top-up.");
        refused.put("", "Enter a number of credits.");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            input.fill(e.getKey());
            page.keyboard().press("Enter"); // submits the form
            assertThat(page.locator("#topup-credits-error")).hasText(e.getValue());
            assertThat(input).hasAttribute("aria-invalid", "true");
            assertThat(input).isFocused();
        }
        page.waitForTimeout(300);
        assertThat(topUps).as("rule: nothing was sent for an amount the page can refuse").isEmpty();
        assertThat(providerTransactions()).hasSize(7);
        assertThat(lowContrastTexts()).isEmpty();
        screenshot("wallet-topup-refused");

        // Escape closes it and gives focus back to the button that opened it
        page.keyboard().press("Escape");
        assertThat(dialog()).isHidden();
        assertThat(topUp).isFocused();
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void inGermanTheLimitsAndTheirErrorsAreGerman() {
        PortalSession s = session(SessionRequest.forCustomer(DemoData.DEMO_CUSTOMER).locale(Locale.GERMAN));
        openPortal(s.url().toString());
        assertThat(page.locator("#wallets-title")).hasText("Prepaid-Guthaben");
        walletCard().locator("[data-action=top_up]").click();
        assertThat(page.locator("#topup-limits")).hasText("Zwischen 10,00 und 500,00 Credits pro Aufladung.");
        Locator input = page.locator("#topup-credits");
        input.fill("5");
        button("Aufladen").click();
        assertThat(page.locator("#topup-credits-error")).hasText("Mindestens 10,00 Credits.");
        input.fill("12,345");
        button("Aufladen").click();
        assertThat(page.locator("#topup-credits-error")).hasText("Höchstens 2 Nachkommastellen.");
        assertThat(topUps).isEmpty();
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void afterALanguageSwitchTheTopUpDialogSpeaksTheNewLanguage() {
        PortalSession s = session(english());
        openPortal(s.url().toString());
        walletCard().locator("[data-action=top_up]").click();
        assertThat(page.locator("#topup-title")).hasText("Top up Prepaid credits");
        Locator input = page.locator("#topup-credits");
        input.fill("5");
        button("Top up").click();
        assertThat(page.locator("#topup-credits-error")).hasText("At least 10.00 credits.");
        button("Cancel").click();
        assertThat(dialog()).isHidden();

        page.locator("#language-select").selectOption("de");
        assertThat(page.locator("#wallets-title")).hasText("Prepaid-Guthaben");
        walletCard().locator("[data-action=top_up]").click();
        assertThat(dialog()).isVisible();
        assertThat(page.locator("#topup-title")).hasText("Prepaid credits aufladen");
        assertThat(page.locator("label[for=topup-credits]")).hasText("Zu kaufende Credits");
        assertThat(page.locator("#topup-limits")).hasText("Zwischen 10,00 und 500,00 Credits pro Aufladung.");
        assertThat(page.locator("#topup-credits-error")).isHidden();
        assertThat(input).hasValue("");
        input.fill("5");
        button("Aufladen").click();
        assertThat(page.locator("#topup-credits-error")).hasText("Mindestens 10,00 Credits.");
        assertThat(button("Abbrechen")).isVisible();
        assertThat(topUps).isEmpty();
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void aTopUpDoubleClickedCreatesOnePendingTransactionAndItsInvoice() throws Exception {
        PortalSession s = session(english());
        openPortal(s.url().toString());
        int before = providerTransactions().size();
        walletCard().locator("[data-action=top_up]").click();
        page.locator("#topup-credits").fill("50,25"); // the comma is read as the decimal separator
        button("Top up").dblclick();
        assertThat(page.locator("#topup-done")).isVisible();
        assertThat(page.locator("#topup-done-message"))
                .hasText("Your top-up of 50.25 credits was requested. It stays pending until it is paid.");

        List<WalletTransaction> made = providerTransactions().subList(before, providerTransactions().size());
        assertThat(made).as("rule: one submission, one transaction").hasSize(1);
        WalletTransaction t = made.get(0);
        assertThat(t.status()).isEqualTo(WalletTransactionStatus.PENDING);
        assertThat(t.credits()).isEqualByComparingTo("50.25");
        assertThat(topUps).isNotEmpty();
        String key = topUps.get(0).headerValue("idempotency-key");
        assertThat(key).matches(UUID);
        assertThat(topUps).allSatisfy(r -> {
            assertThat(r.headerValue("idempotency-key")).isEqualTo(key);
            assertThat(json(r.postData())).isEqualTo(json("{\"credits\":\"50.25\"}"));
            assertThat(r.headerValue("content-type")).isEqualTo("application/json");
        });

        // the new transaction tops the list as pending; the balance waits for the payment
        Locator first = walletCard().locator("tbody tr").first();
        assertThat(first).hasAttribute("data-transaction-id", t.id());
        assertThat(first.locator("[data-field=status]")).hasText("Pending");
        assertThat(first.locator("[data-field=credits]")).hasText("+50.25");
        assertThat(walletCard().locator("[data-field=credits_balance]")).hasText("72.50 credits");
        assertThat(page.locator("#topup-pay-amount")).hasText("To pay: €50.25");
        // the invoice the provider names for it is in the demo's invoices, to be paid
        JsonNode invoice = api(s.token(), "/invoices/inv_topup_" + t.id().substring(4)).get("invoice");
        assertThat(invoice.get("total_amount_cents").asLong()).isEqualTo(5025);
        screenshot("wallet-topup-done");

        button("Close").click();
        assertThat(dialog()).isHidden();
        assertThat(walletCard().locator("[data-action=top_up]")).isFocused();
        assertThat(page.locator("#wallets-status")).hasText("Your top-up of 50.25 credits was requested. It stays pending until it is paid.");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void aLimitTheServerChangedMeanwhileLandsOnTheFieldWithTheNewLimit() {
        PortalSession s = session(english());
        openPortal(s.url().toString());
        // the host lowers the wallet's own maximum after the page was drawn
        Wallet w = demo.walletProvider().wallet(scope(), WALLET).orElseThrow();
        demo.walletProvider().put(scope(), w.toBuilder().maxTopUp(new BigDecimal("100.00")).build());
        int before = providerTransactions().size();
        walletCard().locator("[data-action=top_up]").click();
        page.locator("#topup-credits").fill("200");
        button("Top up").click();
        assertThat(page.locator("#topup-credits-error")).hasText("At most 100.00 credits.");
        assertThat(page.locator("#topup-limits")).hasText("Between 10.00 and 100.00 credits per top-up.");
        assertThat(topUps).hasSize(1);
        assertThat(providerTransactions()).hasSize(before);
        // the browser itself logs the refused request; nothing else went wrong
        assertThat(consoleErrors).singleElement().asString().contains("422");
    }

    @Test
    void theWalletTopUpFlowShowsOnlyTheDialogAndEndsByItsAfterCompletion() throws Exception {
        PortalSession s = session(english().flow(Flow.walletTopUp(WALLET)
                .afterCompletion(AfterCompletion.hostedConfirmation("Your credits are on their way."))));
        openPortal(s.url().toString());
        assertThat(dialog()).isVisible();
        assertThat(page.locator("#topup-credits")).isFocused();
        assertThat(page.locator("#invoices")).isHidden();
        assertThat(page.locator("#usage-section")).isHidden();
        int before = providerTransactions().size();
        page.locator("#topup-credits").fill("25");
        button("Top up").click();
        // with invoice payments on (a payment provider installed) the dialog first offers to pay: closing ends the flow
        page.waitForCondition(() -> page.locator("#confirmation").isVisible() || page.locator("#topup-pay").isVisible());
        if (page.locator("#topup-pay").isVisible()) {
            button("Close").click();
        }
        assertThat(page.locator("#confirmation-message")).hasText("Your credits are on their way.");
        assertThat(providerTransactions()).hasSize(before + 1);
        assertThat(providerTransactions().get(before).credits()).isEqualByComparingTo("25");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void cancellingTheWalletTopUpFlowShowsTheWholePortal() {
        PortalSession s = session(english().flow(Flow.walletTopUp(WALLET)
                .afterCompletion(AfterCompletion.hostedConfirmation("Your credits are on their way."))));
        openPortal(s.url().toString());
        assertThat(dialog()).isVisible();
        assertThat(page.locator("#invoices")).isHidden();
        button("Cancel").click();
        assertThat(dialog()).isHidden();
        assertThat(page.locator("#invoices")).isVisible();
        assertThat(page.locator("#usage-section")).isVisible();
        assertThat(page.locator("#portal")).not().hasClass(Pattern.compile("in-feature-flow"));
        assertThat(walletCard().locator("[data-action=top_up]")).isFocused();
        assertThat(page.locator("#confirmation")).isHidden();
        assertThat(topUps).isEmpty();
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void framedTheHostLearnsOfTheTopUpFromThePortalsOriginOnly() {
        PortalSession s = session(english());
        page.navigate(allowedHost.pageFraming(s.url().toString()).toString());
        FrameLocator portal = page.frameLocator("iframe");
        portal.locator("[data-wallet-id=\"" + WALLET + "\"] [data-action=top_up]").click();
        portal.locator("#topup-credits").fill("30");
        portal.locator("#topup-submit").click();
        assertThat(portal.locator("#topup-done")).isVisible();
        page.waitForCondition(() -> !messagesOf("billing-portal:wallet_topped_up").isEmpty());
        page.waitForTimeout(300); // nothing more arrives

        List<WalletTransaction> all = providerTransactions();
        WalletTransaction t = all.get(all.size() - 1);
        assertThat(messagesOf("billing-portal:wallet_topped_up")).singleElement().isEqualTo(json(
                "{\"type\":\"billing-portal:wallet_topped_up\",\"wallet_id\":\"" + WALLET + "\",\"transaction_id\":\""
                        + t.id() + "\",\"credits\":\"30.00\"}"));
        String portalOrigin = origin(demo.baseUrl().toString());
        assertThat(hostMessages).allSatisfy(m -> {
            assertThat(m[0]).as("received by").isEqualTo(allowedHost.origin());
            assertThat(m[1]).as("sent from").isEqualTo(portalOrigin);
            assertThat(m[2]).doesNotContainIgnoringCase("token").doesNotContain(s.token());
        });
        assertThat(consoleErrors).isEmpty();
    }

    // ---------------------------------------------------------------- paying a billed top-up

    /**
     * A portal of one customer with invoice payments on (an in-memory payment provider, {@code card}: a default
     * card, else none, so a payment goes to the provider's hosted page), one EUR wallet whose top-ups are billed into
     * the invoice repository as the demo does.
     */
    private static final class PayingPortal implements AutoCloseable {
        final HttpServer server;
        final PortalService portal;
        final InMemoryPaymentMethodProvider payments = new InMemoryPaymentMethodProvider();
        final InMemoryWalletProvider wallets = new InMemoryWalletProvider(Clock.systemUTC());
        final CustomerScope scope;

        PayingPortal(boolean card, List<String> frameAncestors) throws IOException {
            InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
            Customer customer = Customer.builder().id("c_payer").externalId("payer").name("Payer Co").currency("EUR").build();
            customers.save(customer);
            scope = CustomerScope.of(customer);
            if (card) {
                payments.save(scope, PaymentMethod.builder().id("pm_card").brand("visa").last4("4242").expires(12, 2030)
                        .isDefault(true).build());
            }
            wallets.put(scope, Wallet.builder().id("wal_payer").name("Credits").currency(java.util.Currency.getInstance("EUR"))
                    .balance(dev.billingportal.core.domain.Money.of(0, "EUR")).creditsBalance(new BigDecimal("0.00"))
                    .rateAmount(BigDecimal.ONE).build());
            InMemoryInvoiceRepository invoices = new InMemoryInvoiceRepository();
            server = PortalHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            portal = PortalService.builder().customers(customers).invoices(invoices)
                    .sessions(new InMemoryPortalSessionRepository())
                    .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("paying"))))
                    .portalUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/portal/"))
                    .defaultConfiguration(PortalConfiguration.builder().frameAncestors(frameAncestors)
                            .wallets(new WalletSettings(true, true, new BigDecimal("10.00"), new BigDecimal("500.00"))).build())
                    .paymentMethods(payments).wallets(DemoData.billedTopUps(wallets, invoices)).build();
            PortalApi api = PortalApi.of(portal);
            server.createContext(api.uiPath(), new PortalHttpHandler(api::handle));
            server.start();
        }

        String link() {
            return portal.createSession(SessionRequest.forCustomer("payer").locale(Locale.ENGLISH)).url().toString();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void payNowPaysTheTopUpsInvoiceOnTheDefaultCardOnce() throws Exception {
        try (PayingPortal paying = new PayingPortal(true, List.of())) {
            List<Request> pays = new CopyOnWriteArrayList<>();
            page.onRequest(r -> {
                if ("POST".equals(r.method()) && r.url().split("\\?")[0].endsWith("/pay")) {
                    pays.add(r);
                }
            });
            openPortal(paying.link());
            page.locator("[data-wallet-id=wal_payer] [data-action=top_up]").click();
            page.locator("#topup-credits").fill("20");
            button("Top up").click();
            assertThat(page.locator("#topup-pay-amount")).hasText("To pay: €20.00");
            WalletTransaction t = paying.wallets.allTransactions(paying.scope, "wal_payer").get(0);
            String invoiceId = "inv_topup_" + t.id().substring(4);
            assertThat(page.locator("#topup-pay")).isVisible();
            assertThat(lowContrastTexts()).isEmpty();
            button("Pay now").dblclick();
            assertThat(page.locator("#topup-pay-status")).hasText("Thank you: the payment went through.");
            assertThat(page.locator("#topup-pay")).isHidden();
            assertThat(paying.payments.charges()).as("rule: one charge").singleElement().satisfies(charge -> {
                assertThat(charge.invoiceId()).isEqualTo(invoiceId);
                assertThat(charge.amount().amountMinor()).isEqualTo(2000);
            });
            assertThat(pays).isNotEmpty();
            assertThat(pays).allSatisfy(r -> {
                assertThat(r.url()).contains("/portal/api/invoices/" + invoiceId + "/pay");
                assertThat(r.headerValue("idempotency-key")).matches(UUID)
                        .isEqualTo(pays.get(0).headerValue("idempotency-key"))
                        .isNotEqualTo(topUps.get(0).headerValue("idempotency-key"));
            });
            assertThat(page.locator("#topup-close")).isFocused();
            assertThat(consoleErrors).isEmpty();
        }
    }

    @Test
    void payNowWithoutADefaultCardLeavesForTheProvidersHostedPage() throws Exception {
        try (PayingPortal paying = new PayingPortal(false, List.of())) {
            context.route("https://sandbox.invalid/**", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                    .setStatus(200).setContentType("text/html").setBody("<!doctype html><title>Sandbox</title><p>Sandbox payment page</p>")));
            openPortal(paying.link());
            page.locator("[data-wallet-id=wal_payer] [data-action=top_up]").click();
            page.locator("#topup-credits").fill("15.50");
            button("Top up").click();
            button("Pay now").click();
            page.waitForURL(Pattern.compile("^https://sandbox\\.invalid/billing-portal-sandbox/pay/.*"));
            assertThat(page.locator("p")).hasText("Sandbox payment page");
            assertThat(paying.payments.charges()).isEmpty();
        }
    }
}
