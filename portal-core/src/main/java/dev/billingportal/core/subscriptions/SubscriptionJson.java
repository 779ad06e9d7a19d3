package dev.billingportal.core.subscriptions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.i18n.MoneyFormat;
import dev.billingportal.core.internal.ApiJson;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;

/** The JSON shapes of subscriptions, plans and previews, written explicitly (snake_case, amounts in minor units). */
final class SubscriptionJson {
    private SubscriptionJson() {
    }

    static ObjectNode subscription(Subscription s, SubscriptionActions actions, ZoneId zone, Locale locale) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("id", s.id());
        node.put("name", s.name());
        node.put("status", s.status().jsonName());
        node.set("plan", plan(s.plan(), locale));
        node.put("quantity", s.quantity());
        instant(node, "started_at", s.startedAt());
        instant(node, "current_period_start", s.currentPeriodStart());
        instant(node, "current_period_end", s.currentPeriodEnd());
        instant(node, "trial_end", s.trialEnd());
        node.put("cancel_at_period_end", s.cancelAtPeriodEnd());
        instant(node, "canceled_at", s.canceledAt());
        instant(node, "ending_at", s.endingAt());
        if (s.pendingChange() == null) {
            node.putNull("pending_change");
        } else {
            ObjectNode pending = node.putObject("pending_change");
            pending.set("plan", plan(s.pendingChange().plan(), locale));
            instant(pending, "effective_at", s.pendingChange().effectiveAt());
            pending.putObject("formatted").put("effective_at", date(s.pendingChange().effectiveAt(), zone, locale));
        }
        ObjectNode a = node.putObject("actions");
        a.put("change", actions.change());
        a.put("cancel", actions.cancel());
        a.put("resume", actions.resume());
        ObjectNode formatted = node.putObject("formatted");
        formatted.put("started_at", date(s.startedAt(), zone, locale));
        formatted.put("current_period_start", date(s.currentPeriodStart(), zone, locale));
        formatted.put("current_period_end", date(s.currentPeriodEnd(), zone, locale));
        formatted.put("trial_end", date(s.trialEnd(), zone, locale));
        formatted.put("ending_at", date(s.endingAt(), zone, locale));
        return node;
    }

    static ObjectNode plan(Plan plan, Locale locale) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("code", plan.code());
        node.put("name", plan.name());
        node.put("interval", plan.interval().jsonName());
        node.put("amount_cents", plan.amount().amountMinor());
        node.put("currency", plan.currency().getCurrencyCode());
        node.putObject("formatted").put("amount", MoneyFormat.format(plan.amount(), locale));
        return node;
    }

    static ObjectNode offered(OfferedPlan offered, Locale locale) {
        ObjectNode node = plan(offered.plan(), locale);
        node.put("direction", offered.direction().jsonName());
        return node;
    }

    static ObjectNode preview(SignedPreview signed, ZoneId zone, Locale locale) {
        PlanChangePreview p = signed.preview();
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("id", signed.id());
        instant(node, "expires_at", signed.expiresAt());
        node.put("subscription_id", p.subscriptionId());
        node.put("plan_code", p.planCode());
        instant(node, "effective_at", p.effectiveAt());
        node.put("timing", p.timing().name().toLowerCase(Locale.ROOT));
        node.put("amount_due_now_cents", p.amountDueNow().amountMinor());
        ArrayNode lines = node.putArray("lines");
        for (PreviewLine line : p.lines()) {
            ObjectNode l = lines.addObject();
            l.put("description", line.description());
            l.put("amount_cents", line.amount().amountMinor());
            l.putObject("formatted").put("amount", MoneyFormat.format(line.amount(), locale));
        }
        instant(node, "next_invoice_at", p.nextInvoiceAt());
        node.put("next_invoice_amount_cents", p.nextInvoiceAmount().amountMinor());
        node.put("currency", p.currency().getCurrencyCode());
        ObjectNode formatted = node.putObject("formatted");
        formatted.put("amount_due_now", money(p.amountDueNow(), locale));
        formatted.put("next_invoice_amount", money(p.nextInvoiceAmount(), locale));
        formatted.put("effective_at", date(p.effectiveAt(), zone, locale));
        formatted.put("next_invoice_at", date(p.nextInvoiceAt(), zone, locale));
        return node;
    }

    private static String money(Money money, Locale locale) {
        return MoneyFormat.format(money, locale);
    }

    private static void instant(ObjectNode node, String name, Instant value) {
        if (value == null) {
            node.putNull(name);
        } else {
            node.put(name, value.toString());
        }
    }

    private static String date(Instant value, ZoneId zone, Locale locale) {
        return value == null ? null : MoneyFormat.format(LocalDate.ofInstant(value, zone), locale);
    }
}
