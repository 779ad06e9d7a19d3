package dev.billingportal.core.api;

import dev.billingportal.core.config.Branding;

import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.memory.InMemoryPortalConfigurations;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.i18n.PortalMessages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ready-made page: served from the classpath under the UI path, with headers strict enough to embed safely. */
class PortalPageTest {
    private static final String NOT_FRAMABLE = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final TestPortal t = new TestPortal();
    private PortalService portal;
    private PortalApi api;
    private String token;

    @BeforeEach
    void setUp() {
        t.customer("acme", "cus_1", "UTC");
        t.customer("initech", "cus_9", "UTC");
        portal = t.service.toBuilder().configurations(new InMemoryPortalConfigurations().saveDefault("acme",
                PortalConfiguration.builder().frameAncestors("https://app.acme.example", "http://localhost:3000").build()))
                .build();
        api = PortalApi.of(portal);
        token = portal.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")).token();
    }

    private PortalResponse get(String pathAndQuery) {
        return api.handle(PortalRequest.get(pathAndQuery, Map.of()));
    }

    private static void assertStrictPageHeaders(PortalResponse page) {
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.header("Referrer-Policy")).contains("no-referrer");
        assertThat(page.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.header("Cache-Control")).contains("no-store");
    }

    @Test
    void theLinkOfATenantWithOriginsMayBeFramedByThemOnly() {
        PortalResponse page = get("/portal/?token=" + token);
        assertStrictPageHeaders(page);
        assertThat(page.header("Content-Security-Policy")).contains(NOT_FRAMABLE.replace("frame-ancestors 'none'",
                "frame-ancestors https://app.acme.example http://localhost:3000"));
        assertThat(page.header("X-Frame-Options")).as("would override the allowed origins in old browsers").isEmpty();
        assertThat(page.bodyAsString()).contains("<meta name=\"portal-api\" content=\"/portal/api\">")
                .contains("assets/portal.js").contains("assets/portal.css");
    }

    @Test
    void aTenantWithoutOriginsAMissingOrForgedTokenCannotBeFramed() {
        String initech = portal.createSession(SessionRequest.forCustomer("cus_9").tenant("initech")).token();
        String forged = token.substring(0, token.length() - 3) + (token.endsWith("abc") ? "xyz" : "abc");
        for (String query : List.of("token=" + initech, "", "token=", "token=" + forged, "token=nonsense",
                "token=" + token + "&token=" + token, "token=%zz" + token)) {
            PortalResponse page = get("/portal/?" + query);
            assertStrictPageHeaders(page);
            assertThat(page.header("Content-Security-Policy")).as(query).contains(NOT_FRAMABLE);
            assertThat(page.header("X-Frame-Options")).contains("DENY");
        }
        assertThat(get("/portal/").header("Content-Security-Policy")).contains(NOT_FRAMABLE);
    }

    @Test
    void anExpiredButGenuineLinkStaysFramableSoItsErrorIsSeen() {
        t.clock.advance(Duration.ofDays(2));
        assertThat(get("/portal/?token=" + token).header("Content-Security-Policy").orElseThrow())
                .endsWith("frame-ancestors https://app.acme.example http://localhost:3000");
    }

    @Test
    void thePageWithoutSlashRedirectsKeepingTheToken() {
        PortalResponse redirect = get("/portal?token=" + token);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).contains("portal/?token=" + token);
        assertThat(redirect.header("Cache-Control")).contains("no-store");
        assertThat(redirect.header("Referrer-Policy")).contains("no-referrer");
        assertThat(get("/portal").header("Location")).contains("portal/");
        assertThat(api.handle(PortalRequest.of("GET", "/portal", "token=a\r\nSet-Cookie: x=1", Map.of()))
                .header("Location")).contains("portal/");
        assertThat(URI.create("https://billing.example.com/prefix/portal").resolve(redirect.header("Location").orElseThrow()))
                .hasToString("https://billing.example.com/prefix/portal/?token=" + token);
    }

    @Test
    void assetsAreServedWithTypesAndRevalidatedByETag() {
        PortalResponse script = get("/portal/assets/portal.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(script.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(script.header("Cache-Control")).contains("no-cache");
        assertThat(script.bodyAsString()).contains("history.replaceState");
        PortalResponse css = get("/portal/assets/portal.css");
        assertThat(css.header("Content-Type")).contains("text/css; charset=utf-8");
        String etag = css.header("ETag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{32}\"").isNotEqualTo(script.header("ETag").orElseThrow());
        PortalResponse notModified = api.handle(PortalRequest.get("/portal/assets/portal.css",
                Map.of("If-None-Match", List.of("\"other\", " + etag))));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.bodyAsString()).isEmpty();
        assertThat(api.handle(PortalRequest.get("/portal/assets/portal.css", Map.of("If-None-Match", List.of("\"other\""))))
                .status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/portal/assets/", "/portal/assets/nope.js", "/portal/assets/../index.html",
            "/portal/assets/portal.js/x", "/portal/other", "/portal/index.htm", "/portalx", "/portal/assets/PORTAL.JS"})
    void anythingElseUnderThePageIsA404(String path) {
        PortalResponse response = get(path);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyAsString()).contains("route_not_found");
    }

    @Test
    void headAnswersHeadersOnlyAndOtherMethodsAre405() {
        PortalResponse head = api.handle(PortalRequest.of("HEAD", "/portal/", "token=" + token, Map.of()));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Security-Policy")).isPresent();
        assertThat(head.bodyAsString()).isEmpty();
        for (String method : List.of("POST", "PUT", "DELETE")) {
            PortalResponse response = api.handle(PortalRequest.of(method, "/portal/", null, Map.of()));
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("Allow")).contains("GET, HEAD");
        }
    }

    @Test
    void theLogoOriginIsTheOnlyForeignImageSource() {
        PortalApi branded = PortalApi.builder(portal)
                .branding(new Branding("Acme", URI.create("https://cdn.acme.example:8443/img/logo.svg?v=2"), "#0f766e")).build();
        assertThat(branded.handle(PortalRequest.get("/portal/", Map.of())).header("Content-Security-Policy").orElseThrow())
                .contains("img-src 'self' data: https://cdn.acme.example:8443; connect-src 'self'");
    }

    @Test
    void pathsAreConfigurable() {
        PortalApi mounted = PortalApi.builder(portal).uiPath("/billing").basePath("/billing/v1").build();
        assertThat(mounted.uiPath()).isEqualTo("/billing");
        PortalResponse page = mounted.handle(PortalRequest.get("/billing/?token=" + token, Map.of()));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.bodyAsString()).contains("content=\"/billing/v1\"");
        assertThat(mounted.handle(PortalRequest.get("/billing/assets/portal.js", Map.of())).status()).isEqualTo(200);
        assertThat(mounted.handle(PortalRequest.get("/portal/", Map.of())).status()).isEqualTo(404);
        assertThat(PortalApi.builder(portal).uiPath("/portal").basePath("/api/portal").build()
                .handle(PortalRequest.get("/portal/", Map.of())).bodyAsString()).contains("content=\"/api/portal\"");
        assertThatThrownBy(() -> PortalApi.builder(portal).uiPath("/portal/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortalApi.builder(portal).uiPath("portal")).isInstanceOf(IllegalArgumentException.class);
        for (String[] paths : new String[][] {{"/portal", "/portal"}, {"/portal/assets", "/portal"},
                {"/portal/assets/x", "/portal"}, {"/portal", "/portal/page"}}) {
            assertThatThrownBy(() -> PortalApi.builder(portal).basePath(paths[0]).uiPath(paths[1]).build())
                    .as(String.join(" ", paths)).isInstanceOf(IllegalStateException.class).hasMessageContaining("collide");
        }
    }

    // ---------------------------------------------------------------- the assets themselves

    private static String asset(String name) throws IOException {
        try (InputStream in = PortalPage.class.getClassLoader().getResourceAsStream(PortalPage.ASSET_ROOT + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The script without its comments, which may name what the code must not do. */
    private static String code(String script) {
        return script.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)^\\s*//.*$", "").replaceAll("\\s//\\s.*", "");
    }

    /** Every script of the page: portal.js and the feature scripts index.html loads before it. */
    static final List<String> SCRIPTS = List.of("portal.js", "portal-payments.js", "portal-usage.js", "portal-wallets.js");

    @Test
    void theScriptNeverTurnsDataIntoMarkupNorKeepsTheToken() throws IOException {
        String script = code(asset("portal.js"));
        assertThat(script).hasSizeGreaterThan(5_000);
        for (String name : SCRIPTS) {
            String code = code(asset(name));
            for (String forbidden : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                    "new Function", "localStorage", "sessionStorage", "document.cookie", "indexedDB",
                    "setAttribute('style'", "setAttribute('on", "javascript:")) {
                assertThat(code).as(name + " must not use " + forbidden).doesNotContain(forbidden);
            }
            if (!name.equals("portal.js")) {
                // feature scripts never see the token: they write through portal.send
                assertThat(code).as(name + " must not touch the token").doesNotContain("token").doesNotContain("fetch(")
                        .doesNotContain("Authorization").doesNotContain("window.open");
            }
        }
        assertThat(script).contains("history.replaceState").contains("textContent").contains("'Bearer ' + token");
    }

    @Test
    void thePageLoadsEveryFeatureScriptBeforePortalJs() throws IOException {
        String html = asset("index.html");
        int core = html.indexOf("src=\"assets/portal.js\"");
        assertThat(core).isPositive();
        for (String name : SCRIPTS.subList(1, SCRIPTS.size())) {
            int at = html.indexOf("src=\"assets/" + name + "\"");
            assertThat(at).as(name + " is loaded, before portal.js (which reads the registry once)").isPositive()
                    .isLessThan(core);
            assertThat(get("/portal/assets/" + name).status()).isEqualTo(200);
        }
    }

    @Test
    void thePageHasNoInlineScriptStyleOrHandlerSoTheStrictPolicyHolds() throws IOException {
        String html = asset("index.html");
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)");
        assertThat(html).doesNotContain("<style").doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=");
        assertThat(html).contains(PortalPage.API_PLACEHOLDER);
        assertThat(asset("portal.css")).doesNotContain("@import").doesNotContain("url(http");
    }

    @Test
    void everyLabelThePageUsesExistsInEnglish() throws IOException {
        Map<String, String> english = PortalMessages.labels(Locale.ENGLISH);
        List<String> used = new java.util.ArrayList<>();
        Matcher inHtml = Pattern.compile("data-label=\"([a-z_.]+)\"").matcher(asset("index.html"));
        while (inHtml.find()) {
            used.add(inHtml.group(1));
        }
        for (String name : SCRIPTS) {
            String script = asset(name);
            Matcher inScript = Pattern.compile("label(?:Of)?\\('([a-z_]+(?:\\.[a-z_]+)+)'").matcher(script);
            while (inScript.find()) {
                used.add(inScript.group(1));
            }
            Matcher mapped = Pattern.compile("'((?:error|status|invoices|overview|customer|portal|profile|subscriptions"
                    + "|payments|usage|wallets)(?:\\.[a-z_]+)+)'").matcher(script);
            while (mapped.find()) {
                used.add(mapped.group(1));
            }
        }
        assertThat(used).hasSizeGreaterThan(40);
        assertThat(used).allSatisfy(key -> assertThat(english).as("label " + key).containsKey(key));
        for (String badge : List.of("overdue", "paid", "to_pay", "voided", "failed")) {
            assertThat(english).containsKey("status." + badge); // built as 'status.' + badge
        }
    }

    @Test
    void theFormOffersExactlyTheCountriesTheServerAccepts() throws IOException {
        Matcher list = Pattern.compile("var COUNTRIES = \\((.*?)\\)\\.split", Pattern.DOTALL).matcher(asset("portal.js"));
        assertThat(list.find()).isTrue();
        String codes = list.group(1).replaceAll("'\\s*\\+\\s*'", "").replace("'", "").strip();
        assertThat(List.of(codes.split(" "))).containsExactly(Locale.getISOCountries());
    }
}
