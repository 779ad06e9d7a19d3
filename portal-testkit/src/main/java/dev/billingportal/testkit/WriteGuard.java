package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.domain.BillingOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Invoice;
import dev.billingportal.core.spi.CustomerRepository;
import dev.billingportal.core.spi.CustomerScope;
import dev.billingportal.core.spi.InvoiceRepository;
import dev.billingportal.core.spi.InvoiceSearch;
import dev.billingportal.core.spi.PortalSessionRepository;
import dev.billingportal.core.spi.SessionRecord;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Repositories that pass every call through, but fail the test on any write while armed: a request that must not
 * write (every request of the fuzz) then surfaces as an {@link AssertionError} out of the API, which no catch in
 * the library turns into a response. Reads are counted, so a test can tell the storage was really used.
 */
final class WriteGuard {
    private volatile boolean armed;
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();

    void arm() {
        armed = true;
    }

    void disarm() {
        armed = false;
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    long reads() {
        return reads.get();
    }

    private void write(String what) {
        if (armed) {
            violations.add(what);
            throw new AssertionError("a write during requests that must not write: " + what);
        }
    }

    PortalStorage guard(PortalStorage storage) {
        return new PortalStorage(customers(storage.customers()), invoices(storage.invoices()), sessions(storage.sessions()));
    }

    private CustomerRepository customers(CustomerRepository real) {
        return new CustomerRepository() {
            @Override
            public Optional<Customer> findByExternalId(CustomerRef ref) {
                reads.incrementAndGet();
                return real.findByExternalId(ref);
            }

            @Override
            public Optional<Customer> findById(String tenantId, String customerId) {
                reads.incrementAndGet();
                return real.findById(tenantId, customerId);
            }

            @Override
            public void save(Customer customer) {
                write("CustomerRepository.save");
                real.save(customer);
            }
        };
    }

    private InvoiceRepository invoices(InvoiceRepository real) {
        return new InvoiceRepository() {
            @Override
            public void save(Invoice invoice) {
                write("InvoiceRepository.save");
                real.save(invoice);
            }

            @Override
            public Optional<Invoice> findById(CustomerScope scope, String invoiceId) {
                reads.incrementAndGet();
                return real.findById(scope, invoiceId);
            }

            @Override
            public List<Invoice> find(CustomerScope scope, InvoiceSearch search) {
                reads.incrementAndGet();
                return real.find(scope, search);
            }

            @Override
            public BillingOverview overview(CustomerScope scope, LocalDate today) {
                reads.incrementAndGet();
                return real.overview(scope, today);
            }
        };
    }

    private PortalSessionRepository sessions(PortalSessionRepository real) {
        return new PortalSessionRepository() {
            @Override
            public void create(SessionRecord session) {
                write("PortalSessionRepository.create");
                real.create(session);
            }

            @Override
            public Optional<SessionRecord> find(CustomerRef customer, String sessionId) {
                reads.incrementAndGet();
                return real.find(customer, sessionId);
            }

            @Override
            public Optional<SessionRecord> findById(String sessionId) {
                reads.incrementAndGet();
                return real.findById(sessionId);
            }

            @Override
            public boolean markExchanged(String sessionId, Instant at) {
                write("PortalSessionRepository.markExchanged");
                return real.markExchanged(sessionId, at);
            }

            @Override
            public boolean touch(String sessionId, Instant at) {
                write("PortalSessionRepository.touch");
                return real.touch(sessionId, at);
            }

            @Override
            public boolean revoke(String sessionId, Instant at) {
                write("PortalSessionRepository.revoke");
                return real.revoke(sessionId, at);
            }

            @Override
            public int revokeAll(CustomerRef customer, Instant at) {
                write("PortalSessionRepository.revokeAll");
                return real.revokeAll(customer, at);
            }

            @Override
            public int deleteExpired(Instant before) {
                write("PortalSessionRepository.deleteExpired");
                return real.deleteExpired(before);
            }
        };
    }
}
