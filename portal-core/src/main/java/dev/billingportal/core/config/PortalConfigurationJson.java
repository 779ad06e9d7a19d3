package dev.billingportal.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.profile.ProfileField;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@link PortalConfiguration} as a JSON document, the form storage keeps it in (portal-jdbc's configurations
 * table), with a {@code schema_version} so that documents written by an older version keep reading. Reading is
 * lenient about missing settings (they take their defaults) and strict about wrong ones (an unknown enum value, a bad
 * origin): a bad document fails loudly instead of silently granting more than the host meant.
 */
public final class PortalConfigurationJson {
    /** The version this class writes. */
    public static final int SCHEMA_VERSION = 1;

    private PortalConfigurationJson() {
    }

    /**
     * The configuration as JSON text.
     *
     * @param c the configuration
     * @return its document
     */
    public static String write(PortalConfiguration c) {
        ObjectNode n = ApiJson.MAPPER.createObjectNode();
        n.put("schema_version", SCHEMA_VERSION);
        n.put("name", c.name());
        ArrayNode origins = n.putArray("frame_ancestors");
        c.frameAncestors().forEach(origins::add);
        n.put("default_locale", c.defaultLocale() == null ? null : c.defaultLocale().toLanguageTag());
        n.put("default_return_url", c.defaultReturnUrl() == null ? null : c.defaultReturnUrl().toString());
        ObjectNode bp = n.putObject("business_profile");
        bp.put("headline", c.businessProfile().headline());
        bp.put("privacy_policy_url", str(c.businessProfile().privacyPolicyUrl()));
        bp.put("terms_of_service_url", str(c.businessProfile().termsOfServiceUrl()));
        if (c.branding() != null) {
            ObjectNode b = n.putObject("branding");
            b.put("name", c.branding().name());
            b.put("logo_url", str(c.branding().logoUrl()));
            b.put("accent_color", c.branding().accentColor());
        }
        ObjectNode inv = n.putObject("invoices");
        inv.put("history", c.invoices().history());
        inv.put("payments", c.invoices().payments());
        ObjectNode prof = n.putObject("profile");
        prof.put("enabled", c.profile().enabled());
        ArrayNode editable = prof.putArray("editable");
        c.profile().editable().forEach(f -> editable.add(f.jsonName()));
        SubscriptionSettings s = c.subscriptions();
        ObjectNode sub = n.putObject("subscriptions");
        sub.put("view", s.view());
        sub.put("change", s.change());
        ArrayNode plans = sub.putArray("plans");
        s.plans().forEach(plans::add);
        ObjectNode perPlan = sub.putObject("plans_per_plan");
        s.plansPerPlan().forEach((from, to) -> {
            ArrayNode list = perPlan.putArray(from);
            to.forEach(list::add);
        });
        sub.put("upgrades", s.upgrades().name().toLowerCase(Locale.ROOT));
        sub.put("downgrades", s.downgrades().name().toLowerCase(Locale.ROOT));
        sub.put("cancel", s.cancel());
        sub.put("cancel_mode", s.cancelMode().name().toLowerCase(Locale.ROOT));
        ArrayNode reasons = sub.putArray("reasons");
        s.reasons().forEach(r -> reasons.add(r.jsonName()));
        sub.put("reason_required", s.reasonRequired());
        sub.put("comment", s.comment());
        sub.put("resume", s.resume());
        ObjectNode pm = n.putObject("payment_methods");
        pm.put("enabled", c.paymentMethods().enabled());
        pm.put("remove_last", c.paymentMethods().removeLast());
        n.put("usage", c.usage());
        ObjectNode w = n.putObject("wallets");
        w.put("enabled", c.wallets().enabled());
        w.put("top_up", c.wallets().topUp());
        w.put("min_credits", c.wallets().minCredits() == null ? null : c.wallets().minCredits().toPlainString());
        w.put("max_credits", c.wallets().maxCredits() == null ? null : c.wallets().maxCredits().toPlainString());
        return ApiJson.MAPPER.valueToTree(n).toString();
    }

