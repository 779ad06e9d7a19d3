package dev.billingportal.testkit;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.memory.InMemorySubscriptionProvider;
import dev.billingportal.core.subscriptions.Plan;
import dev.billingportal.core.subscriptions.PlanInterval;
import dev.billingportal.core.subscriptions.Subscription;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The in-memory provider passes the contract hosts run against theirs. */
class InMemorySubscriptionProviderTest extends SubscriptionProviderContract {
    @Override
    protected Seeded createProvider() {
        InMemorySubscriptionProvider provider = new InMemorySubscriptionProvider(Clock.fixed(TestData.NOW, ZoneOffset.UTC));
        CustomerScope owner = new CustomerScope("tenant-a", "cus-1");
        CustomerScope stranger = new CustomerScope("tenant-b", "cus-1");
        for (CustomerScope scope : new CustomerScope[] {owner, stranger}) {
            Plan starter = new Plan("starter", "Starter", PlanInterval.MONTH, Money.of(1000, "EUR"));
            provider.savePlan(scope.tenantId(), starter)
                    .savePlan(scope.tenantId(), new Plan("pro", "Pro", PlanInterval.MONTH, Money.of(2999, "EUR")));
            provider.save(scope, Subscription.builder().id("sub-1").name("Main " + scope.tenantId()).plan(starter)
                    .startedAt(Instant.parse("2026-01-01T00:00:00Z"))
                    .currentPeriodStart(Instant.parse("2026-11-01T00:00:00Z"))
                    .currentPeriodEnd(Instant.parse("2026-12-01T00:00:00Z")).build());
        }
        return new Seeded(provider, new Seed(owner, "sub-1", "pro", stranger));
    }
}
