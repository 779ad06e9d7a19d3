package dev.billingportal.core.memory;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.CurrencyOverview;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.InvoiceKey;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.invoices.InvoiceSearch;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Invoices in memory, kept per customer in portal order so a page costs what the page holds, at any depth.
 * Thread-safe: one read-write lock per customer, and a tenant-wide index of ids checked under a global
 * write lock so an id is never given to two customers.
 */
public final class InMemoryInvoiceRepository implements InvoiceRepository {
    private record IdKey(String tenantId, String id) {
    }

    /** One customer's invoices, in portal order and by id. */
    private static final class Shelf {
        final ReadWriteLock lock = new ReentrantReadWriteLock();
        final NavigableMap<InvoiceKey, Invoice> ordered = new TreeMap<>(InvoiceKey.PORTAL_ORDER);
        final Map<String, Invoice> byId = new HashMap<>();
    }

    private final Map<CustomerScope, Shelf> shelves = new ConcurrentHashMap<>();
    private final Map<IdKey, CustomerScope> owners = new ConcurrentHashMap<>();

    @Override
    public void save(Invoice invoice) {
        Checks.required(invoice, "invoice");
        CustomerScope scope = new CustomerScope(invoice.tenantId(), invoice.customerId());
        IdKey idKey = new IdKey(invoice.tenantId(), invoice.id());
        // compute() makes claim-or-check of the id atomic per id
        CustomerScope owner = owners.computeIfAbsent(idKey, k -> scope);
        if (!owner.equals(scope)) {
            throw new PortalException(ErrorCode.CONFLICT, "invoice_id_taken",
                    "invoice id already belongs to another customer of the tenant");
        }
        Shelf shelf = shelves.computeIfAbsent(scope, s -> new Shelf());
        shelf.lock.writeLock().lock();
        try {
            Invoice previous = shelf.byId.put(invoice.id(), invoice);
            if (previous != null) {
                shelf.ordered.remove(InvoiceKey.of(previous));
            }
            shelf.ordered.put(InvoiceKey.of(invoice), invoice);
        } finally {
            shelf.lock.writeLock().unlock();
        }
    }

    @Override
    public Optional<Invoice> findById(CustomerScope scope, String invoiceId) {
        Checks.required(scope, "scope");
        Shelf shelf = shelves.get(scope);
        if (shelf == null || invoiceId == null) {
            return Optional.empty();
        }
        shelf.lock.readLock().lock();
        try {
            return Optional.ofNullable(shelf.byId.get(invoiceId));
        } finally {
            shelf.lock.readLock().unlock();
        }
    }

    @Override
    public List<Invoice> find(CustomerScope scope, InvoiceSearch search) {
        Checks.required(scope, "scope");
        Checks.required(search, "search");
        Shelf shelf = shelves.get(scope);
        List<Invoice> result = new ArrayList<>();
        if (shelf == null) {
            return result;
        }
        shelf.lock.readLock().lock();
        try {
            Map<InvoiceKey, Invoice> tail = search.after() == null ? shelf.ordered
                    : shelf.ordered.tailMap(search.after(), false);
            for (Invoice invoice : tail.values()) {
                if (search.matches(invoice)) {
                    result.add(invoice);
                    if (result.size() == search.limit()) {
                        break;
                    }
                }
            }
            return result;
        } finally {
            shelf.lock.readLock().unlock();
        }
    }

    @Override
    public BillingOverview overview(CustomerScope scope, LocalDate today) {
        Checks.required(scope, "scope");
        Checks.required(today, "today");
        Shelf shelf = shelves.get(scope);
        Map<Currency, CurrencyOverview> rows = new HashMap<>();
        if (shelf != null) {
            shelf.lock.readLock().lock();
            try {
                for (Invoice invoice : shelf.byId.values()) {
                    if (invoice.status() == InvoiceStatus.FINALIZED) {
                        rows.merge(invoice.currency(), rowOf(invoice, today), InMemoryInvoiceRepository::add);
                    }
                }
            } finally {
                shelf.lock.readLock().unlock();
            }
        }
        return new BillingOverview(today, new ArrayList<>(rows.values()));
    }

    private static CurrencyOverview rowOf(Invoice invoice, LocalDate today) {
        Money zero = Money.zero(invoice.currency());
        boolean unpaid = invoice.paymentStatus() != PaymentStatus.SUCCEEDED;
        boolean overdue = invoice.isOverdue(today);
        return new CurrencyOverview(invoice.currency(), invoice.total(),
                overdue ? invoice.amountDue() : zero, overdue ? 1 : 0,
                unpaid && !overdue ? invoice.amountDue() : zero, unpaid && !overdue ? 1 : 0);
    }

    private static CurrencyOverview add(CurrencyOverview a, CurrencyOverview b) {
        return new CurrencyOverview(a.currency(), a.totalInvoiced().plus(b.totalInvoiced()), a.overdue().plus(b.overdue()),
                a.overdueCount() + b.overdueCount(), a.outstanding().plus(b.outstanding()),
                a.outstandingCount() + b.outstandingCount());
    }
}
