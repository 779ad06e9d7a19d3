package dev.billingportal.core.subscriptions;

import dev.billingportal.core.config.ChangeTiming;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;

/**
 * What a plan change would cost, as the provider computes it: the lines (credits negative, charges positive), what is
 * due now, when it takes effect, and the next invoice. Every amount is in integer minor units of one currency.
 *
 * @param subscriptionId      the subscription
 * @param planCode            the target plan
 * @param timing              when the change takes effect
 * @param effectiveAt         the instant it takes effect
 * @param lines               the proration lines (empty when nothing is prorated)
 * @param amountDueNow        charged at once (never negative)
 * @param nextInvoiceAt       when the next invoice is issued
 * @param nextInvoiceAmount   its amount (never negative)
 * @param subscriptionVersion the {@link Subscription#version()} the figures were computed on
 */
public record PlanChangePreview(String subscriptionId, String planCode, ChangeTiming timing, Instant effectiveAt,
                                List<PreviewLine> lines, Money amountDueNow, Instant nextInvoiceAt,
                                Money nextInvoiceAmount, long subscriptionVersion) {

    /** Validates the preview: one currency throughout, nothing negative due. */
    public PlanChangePreview {
        Checks.id(subscriptionId, "subscription_id");
        Checks.id(planCode, "plan_code");
        Checks.required(timing, "timing");
        Checks.required(effectiveAt, "effective_at");
        lines = List.copyOf(Checks.required(lines, "lines"));
        Checks.required(amountDueNow, "amount_due_now");
        Checks.required(nextInvoiceAt, "next_invoice_at");
        Checks.required(nextInvoiceAmount, "next_invoice_amount");
        Currency currency = amountDueNow.currency();
        if (!nextInvoiceAmount.currency().equals(currency)
                || lines.stream().anyMatch(line -> !line.amount().currency().equals(currency))) {
            throw new IllegalArgumentException("a preview is in one currency");
        }
        if (amountDueNow.isNegative() || nextInvoiceAmount.isNegative()) {
            throw new IllegalArgumentException("amounts due are never negative");
        }
    }

    /** The currency of every amount. */
    public Currency currency() {
        return amountDueNow.currency();
    }

    /**
     * The SHA-256 (lower-case hex) of every figure of this preview: subscription, plan, timing, instants, each line's
     * description and amount, amounts due, currency and subscription version. Two previews with the same fingerprint
     * charge the same. The portal signs it into the preview id and a provider compares it when it
     * {@linkplain SubscriptionProvider#change applies} the change. The effective instant of an
     * {@linkplain ChangeTiming#IMMEDIATELY immediate} change is left out: it is the moment the change is confirmed
     * (a provider previews it as "now"), which is never the moment it was previewed; every amount it charges is in.
     *
     * @return 64 hex characters
     */
    public String fingerprint() {
        List<String> parts = new ArrayList<>();
        parts.add("preview-v1");
        parts.add(subscriptionId);
        parts.add(planCode);
        parts.add(timing.name());
        parts.add(timing == ChangeTiming.IMMEDIATELY ? "on-confirmation" : effectiveAt.toString());
        parts.add(currency().getCurrencyCode());
        for (PreviewLine line : lines) {
            parts.add(line.description());
            parts.add(Long.toString(line.amount().amountMinor()));
        }
        parts.add(Long.toString(amountDueNow.amountMinor()));
        parts.add(nextInvoiceAt.toString());
        parts.add(Long.toString(nextInvoiceAmount.amountMinor()));
        parts.add(Long.toString(subscriptionVersion));
        StringBuilder text = new StringBuilder();
        for (String part : parts) {
            text.append(part.length()).append(':').append(part); // length-prefixed: no two lists join alike
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
