package dev.billingportal.core.memory;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.usage.UsagePeriod;
import dev.billingportal.core.usage.UsageProvider;
import dev.billingportal.core.usage.UsageSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link UsageProvider} in memory, for tests and the demo: per customer scope, the current usage of each active
 * subscription and the totals of its past periods, as set with {@link #put}. Nothing is computed: it answers what
 * it holds, scoped exactly (another tenant's customer with the same ids sees nothing of it). Thread-safe.
 */
public final class InMemoryUsageProvider implements UsageProvider {
    private final Map<CustomerScope, Map<String, Entry>> usage = new ConcurrentHashMap<>();

    private record Entry(UsageSummary current, List<UsagePeriod> past) {
    }

    /** An empty provider. */
    public InMemoryUsageProvider() {
    }

    /**
     * Sets (or replaces) the usage of one active subscription of a customer.
     *
     * @param scope   the customer
     * @param current its current period
     * @param past    the totals of past periods, newest first
     * @return this
     */
    public InMemoryUsageProvider put(CustomerScope scope, UsageSummary current, List<UsagePeriod> past) {
        Checks.required(scope, "scope");
        Checks.required(current, "current");
        List<UsagePeriod> copy = List.copyOf(past);
        usage.compute(scope, (k, old) -> {
            Map<String, Entry> map = old == null ? new LinkedHashMap<>() : new LinkedHashMap<>(old);
            map.put(current.subscriptionId(), new Entry(current, copy));
            return map;
        });
        return this;
    }

    /**
     * Removes one subscription's usage (it is no longer active).
     *
     * @param scope          the customer
     * @param subscriptionId the subscription
     * @return this
     */
    public InMemoryUsageProvider remove(CustomerScope scope, String subscriptionId) {
        usage.computeIfPresent(scope, (k, old) -> {
            Map<String, Entry> map = new LinkedHashMap<>(old);
            map.remove(subscriptionId);
            return map;
        });
        return this;
    }

    @Override
    public List<UsageSummary> currentUsage(CustomerScope scope) {
        Map<String, Entry> map = usage.getOrDefault(scope, Map.of());
        List<UsageSummary> list = new ArrayList<>(map.size());
        map.values().forEach(e -> list.add(e.current()));
        return List.copyOf(list);
    }

    @Override
    public List<UsagePeriod> pastUsage(CustomerScope scope, String subscriptionId, int periods) {
        if (periods < 1) {
            throw new IllegalArgumentException("periods must be at least 1");
        }
        Entry e = usage.getOrDefault(scope, Map.of()).get(subscriptionId);
        if (e == null) {
            return List.of();
        }
        return e.past().size() > periods ? e.past().subList(0, periods) : e.past();
    }
}
