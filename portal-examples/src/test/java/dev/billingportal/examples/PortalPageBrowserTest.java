package dev.billingportal.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The portal page in a real headless Chromium (Debian's, driven by Playwright) against the running demo: what a
 * customer sees and does, in their language, in a frame of the host's app, and when their link is dead.
 * Screenshots land in {@code target/screenshots/}.
 */
class PortalPageBrowserTest {
    // kept while other test classes still name them: the browser itself is SharedChromium's
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final String API_KEY = "browser_test_api_key_42";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddingHost allowedHost;
    private static EmbeddingHost otherHost;
    private static ShiftableClock clock;
    private static DemoServer demo;
    private static DemoServer oneTimeDemo;
    private static HostileDataPortal hostile;
    private static Browser browser;

    private BrowserContext context;
    private Page page;
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startDemoAndBrowser() throws IOException {
        allowedHost = EmbeddingHost.start();
        otherHost = EmbeddingHost.start();
        clock = new ShiftableClock();
        demo = DemoServer.start(new DemoConfig(0, API_KEY, false, List.of(allowedHost.origin())), clock);
        oneTimeDemo = DemoServer.start(new DemoConfig(0, API_KEY, false).withOneTimeLinks(true), clock);
        hostile = HostileDataPortal.start();
        Files.createDirectories(SCREENSHOTS);
        browser = SharedChromium.browser(); // one Chromium for every browser test class of the run
    }

    @AfterAll
    static void stopEverything() {
        if (demo != null) {
            demo.close();
        }
        if (oneTimeDemo != null) {
            oneTimeDemo.close();
        }
        if (hostile != null) {
            hostile.close();
        }
        if (allowedHost != null) {
            allowedHost.close();
        }
        if (otherHost != null) {
            otherHost.close();
        }
    }

    @BeforeEach
    void openContext() {
        clock.reset();
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900).setLocale("en-US"));
        context.setDefaultTimeout(10_000);
        page = context.newPage();
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                consoleErrors.add(message.text());
            }
        });
    }

    @AfterEach
    void closeContext() {
        context.close();
        clock.reset();
    }

    // ---------------------------------------------------------------- helpers

    private static HttpResponse<String> http(String pathAndQuery, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(demo.baseUrl().resolve(pathAndQuery)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode api(String pathAndQuery, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = http(pathAndQuery, token);
        assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A portal link minted the way Lago clients do: the admin endpoint with the API key. */
    private static String lagoPortalUrl() throws IOException, InterruptedException {
        return api("/api/v1/customers/demo-customer/portal_url", API_KEY).get("customer").get("portal_url").asText();
    }

    private static String tokenOf(String portalUrl) {
        String query = URI.create(portalUrl).getRawQuery();
        return query.substring(query.indexOf("token=") + "token=".length());
    }

    private void openPortal(String url) {
        page.navigate(url);
        assertThat(page.locator("#portal")).isVisible();
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    /** Text as a reader sees it, with CLDR's no-break spaces made plain. */
    private static String plain(String text) {
        return text.replace('\u00a0', ' ').replace('\u202f', ' ').strip();
    }

    /** Waits until the list shows exactly these invoice numbers, in this order. */
    private void assertShownNumbers(List<String> numbers) {
        assertThat(numbers).isNotEmpty();
        assertThat(page.locator("#invoice-rows td.number")).hasText(numbers.toArray(new String[0]));
    }

    private static List<String> numbersOf(JsonNode page) {
        List<String> numbers = new ArrayList<>();
        page.get("invoices").forEach(invoice -> numbers.add(invoice.get("number").asText()));
        return numbers;
    }

    private void applyFilters() {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aLagoPortalUrlOpensTheOverviewShowingTheApisNumbers() throws Exception {
        String url = lagoPortalUrl();
        String token = tokenOf(url);
        openPortal(url);

        assertThat(page.url()).as("the token leaves the address bar").doesNotContain("token").endsWith("/portal/");
        assertThat(page.evaluate("() => localStorage.length + sessionStorage.length")).isEqualTo(0);
        assertThat(page.evaluate("() => document.cookie")).isEqualTo("");
        assertThat(page.locator("h1#overview-title")).hasText("Billing overview");

        JsonNode currencies = api("/portal/api/overview", token).get("overview").get("currencies");
        assertThat(currencies.size()).isEqualTo(2);
        for (JsonNode row : currencies) {
            Locator box = page.locator("[data-currency=\"" + row.get("currency").asText() + "\"]");
            for (String field : List.of("total_invoiced_amount", "overdue_amount", "outstanding_amount")) {
                assertThat(box.locator("[data-field=\"" + field + "\"]")).hasText(row.get("formatted").get(field).asText());
            }
            assertThat(box.locator("[data-field=\"overdue_count\"]"))
                    .containsText(row.get("formatted").get("overdue_invoices_count").asText());
        }
        assertThat(page.locator("[data-currency=\"EUR\"] [data-field=\"total_invoiced_amount\"]")).hasText(
                java.util.regex.Pattern.compile("^€[0-9,]+\\.[0-9]{2}$"));

        JsonNode firstPage = api("/portal/api/invoices?limit=20", token);
        assertShownNumbers(numbersOf(firstPage));
        assertThat(page.locator("#customer")).containsText("Nordlicht Analytics GmbH");
        assertThat(page.locator("#customer")).containsText("Friedrichstraße 123");
        assertThat(page.locator("#customer")).containsText("10117 Berlin");
        assertThat(page.locator("#customer")).containsText("Germany");
        assertThat(page.locator("#back-link")).isHidden();
        assertThat(consoleErrors).as("CSP violations or script errors").isEmpty();
        screenshot("desktop");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("desktop-top.png"))); // for the README
    }

    @Test
    void invoicesShowAfterTwoApiRoundTripsAndOutstandingSaysItExcludesOverdue() throws Exception {
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        page.onRequest(request -> {
            String path = URI.create(request.url()).getPath();
            if (path.startsWith("/portal/api/")) {
                calls.add(request.method() + " " + path);
            }
        });
        long started = System.nanoTime();
        openPortal(lagoPortalUrl());
        assertThat(page.locator("#invoice-rows td.number").first()).isVisible();
        long shownMillis = (System.nanoTime() - started) / 1_000_000;
        // After the page itself: the exchange, then one bootstrap answer (config, customer, overview, invoices).
        assertThat(calls.subList(0, 2)).as("API calls before the invoices show").containsExactly("POST /portal/api/session",
                "GET /portal/api/bootstrap");
        // asked by the first render, never waited for: the usage chart's past periods, the wallets' transactions
        assertThat(calls.subList(2, calls.size())).as("API calls after the first render").allMatch(call ->
                call.equals("GET /portal/api/usage/history") || call.matches("GET /portal/api/wallets/[^/]+/transactions"));
        System.out.println("PortalPageBrowserTest: invoices shown " + shownMillis + " ms after navigation, API calls "
                + calls);
        Locator outstanding = page.locator("[data-currency=\"EUR\"] .figure:has([data-field=\"outstanding_amount\"])");
        assertThat(outstanding.locator(".hint")).hasText("Due and not yet overdue; overdue invoices are under Overdue");
        assertThat(outstanding.locator("dt")).hasAttribute("title",
                "Due and not yet overdue; overdue invoices are under Overdue");
    }

    @Test
    void badgesFollowTheInvoicesState() throws Exception {
        String token = demo.createSession(DemoData.DEMO_CUSTOMER).token();
        openPortal(demo.createSession(DemoData.DEMO_CUSTOMER).url().toString());
        for (JsonNode invoice : api("/portal/api/invoices?limit=20", token).get("invoices")) {
            String expected = invoice.get("status").asText().equals("voided") ? "Voided"
                    : invoice.get("payment_status").asText().equals("succeeded") ? "Paid"
                    : invoice.get("payment_overdue").asBoolean() ? "Overdue"
                    : invoice.get("payment_status").asText().equals("failed") ? "Payment failed" : "To pay";
            Locator row = page.locator("tr[data-invoice-id=\"" + invoice.get("id").asText() + "\"]");
            assertThat(row.locator(".badge")).hasText(expected);
            assertThat(row.locator("td.amount")).hasText(invoice.get("formatted").get("total_amount").asText());
        }
    }

    @Test
    void filtersSearchAndPagesMatchTheApi() throws Exception {
        String url = demo.createSession(DemoData.DEMO_CUSTOMER).url().toString();
        String token = tokenOf(url);
        openPortal(url);

        // Pages: forward with the cursor, back again.
        JsonNode first = api("/portal/api/invoices?limit=20", token);
        JsonNode second = api("/portal/api/invoices?limit=20&cursor=" + first.get("next_cursor").asText(), token);
        assertThat(page.locator("#page-previous")).isDisabled();
        assertThat(page.locator("#page-label")).hasText("Page 1");
        page.locator("#page-next").click();
        assertThat(page.locator("#page-label")).hasText("Page 2");
        assertShownNumbers(numbersOf(second));
        page.locator("#page-previous").click();
        assertThat(page.locator("#page-label")).hasText("Page 1");
        assertShownNumbers(numbersOf(first));

        // Status filter.
        page.getByLabel("Status").selectOption("overdue");
        applyFilters();
        JsonNode overdue = api("/portal/api/invoices?overdue=true&limit=20", token);
        assertThat(page.locator("#invoice-rows tr")).hasCount(overdue.get("invoices").size());
        assertShownNumbers(numbersOf(overdue));
        assertThat(page.locator("#invoice-rows .badge").allTextContents()).isNotEmpty().allMatch("Overdue"::equals);

        page.getByLabel("Status").selectOption("voided");
        applyFilters();
        assertThat(page.locator("#invoice-rows tr.is-voided")).hasCount(2);
        assertThat(page.locator("#invoice-rows tr")).hasCount(2);

        // Issuing dates, together with "to pay".
        JsonNode all = api("/portal/api/invoices?limit=100", token);
        String to = all.get("invoices").get(3).get("issuing_date").asText();
        String from = all.get("invoices").get(12).get("issuing_date").asText();
        page.getByLabel("Status").selectOption("to_pay");
        page.getByLabel("Issued from").fill(from);
        page.getByLabel("Issued until").fill(to);
        applyFilters();
        JsonNode toPay = api("/portal/api/invoices?status=finalized&payment_status=pending,failed&issued_from=" + from
                + "&issued_to=" + to + "&limit=20", token);
        assertThat(toPay.get("invoices").size()).isPositive();
        assertThat(page.locator("#invoice-rows tr")).hasCount(toPay.get("invoices").size());
        assertShownNumbers(numbersOf(toPay));

        // Search by number (non-ASCII too), then a search that finds nothing.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Clear filters")).click();
        assertThat(page.locator("#invoice-rows tr")).hasCount(20);
        page.getByLabel("Invoice number").fill("請求書");
        page.getByLabel("Invoice number").press("Enter");
        assertThat(page.locator("#invoice-rows tr")).hasCount(1);
        assertThat(page.locator("#invoice-rows td.number")).hasText("請求書-2026-08-東京");
        page.getByLabel("Invoice number").fill("NO-SUCH-INVOICE");
        applyFilters();
        assertThat(page.locator("#invoice-rows tr")).hasCount(0);
        assertThat(page.locator("#invoices-message")).hasText("No invoices match these filters.");
        assertThat(page.locator("#pager")).isHidden();

        // Dates the wrong way round are caught before any request.
        page.getByLabel("Invoice number").fill("");
        page.getByLabel("Issued from").fill("2026-10-01");
        page.getByLabel("Issued until").fill("2026-09-01");
        applyFilters();
        assertThat(page.locator("#invoices-message")).hasText("The start date must not be after the end date.");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void downloadHandsOverTheInvoicesDocument() throws Exception {
        String url = demo.createSession(DemoData.DEMO_CUSTOMER).url().toString();
        openPortal(url);
        Locator firstRow = page.locator("#invoice-rows tr").first();
        String number = firstRow.locator("td.number").textContent();
        Download download = page.waitForDownload(() -> firstRow.getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Download invoice " + number)).click());
        assertThat(download.suggestedFilename()).isEqualTo(number + ".pdf");
        byte[] document = Files.readAllBytes(download.path());
        Files.write(SCREENSHOTS.resolve("download.pdf"), document);
        try (PDDocument pdf = Loader.loadPDF(document)) {
            assertThat(pdf.getNumberOfPages()).isPositive();
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains(number).contains("Nordlicht Analytics GmbH").contains("Billing Portal Demo GmbH");
        }
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void switchingToFrenchShowsFrenchLabelsAndFormats() throws Exception {
        String url = demo.createSession(DemoData.DEMO_CUSTOMER).url().toString();
        String token = tokenOf(url);
        openPortal(url);
        page.locator(".topbar").getByLabel("Language").selectOption("fr");

        assertThat(page.locator("h1#overview-title")).hasText("Vue d’ensemble de la facturation");
        assertThat(page.locator("h2#invoices-title")).hasText("Historique des factures");
        assertThat(page.locator("html")).hasAttribute("lang", "fr");
        assertThat(page.locator(".topbar").getByLabel("Langue")).hasValue("fr");
        assertThat(page.locator("#filters button[type=submit]")).hasText("Appliquer");
        JsonNode eur = api("/portal/api/overview?locale=fr", token).get("overview").get("currencies").get(0);
        Locator total = page.locator("[data-currency=\"EUR\"] [data-field=\"total_invoiced_amount\"]");
        assertThat(total).hasText(eur.get("formatted").get("total_invoiced_amount").asText());
        assertThat(plain(total.textContent())).matches("\\d{1,3}( \\d{3})*,\\d{2} €");
        JsonNode invoices = api("/portal/api/invoices?limit=20&locale=fr", token);
        assertThat(page.locator("#invoice-rows tr").first().locator("td.date").first())
                .hasText(invoices.get("invoices").get(0).get("formatted").get("issuing_date").asText());
        assertThat(page.locator("#invoice-rows .badge").allTextContents())
                .isNotEmpty().allMatch(text -> List.of("À payer", "En retard", "Payée", "Annulée", "Échec du paiement").contains(text));
        assertThat(page.locator("#customer")).containsText("Allemagne");
        screenshot("french");

        // Every language renders without a missing label.
        for (String language : List.of("de", "es", "it", "nb", "sv", "pt-BR", "zh-TW", "ja", "nl", "en")) {
            page.locator("#language-select").selectOption(language);
            assertThat(page.locator("html")).hasAttribute("lang", language);
            assertThat(page.locator("body")).not().containsText("invoices.");
            assertThat(page.locator("body")).not().containsText("overview.");
        }
        assertThat(page.locator("h1#overview-title")).hasText("Billing overview");
    }

    @Test
    void aPhoneWidthScreenShowsInvoicesAsCardsWithoutSideways() {
        page.setViewportSize(360, 740);
        openPortal(demo.createSession(DemoData.DEMO_CUSTOMER).url().toString());
        assertThat(page.evaluate("() => document.documentElement.scrollWidth")).isEqualTo(360);
        assertThat(page.locator("#invoice-table thead")).hasCSS("position", "absolute");
        assertThat(page.locator("#invoice-rows tr").first()).hasCSS("display", "block");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("phone.png"))); // what the phone shows
    }

    @Test
    void everythingWorksFromTheKeyboard() {
        openPortal(demo.createSession(DemoData.DEMO_CUSTOMER).url().toString());
        page.keyboard().press("Tab");
        assertThat(page.locator(".skip-link")).isFocused();
        page.keyboard().press("Enter");
        page.keyboard().press("Tab");
        assertThat(page.locator("#filter-status")).isFocused();
        assertThat(page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")).isNotEqualTo("none");
        for (String label : List.of("Status", "Issued from", "Issued until", "Invoice number", "Language")) {
            // the profile form (hidden) has its own "Document language"
            assertThat(page.locator("#filters, .topbar").getByLabel(label)).hasCount(1);
        }
        page.keyboard().press("Tab");
        assertThat(page.locator("#filter-from")).isFocused();
        page.locator("#page-next").focus();
        page.keyboard().press("Enter");
        assertThat(page.locator("#page-label")).hasText("Page 2");
        assertThat(page.locator("#invoices")).isFocused(); // kept in the list, not lost on a disabled button
        page.keyboard().press("Tab");
        assertThat(page.locator("#filter-status")).isFocused();
    }

    /** WCAG contrast of every visible text against its nearest opaque background: the worst offenders, if any. */
    static final String LOW_CONTRAST_TEXTS = """
            () => {
              const luminance = rgb => {
                const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
              };
              const parse = color => color.match(/[\\d.]+/g).map(Number);
              const background = element => {
                for (let e = element; e; e = e.parentElement) {
                  const c = parse(getComputedStyle(e).backgroundColor);
                  if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
                }
                return [255, 255, 255];
              };
              const failures = [];
              document.querySelectorAll('#portal *, .topbar *').forEach(element => {
                const own = [...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                if (!own || element.disabled || element.closest('[hidden]') || !element.offsetParent) return;
                const fg = luminance(parse(getComputedStyle(element).color).slice(0, 3));
                const bg = luminance(background(element));
                const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
                if (ratio < 4.5) failures.push(element.tagName + '.' + element.className + ' ' + ratio.toFixed(2));
              });
              return failures;
            }
            """;

    @Test
    void everyTextMeetsTheAaContrastRatio() {
        openPortal(demo.createSession(DemoData.DEMO_CUSTOMER).url().toString());
        assertThat(page.locator("#invoice-rows .badge-voided")).not().hasCount(0);
        assertThat(page.locator("#invoice-rows .badge-overdue")).not().hasCount(0);
        assertThat((List<?>) page.evaluate(LOW_CONTRAST_TEXTS)).isEmpty();
        page.locator("#language-select").selectOption("ja");
        assertThat(page.locator("html")).hasAttribute("lang", "ja");
        assertThat((List<?>) page.evaluate(LOW_CONTRAST_TEXTS)).isEmpty();
        // Guards the guard: light grey on white must be caught.
        page.evaluate("() => document.querySelector('#invoices-title').style.color = '#bbbbbb'");
        assertThat((List<?>) page.evaluate(LOW_CONTRAST_TEXTS)).hasSize(1).first().asString().startsWith("H2.");
    }

    @Test
    void theBackLinkLeadsToTheSessionsReturnUrl() {
        String url = demo.portal().createSession(SessionRequest.forCustomer(DemoData.DEMO_CUSTOMER)
                .returnUrl(URI.create("https://app.example.com/settings/billing"))).url().toString();
        openPortal(url);
        Locator back = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back"));
        assertThat(back).isVisible();
        assertThat(back).hasAttribute("href", "https://app.example.com/settings/billing");
        assertThat(back).hasAttribute("target", "_top");
    }

    @Test
    void framedByAnAllowedOriginItLoadsCompactAndElsewhereItIsRefused() throws Exception {
        String url = lagoPortalUrl();
        page.navigate(allowedHost.pageFraming(url).toString());
        Frame portal = page.frames().stream().filter(frame -> frame != page.mainFrame()).findFirst().orElseThrow();
        assertThat(portal.locator("#portal")).isVisible();
        assertThat(portal.locator("html")).hasClass(java.util.regex.Pattern.compile("\\bframed\\b"));
        assertThat(portal.locator("#overview-title")).hasText("Billing overview");
        assertThat(portal.url()).doesNotContain("token");
        // Not full-page: resizing the window for it makes Chromium repaint the cross-origin frame too late.
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("framed.png")));

        List<String> refusals = new CopyOnWriteArrayList<>();
        Page other = context.newPage();
        other.onConsoleMessage(message -> refusals.add(message.text()));
        other.navigate(otherHost.pageFraming(demo.createSession(DemoData.DEMO_CUSTOMER).url().toString()).toString());
        Frame refused = other.frames().stream().filter(frame -> frame != other.mainFrame()).findFirst().orElseThrow();
        assertThat(refused.url()).doesNotStartWith(demo.baseUrl().toString());
        assertThat(refused.locator("#portal").count()).isZero();
        assertThat(refusals).anySatisfy(text -> assertThat(text).contains("frame-ancestors"));
    }

    @Test
    void anExpiredLinkShowsAFriendlyErrorAlsoInsideTheHostsFrame() {
        String url = demo.createSession(DemoData.DEMO_CUSTOMER).url().toString();
        String framedUrl = demo.createSession(DemoData.DEMO_CUSTOMER).url().toString();
        clock.shift(Duration.ofHours(13));
        page.navigate(url);
        assertThat(page.locator("#error")).isVisible();
        assertThat(page.locator("#error-message"))
                .hasText("This link has expired. Please open the billing page again from your account.");
        assertThat(page.locator("#portal")).isHidden();
        assertThat(page.locator("#retry-button")).isHidden();
        assertThat(page.locator("body")).not().containsText("Exception");
        assertThat(page.locator("body")).not().containsText("token_expired");
        screenshot("error");

        page.navigate(allowedHost.pageFraming(framedUrl).toString());
        Frame portal = page.frames().stream().filter(frame -> frame != page.mainFrame()).findFirst().orElseThrow();
        assertThat(portal.locator("#error-message")).hasText(
                "This link has expired. Please open the billing page again from your account.");
    }

    @Test
    void aOneTimeLinkOpensThePortalOnceAndThenShowsAFriendlyAlreadyUsedError() throws Exception {
        Instant since = clock.instant().minusSeconds(1);
        PortalSession link = oneTimeDemo.createSession(DemoData.DEMO_CUSTOMER);
        openPortal(link.url().toString());
        assertThat(page.locator("#invoice-rows tr")).hasCount(20);
        assertThat(page.url()).doesNotContain("token");

        // The same link again: a second tab, the browser's history, a screenshot someone typed in.
        Page again = context.newPage();
        again.navigate(link.url().toString());
        assertThat(again.locator("#error-message")).hasText("This link has already been used. For your security it"
                + " works only once: please open the billing page again from your account.");
        assertThat(again.locator("#portal")).isHidden();
        assertThat(again.locator("#retry-button")).isHidden();
        assertThat(again.locator("body")).not().containsText("link_already_used");
        again.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("error-link-used.png")).setFullPage(true));

        // The first tab keeps its session: the next page and a language switch still load.
        page.locator("#page-next").click();
        assertThat(page.locator("#page-label")).hasText("Page 2");
        page.locator("#language-select").selectOption("fr");
        assertThat(page.locator("h1#overview-title")).hasText("Vue d’ensemble de la facturation");

        // Over HTTP: the link's token reads nothing, and a third exchange is refused too.
        assertThat(http("/portal/api/overview", link.token()).statusCode()).isEqualTo(401);
        HttpResponse<String> third = HTTP.send(HttpRequest.newBuilder(oneTimeDemo.baseUrl().resolve("/portal/api/session"))
                .header("Authorization", "Bearer " + link.token()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(third.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(third.body()).get("code").asText()).isEqualTo("link_already_used");

        List<AuditEvent> events = oneTimeDemo.auditTrail().find(CustomerRef.of(DemoData.DEMO_CUSTOMER), since, 100).stream()
                .filter(event -> link.id().equals(event.sessionId()) || link.id().equals(event.linkId())).toList();
        assertThat(events).extracting(AuditEvent::type).containsExactly(AuditEventType.SESSION_CREATED,
                AuditEventType.SESSION_EXCHANGED, AuditEventType.LINK_REPLAY_REFUSED, AuditEventType.LINK_REPLAY_REFUSED);
        assertThat(events.get(1).clientAddress()).isEqualTo("127.0.0.1");
        assertThat(events.get(1).userAgent()).contains("Chrome");
        assertThat(events.get(2).userAgent()).as("the second tab").contains("Chrome");
        assertThat(events.get(3).userAgent()).as("the plain HTTP call").startsWith("Java-http-client/");
    }

    @Test
    void aTamperedLinkShowsAFriendlyErrorInTheBrowsersLanguage() {
        String url = demo.createSession(DemoData.DEMO_CUSTOMER).url().toString();
        String tampered = url.substring(0, url.length() - 4) + (url.endsWith("AAAA") ? "BBBB" : "AAAA");
        page.navigate(tampered);
        assertThat(page.locator("#error-message")).hasText("This link is not valid.");
        assertThat(page.locator("body")).not().containsText("Exception");

        BrowserContext french = browser.newContext(new Browser.NewContextOptions().setLocale("fr-FR"));
        try {
            Page frenchPage = french.newPage();
            frenchPage.navigate(tampered);
            assertThat(frenchPage.locator("#error-message")).hasText("Ce lien n’est pas valide.");
            assertThat(frenchPage.locator("#error h1")).hasText("Impossible d’afficher cette page");
            frenchPage.locator(".topbar").getByLabel("Langue").selectOption("de");
            assertThat(frenchPage.locator("#error-message")).hasText("Dieser Link ist ungültig.");
        } finally {
            french.close();
        }
        page.navigate(demo.baseUrl().resolve("/portal/").toString());
        assertThat(page.locator("#error-message")).hasText("This link is not valid.");
        assertThat(consoleErrors).allSatisfy(text -> assertThat(text).contains("401"));
    }

    @Test
    void billingDataThatLooksLikeMarkupIsShownAsText() {
        openPortal(hostile.link());
        assertThat(page.locator("#invoice-rows td.number")).hasText(HostileDataPortal.NUMBER);
        assertThat(page.locator("#customer")).containsText(HostileDataPortal.NAME);
        assertThat(page.locator("#customer")).containsText(HostileDataPortal.LEGAL_NAME);
        assertThat(page.locator("#customer")).containsText("1000 " + HostileDataPortal.CITY);
        assertThat(page.locator("#portal img, #portal script, #portal svg, #portal b, #portal i")).hasCount(0);
        assertThat(page.locator("#profile-edit")).isHidden(); // its configuration lets nobody edit
        assertThat(page.locator("#profile-form")).isHidden();
        assertThat(page.evaluate("() => typeof window.__xss")).isEqualTo("undefined");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void theDemoBannerLinkOpensThePortal() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        DemoApp.printBanner(new java.io.PrintStream(out, true, StandardCharsets.UTF_8), demo,
                new DemoConfig(0, API_KEY, false));
        String link = out.toString(StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(line -> line.startsWith("http") && line.contains("token=")).findFirst().orElseThrow();
        openPortal(link);
        assertThat(page.locator("#invoice-rows tr")).hasCount(20);
        assertThat(URLEncoder.encode(page.url(), StandardCharsets.UTF_8)).doesNotContain("token");
    }
}
