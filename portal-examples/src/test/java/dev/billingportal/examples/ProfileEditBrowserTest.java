package dev.billingportal.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.ProfileSettings;
import dev.billingportal.core.profile.ProfileField;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The customer corrects their own details on the portal page, in a real headless Chromium against the running demo
 * (which lets its customers edit every field): the form, its inline errors in the customer's language (the page's
 * own checks and the server's 422), what is sent (changed fields only, one Idempotency-Key per save, reused on a
 * retry), the {@code profile_update} deep link with each after-completion, and what the host's page learns by
 * postMessage. One Chromium for the whole class; a fresh browser context per test. Screenshots land in
 * {@code target/screenshots/}.
 */
class ProfileEditBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    /** A second listed origin that never frames the portal: the page must not post to it, nor to "*". */
    private static final String UNUSED_ANCESTOR = "https://app.example.com";

    private static EmbeddingHost allowedHost;
    private static EmbeddingHost otherHost;
    private static DemoServer demo;
    private static Browser browser;

    private BrowserContext context;
    private Page page;
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    /** What the host pages received: {receiver origin, sender origin, message as JSON}. */
    private final List<String[]> hostMessages = new CopyOnWriteArrayList<>();
    /** The PATCH requests the page sent. */
    private final List<Request> patches = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startDemoAndBrowser() throws IOException {
        allowedHost = EmbeddingHost.start();
        otherHost = EmbeddingHost.start();
        demo = DemoServer.start(new DemoConfig(0, "profile_browser_test_key", false,
                List.of(allowedHost.origin(), UNUSED_ANCESTOR)), Clock.systemUTC());
        Files.createDirectories(PortalPageBrowserTest.SCREENSHOTS);
        browser = SharedChromium.browser(); // one Chromium for every browser test class of the run
    }

    @AfterAll
    static void stopEverything() {
        for (AutoCloseable closeable : new AutoCloseable[] {demo, allowedHost, otherHost}) {
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
    void openContext() {
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
            if ("PATCH".equals(request.method())) {
                patches.add(request);
            }
        });
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    // ---------------------------------------------------------------- helpers

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    private static PortalSession session(SessionRequest request) {
        return demo.portal().createSession(request);
    }

    private static SessionRequest english(String customer) {
        return SessionRequest.forCustomer(customer).locale(Locale.ENGLISH);
    }

    private static JsonNode customer(String token) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(demo.baseUrl().resolve("/portal/api/customer"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("customer");
    }

    private static List<AuditEvent> profileUpdates(String customer, Instant since) {
        return demo.auditTrail().find(CustomerRef.of(customer), since, 100).stream()
                .filter(event -> event.type() == AuditEventType.CUSTOMER_UPDATED).toList();
    }

    private void openPortal(String url) {
        page.navigate(url);
        assertThat(page.locator("#portal")).isVisible();
    }

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator field(String label) {
        return page.locator("#profile-form").getByLabel(label, new Locator.GetByLabelOptions().setExact(true));
    }

    private Locator address(String legend) {
        return page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName(legend).setExact(true));
    }

    private static Locator in(Locator group, String label) {
        return group.getByLabel(label, new Locator.GetByLabelOptions().setExact(true));
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

    // ---------------------------------------------------------------- editing

    @Test
    void editingTheEmailAndBillingAddressSendsOnlyThoseAndShowsTheNewDetails() throws Exception {
        PortalSession s = session(english(DemoData.DEMO_CUSTOMER));
        JsonNode before = customer(s.token());
        Instant since = Instant.now().minusSeconds(1);
        openPortal(s.url().toString());

        assertThat(page.locator("#profile-form")).isHidden();
        button("Edit details").click();
        assertThat(page.locator("#profile-form")).isVisible();
        assertThat(button("Edit details")).isHidden();
        // Exactly the configuration's fields: the demo allows all eight.
        assertThat(page.locator("#profile-form [data-profile-field]:visible")).hasCount(8);
        assertThat(field("Name")).isFocused();
        assertThat(field("Email")).hasValue(before.get("email").asText());
        Locator billing = address("Billing address");
        assertThat(in(billing, "Address line 1")).hasValue(before.get("billing_address").get("address_line1").asText());
        assertThat(in(billing, "Country")).hasValue(before.get("billing_address").get("country").asText());
        // Countries are named in the customer's language, in its order.
        assertThat(in(billing, "Country").locator("option[value=AT]")).hasText("Austria");
        assertThat(page.locator("#pf-document_locale option[value=fr]")).hasText("Français");

        field("Email").fill("  accounts@nordlicht.example ");
        in(billing, "Address line 1").fill("Kärntner Ring 5");
        in(billing, "Address line 2").fill("");
        in(billing, "City").fill("Wien");
        in(billing, "Postal code").fill("1010");
        in(billing, "Country").selectOption(new SelectOption().setLabel("Austria"));
        screenshot("profile-edit");
        button("Save").click();

        assertThat(page.locator("#profile-status")).hasText("Your details were saved.");
        assertThat(page.locator("#profile-form")).isHidden();
        assertThat(button("Edit details")).isFocused();
        assertThat(page.locator("#customer")).containsText("accounts@nordlicht.example");
        assertThat(page.locator("#customer")).containsText("Kärntner Ring 5");
        assertThat(page.locator("#customer")).containsText("1010 Wien");
        assertThat(page.locator("#customer")).containsText("Austria");
        assertThat((List<?>) page.evaluate(PortalPageBrowserTest.LOW_CONTRAST_TEXTS)).isEmpty();
        screenshot("profile-saved");

        assertThat(patches).hasSize(1);
        Request patch = patches.get(0);
        assertThat(patch.headerValue("content-type")).isEqualTo("application/json");
        assertThat(patch.headerValue("authorization")).startsWith("Bearer ");
        assertThat(patch.headerValue("idempotency-key")).matches(UUID);
        JsonNode body = json(patch.postData());
        assertThat(body.fieldNames()).toIterable().containsExactly("email", "billing_address");
        assertThat(body.get("email").asText()).isEqualTo("accounts@nordlicht.example");
        assertThat(body.get("billing_address")).isEqualTo(json("{\"line1\":\"Kärntner Ring 5\",\"line2\":\"\","
                + "\"city\":\"Wien\",\"state\":\"\",\"zipcode\":\"1010\",\"country\":\"AT\"}"));

        JsonNode after = customer(s.token());
        assertThat(after.get("email").asText()).isEqualTo("accounts@nordlicht.example");
        assertThat(after.get("billing_address").get("address_line1").asText()).isEqualTo("Kärntner Ring 5");
        assertThat(after.get("billing_address").get("address_line2").isNull()).isTrue();
        assertThat(after.get("billing_address").get("country").asText()).isEqualTo("AT");
        assertThat(after.get("name")).isEqualTo(before.get("name"));
        assertThat(after.get("shipping_address")).isEqualTo(before.get("shipping_address"));
        assertThat(profileUpdates(DemoData.DEMO_CUSTOMER, since)).hasSize(1);

        // A second save is a new action: a new key. Saving nothing sends nothing.
        button("Edit details").click();
        field("Phone").fill("+43 1 234 56 78");
        button("Save").click();
        assertThat(page.locator("#profile-status")).hasText("Your details were saved.");
        assertThat(patches).hasSize(2);
        assertThat(patches.get(1).headerValue("idempotency-key")).matches(UUID)
                .isNotEqualTo(patch.headerValue("idempotency-key"));
        assertThat(json(patches.get(1).postData()).fieldNames()).toIterable().containsExactly("phone");
        button("Edit details").click();
        button("Save").click();
        assertThat(page.locator("#profile-status")).hasText("Nothing was changed.");
        assertThat(patches).hasSize(2);
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void inFrenchTheFormItsChecksAndTheServersErrorsSpeakFrench() throws Exception {
        PortalSession s = session(SessionRequest.forCustomer(DemoData.OTHER_CUSTOMER)); // document locale: French
        openPortal(s.url().toString());
        assertThat(page.locator("html")).hasAttribute("lang", "fr");
        button("Modifier").click();
        Locator billing = address("Adresse de facturation");
        assertThat(in(billing, "Pays").locator("option[value=DE]")).hasText("Allemagne");

        // The page's own check: nothing is sent.
        JsonNode before = customer(s.token());
        field("E-mail").fill("pas-une-adresse");
        button("Enregistrer").click();
        Locator emailError = page.locator("#pf-email-error");
        assertThat(emailError).hasText(Pattern.compile("Saisissez une adresse e-mail comme nom@exemple\\.fr\\."));
        assertThat(field("E-mail")).hasAttribute("aria-invalid", "true");
        assertThat(field("E-mail")).isFocused();
        assertThat(field("E-mail")).hasAttribute("aria-describedby", "pf-email-error");
        assertThat(page.locator("#profile-form-error")).hasText("Certaines informations sont à corriger : voir les champs signalés.");
        screenshot("profile-errors-fr");
        assertThat(patches).isEmpty();
        assertThat(customer(s.token())).isEqualTo(before);

        // The server's 422, shown the same way: a body the page's checks would never let through, sent for real.
        page.route("**/portal/api/customer**", route -> {
            if ("PATCH".equals(route.request().method())) {
                route.resume(new Route.ResumeOptions().setPostData("{\"email\":\"a@b@c\",\"billing_address\":"
                        + "{\"line1\":\"12 rue de la Paix\",\"city\":\"Paris\",\"zipcode\":\"75002\",\"country\":\"ZZ\"},"
                        + "\"tax_id\":\"" + "FR".repeat(33) + "\"}")); // letters: 16 digits in a row would be refused as card-like
            } else {
                route.resume();
            }
        });
        field("E-mail").fill("compta@dupont.example");
        field("Téléphone").fill("+33 1 23 45 67 89");
        Instant since = Instant.now().minusSeconds(1);
        button("Enregistrer").click();
        assertThat(emailError).hasText(Pattern.compile("Saisissez une adresse e-mail"));
        assertThat(page.locator("#pf-billing_address-country-error")).hasText(Pattern.compile("Choisissez un pays dans la liste\\."));
        assertThat(page.locator("#pf-tax_id-error")).hasText(Pattern.compile("64 caractères au maximum\\."));
        assertThat(in(billing, "Pays")).hasAttribute("aria-invalid", "true");
        assertThat(field("Numéro de TVA")).hasAttribute("aria-invalid", "true");
        assertThat(field("Téléphone")).not().hasAttribute("aria-invalid", "true");
        assertThat(field("E-mail")).isFocused(); // the first invalid field in the form's order
        assertThat(page.locator("#profile-form")).not().containsText("ISO 3166");
        assertThat(patches).hasSize(1);
        assertThat(customer(s.token())).isEqualTo(before);
        assertThat(profileUpdates(DemoData.OTHER_CUSTOMER, since)).isEmpty();
        page.unroute("**/portal/api/customer**");

        // Corrected, it saves, in French.
        button("Enregistrer").click();
        assertThat(page.locator("#profile-status")).hasText("Vos informations ont été enregistrées.");
        assertThat(page.locator("#customer")).containsText("+33 1 23 45 67 89");
        assertThat(customer(s.token()).get("phone").asText()).isEqualTo("+33 1 23 45 67 89");
        assertThat(json(patches.get(1).postData()).fieldNames()).toIterable().containsExactly("phone");
    }

    @Test
    void inGermanTooAndTheServersReasonsNeverShowThrough() throws Exception {
        PortalSession s = session(SessionRequest.forCustomer(DemoData.DEMO_CUSTOMER).locale(Locale.GERMAN));
        openPortal(s.url().toString());
        button("Bearbeiten").click();
        Locator billing = address("Rechnungsadresse");
        in(billing, "Ort").fill("x".repeat(101));
        field("Telefon").fill("call me");
        button("Speichern").click();
        assertThat(page.locator("#pf-billing_address-city-error")).hasText(Pattern.compile("Höchstens 100 Zeichen\\."));
        assertThat(page.locator("#pf-phone-error")).hasText(Pattern.compile("Geben Sie eine Telefonnummer"));
        assertThat(field("Telefon")).isFocused();
        assertThat(patches).isEmpty();
        in(billing, "Ort").fill("München");
        in(billing, "Postleitzahl").fill("80331");
        field("Telefon").fill("+49 89 123456");
        button("Speichern").click();
        assertThat(page.locator("#profile-status")).hasText("Ihre Daten wurden gespeichert.");
        assertThat(page.locator("#customer")).containsText("80331 München");
        JsonNode after = customer(s.token());
        assertThat(after.get("billing_address").get("city").asText()).isEqualTo("München");
        assertThat(after.get("phone").asText()).isEqualTo("+49 89 123456");
    }

    @Test
    void aLostAnswerIsRetriedWithTheSameKeyAndActsOnce() throws Exception {
        PortalSession s = session(english(DemoData.DEMO_CUSTOMER));
        Instant since = Instant.now().minusSeconds(1);
        List<String> replayed = new CopyOnWriteArrayList<>();
        page.onResponse(response -> {
            if ("PATCH".equals(response.request().method())) {
                replayed.add(String.valueOf(response.headerValue("idempotent-replayed")));
            }
        });
        boolean[] first = {true};
        page.route("**/portal/api/customer**", route -> {
            if ("PATCH".equals(route.request().method()) && first[0]) {
                first[0] = false;
                APIResponse done = route.fetch(); // the server acts...
                assertThat(done.status()).isEqualTo(200);
                route.abort("connectionreset"); // ...and its answer is lost on the way
            } else {
                route.resume();
            }
        });
        openPortal(s.url().toString());
        button("Edit details").click();
        field("Legal name").fill("Nordlicht Analytics GmbH & Co. KG");
        button("Save").click();
        assertThat(page.locator("#profile-status")).hasText("Your details were saved.");

        assertThat(patches).hasSize(2);
        assertThat(patches.get(1).headerValue("idempotency-key")).isEqualTo(patches.get(0).headerValue("idempotency-key"));
        assertThat(patches.get(1).postData()).isEqualTo(patches.get(0).postData());
        assertThat(replayed).containsExactly("true"); // the retry got the first answer again
        assertThat(profileUpdates(DemoData.DEMO_CUSTOMER, since)).hasSize(1);
        assertThat(customer(s.token()).get("legal_name").asText()).isEqualTo("Nordlicht Analytics GmbH & Co. KG");
    }

    @Test
    void aRequestStillInProgressIsRetriedWithTheSameKey() throws Exception {
        PortalSession s = session(english(DemoData.DEMO_CUSTOMER));
        Instant since = Instant.now().minusSeconds(1);
        boolean[] first = {true};
        page.route("**/portal/api/customer**", route -> {
            if ("PATCH".equals(route.request().method()) && first[0]) {
                first[0] = false; // what the server answers while another request with this key runs
                route.fulfill(new Route.FulfillOptions().setStatus(409).setContentType("application/json")
                        .setBody("{\"status\":409,\"error\":\"Conflict\",\"code\":\"request_in_progress\"}"));
            } else {
                route.resume();
            }
        });
        openPortal(s.url().toString());
        button("Edit details").click();
        field("Tax ID").fill("DE111111111");
        button("Save").click();
        assertThat(page.locator("#profile-status")).hasText("Your details were saved.");
        assertThat(patches).hasSize(2);
        assertThat(patches.get(1).headerValue("idempotency-key")).isEqualTo(patches.get(0).headerValue("idempotency-key"));
        assertThat(profileUpdates(DemoData.DEMO_CUSTOMER, since)).hasSize(1);
    }

    @Test
    void whenEveryAttemptFailsSavingAgainIsTheSameActionWithTheSameKey() throws Exception {
        PortalSession s = session(english(DemoData.DEMO_CUSTOMER));
        page.route("**/portal/api/customer**", route -> {
            if ("PATCH".equals(route.request().method())) {
                route.abort("internetdisconnected");
            } else {
                route.resume();
            }
        });
        openPortal(s.url().toString());
        button("Edit details").click();
        field("Tax ID").fill("DE222222222");
        button("Save").click();
        assertThat(page.locator("#profile-form-error")).hasText("Your details could not be saved. Please try again.");
        assertThat(page.locator("#profile-form-error")).isFocused();
        assertThat(page.locator("#profile-form")).isVisible();
        int attempts = patches.size();
        assertThat(attempts).isEqualTo(3); // the first and two retries
        assertThat(patches).extracting(r -> r.headerValue("idempotency-key")).containsOnly(patches.get(0).headerValue("idempotency-key"));

        page.unroute("**/portal/api/customer**");
        button("Save").click();
        assertThat(page.locator("#profile-status")).hasText("Your details were saved.");
        assertThat(patches.get(attempts).headerValue("idempotency-key")).isEqualTo(patches.get(0).headerValue("idempotency-key"));
        assertThat(customer(s.token()).get("tax_id").asText()).isEqualTo("DE222222222");
    }

    @Test
    void theFormWorksFromTheKeyboardMeetsAaContrastAndFitsAPhone() {
        page.setViewportSize(360, 740);
        openPortal(session(english(DemoData.DEMO_CUSTOMER)).url().toString());
        button("Edit details").focus();
        page.keyboard().press("Enter");
        assertThat(field("Name")).isFocused();
        assertThat(page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")).isNotEqualTo("none");
        page.keyboard().press("Tab");
        assertThat(field("Legal name")).isFocused();
        field("Email").fill("no-at-sign");
        field("Email").press("Enter"); // submits the form
        assertThat(field("Email")).isFocused();
        assertThat(page.locator("#pf-email-error")).isVisible();
        assertThat(page.evaluate("() => document.documentElement.scrollWidth")).isEqualTo(360);
        assertThat((List<?>) page.evaluate(PortalPageBrowserTest.LOW_CONTRAST_TEXTS)).isEmpty();
        page.locator("#customer-section").screenshot(new Locator.ScreenshotOptions()
                .setPath(PortalPageBrowserTest.SCREENSHOTS.resolve("profile-phone.png")));
        page.keyboard().press("Escape");
        assertThat(page.locator("#profile-form")).isHidden();
        assertThat(button("Edit details")).isFocused();
        assertThat(patches).isEmpty();
        assertThat((List<?>) page.evaluate(PortalPageBrowserTest.LOW_CONTRAST_TEXTS)).isEmpty();
    }

    @Test
    void onlyTheConfigurationsFieldsAreOfferedAndMarkupInThemStaysText() throws Exception {
        try (HostileDataPortal hostile = HostileDataPortal.start(PortalConfiguration.builder()
                .profile(new ProfileSettings(true, EnumSet.of(ProfileField.EMAIL, ProfileField.BILLING_ADDRESS))).build())) {
            openPortal(hostile.link());
            button("Edit details").click();
            assertThat(page.locator("#profile-form [data-profile-field]:visible")).hasCount(2);
            assertThat(page.locator("#profile-form [data-profile-field=email]")).isVisible();
            assertThat(page.locator("#profile-form [data-profile-field=billing_address]")).isVisible();
            assertThat(field("Name")).isHidden();
            assertThat(field("Tax ID")).isHidden();
            Locator billing = address("Billing address");
            assertThat(in(billing, "City")).hasValue(HostileDataPortal.CITY);
            assertThat(in(billing, "Address line 1")).hasValue("1 <i>Main</i> St");
            field("Email").fill("safe@example.com");
            in(billing, "Address line 1").fill("<b>2</b> Main St");
            button("Save").click();
            assertThat(page.locator("#profile-status")).hasText("Your details were saved.");
            assertThat(page.locator("#customer")).containsText("<b>2</b> Main St");
            assertThat(page.locator("#portal img, #portal script, #portal svg, #portal b, #portal i")).hasCount(0);
            assertThat(page.evaluate("() => typeof window.__xss")).isEqualTo("undefined");
            assertThat(json(patches.get(0).postData()).fieldNames()).toIterable().containsExactly("email", "billing_address");
            assertThat(hostile.customer().email()).isEqualTo("safe@example.com");
            assertThat(hostile.customer().billingAddress().line1()).isEqualTo("<b>2</b> Main St");
            assertThat(hostile.customer().name()).isEqualTo(HostileDataPortal.NAME);
        }
    }

    // ---------------------------------------------------------------- the profile_update flow

    @Test
    void theFlowOpensTheFormAndRedirectsToTheReturnUrlAfterSaving() throws Exception {
        String returnUrl = allowedHost.origin() + "/settings/billing?updated=1";
        PortalSession s = session(english(DemoData.DEMO_CUSTOMER)
                .flow(Flow.profileUpdate().afterCompletion(AfterCompletion.redirect(URI.create(returnUrl)))));
        page.navigate(s.url().toString());
        assertThat(page.locator("#profile-form")).isVisible();
        assertThat(field("Name")).isFocused();
        assertThat(page.locator("#overview-title")).isHidden();
        assertThat(page.locator("#invoices")).isHidden();
        screenshot("profile-flow");
        field("Name").fill("Nordlicht");
        button("Save").click();
        page.waitForURL(returnUrl);
        assertThat(page.locator("body")).containsText("Host app");
        assertThat(customer(s.token()).get("name").asText()).isEqualTo("Nordlicht");
    }

    @Test
    void theFlowShowsTheHostedConfirmationAsText() throws Exception {
        String message = "Thanks! <b>Your</b> details are up to date.";
        PortalSession s = session(english(DemoData.DEMO_CUSTOMER)
                .flow(Flow.profileUpdate().afterCompletion(AfterCompletion.hostedConfirmation(message))));
        page.navigate(s.url().toString());
        field("Phone").fill("+49 30 1111111");
        button("Save").click();
        assertThat(page.locator("#confirmation")).isVisible();
        assertThat(page.locator("#confirmation")).isFocused();
        assertThat(page.locator("#confirmation-message")).hasText(message);
        assertThat(page.locator("#confirmation b")).hasCount(0);
        assertThat(page.locator("#portal")).isHidden();
        screenshot("profile-confirmation");

        // Without a message: the standard one, in the customer's language.
        PortalSession plain = session(SessionRequest.forCustomer(DemoData.DEMO_CUSTOMER).locale(Locale.JAPANESE)
                .flow(Flow.profileUpdate().afterCompletion(AfterCompletion.hostedConfirmation(null))));
        page.navigate(plain.url().toString());
        field("電話番号").fill("+49 30 2222222");
        button("保存").click();
        assertThat(page.locator("#confirmation-title")).hasText("ありがとうございます");
        assertThat(page.locator("#confirmation-message")).hasText("お客様情報を保存しました。");
        assertThat(customer(s.token()).get("phone").asText()).isEqualTo("+49 30 2222222");
    }

    @Test
    void theFlowReturnsToThePortalHomepageAfterSaving() {
        PortalSession s = session(english(DemoData.DEMO_CUSTOMER)
                .flow(Flow.profileUpdate().afterCompletion(AfterCompletion.PORTAL_HOMEPAGE)));
        page.navigate(s.url().toString());
        assertThat(page.locator("#profile-form")).isVisible();
        assertThat(page.locator("#overview-title")).isHidden();
        field("Tax ID").fill("DE999999999");
        button("Save").click();
        assertThat(page.locator("#profile-form")).isHidden();
        assertThat(page.locator("#overview-title")).isVisible();
        assertThat(page.locator("#invoice-rows tr")).hasCount(20);
        assertThat(page.locator("#profile-status")).hasText("Your details were saved.");
        assertThat(page.locator("#customer")).containsText("DE999999999");
        // Editing again later is an ordinary edit, not the flow once more.
        button("Edit details").click();
        button("Cancel").click();
        assertThat(page.locator("#overview-title")).isVisible();
    }

    // ---------------------------------------------------------------- the host's page

    private Frame portalFrame() {
        return page.frames().stream().filter(frame -> frame != page.mainFrame()).findFirst().orElseThrow();
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

    @Test
    void framedTheHostsPageLearnsWhatHappenedFromThePortalsOriginOnly() throws Exception {
        PortalSession s = session(english(DemoData.DEMO_CUSTOMER)
                .flow(Flow.profileUpdate().afterCompletion(AfterCompletion.hostedConfirmation("Done."))));
        page.navigate(allowedHost.pageFraming(s.url().toString()).toString());
        FrameLocator portal = page.frameLocator("iframe");
        assertThat(portal.locator("#profile-form")).isVisible();
        portal.getByLabel("Phone", new FrameLocator.GetByLabelOptions().setExact(true)).fill("+49 30 3333333");
        portal.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Save").setExact(true)).click();
        assertThat(portal.locator("#confirmation-message")).hasText("Done.");
        page.waitForCondition(() -> hostMessages.size() >= 3);
        page.waitForTimeout(300); // nothing more arrives (a second copy, a message to "*")

        String portalOrigin = origin(demo.baseUrl().toString());
        assertThat(hostMessages).allSatisfy(m -> {
            assertThat(m[0]).as("received by").isEqualTo(allowedHost.origin());
            assertThat(m[1]).as("sent from").isEqualTo(portalOrigin);
            assertThat(m[2]).doesNotContainIgnoringCase("token").doesNotContain(s.token());
        });
        assertThat(hostMessages).extracting(m -> json(m[2]).get("type").asText()).containsExactly(
                "billing-portal:loaded", "billing-portal:profile_updated", "billing-portal:flow_completed");
        assertThat(messagesOf("billing-portal:loaded").get(0)).isEqualTo(json("{\"type\":\"billing-portal:loaded\",\"locale\":\"en\"}"));
        assertThat(messagesOf("billing-portal:profile_updated").get(0)).isEqualTo(json(
                "{\"type\":\"billing-portal:profile_updated\",\"customer_id\":\"demo-customer\",\"changed\":[\"phone\"]}"));
        assertThat(messagesOf("billing-portal:flow_completed").get(0)).isEqualTo(json(
                "{\"type\":\"billing-portal:flow_completed\",\"flow\":\"profile_update\"}"));
        assertThat(customer(s.token()).get("phone").asText()).isEqualTo("+49 30 3333333");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void framedTheRedirectAfterCompletionTakesTheWholeWindow() throws Exception {
        String returnUrl = allowedHost.origin() + "/settings/billing?profile=saved";
        PortalSession s = session(english(DemoData.DEMO_CUSTOMER)
                .flow(Flow.profileUpdate().afterCompletion(AfterCompletion.redirect(URI.create(returnUrl)))));
        page.navigate(allowedHost.pageFraming(s.url().toString()).toString());
        FrameLocator portal = page.frameLocator("iframe");
        portal.getByLabel("Name", new FrameLocator.GetByLabelOptions().setExact(true)).fill("Nordlicht Analytics");
        portal.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Save").setExact(true)).click();
        page.waitForURL(returnUrl); // the top window, not the frame
        JsonNode kept = json(String.valueOf(page.evaluate("() => localStorage.getItem('received')")));
        List<String> types = new ArrayList<>();
        kept.forEach(m -> types.add(m.get("data").get("type").asText()));
        assertThat(types).containsExactly("billing-portal:loaded", "billing-portal:profile_updated",
                "billing-portal:flow_completed");
        assertThat(customer(s.token()).get("name").asText()).isEqualTo("Nordlicht Analytics");
    }

    @Test
    void theBackLinkTellsTheHostBeforeLeaving() {
        String returnUrl = allowedHost.origin() + "/settings";
        PortalSession s = session(english(DemoData.DEMO_CUSTOMER).returnUrl(URI.create(returnUrl)));
        page.navigate(allowedHost.pageFraming(s.url().toString()).toString());
        FrameLocator portal = page.frameLocator("iframe");
        assertThat(portal.locator("#portal")).isVisible();
        page.waitForCondition(() -> !messagesOf("billing-portal:loaded").isEmpty());
        portal.getByRole(AriaRole.LINK, new FrameLocator.GetByRoleOptions().setName("Back")).click();
        page.waitForURL(returnUrl);
        // The host's page that got it is gone: what it kept, from the host's next page.
        JsonNode kept = json(String.valueOf(page.evaluate("() => localStorage.getItem('received')")));
        List<JsonNode> types = new ArrayList<>();
        kept.forEach(m -> {
            assertThat(m.get("origin").asText()).isEqualTo(origin(demo.baseUrl().toString()));
            types.add(m.get("data"));
        });
        assertThat(types).containsExactly(json("{\"type\":\"billing-portal:loaded\",\"locale\":\"en\"}"),
                json("{\"type\":\"billing-portal:closed\"}"));
    }

    @Test
    void aParentNotAmongTheFrameAncestorsReceivesNothingEvenWithoutTheFramingPolicy() throws Exception {
        // A proxy that drops the Content-Security-Policy (or a browser without frame-ancestors) lets another origin
        // frame the portal: the page itself still tells nothing to a parent the configuration does not list.
        String pageUrl = demo.baseUrl() + "/portal/?token=";
        page.route(url -> url.startsWith(pageUrl), route -> {
            APIResponse response = route.fetch();
            Map<String, String> headers = new LinkedHashMap<>(response.headers());
            headers.keySet().removeIf(name -> name.equalsIgnoreCase("content-security-policy")
                    || name.equalsIgnoreCase("x-frame-options"));
            route.fulfill(new Route.FulfillOptions().setResponse(response).setHeaders(headers));
        });
        PortalSession s = session(english(DemoData.DEMO_CUSTOMER)
                .flow(Flow.profileUpdate().afterCompletion(AfterCompletion.PORTAL_HOMEPAGE)));
        page.navigate(otherHost.pageFraming(s.url().toString()).toString());
        FrameLocator portal = page.frameLocator("iframe");
        assertThat(portal.locator("#profile-form")).isVisible(); // framed after all
        portal.getByLabel("Phone", new FrameLocator.GetByLabelOptions().setExact(true)).fill("+49 30 4444444");
        portal.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Save").setExact(true)).click();
        assertThat(portal.locator("#profile-status")).hasText("Your details were saved.");
        assertThat(customer(s.token()).get("phone").asText()).isEqualTo("+49 30 4444444");
        page.waitForTimeout(500);
        assertThat(hostMessages).isEmpty();

        // The same page framed by the listed origin does receive them (the listener works).
        page.navigate(allowedHost.pageFraming(session(english(DemoData.DEMO_CUSTOMER)).url().toString()).toString());
        page.waitForCondition(() -> !hostMessages.isEmpty());
        assertThat(hostMessages.get(0)[0]).isEqualTo(allowedHost.origin());
    }

    @Test
    void notFramedThePagePostsNothing() {
        page.addInitScript("window.__posts = 0; const post = window.postMessage.bind(window);"
                + " window.postMessage = function () { window.__posts++; return post.apply(null, arguments); };");
        openPortal(session(english(DemoData.DEMO_CUSTOMER)).url().toString());
        button("Edit details").click();
        field("Phone").fill("+49 30 5555555");
        button("Save").click();
        assertThat(page.locator("#profile-status")).hasText("Your details were saved.");
        assertThat(((Number) page.evaluate("() => window.__posts")).intValue()).isZero();
        assertThat(consoleErrors).isEmpty();
    }
}