    /**
     * Reads a document written by {@link #write} (this or an older schema version).
     *
     * @param json the document
     * @return the configuration
     * @throws IllegalArgumentException when the document is malformed, of a newer schema version, or holds a bad
     *                                  setting (the message names it)
     */
    public static PortalConfiguration read(String json) {
        JsonNode n;
        try {
            n = ApiJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("configuration document is not JSON", e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("configuration document must be a JSON object");
        }
        int version = n.path("schema_version").asInt(-1);
        if (version < 1 || version > SCHEMA_VERSION) {
            throw new IllegalArgumentException("configuration document has schema_version " + n.path("schema_version")
                    + "; this version reads 1 to " + SCHEMA_VERSION);
        }
        PortalConfiguration.Builder b = PortalConfiguration.builder().name(text(n, "name"));
        b.frameAncestors(strings(n.path("frame_ancestors")));
        String locale = text(n, "default_locale");
        b.defaultLocale(locale == null ? null : Locale.forLanguageTag(locale));
        b.defaultReturnUrl(uri(text(n, "default_return_url")));
        JsonNode bp = n.path("business_profile");
        b.businessProfile(new BusinessProfile(text(bp, "headline"), uri(text(bp, "privacy_policy_url")),
                uri(text(bp, "terms_of_service_url"))));
        JsonNode br = n.path("branding");
        if (br.isObject()) {
            b.branding(new Branding(text(br, "name"), uri(text(br, "logo_url")), text(br, "accent_color")));
        }
        JsonNode inv = n.path("invoices");
        b.invoices(new InvoiceSettings(bool(inv, "history", true), bool(inv, "payments", true)));
        JsonNode prof = n.path("profile");
        Set<ProfileField> editable = EnumSet.noneOf(ProfileField.class);
        for (String field : strings(prof.path("editable"))) {
            editable.add(ProfileField.ofJsonName(field)
                    .orElseThrow(() -> new IllegalArgumentException("profile.editable: unknown field " + field)));
        }
        b.profile(new ProfileSettings(bool(prof, "enabled", false), editable));
        JsonNode sub = n.path("subscriptions");
        SubscriptionSettings d = SubscriptionSettings.DEFAULT;
        Map<String, List<String>> perPlan = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : sub.path("plans_per_plan").properties()) {
            perPlan.put(e.getKey(), strings(e.getValue()));
        }
        List<CancellationReason> reasons = new ArrayList<>();
        for (String reason : strings(sub.path("reasons"))) {
            reasons.add(CancellationReason.ofJsonName(reason)
                    .orElseThrow(() -> new IllegalArgumentException("subscriptions.reasons: unknown reason " + reason)));
        }
        b.subscriptions(new SubscriptionSettings(bool(sub, "view", d.view()), bool(sub, "change", d.change()),
                strings(sub.path("plans")), perPlan,
                enumValue(ChangeTiming.class, text(sub, "upgrades"), d.upgrades(), "subscriptions.upgrades"),
                enumValue(ChangeTiming.class, text(sub, "downgrades"), d.downgrades(), "subscriptions.downgrades"),
                bool(sub, "cancel", d.cancel()),
                enumValue(CancelMode.class, text(sub, "cancel_mode"), d.cancelMode(), "subscriptions.cancel_mode"),
                reasons, bool(sub, "reason_required", false), bool(sub, "comment", false),
                bool(sub, "resume", d.resume())));
        JsonNode pm = n.path("payment_methods");
        b.paymentMethods(new PaymentMethodSettings(bool(pm, "enabled", true), bool(pm, "remove_last", false)));
        b.usage(bool(n, "usage", true));
        JsonNode w = n.path("wallets");
        b.wallets(new WalletSettings(bool(w, "enabled", true), bool(w, "top_up", true), decimal(text(w, "min_credits")),
                decimal(text(w, "max_credits"))));
        return b.build();
    }

    private static String str(URI uri) {
        return uri == null ? null : uri.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.asText();
    }

    private static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return value.asBoolean();
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("expected a list of strings");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("expected a list of strings");
            }
            values.add(item.asText());
        }
        return values;
    }

    private static URI uri(String value) {
        return value == null ? null : URI.create(value);
    }

    private static BigDecimal decimal(String value) {
        return value == null ? null : new BigDecimal(value);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, E fallback, String field) {
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": unknown value " + value, e);
        }
    }
}
