package dev.billingportal.core.memory;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.profile.CustomerUpdate;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Customers in memory, for tests, demos and hosts that sync customers into the portal at start.
 * Thread-safe: reads are lock-free, writes are serialised so the external-id index never disagrees with
 * the data.
 */
public final class InMemoryCustomerRepository implements CustomerRepository {
    private record Key(String tenantId, String id) {
    }

    private final Map<Key, Customer> byId = new ConcurrentHashMap<>();
    private final Map<CustomerRef, Customer> byExternalId = new ConcurrentHashMap<>();

    @Override
    public Optional<Customer> findByExternalId(CustomerRef ref) {
        Checks.required(ref, "customer");
        return Optional.ofNullable(byExternalId.get(ref));
    }

    @Override
    public Optional<Customer> findById(String tenantId, String customerId) {
        return Optional.ofNullable(byId.get(new Key(Checks.id(tenantId, "tenant_id"), Checks.id(customerId, "customer_id"))));
    }

    @Override
    public synchronized void save(Customer customer) {
        Checks.required(customer, "customer");
        Key key = new Key(customer.tenantId(), customer.id());
        Customer holder = byExternalId.get(customer.ref());
        if (holder != null && !holder.id().equals(customer.id())) {
            throw new PortalException(ErrorCode.CONFLICT, "external_id_taken",
                    "another customer of the tenant has this external id");
        }
        Customer previous = byId.put(key, customer);
        if (previous != null && !previous.ref().equals(customer.ref())) {
            byExternalId.remove(previous.ref());
        }
        byExternalId.put(customer.ref(), customer);
    }

    @Override
    public boolean supportsUpdate() {
        return true;
    }

    @Override
    public synchronized Customer update(CustomerScope scope, CustomerUpdate update) {
        Checks.required(scope, "scope");
        Checks.required(update, "update");
        Customer current = byId.get(new Key(scope.tenantId(), scope.customerId()));
        if (current == null) {
            throw PortalException.notFound("customer");
        }
        Customer changed = update.applyTo(current); // validates as a whole before anything is stored
        save(changed);
        return changed;
    }

    /** How many customers are stored. */
    public int size() {
        return byId.size();
    }

    /** A copy of every stored customer, keyed by tenant and external id. */
    public synchronized Map<CustomerRef, Customer> snapshot() {
        return Map.copyOf(new HashMap<>(byExternalId));
    }
}
