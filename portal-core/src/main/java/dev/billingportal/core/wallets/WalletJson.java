package dev.billingportal.core.wallets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.i18n.MoneyFormat;
import dev.billingportal.core.internal.ApiJson;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;

/** The JSON shapes of wallets and transactions: credits as decimal strings, money in minor units with text. */
final class WalletJson {
    private WalletJson() {
    }

    static ObjectNode wallet(Wallet w, TopUpLimits limits, ZoneId zone, Locale locale) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("id", w.id());
        node.put("name", w.name());
        node.put("currency", w.currency().getCurrencyCode());
        node.put("status", w.status().jsonName());
        node.put("balance_cents", w.balance().amountMinor());
        node.put("credits_balance", w.creditsBalance().toPlainString());
        node.put("rate_amount", w.rateAmount().toPlainString());
        node.put("credits_scale", w.creditsScale());
        node.put("expires_at", w.expiresAt() == null ? null : w.expiresAt().toString());
        if (limits == null) {
            node.putNull("top_up");
        } else {
            ObjectNode topUp = node.putObject("top_up");
            topUp.put("min_credits", plain(limits.minCredits()));
            topUp.put("max_credits", plain(limits.maxCredits()));
        }
        ObjectNode formatted = node.putObject("formatted");
        formatted.put("balance", MoneyFormat.format(w.balance(), locale));
        formatted.put("expires_at", w.expiresAt() == null ? null
                : MoneyFormat.format(LocalDate.ofInstant(w.expiresAt(), zone), locale));
        return node;
    }

    static ObjectNode transaction(WalletTransaction t, ZoneId zone, Locale locale) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("id", t.id());
        node.put("wallet_id", t.walletId());
        node.put("type", t.type().jsonName());
        node.put("status", t.status().jsonName());
        node.put("credits", t.credits().toPlainString());
        node.put("amount_cents", t.amount().amountMinor());
        node.put("currency", t.amount().currency().getCurrencyCode());
        node.put("created_at", t.createdAt().toString());
        ObjectNode formatted = node.putObject("formatted");
        formatted.put("amount", MoneyFormat.format(t.amount(), locale));
        formatted.put("created_at", MoneyFormat.format(LocalDate.ofInstant(t.createdAt(), zone), locale));
        return node;
    }

    static ObjectNode payment(TopUpPayment p, Locale locale) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("type", "invoice");
        node.put("invoice_id", p.invoiceId());
        node.put("amount_cents", p.amount().amountMinor());
        node.put("currency", p.amount().currency().getCurrencyCode());
        node.putObject("formatted").put("amount", MoneyFormat.format(p.amount(), locale));
        return node;
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
