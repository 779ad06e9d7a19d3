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
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.memory.InMemoryPaymentMethodProvider;
import dev.billingportal.core.payments.PaymentMethod;
import dev.billingportal.core.session.AfterCompletion;
import dev.billingportal.core.session.Flow;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
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
 * Payment methods and paying invoices on the portal page, in a real headless Chromium against the demo and its sandbox
 * standing in for the payment provider's hosted page: adding a card through the sandbox, making one the default,
 * removing one after a confirmation (and the refusal of the last one while a subscription is active), paying an
 * overdue invoice with the default method and through the sandbox's payment page, canceling on the sandbox, the
 * overdue total, the flows payment_method_update and invoice_pay, and what a framing host learns by postMessage.
 * Every result is checked against the API or the provider too. One Chromium shared by the run's browser tests; a fresh demo (its data as
 * seeded) and browser context per test.
 */
class PaymentsBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String OVERDUE = "inv_demo_004"; // EUR, payment failed, overdue
    private static final String VISA = "Visa ending in 1881";
    private static final String MASTERCARD = "Mastercard ending in 5454";

    private static EmbeddingHost allowedHost;
    private static EmbeddingHost otherHost;
    private static Browser browser;

    private DemoServer demo;
    private BrowserContext context;
    private Page page;
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    /** What a host page received: {receiver origin, sender origin, message as JSON}. */
    private final List<String[]> hostMessages = new CopyOnWriteArrayList<>();
    /** The pay requests the page sent. */
    private final List<Request> pays = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBrowser() throws IOException {
        allowedHost = EmbeddingHost.start();
        otherHost = EmbeddingHost.start();
        Files.createDirectories(PortalPageBrowserTest.SCREENSHOTS);
        browser = SharedChromium.browser();
    }

    @AfterAll
    static void stopEverything() {
        for (AutoCloseable closeable : new AutoCloseable[] {allowedHost, otherHost}) {
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
    void startDemoAndContext() throws IOException {
        demo = DemoServer.start(new DemoConfig(0, "payments_browser_test_key", false, List.of(allowedHost.origin())),
                Clock.systemUTC());
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
            if ("POST".equals(request.method()) && request.url().split("\\?")[0].endsWith("/pay")) {
                pays.add(request);
            }
        });
    }

    @AfterEach
    void close() {
        context.close();
        demo.close();
    }

    // ---------------------------------------------------------------- helpers

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    private InMemoryPaymentMethodProvider provider() {
        return demo.paymentMethodProvider();
    }

    private static CustomerScope scope() {
        return CustomerScope.of(DemoData.demoCustomer());
    }

    private List<PaymentMethod> methods() {
        return provider().paymentMethods(scope());
    }

    private PortalSession session(SessionRequest request) {
        return demo.portal().createSession(request);
    }

    private static SessionRequest english() {
        return SessionRequest.forCustomer(DemoData.DEMO_CUSTOMER).locale(Locale.ENGLISH);
    }

    private JsonNode api(String token, String method, String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(demo.baseUrl().resolve("/portal/api" + path))
                .header("Authorization", "Bearer " + token);
        request = "GET".equals(method) ? request.GET() : request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("{}"));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode invoice(String token, String id) throws IOException, InterruptedException {
        return api(token, "GET", "/invoices/" + id).get("invoice");
    }

    private PortalSession openPortal() {
        PortalSession s = session(english());
        page.navigate(s.url().toString());
        assertThat(page.locator("#portal")).isVisible();
        assertThat(page.locator("#payments-section")).isVisible();
        return s;
    }

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator method(String id) {
        return page.locator("[data-payment-method-id=\"" + id + "\"]");
    }

    private Locator row(String invoiceId) {
        return page.locator("tr[data-invoice-id=\"" + invoiceId + "\"]");
    }

    private void removeAllMethods() {
        for (PaymentMethod m : methods()) {
            provider().remove(scope(), m.id());
        }
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

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(PortalPageBrowserTest.SCREENSHOTS.resolve(name + ".png"))
                .setFullPage(true));
    }

    // ---------------------------------------------------------------- the section

    @Test
    void theSectionShowsEachMethodWithExpiryAndBadges() {
        openPortal();
        Locator visa = method("pm_demo_visa");
        Locator mastercard = method("pm_demo_mastercard");
        assertThat(page.locator(".payment-method")).hasCount(2);
        assertThat(visa.locator("[data-field=name]")).hasText(VISA);
        assertThat(visa.locator("[data-field=default]")).hasText("Default");
        assertThat(visa.locator("[data-field=expires_soon]")).hasCount(0);
        assertThat(visa.locator("[data-field=expiry]")).hasText(Pattern.compile("^Expires 08/\\d{4}$"));
        assertThat(mastercard.locator("[data-field=name]")).hasText(MASTERCARD);
        assertThat(mastercard.locator("[data-field=expires_soon]")).hasText("Expires soon");
        assertThat(mastercard.locator("[data-field=default]")).hasCount(0);
        java.time.LocalDate soon = java.time.LocalDate.now().plusMonths(1);
        assertThat(mastercard.locator("[data-field=expiry]"))
                .hasText(String.format("Expires %02d/%d", soon.getMonthValue(), soon.getYear()));
        // an expired one gets its own badge
        provider().save(scope(), PaymentMethod.builder().id("pm_old").brand("amex").last4("0005").expires(1, 2020).build());
        page.navigate(session(english()).url().toString()); // a reload has no link left: it was taken from the address
        assertThat(method("pm_old").locator("[data-field=expired]")).hasText("Expired");
        assertThat(method("pm_old").locator("[data-field=expiry]")).hasText("Expires 01/2020");
        assertThat(page.locator("#payments-section")).not().containsText("4111");
        screenshot("payments-section");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void addACardThroughTheSandboxEndsWithTheNewCardListed() {
        openPortal();
        button("Add payment method").click();
        page.waitForURL(Pattern.compile(".*/billing-sandbox/setup/seti_.*"));
        assertThat(page.locator("#sandbox-banner")).hasText("Sandbox — no real card, no real money");
        assertThat(page.locator("input")).hasCount(0);
        screenshot("payments-sandbox-setup");
        page.locator("#sandbox-complete").click();
        page.waitForURL(Pattern.compile(".*/portal/.*"));
        assertThat(page.locator("#payments-status")).hasText("Payment method added.");
        assertThat(page.locator(".payment-method")).hasCount(3);
        assertThat(page.locator(".payment-method [data-field=name]").nth(2)).hasText("Visa ending in 4242");
        assertThat(page.locator(".payment-method [data-field=expiry]").nth(2)).hasText("Expires 12/2030");
        assertThat(page.url()).doesNotContain("token=").doesNotContain("setup=");
        assertThat(methods()).hasSize(3);
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void makeOneTheDefault() throws Exception {
        PortalSession s = openPortal();
        button("Make " + MASTERCARD + " the default").click();
        assertThat(page.locator("#payments-status")).hasText(MASTERCARD + " is now your default payment method.");
        assertThat(method("pm_demo_mastercard").locator("[data-field=default]")).hasText("Default");
        assertThat(method("pm_demo_visa").locator("[data-field=default]")).hasCount(0);
        JsonNode list = api(s.token(), "GET", "/payment_methods").get("payment_methods");
        for (JsonNode m : list) {
            assertThat(m.get("default").asBoolean()).as(m.toString()).isEqualTo(m.get("id").asText().equals("pm_demo_mastercard"));
        }
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void removeOneAfterTheConfirmationAndTheLastIsRequired() {
        openPortal();
        Locator remove = button("Remove " + MASTERCARD);
        remove.click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        assertThat(dialog).isVisible();
        assertThat(dialog.locator("h3")).hasText("Remove " + MASTERCARD + "?");
        // keyboard: Escape keeps it, and the focus goes back to its Remove button
        page.keyboard().press("Escape");
        assertThat(dialog).isHidden();
        assertThat(remove).isFocused();
        assertThat(methods()).hasSize(2);

        remove.click();
        assertThat(page.locator("#payments-dialog-confirm")).isFocused();
        page.locator("#payments-dialog-confirm").click();
        assertThat(page.locator("#payments-status")).hasText(MASTERCARD + " was removed.");
        assertThat(page.locator(".payment-method")).hasCount(1);
        assertThat(methods()).extracting(PaymentMethod::id).containsExactly("pm_demo_visa");

        // the only method while a subscription is active: refused, said plainly, nothing removed
        button("Remove " + VISA).click();
        page.locator("#payments-dialog-confirm").click();
        assertThat(page.locator("#payments-dialog-error"))
                .hasText("You have an active subscription: add another payment method before removing this one.");
        assertThat(page.locator("#payments-dialog-confirm")).isHidden();
        screenshot("payments-remove-required");
        button("Keep it").click();
        assertThat(page.locator(".payment-method")).hasCount(1);
        assertThat(methods()).hasSize(1);
    }

    // ---------------------------------------------------------------- paying

    @Test
    void payAnOverdueInvoiceWithTheDefaultMethodOnceForADoubleClick() throws Exception {
        PortalSession s = openPortal();
        String number = invoice(s.token(), OVERDUE).get("number").asText();
        assertThat(row(OVERDUE).locator(".badge")).hasText("Overdue");
        int charges = provider().charges().size();
        button("Pay invoice " + number).click();
        assertThat(page.getByRole(AriaRole.DIALOG)).containsText("Pay invoice " + number + ":");
        page.locator("#payments-dialog-confirm").dblclick();
        assertThat(page.locator("#payments-status")).hasText("Invoice " + number + " is paid.");
        assertThat(row(OVERDUE).locator(".badge")).hasText("Paid");
        assertThat(row(OVERDUE).locator("button", new Locator.LocatorOptions().setHasText("Pay"))).hasCount(0);
        assertThat(invoice(s.token(), OVERDUE).get("payment_status").asText()).isEqualTo("succeeded");
        assertThat(provider().charges()).hasSize(charges + 1);
        assertThat(pays).as("one click, one request").hasSize(1);
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void payWithoutADefaultMethodGoesThroughTheSandboxPayPage() throws Exception {
        removeAllMethods();
        PortalSession s = openPortal();
        String number = invoice(s.token(), OVERDUE).get("number").asText();
        button("Pay invoice " + number).click();
        page.locator("#payments-dialog-confirm").click();
        page.waitForURL(Pattern.compile(".*/billing-sandbox/pay/cs_.*"));
        assertThat(page.locator("#sandbox-banner")).hasText("Sandbox — no real card, no real money");
        assertThat(page.locator("#invoice-number")).hasText(number);
        page.locator("#sandbox-complete").click();
        page.waitForURL(Pattern.compile(".*/portal/.*"));
        assertThat(page.locator("#payments-status")).hasText("Invoice " + number + " is paid.");
        assertThat(row(OVERDUE).locator(".badge")).hasText("Paid");
        assertThat(invoice(s.token(), OVERDUE).get("payment_status").asText()).isEqualTo("succeeded");
        assertThat(provider().charges()).hasSize(1);
        assertThat(page.url()).doesNotContain("token=").doesNotContain("payment=");
    }

    @Test
    void cancelOnTheSandboxLeavesEverythingUnchanged() throws Exception {
        openPortal();
        button("Add payment method").click();
        page.waitForURL(Pattern.compile(".*/billing-sandbox/setup/.*"));
        page.locator("#sandbox-cancel").click();
        page.waitForURL(Pattern.compile(".*/portal/.*"));
        assertThat(page.locator("#payments-status")).hasText("Nothing was changed: no payment method was added.");
        assertThat(page.locator(".payment-method")).hasCount(2);
        assertThat(methods()).hasSize(2);

        removeAllMethods();
        PortalSession s = openPortal();
        String number = invoice(s.token(), OVERDUE).get("number").asText();
        button("Pay invoice " + number).click();
        page.locator("#payments-dialog-confirm").click();
        page.waitForURL(Pattern.compile(".*/billing-sandbox/pay/.*"));
        page.locator("#sandbox-cancel").click();
        page.waitForURL(Pattern.compile(".*/portal/.*"));
        assertThat(page.locator("#payments-status")).hasText("The payment was canceled. Nothing was charged.");
        assertThat(row(OVERDUE).locator(".badge")).hasText("Overdue");
        assertThat(invoice(s.token(), OVERDUE).get("payment_status").asText()).isEqualTo("failed");
        assertThat(provider().charges()).isEmpty();
    }

    @Test
    void payTheOverdueTotalPaysEachOverdueInvoiceOfThatCurrency() throws Exception {
        PortalSession s = openPortal();
        JsonNode eur = null;
        for (JsonNode row : api(s.token(), "GET", "/overview").get("overview").get("currencies")) {
            if (row.get("currency").asText().equals("EUR")) {
                eur = row;
            }
        }
        assertThat(eur).isNotNull();
        int count = eur.get("overdue_invoices_count").asInt();
        assertThat(count).isGreaterThan(1);
        button("Pay the overdue invoices in EUR").click();
        assertThat(page.getByRole(AriaRole.DIALOG)).containsText("Pay " + count + " overdue invoices: "
                + eur.get("formatted").get("overdue_amount").asText() + " in total?");
        page.locator("#payments-dialog-confirm").click();
        assertThat(page.locator("#payments-status")).hasText(count + " invoices are paid.");
        assertThat(page.locator("[data-currency=EUR] [data-field=overdue_count]")).hasText(Pattern.compile(": 0$"));
        assertThat(button("Pay the overdue invoices in EUR")).hasCount(0);
        for (JsonNode row : api(s.token(), "GET", "/overview").get("overview").get("currencies")) {
            if (row.get("currency").asText().equals("EUR")) {
                assertThat(row.get("overdue_invoices_count").asInt()).isZero();
            }
        }
        assertThat(provider().charges()).hasSize(count);
        assertThat(pays).hasSize(count);
    }

    // ---------------------------------------------------------------- flows

    @Test
    void thePaymentMethodUpdateFlowShowsOnlyTheSectionAndEndsAfterTheSandbox() {
        PortalSession s = session(english().flow(Flow.paymentMethodUpdate()
                .afterCompletion(AfterCompletion.hostedConfirmation("Your card is saved."))));
        page.navigate(s.url().toString());
        assertThat(page.locator("#payments-section")).isVisible();
        assertThat(page.locator("#invoices")).isHidden();
        assertThat(button("Add payment method")).isFocused();
        button("Add payment method").click();
        page.waitForURL(Pattern.compile(".*/billing-sandbox/setup/.*"));
        page.locator("#sandbox-complete").click();
        assertThat(page.locator("#confirmation-message")).hasText("Your card is saved.");
        assertThat(methods()).hasSize(3);
    }

    @Test
    void theInvoicePayFlowOpensThePayConfirmationAndEndsOnTheHomepage() throws Exception {
        PortalSession s = session(english().flow(Flow.invoicePay(OVERDUE).afterCompletion(AfterCompletion.PORTAL_HOMEPAGE)));
        page.navigate(s.url().toString());
        String number = invoice(s.token(), OVERDUE).get("number").asText();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        assertThat(dialog).containsText("Pay invoice " + number + ":");
        page.locator("#payments-dialog-confirm").click();
        assertThat(dialog).isHidden();
        assertThat(page.locator("#payments-status")).hasText("Invoice " + number + " is paid.");
        assertThat(page.locator("#invoices")).isVisible();
        assertThat(row(OVERDUE).locator(".badge")).hasText("Paid");
        assertThat(invoice(s.token(), OVERDUE).get("payment_status").asText()).isEqualTo("succeeded");
    }

    @Test
    void theInvoicePayFlowThroughTheSandboxEndsWithItsRedirect() throws Exception {
        removeAllMethods();
        PortalSession s = session(english().flow(Flow.invoicePay(OVERDUE)
                .afterCompletion(AfterCompletion.redirect(URI.create(demo.baseUrl() + "/billing/")))));
        page.navigate(s.url().toString());
        page.locator("#payments-dialog-confirm").click();
        page.waitForURL(Pattern.compile(".*/billing-sandbox/pay/.*"));
        page.locator("#sandbox-complete").click();
        page.waitForURL(demo.baseUrl() + "/billing/");
        assertThat(invoice(s.token(), OVERDUE).get("payment_status").asText()).isEqualTo("succeeded");
    }

    // ---------------------------------------------------------------- the host's page

    @Test
    void aFramingHostOfAnAllowedOriginLearnsOfThePaymentAndTheAddedMethod() throws Exception {
        PortalSession s = session(english().flow(Flow.invoicePay(OVERDUE).afterCompletion(AfterCompletion.PORTAL_HOMEPAGE)));
        page.navigate(allowedHost.pageFraming(s.url().toString()).toString());
        FrameLocator portal = page.frameLocator("iframe");
        portal.locator("#payments-dialog-confirm").click();
        assertThat(portal.locator("#payments-status")).hasText(Pattern.compile("^Invoice .* is paid\\.$"));
        page.waitForCondition(() -> hostMessages.size() >= 3);
        page.waitForTimeout(300); // nothing more arrives
        String portalOrigin = origin(demo.baseUrl().toString());
        assertThat(hostMessages).allSatisfy(m -> {
            assertThat(m[0]).as("received by").isEqualTo(allowedHost.origin());
            assertThat(m[1]).as("sent from").isEqualTo(portalOrigin);
            assertThat(m[2]).doesNotContainIgnoringCase("token").doesNotContain(s.token());
        });
        assertThat(hostMessages).extracting(m -> json(m[2]).get("type").asText()).containsExactly(
                "billing-portal:loaded", "billing-portal:invoice_paid", "billing-portal:flow_completed");
        assertThat(messagesOf("billing-portal:invoice_paid").get(0)).isEqualTo(json(
                "{\"type\":\"billing-portal:invoice_paid\",\"invoice_id\":\"" + OVERDUE + "\",\"status\":\"succeeded\"}"));

        // the way back from the provider's page, framed by the host: payment_method_added
        hostMessages.clear();
        String plain = session(english()).token();
        String setup = api(plain, "POST", "/payment_methods/setup").get("setup").get("redirect_url").asText();
        URI back = provider().completeSetup(setup.substring(setup.lastIndexOf('/') + 1));
        page.navigate(allowedHost.pageFraming(back.toString()).toString());
        assertThat(portal.locator("#payments-status")).hasText("Payment method added.");
        page.waitForCondition(() -> messagesOf("billing-portal:payment_method_added").size() == 1);
        JsonNode added = messagesOf("billing-portal:payment_method_added").get(0);
        assertThat(added.get("payment_method_ids")).hasSize(3);
        assertThat(added.get("default_payment_method_id").asText()).isEqualTo("pm_demo_visa");
        assertThat(added.toString()).doesNotContainIgnoringCase("token");
        assertThat(hostMessages).allSatisfy(m -> assertThat(m[0]).isEqualTo(allowedHost.origin()));
    }

    @Test
    void aFramingHostOfAnotherOriginLearnsNothing() throws Exception {
        PortalSession s = session(english());
        String setup = api(s.token(), "POST", "/payment_methods/setup").get("setup").get("redirect_url").asText();
        URI back = provider().completeSetup(setup.substring(setup.lastIndexOf('/') + 1));
        page.navigate(otherHost.pageFraming(back.toString()).toString());
        page.waitForTimeout(1500); // the frame is refused (frame-ancestors) or posts to the allowed origin only
        page.navigate(otherHost.pageFraming(s.url().toString()).toString());
        page.waitForTimeout(1500);
        assertThat(hostMessages).isEmpty();
    }
}
