package dev.billingportal.core.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.profile.ProfileField;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one session may do: its configuration's settings, narrowed to the features whose provider is installed. The
 * page shows only these buttons and {@code PortalApi} refuses every other write with {@code 403 feature_disabled},
 * so the two never disagree.
 *
 * @param invoices         whether the invoice history is shown
 * @param invoiceDownload  whether invoice documents can be downloaded
 * @param invoicePayments  whether open invoices can be paid
 * @param profileEditable  the profile fields the customer may change (empty: none)
 * @param subscriptions    the subscription settings when subscriptions are shown, else null
 * @param paymentMethods   the payment method settings when they are managed here, else null
 * @param usage            whether usage is shown
 * @param wallets          the wallet settings when wallets are shown, else null
 */
public record SessionFeatures(boolean invoices, boolean invoiceDownload, boolean invoicePayments,
                              Set<ProfileField> profileEditable, SubscriptionSettings subscriptions,
                              PaymentMethodSettings paymentMethods, boolean usage, WalletSettings wallets) {

    /** Validates and copies. */
    public SessionFeatures {
        Objects.requireNonNull(profileEditable, "profileEditable");
        profileEditable = profileEditable.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(profileEditable));
    }

    /**
     * Whether a feature, by the name routes use ({@code invoices}, {@code profile}, {@code subscriptions},
     * {@code payment_methods}, {@code invoice_payments}, {@code usage}, {@code wallets}), is on.
     *
     * @param feature the feature's name
     * @return whether this session may use it
     */
    public boolean enabled(String feature) {
        return switch (feature) {
            case "invoices" -> invoices;
            case "profile" -> !profileEditable.isEmpty();
            case "subscriptions" -> subscriptions != null;
            case "payment_methods" -> paymentMethods != null;
            case "invoice_payments" -> invoices && invoicePayments;
            case "usage" -> usage;
            case "wallets" -> wallets != null;
            default -> false;
        };
    }

    /**
     * The {@code features} object of {@code GET /portal/api/config}: a feature that is off is {@code false}.
     *
     * @return the JSON object
     */
    public ObjectNode toJson() {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        if (invoices) {
            ObjectNode inv = node.putObject("invoices");
            inv.put("payments", invoicePayments);
            inv.put("download", invoiceDownload);
        } else {
            node.put("invoices", false);
        }
        if (profileEditable.isEmpty()) {
            node.put("profile", false);
        } else {
            ArrayNode editable = node.putObject("profile").putArray("editable");
            profileEditable.forEach(field -> editable.add(field.jsonName()));
        }
        if (subscriptions == null) {
            node.put("subscriptions", false);
        } else {
            ObjectNode sub = node.putObject("subscriptions");
            sub.put("change", subscriptions.change());
            sub.put("resume", subscriptions.resume());
            if (subscriptions.cancel()) {
                ObjectNode cancel = sub.putObject("cancel");
                cancel.put("mode", subscriptions.cancelMode().name().toLowerCase(java.util.Locale.ROOT));
                ArrayNode reasons = cancel.putArray("reasons");
                subscriptions.reasons().forEach(reason -> reasons.add(reason.jsonName()));
                cancel.put("reason_required", subscriptions.reasonRequired());
                cancel.put("comment", subscriptions.comment());
            } else {
                sub.put("cancel", false);
            }
        }
        if (paymentMethods == null) {
            node.put("payment_methods", false);
        } else {
            node.putObject("payment_methods").put("remove_last", paymentMethods.removeLast());
        }
        node.put("usage", usage);
        if (wallets == null) {
            node.put("wallets", false);
        } else {
            ObjectNode w = node.putObject("wallets");
            w.put("top_up", wallets.topUp());
            w.put("min_credits", wallets.minCredits() == null ? null : wallets.minCredits().toPlainString());
            w.put("max_credits", wallets.maxCredits() == null ? null : wallets.maxCredits().toPlainString());
        }
        return node;
    }
}
