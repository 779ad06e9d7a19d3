package dev.billingportal.core.usage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.i18n.MoneyFormat;
import dev.billingportal.core.internal.ApiJson;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;

/** The JSON shapes of usage: units as decimal strings, amounts in minor units with formatted text. */
final class UsageJson {
    private UsageJson() {
    }

    static ObjectNode summary(UsageSummary s, ZoneId zone, Locale locale) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("subscription_id", s.subscriptionId());
        node.put("from", s.from().toString());
        node.put("to", s.to().toString());
        node.put("currency", s.total().currency().getCurrencyCode());
        node.put("total_cents", s.total().amountMinor());
        if (s.projectedTotal() == null) {
            node.putNull("projected_total_cents");
        } else {
            node.put("projected_total_cents", s.projectedTotal().amountMinor());
        }
        ArrayNode charges = node.putArray("charges");
        for (Charge c : s.charges()) {
            ObjectNode charge = charges.addObject();
            charge.put("metric_code", c.metricCode());
            charge.put("metric_name", c.metricName());
            charge.put("units", c.units().toPlainString());
            charge.put("amount_cents", c.amount().amountMinor());
            ObjectNode formatted = charge.putObject("formatted");
            formatted.put("units", units(c.units(), locale));
            formatted.put("amount", MoneyFormat.format(c.amount(), locale));
        }
        ObjectNode formatted = node.putObject("formatted");
        formatted.put("from", date(s.from(), zone, locale));
        formatted.put("to", date(s.to(), zone, locale));
        formatted.put("total", MoneyFormat.format(s.total(), locale));
        formatted.put("projected_total", s.projectedTotal() == null ? null : money(s.projectedTotal(), locale));
        return node;
    }

    static ObjectNode period(UsagePeriod p, ZoneId zone, Locale locale) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("from", p.from().toString());
        node.put("to", p.to().toString());
        node.put("currency", p.total().currency().getCurrencyCode());
        node.put("total_cents", p.total().amountMinor());
        ObjectNode formatted = node.putObject("formatted");
        formatted.put("from", date(p.from(), zone, locale));
        formatted.put("to", date(p.to(), zone, locale));
        formatted.put("total", money(p.total(), locale));
        return node;
    }

    /** Units for people: the locale's grouping and decimal mark, every digit kept (exact: formats the decimal). */
    static String units(BigDecimal units, Locale locale) {
        DecimalFormat format = (DecimalFormat) NumberFormat.getNumberInstance(locale);
        format.setParseBigDecimal(true);
        format.setMinimumFractionDigits(Math.max(0, units.scale()));
        format.setMaximumFractionDigits(Math.max(0, units.scale()));
        return format.format(units);
    }

    private static String money(Money money, Locale locale) {
        return MoneyFormat.format(money, locale);
    }

    private static String date(Instant value, ZoneId zone, Locale locale) {
        return MoneyFormat.format(LocalDate.ofInstant(value, zone), locale);
    }
}
