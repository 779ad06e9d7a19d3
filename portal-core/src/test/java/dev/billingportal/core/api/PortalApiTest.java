package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.invoices.InvoiceSearch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.billingportal.core.invoices.InvoiceStatus.DRAFT;
import static dev.billingportal.core.invoices.InvoiceStatus.FINALIZED;
import static dev.billingportal.core.invoices.InvoiceStatus.VOIDED;
import static dev.billingportal.core.invoices.PaymentStatus.FAILED;
import static dev.billingportal.core.invoices.PaymentStatus.PENDING;
import static dev.billingportal.core.invoices.PaymentStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

class PortalApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

    private final TestPortal t = new TestPortal();
    private final PortalApi api = PortalApi.of(t.service);
    private Customer customer;
    private String token;

    @BeforeEach
    void seed() {
        customer = t.customers.findByExternalId(t.customer("acme", "cus_1", "Europe/Paris").ref()).orElseThrow()
                .toBuilder().legalName("Acme SAS").taxId("FR123").documentLocale(Locale.FRENCH)
                .billingAddress(new Address("1 rue de l'Été", null, "Paris", null, "75001", "FR")).build();
        t.customers.save(customer);
        t.invoice(customer, "inv-1", TODAY.minusDays(40), TODAY.minusDays(10), 12_000, "EUR", FINALIZED, PENDING);
        t.invoice(customer, "inv-2", TODAY.minusDays(20), TODAY.plusDays(10), 3_000, "EUR", FINALIZED, FAILED);
        t.invoice(customer, "inv-3", TODAY.minusDays(5), TODAY.plusDays(25), 5_000, "USD", FINALIZED, SUCCEEDED);
        t.invoice(customer, "inv-4", TODAY.minusDays(3), TODAY.plusDays(25), 7_000, "EUR", VOIDED, PENDING);
        t.invoice(customer, "inv-draft", TODAY.minusDays(1), TODAY.plusDays(25), 9_000, "EUR", DRAFT, PENDING);
        Customer other = t.customer("acme", "cus_2", "UTC");
        t.invoice(other, "theirs", TODAY, TODAY, 100, "EUR", FINALIZED, PENDING);
        token = t.service.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")
                .returnUrl(URI.create("https://app.example.com/billing"))).token();
    }

    private PortalResponse get(String pathAndQuery) {
        return api.handle(PortalRequest.get(pathAndQuery, Map.of("Authorization", List.of("Bearer " + token))));
    }

    private static JsonNode body(PortalResponse response) throws Exception {
        return JSON.readTree(response.bodyAsString());
    }

    private static void assertError(PortalResponse response, int status, String code) throws Exception {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/json");
        JsonNode body = body(response);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(body.get("code").asText()).isEqualTo(code);
    }

    private List<String> invoiceIds(PortalResponse response) throws Exception {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        body(response).get("invoices").forEach(node -> ids.add(node.get("id").asText()));
        return ids;
    }

    @Test
    void customerProfileIsTheAuthenticatedCustomers() throws Exception {
        PortalResponse response = get("/portal/api/customer");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
        JsonNode c = body(response).get("customer");
        assertThat(c.get("external_id").asText()).isEqualTo("cus_1");
        assertThat(c.get("legal_name").asText()).isEqualTo("Acme SAS");
        assertThat(c.get("tax_identification_number").asText()).isEqualTo("FR123");
        assertThat(c.get("timezone").asText()).isEqualTo("Europe/Paris");
        assertThat(c.get("billing_address").get("address_line1").asText()).isEqualTo("1 rue de l'Été");
        assertThat(c.has("id")).as("internal ids stay inside").isFalse();
    }

    @Test
    void overviewHasOneRowPerCurrency() throws Exception {
        JsonNode overview = body(get("/portal/api/overview")).get("overview");
        assertThat(overview.get("as_of").asText()).isEqualTo("2026-11-21");
        JsonNode rows = overview.get("currencies");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("currency").asText()).isEqualTo("EUR");
        assertThat(rows.get(0).get("total_invoiced_amount_cents").asLong()).isEqualTo(15_000);
        assertThat(rows.get(0).get("overdue_amount_cents").asLong()).isEqualTo(12_000);
        assertThat(rows.get(0).get("overdue_invoices_count").asLong()).isEqualTo(1);
        assertThat(rows.get(0).get("outstanding_amount_cents").asLong()).isEqualTo(3_000);
        assertThat(rows.get(1).get("currency").asText()).isEqualTo("USD");
        assertThat(rows.get(1).get("total_invoiced_amount_cents").asLong()).isEqualTo(5_000);
    }

    @Test
    void invoicesListIsNewestFirstWithoutDraftsOrForeignRows() throws Exception {
        PortalResponse response = get("/portal/api/invoices");
        assertThat(invoiceIds(response)).containsExactly("inv-4", "inv-3", "inv-2", "inv-1");
        JsonNode first = body(response).get("invoices").get(3);
        assertThat(first.get("number").asText()).isEqualTo("INV-inv-1");
        assertThat(first.get("status").asText()).isEqualTo("finalized");
        assertThat(first.get("payment_status").asText()).isEqualTo("pending");
        assertThat(first.get("payment_overdue").asBoolean()).isTrue();
        assertThat(first.get("currency").asText()).isEqualTo("EUR");
        assertThat(first.get("total_amount_cents").asLong()).isEqualTo(12_000);
        assertThat(first.get("taxes_amount_cents").asLong()).isEqualTo(2_400);
        assertThat(first.get("sub_total_excluding_taxes_amount_cents").asLong()).isEqualTo(9_600);
        assertThat(first.get("total_due_amount_cents").asLong()).isEqualTo(12_000);
        assertThat(first.get("issuing_date").asText()).isEqualTo("2026-10-12");
        assertThat(first.get("download_url").asText()).isEqualTo("/portal/api/invoices/inv-1/download");
        assertThat(body(response).get("next_cursor").isNull()).isTrue();
    }

    @Test
    void filtersArriveThroughTheQuery() throws Exception {
        assertThat(invoiceIds(get("/portal/api/invoices?status=voided"))).containsExactly("inv-4");
        assertThat(invoiceIds(get("/portal/api/invoices?status=finalized,voided&payment_status=failed"))).containsExactly("inv-2");
        assertThat(invoiceIds(get("/portal/api/invoices?payment_status=failed&payment_status=succeeded"))).containsExactly("inv-3", "inv-2");
        assertThat(invoiceIds(get("/portal/api/invoices?overdue=true"))).containsExactly("inv-1");
        assertThat(invoiceIds(get("/portal/api/invoices?issued_from=2026-11-01&issued_to=2026-11-16"))).containsExactly("inv-3", "inv-2");
        assertThat(invoiceIds(get("/portal/api/invoices?search=inv%2D3"))).containsExactly("inv-3");
        assertThat(invoiceIds(get("/portal/api/invoices?search=+INV-inv-2+"))).containsExactly("inv-2");
        assertThat(invoiceIds(get("/portal/api/invoices?search=&status="))).hasSize(4);
    }

    @Test
    void cursorWalksPages() throws Exception {
        JsonNode first = body(get("/portal/api/invoices?limit=3"));
        assertThat(first.get("invoices")).hasSize(3);
        String cursor = first.get("next_cursor").asText();
        assertThat(invoiceIds(get("/portal/api/invoices?limit=3&cursor=" + cursor))).containsExactly("inv-1");
    }

    @Test
    void malformedQueriesAre4xxWithDetails() throws Exception {
        assertError(get("/portal/api/invoices?issued_from=2026-13-01"), 422, "validation_errors");
        assertThat(body(get("/portal/api/invoices?issued_from=yesterday")).get("error_details").get("issued_from").get(0).asText())
                .contains("YYYY-MM-DD");
        assertError(get("/portal/api/invoices?issued_from=2026-11-02&issued_to=2026-11-01"), 422, "validation_errors");
        assertError(get("/portal/api/invoices?status=draft"), 422, "validation_errors");
        assertError(get("/portal/api/invoices?status=paid"), 422, "validation_errors");
        assertError(get("/portal/api/invoices?payment_status=refunded"), 422, "validation_errors");
        assertError(get("/portal/api/invoices?overdue=yes"), 422, "validation_errors");
        for (String limit : List.of("0", "-1", "101", "abc", "1e3", "99999999999")) {
            PortalResponse response = get("/portal/api/invoices?limit=" + limit);
            assertError(response, 422, "validation_errors");
            assertThat(body(response).get("error_details").has("limit")).isTrue();
        }
        assertError(get("/portal/api/invoices?limit=1&limit=2"), 422, "validation_errors");
        assertError(get("/portal/api/invoices?cursor=not-a-cursor"), 400, "invalid_cursor");
        assertError(get("/portal/api/invoices?search=%E0%A4"), 400, "invalid_query");
        assertError(get("/portal/api/invoices?search=%zz"), 400, "invalid_query");
        assertError(get("/portal/api/invoices?search=" + "x".repeat(300)), 422, "validation_errors");
    }

    @Test
    void severalProblemsAreReportedTogether() throws Exception {
        JsonNode details = body(get("/portal/api/invoices?limit=0&issued_to=nope&status=bogus")).get("error_details");
        assertThat(details.has("limit")).isTrue();
        assertThat(details.has("issued_to")).isTrue();
        assertThat(details.has("status")).isTrue();
    }

    @Test
    void oneInvoiceAndForeignOrDraftOnesAre404() throws Exception {
        PortalResponse response = get("/portal/api/invoices/inv-2");
        assertThat(response.status()).isEqualTo(200);
        assertThat(body(response).get("invoice").get("payment_status").asText()).isEqualTo("failed");
        assertError(get("/portal/api/invoices/theirs"), 404, "invoice_not_found");
        assertError(get("/portal/api/invoices/inv-draft"), 404, "invoice_not_found");
        assertError(get("/portal/api/invoices/missing"), 404, "invoice_not_found");
        assertError(get("/portal/api/invoices/%C3%A9t%C3%A9"), 404, "invoice_not_found");
        assertThat(get("/portal/api/invoices/theirs").bodyAsString()).isEqualTo(get("/portal/api/invoices/missing").bodyAsString());
    }

    @Test
    void percentEncodedInvoiceIdsAreDecoded() throws Exception {
        t.invoices.save(Invoice.builder().id("inv/2026+1").customer(customer).number("N").issuingDate(TODAY)
                .total(Money.of(100, "EUR")).build());
        PortalResponse response = get("/portal/api/invoices/inv%2F2026+1");
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(body(response).get("invoice").get("download_url").asText()).isEqualTo("/portal/api/invoices/inv%2F2026%2B1/download");
    }

    @Test
    void downloadStreamsWithAFileName() throws Exception {
        Invoice invoice = t.invoices.findById(CustomerScope.of(customer), "inv-1").orElseThrow();
        t.documents.put(invoice, InvoiceDocument.bytes("Facture été.pdf", "application/pdf", "%PDF-1.7 test".getBytes(StandardCharsets.US_ASCII)));
        PortalResponse response = get("/portal/api/invoices/inv-1/download");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains("application/pdf");
        assertThat(response.header("Content-Disposition")).contains("attachment; filename=\"Facture _t_.pdf\"; filename*=UTF-8''Facture%20%C3%A9t%C3%A9.pdf");
        assertThat(response.body().length()).isEqualTo(13);
        assertThat(response.bodyAsString()).isEqualTo("%PDF-1.7 test");
    }

    @Test
    void downloadRedirectsWhenTheStoreGivesAUrl() {
        Invoice invoice = t.invoices.findById(CustomerScope.of(customer), "inv-2").orElseThrow();
        t.documents.put(invoice, InvoiceDocument.redirect(URI.create("https://files.example.com/inv-2.pdf")));
        PortalResponse response = get("/portal/api/invoices/inv-2/download");
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).contains("https://files.example.com/inv-2.pdf");
    }

    @Test
    void downloadWithoutDocumentIs404() throws Exception {
        assertError(get("/portal/api/invoices/inv-3/download"), 404, "document_not_found");
        assertError(get("/portal/api/invoices/theirs/download"), 404, "invoice_not_found");
    }

    @Test
    void configGivesLocaleLabelsFeaturesAndBranding() throws Exception {
        JsonNode config = body(get("/portal/api/config")).get("config");
        assertThat(config.get("locale").asText()).isEqualTo("fr");
        assertThat(config.get("return_url").asText()).isEqualTo("https://app.example.com/billing");
        assertThat(config.get("features").get("invoices").get("download").asBoolean()).isTrue();
        assertThat(config.get("branding").get("name").asText()).isEqualTo("Billing");
        assertThat(config.get("labels").get("invoices.title").asText()).isNotBlank();
    }

    @Test
    @DisplayName("config and messages: the labels spliced into the answer's bytes make strict JSON, every label of the"
            + " language, as the last field, and the same labels as the bootstrap's config")
    void labelsAreSplicedIntoValidJson() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper strict = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        java.util.Map<String, String> french = dev.billingportal.core.i18n.PortalMessages.labels(Locale.FRENCH);
        for (String path : List.of("/portal/api/config", "/portal/api/messages?locale=fr")) {
            PortalResponse response = get(path);
            assertThat(response.body().length()).as(path).isEqualTo(response.body().toByteArray().length);
            JsonNode root = strict.readTree(response.body().toByteArray());
            assertThat(root.size()).as(path).isEqualTo(1);
            JsonNode inner = root.elements().next();
            List<String> fields = new java.util.ArrayList<>();
            inner.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).as(path).endsWith("labels").contains("locale", "language", "languages");
            assertThat(strict.convertValue(inner.get("labels"), java.util.Map.class)).as(path).isEqualTo(french);
        }
        JsonNode bootstrap = body(get("/portal/api/bootstrap")).get("bootstrap").get("config");
        assertThat(bootstrap).isEqualTo(body(get("/portal/api/config")).get("config"));
    }

    @Test
    void missingOrMalformedAuthorizationIs401() throws Exception {
        PortalResponse missing = api.handle(PortalRequest.get("/portal/api/overview", Map.of()));
        assertError(missing, 401, "missing_authorization");
        assertThat(missing.header("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        for (String header : List.of("Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "Token " + token, token)) {
            assertError(api.handle(PortalRequest.get("/portal/api/overview", Map.of("Authorization", List.of(header)))),
                    401, "invalid_authorization");
        }
        assertError(api.handle(PortalRequest.get("/portal/api/overview",
                Map.of("Authorization", List.of("Bearer " + token, "Bearer " + token)))), 401, "invalid_authorization");
        assertError(api.handle(PortalRequest.get("/portal/api/overview", Map.of("authorization", List.of("Bearer abc.def.ghi")))),
                401, "invalid_token");
        assertThat(api.handle(PortalRequest.get("/portal/api/overview", Map.of("authorization", List.of("bearer " + token)))).status())
                .isEqualTo(200);
    }

    @Test
    void expiredAndRevokedTokensAre401WithTheirOwnCodes() throws Exception {
        t.clock.advance(Duration.ofHours(13));
        assertError(get("/portal/api/overview"), 401, "token_expired");
        t.clock.advance(Duration.ofHours(-13));
        t.service.revokeAllSessions(customer.ref());
        assertError(get("/portal/api/overview"), 401, "session_revoked");
    }

    @Test
    void unknownRoutesAre404AndOtherMethods405() throws Exception {
        assertError(get("/portal/api/nope"), 404, "route_not_found");
        assertError(get("/portal/api"), 404, "route_not_found");
        assertError(get("/portal/api/invoices/x/y"), 404, "route_not_found");
        assertError(get("/elsewhere"), 404, "route_not_found");
        assertError(get("/portal/apix/overview"), 404, "route_not_found");
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get")) {
            PortalResponse response = api.handle(new PortalRequest(method, "/portal/api/overview", null,
                    Map.of("Authorization", List.of("Bearer " + token)), "{}".getBytes(StandardCharsets.UTF_8)));
            assertError(response, 405, "method_not_allowed");
            assertThat(response.header("Allow")).contains("GET, HEAD");
        }
        assertThat(get("/portal/api/overview/").status()).isEqualTo(200);
    }

    @Test
    void headAnswersHeadersWithoutBody() {
        PortalResponse response = api.handle(PortalRequest.of("HEAD", "/portal/api/overview", null,
                Map.of("Authorization", List.of("Bearer " + token))));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains("application/json");
        assertThat(response.bodyAsString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/portal/api/customer", "/portal/api/overview", "/portal/api/invoices", "/portal/api/config", "/portal/api/invoices/inv-1"})
    void everyJsonResponseForbidsCachingAndSniffing(String path) {
        PortalResponse response = get(path);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.header("Referrer-Policy")).contains("no-referrer");
    }

    @Test
    void aBrokenAdapterGivesA500InTheDocumentedShapeWithoutDetails() throws Exception {
        InvoiceRepository broken = new InvoiceRepository() {
            @Override public void save(Invoice invoice) { }
            @Override public Optional<Invoice> findById(CustomerScope scope, String invoiceId) { return Optional.empty(); }
            @Override public List<Invoice> find(CustomerScope scope, InvoiceSearch search) { throw new IllegalStateException("secret internals"); }
            @Override public dev.billingportal.core.invoices.BillingOverview overview(CustomerScope scope, LocalDate today) { throw new IllegalStateException("x"); }
        };
        PortalService service = t.service.toBuilder().invoices(broken).build();
        PortalResponse response = PortalApi.of(service).handle(PortalRequest.get("/portal/api/invoices",
                Map.of("Authorization", List.of("Bearer " + token))));
        assertError(response, 500, "internal_error");
        assertThat(response.bodyAsString()).doesNotContain("secret internals");
    }

    @Test
    void customBasePath() {
        PortalApi mounted = PortalApi.builder(t.service).basePath("/billing/v1").build();
        assertThat(mounted.handle(PortalRequest.get("/billing/v1/overview", Map.of("Authorization", List.of("Bearer " + token)))).status())
                .isEqualTo(200);
        assertThat(mounted.handle(PortalRequest.get("/portal/api/overview", Map.of("Authorization", List.of("Bearer " + token)))).status())
                .isEqualTo(404);
    }

    // ---------------------------------------------------------------- languages and formats

    /** Replaces the no-break spaces CLDR uses, to compare with readable literals. */
    private static String plain(String formatted) {
        return formatted.replace('\u00a0', ' ').replace('\u202f', ' ');
    }

    @Test
    void amountsAndDatesComeFormattedInTheSessionsLanguage() throws Exception {
        // The customer's document locale is French and the session names none.
        JsonNode eur = body(get("/portal/api/overview")).get("overview").get("currencies").get(0).get("formatted");
        assertThat(plain(eur.get("total_invoiced_amount").asText())).isEqualTo("150,00 €");
        assertThat(plain(eur.get("overdue_amount").asText())).isEqualTo("120,00 €");
        assertThat(eur.get("overdue_invoices_count").asText()).isEqualTo("1");
        assertThat(plain(eur.get("outstanding_amount").asText())).isEqualTo("30,00 €");
        JsonNode invoice = body(get("/portal/api/invoices/inv-1")).get("invoice").get("formatted");
        assertThat(plain(invoice.get("total_amount").asText())).isEqualTo("120,00 €");
        assertThat(plain(invoice.get("taxes_amount").asText())).isEqualTo("24,00 €");
        assertThat(plain(invoice.get("sub_total_excluding_taxes_amount").asText())).isEqualTo("96,00 €");
        assertThat(plain(invoice.get("total_due_amount").asText())).isEqualTo("120,00 €");
        assertThat(invoice.get("issuing_date").asText()).isEqualTo("12 oct. 2026");
        assertThat(invoice.get("payment_due_date").asText()).isEqualTo("11 nov. 2026");
    }

    @Test
    void theLocaleParameterOverridesTheSessionForLabelsAndFormats() throws Exception {
        t.invoice(customer, "inv-yen", TODAY.minusDays(1), TODAY.plusDays(9), 123_456, "JPY", FINALIZED, PENDING);
        JsonNode yen = body(get("/portal/api/invoices/inv-yen?locale=ja")).get("invoice").get("formatted");
        assertThat(yen.get("total_amount").asText()).matches("[¥￥]123,456");
        assertThat(yen.get("issuing_date").asText()).isEqualTo("2026/11/20");
        JsonNode page = body(get("/portal/api/invoices?search=inv-1&locale=en-US"));
        assertThat(page.get("invoices").get(0).get("formatted").get("total_amount").asText()).isEqualTo("€120.00");
        assertThat(page.get("invoices").get(0).get("formatted").get("issuing_date").asText()).isEqualTo("Oct 12, 2026");
        JsonNode config = body(get("/portal/api/config?locale=de-CH")).get("config");
        assertThat(config.get("locale").asText()).isEqualTo("de-CH");
        assertThat(config.get("language").asText()).isEqualTo("de");
        assertThat(config.get("labels").get("invoices.title").asText()).isEqualTo("Rechnungsverlauf");
        assertThat(body(get("/portal/api/config?locale=no")).get("config").get("language").asText()).isEqualTo("nb");
        JsonNode customerJson = body(get("/portal/api/customer?locale=de")).get("customer").get("formatted");
        assertThat(customerJson.get("billing_address").toString()).isEqualTo("[\"1 rue de l'Été\",\"75001 Paris\",\"Frankreich\"]");
        assertThat(customerJson.get("shipping_address")).isEmpty();
    }

    @Test
    void configListsEveryLanguageInItsOwnWords() throws Exception {
        JsonNode config = body(get("/portal/api/config")).get("config");
        assertThat(config.get("language").asText()).isEqualTo("fr");
        assertThat(config.get("labels").get("invoices.title").asText()).isEqualTo("Historique des factures");
        JsonNode languages = config.get("languages");
        assertThat(languages.size()).isEqualTo(11);
        assertThat(languages.get("pt-BR").asText()).isEqualTo("Português (Brasil)");
        assertThat(languages.get("zh-TW").asText()).isEqualTo("繁體中文（台灣）");
        assertThat(languages.get("nb").asText()).isEqualTo("Norsk bokmål");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/portal/api/config", "/portal/api/overview", "/portal/api/customer", "/portal/api/invoices",
            "/portal/api/invoices/inv-1", "/portal/api/invoices/inv-1/download", "/portal/api/messages"})
    void anUnsupportedOrMalformedLocaleIs422WithDetails(String path) throws Exception {
        for (String locale : List.of("ko", "zh-CN", "xx", "en_US", "e", "123", "fr-", "-fr", "a".repeat(40))) {
            PortalResponse response = get(path + "?locale=" + locale);
            assertError(response, 422, "validation_errors");
            assertThat(body(response).get("error_details").get("locale").get(0).asText()).as(locale).isNotBlank();
        }
        assertThat(body(get(path + "?locale=ko")).get("error_details").get("locale").get(0).asText())
                .contains("en, fr, de, es, it, nb, sv, pt-BR, zh-TW, ja, nl");
        assertError(get(path + "?locale=fr&locale=de"), 422, "validation_errors");
    }

    @Test
    void messagesNeedNoTokenAndFollowTheBrowsersLanguage() throws Exception {
        PortalResponse plainRequest = api.handle(PortalRequest.get("/portal/api/messages", Map.of()));
        assertThat(plainRequest.status()).isEqualTo(200);
        assertThat(plainRequest.header("Cache-Control")).contains("no-store");
        assertThat(body(plainRequest).get("messages").get("language").asText()).isEqualTo("en");
        JsonNode swiss = body(api.handle(PortalRequest.get("/portal/api/messages",
                Map.of("Accept-Language", List.of("ko-KR, de-CH;q=0.8, fr;q=0.5")))));
        assertThat(swiss.get("messages").get("language").asText()).isEqualTo("de");
        assertThat(swiss.get("messages").get("labels").get("error.expired").asText()).startsWith("Dieser Link ist abgelaufen");
        assertThat(body(api.handle(PortalRequest.get("/portal/api/messages?locale=ja",
                Map.of("Accept-Language", List.of("de"))))).get("messages").get("labels").get("error.invalid").asText())
                .isEqualTo("このリンクは無効です。");
        for (String header : List.of("ko", ";;;", "*", "de;q=0", "x".repeat(600))) {
            assertThat(body(api.handle(PortalRequest.get("/portal/api/messages", Map.of("Accept-Language", List.of(header)))))
                    .get("messages").get("language").asText()).as(header).isEqualTo("en");
        }
        assertThat(body(api.handle(PortalRequest.get("/portal/api/messages", Map.of()))).get("messages").has("labels")).isTrue();
        assertThat(api.handle(PortalRequest.get("/portal/api/messages",
                Map.of("Authorization", List.of("Bearer broken")))).status()).as("a dead token does not matter here").isEqualTo(200);
    }

    @Test
    void aRedirectDocumentComesBackAsItsUrlWhenAsked() throws Exception {
        Invoice invoice = t.invoices.findById(CustomerScope.of(customer), "inv-2").orElseThrow();
        t.documents.put(invoice, InvoiceDocument.redirect(URI.create("https://files.example.com/inv-2.pdf")));
        PortalResponse response = get("/portal/api/invoices/inv-2/download?redirect=false");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains("application/json");
        assertThat(body(response).get("download").get("url").asText()).isEqualTo("https://files.example.com/inv-2.pdf");
        assertThat(get("/portal/api/invoices/inv-2/download?redirect=true").status()).isEqualTo(302);
        assertError(get("/portal/api/invoices/inv-2/download?redirect=maybe"), 422, "validation_errors");
        Invoice streamed = t.invoices.findById(CustomerScope.of(customer), "inv-1").orElseThrow();
        t.documents.put(streamed, InvoiceDocument.bytes("a.pdf", "application/pdf", "%PDF".getBytes(StandardCharsets.US_ASCII)));
        assertThat(get("/portal/api/invoices/inv-1/download?redirect=false").bodyAsString()).isEqualTo("%PDF");
    }
}
