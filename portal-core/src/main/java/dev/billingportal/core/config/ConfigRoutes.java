package dev.billingportal.core.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.api.ApiCall;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.Route;
import dev.billingportal.core.api.RouteContributor;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.api.internal.Params;
import dev.billingportal.core.i18n.PortalMessages;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.StreamedJson;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.invoices.InvoiceRoutes;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.payments.PaymentRoutes;
import dev.billingportal.core.subscriptions.SubscriptionRoutes;
import dev.billingportal.core.usage.UsageRoutes;
import dev.billingportal.core.wallets.WalletRoutes;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code GET /config} (the session's language, labels, features, branding, flow and where it may post messages),
 * {@code GET /bootstrap} (config, customer, overview and first invoices in one answer, for the page's start) and
 * {@code GET /messages} (labels only, without a token: the error screen of a dead link needs them).
 */
public final class ConfigRoutes implements RouteContributor {
    private static final ConcurrentMap<Locale, RawValue> LABELS_JSON = new ConcurrentHashMap<>();
    /** Each supported language named in itself, the same for every answer. */
    private static final RawValue LANGUAGES_JSON = raw(PortalMessages.languageNames());
    private static final byte[] LABELS_FIELD = ",\"labels\":".getBytes(StandardCharsets.UTF_8);

    @Override
    public List<Route> routes() {
        return List.of(
                new Route("GET", "/config", null, true, false, ConfigRoutes::config),
                new Route("GET", "/bootstrap", null, true, false, ConfigRoutes::bootstrap),
                new Route("GET", "/messages", null, false, false, ConfigRoutes::messages));
    }

    private static PortalResponse messages(ApiCall call) {
        Locale locale = Params.requestedLocale(call.params()).orElseGet(() -> Params.acceptedLocale(call.request()));
        byte[] head = StreamedJson.bytes(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("messages");
            writeLanguages(json, locale);
            json.writeEndObject();
            json.writeEndObject();
        });
        return withLabels(head, locale);
    }

    /**
     * The answer {@code {"name": {..., "labels": {...}}}} from {@code json}, that same answer without its labels:
     * the labels' ready UTF-8 is copied once into the answer's bytes, in front of the two closing braces, instead of
     * passing through the JSON generator and its buffers (they are about 14 of the 16 KB of the answer). The bytes are
     * those the tree with the labels as its last field would give.
     */
    private static PortalResponse withLabels(byte[] json, Locale locale) {
        byte[] labels = labelsUtf8(locale);
        int head = json.length - 2; // the object and its wrapper close with "}}": Jackson writes no whitespace
        byte[] answer = new byte[json.length + LABELS_FIELD.length + labels.length];
        System.arraycopy(json, 0, answer, 0, head);
        System.arraycopy(LABELS_FIELD, 0, answer, head, LABELS_FIELD.length);
        System.arraycopy(labels, 0, answer, head + LABELS_FIELD.length, labels.length);
        System.arraycopy(json, head, answer, head + LABELS_FIELD.length + labels.length, 2);
        return Http.jsonOwnedBytes(200, answer);
    }

    /**
     * Everything the page shows first, in one answer: the configuration, the customer, (when invoices are on) the
     * overview and the first page of invoices, and the first answer of each feature that is on (subscriptions, payment
     * methods, current usage, wallets); so the page needs two round trips after itself (the exchange, this) instead
     * of ten. Each feature's field is null when the feature is off, and absent when its provider could not answer
     * (see {@link #part}).
     */
    private static PortalResponse bootstrap(ApiCall call) {
        Locale locale = call.locale();
        PortalContext ctx = call.context();
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.set("config", configJson(call, locale));
        body.set("customer", ApiJson.customer(ctx.customer(), locale));
        if (call.portal().features(ctx).invoices()) {
            body.set("overview", ApiJson.overview(call.portal().overview(ctx), locale));
            body.set("invoices", InvoiceRoutes.pageJson(call, call.portal().invoices(ctx, InvoiceQuery.firstPage()), locale));
        } else {
            body.putNull("overview");
            body.putNull("invoices");
        }
        SessionFeatures features = call.portal().features(ctx);
        part(body, features, "subscriptions", "subscriptions", () -> SubscriptionRoutes.listJson(call, locale));
        part(body, features, "payment_methods", "payment_methods", () -> PaymentRoutes.listJson(call));
        part(body, features, "usage", "usage", () -> UsageRoutes.currentJson(call, locale));
        part(body, features, "wallets", "wallets", () -> WalletRoutes.listJson(call, locale));
        return Http.json(200, Http.wrap("bootstrap", body));
    }

    /**
     * One feature's first answer in the bootstrap: null when the feature is off, left out when its provider could not
     * answer (the page then asks for it on its own and shows that error in its section): a failing provider never
     * keeps the rest of the page from showing.
     */
    private static void part(ObjectNode body, SessionFeatures features, String feature, String field,
                             java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> answer) {
        if (!features.enabled(feature)) {
            body.putNull(field);
            return;
        }
        try {
            body.set(field, answer.get());
        } catch (PortalException e) {
            // left out on purpose, see above
        }
    }

    /** {@code {"config": {...}}}, written straight to bytes (no tree): every page start and language switch asks. */
    private static PortalResponse config(ApiCall call) {
        Locale locale = call.locale();
        byte[] head = StreamedJson.bytes(json -> {
            json.writeStartObject();
            json.writeFieldName("config");
            writeConfigWithoutLabels(json, call, locale);
            json.writeEndObject();
        });
        return withLabels(head, locale);
    }

    /** The {@code config} object, labels included (its last field), for answers built as one tree. */
    private static ObjectNode configJson(ApiCall call, Locale locale) {
        ObjectNode node = (ObjectNode) StreamedJson.tree(json -> writeConfigWithoutLabels(json, call, locale));
        node.putRawValue("labels", labelsJson(locale));
        return node;
    }

    /** The {@code config} object up to its labels; never empty. */
    private static void writeConfigWithoutLabels(JsonGenerator json, ApiCall call, Locale locale) throws IOException {
        PortalContext ctx = call.context();
        PortalConfiguration configuration = ctx.configuration();
        json.writeStartObject();
        writeLanguages(json, locale);
        json.writeStringField("return_url", text(ctx.returnUrl()));
        json.writeStringField("expires_at", ctx.expiresAt().toString());
        json.writeStringField("configuration", configuration.name());
        json.writeFieldName("flow");
        if (ctx.flow() == null) {
            json.writeNull();
        } else {
            json.writeTree(ctx.flow().toJsonNode());
        }
        json.writeFieldName("features");
        json.writeTree(call.portal().features(ctx).toJson());
        json.writeArrayFieldStart("frame_ancestors");
        for (String ancestor : configuration.frameAncestors()) {
            json.writeString(ancestor);
        }
        json.writeEndArray();
        BusinessProfile business = configuration.businessProfile();
        json.writeObjectFieldStart("business_profile");
        json.writeStringField("headline", business.headline());
        json.writeStringField("privacy_policy_url", text(business.privacyPolicyUrl()));
        json.writeStringField("terms_of_service_url", text(business.termsOfServiceUrl()));
        json.writeEndObject();
        Branding branding = call.branding();
        json.writeObjectFieldStart("branding");
        json.writeStringField("name", branding.name());
        json.writeStringField("logo_url", text(branding.logoUrl()));
        json.writeStringField("accent_color", branding.accentColor());
        json.writeEndObject();
        json.writeEndObject();
    }

    /**
     * The labels of the locale's language as JSON, rendered once per language: they are the bulk of every config
     * answer (over 300 labels) and never change while the JVM runs; at most eleven entries, keyed by the matched
     * language, whatever locales requests name.
     */
    private static RawValue labelsJson(Locale locale) {
        return LABELS_JSON.computeIfAbsent(PortalMessages.language(locale),
                language -> raw(PortalMessages.labels(language)));
    }

    /** The same labels as UTF-8 bytes, shared: never handed out or written to. */
    private static byte[] labelsUtf8(Locale locale) {
        return ((SerializedString) labelsJson(locale).rawValue()).asUnquotedUTF8();
    }

    /**
     * The map as ready JSON, kept as a {@link SerializedString} so the generator copies its UTF-8 bytes: a raw
     * {@code String} would be encoded again on every answer, char by char (most label sets are not Latin-1).
     */
    private static RawValue raw(Map<String, String> map) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        map.forEach(node::put);
        SerializedString json = new SerializedString(new String(ApiJson.bytes(node), StandardCharsets.UTF_8));
        json.asUnquotedUTF8(); // encoded once, here
        return new RawValue(json);
    }

    /** {@code locale}, {@code language} and {@code languages}: the first fields of config and messages alike. */
    private static void writeLanguages(JsonGenerator json, Locale locale) throws IOException {
        json.writeStringField("locale", locale.toLanguageTag());
        json.writeStringField("language", PortalMessages.language(locale).toLanguageTag());
        json.writeFieldName("languages");
        json.writeRawValue((SerializedString) LANGUAGES_JSON.rawValue());
    }

    private static String text(URI uri) {
        return uri == null ? null : uri.toString();
    }
}
