package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.config.ChangeTiming;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A customer changed (or scheduled a change of) a subscription's plan in the portal, at the previewed price.
 *
 * @param id             the event's id
 * @param customer       who
 * @param sessionId      the session they did it in
 * @param occurredAt     when
 * @param subscriptionId the subscription
 * @param fromPlan       the plan code before
 * @param toPlan         the plan code after (or scheduled)
 * @param timing         immediately or at period end
 * @param effectiveAt    when it takes effect
 * @param amountDueNow   what was charged at once, in minor units of its currency
 */
public record SubscriptionChanged(String id, CustomerRef customer, String sessionId, Instant occurredAt,
                                  String subscriptionId, String fromPlan, String toPlan, ChangeTiming timing,
                                  Instant effectiveAt, Money amountDueNow) implements PortalEvent {

    /** Validates the event. */
    public SubscriptionChanged {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(occurredAt, "occurred_at");
        Checks.id(subscriptionId, "subscription_id");
        Checks.required(fromPlan, "from_plan");
        Checks.required(toPlan, "to_plan");
        Checks.required(timing, "timing");
        Checks.required(effectiveAt, "effective_at");
        Checks.required(amountDueNow, "amount_due_now");
    }

    @Override
    public String type() {
        return "subscription.changed";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscription_id", subscriptionId);
        data.put("from_plan_code", fromPlan);
        data.put("to_plan_code", toPlan);
        data.put("timing", timing.name().toLowerCase(Locale.ROOT));
        data.put("effective_at", effectiveAt.toString());
        data.put("amount_due_now_cents", amountDueNow.amountMinor());
        data.put("currency", amountDueNow.currency().getCurrencyCode());
        return data;
    }
}
