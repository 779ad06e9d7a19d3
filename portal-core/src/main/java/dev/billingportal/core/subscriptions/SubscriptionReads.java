package dev.billingportal.core.subscriptions;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.config.SubscriptionSettings;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.internal.ProviderCalls;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** What {@link SubscriptionService} reads from the provider: one subscription, and the plans offered to it. */
final class SubscriptionReads {
    private final PortalRuntime rt;

    SubscriptionReads(PortalRuntime rt) {
        this.rt = rt;
    }

    /** The customer's subscription of this id; empty for a missing one, another customer's, or an impossible id. */
    Optional<Subscription> find(CustomerScope scope, String subscriptionId) {
        if (subscriptionId == null || subscriptionId.isEmpty() || subscriptionId.length() > Checks.MAX_ID_LENGTH) {
            return Optional.empty();
        }
        Optional<Subscription> found = call(() -> rt.subscriptions().subscription(scope, subscriptionId));
        return found.filter(s -> s.id().equals(subscriptionId));
    }

    /**
     * The plans the configuration offers to {@code subscription}: the provider's, but its current plan, another
     * currency's, one the configuration does not list, or a duplicate code.
     */
    List<OfferedPlan> offered(CustomerScope scope, SubscriptionSettings s, Subscription subscription) {
        List<String> allowed = s.plansOfferedFrom(subscription.plan().code());
        List<OfferedPlan> offered = new ArrayList<>();
        for (Plan plan : call(() -> rt.subscriptions().plans(scope, subscription))) {
            if (plan.code().equals(subscription.plan().code())
                    || !plan.currency().equals(subscription.plan().currency())
                    || (!allowed.isEmpty() && !allowed.contains(plan.code()))
                    || offered.stream().anyMatch(o -> o.plan().code().equals(plan.code()))) {
                continue;
            }
            offered.add(new OfferedPlan(plan, PlanDirection.of(subscription.plan(), plan)));
        }
        return List.copyOf(offered);
    }

    static <T> T call(Supplier<T> provider) {
        return ProviderCalls.call("the subscription provider is unavailable; retry with the same Idempotency-Key", true,
                provider);
    }
}
