package dev.billingportal.testkit;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.memory.InMemoryUsageProvider;
import dev.billingportal.core.usage.Charge;
import dev.billingportal.core.usage.UsagePeriod;
import dev.billingportal.core.usage.UsageSummary;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The in-memory usage provider passes the contract hosts run against theirs. */
class InMemoryUsageProviderTest extends UsageProviderContract {
    @Override
    protected Seeded createProvider() {
        InMemoryUsageProvider provider = new InMemoryUsageProvider();
        CustomerScope owner = new CustomerScope("tenant-a", "cus-1");
        CustomerScope stranger = new CustomerScope("tenant-b", "cus-1");
        long factor = 1;
        for (CustomerScope scope : List.of(owner, stranger)) {
            Instant from = Instant.parse("2026-11-01T00:00:00Z");
            provider.put(scope, new UsageSummary("sub-1", from, Instant.parse("2026-12-01T00:00:00Z"),
                    Money.of(1000 * factor, "EUR"), List.of(new Charge("api_calls", "API calls",
                    new BigDecimal("1500.25"), Money.of(1000 * factor, "EUR"))), null), List.of(
                    new UsagePeriod(Instant.parse("2026-10-01T00:00:00Z"), from, Money.of(900 * factor, "EUR")),
                    new UsagePeriod(Instant.parse("2026-09-01T00:00:00Z"), Instant.parse("2026-10-01T00:00:00Z"),
                            Money.of(800 * factor, "EUR"))));
            factor++;
        }
        return new Seeded(provider, new Seed(owner, "sub-1", stranger));
    }
}
