package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.invoices.InvoiceSearch;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.session.SessionRecord;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Repositories and an audit trail that pass every call through and, while armed, record every write (what was
 * written, and the value), so that a test can check after each request that it wrote nothing but what that request
 * may legitimately write. Reads are counted, so a test can tell the storage was really used.
 */
final class WriteGuard {
    /** One write: {@code operation} is {@code Interface.method}, {@code subject} what was written (a record or an id). */
    record Write(String operation, Object subject) {
    }

    private volatile boolean armed;
    private final List<Write> writes = new ArrayList<>();
    private final AtomicLong reads = new AtomicLong();

    void arm() {
        armed = true;
    }

    void disarm() {
        armed = false;
    }

    /** The writes recorded since the last call, which are forgotten. */
    synchronized List<Write> drain() {
        List<Write> drained = List.copyOf(writes);
        writes.clear();
        return drained;
    }

    long reads() {
        return reads.get();
    }

    private synchronized void write(String operation, Object subject) {
        if (armed) {
            writes.add(new Write(operation, subject));
        }
    }

    PortalStorage guard(PortalStorage storage) {
        return storage.withRepositories(customers(storage.customers()), invoices(storage.invoices()),
                sessions(storage.sessions()), audit(storage.audit()));
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
                write("CustomerRepository.save", customer);
                real.save(customer);
            }

            @Override
            public boolean supportsUpdate() {
                return real.supportsUpdate();
            }

            @Override
            public Customer update(CustomerScope scope, dev.billingportal.core.profile.CustomerUpdate update) {
                write("CustomerRepository.update", scope);
                return real.update(scope, update);
            }
        };
    }

    private InvoiceRepository invoices(InvoiceRepository real) {
        return new InvoiceRepository() {
            @Override
            public void save(Invoice invoice) {
                write("InvoiceRepository.save", invoice);
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
                write("PortalSessionRepository.create", session);
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
                write("PortalSessionRepository.markExchanged", sessionId);
                return real.markExchanged(sessionId, at);
            }

            @Override
            public boolean touch(String sessionId, Instant at) {
                write("PortalSessionRepository.touch", sessionId);
                return real.touch(sessionId, at);
            }

            @Override
            public boolean revoke(String sessionId, Instant at) {
                write("PortalSessionRepository.revoke", sessionId);
                return real.revoke(sessionId, at);
            }

            @Override
            public int revokeAll(CustomerRef customer, Instant at) {
                write("PortalSessionRepository.revokeAll", customer);
                return real.revokeAll(customer, at);
            }

            @Override
            public int deleteExpired(Instant before) {
                write("PortalSessionRepository.deleteExpired", before);
                return real.deleteExpired(before);
            }
        };
    }

    /** The provider, its changes recorded as writes (subject: the scope), its reads counted. */
    dev.billingportal.core.subscriptions.SubscriptionProvider subscriptions(
            dev.billingportal.core.subscriptions.SubscriptionProvider real) {
        return new dev.billingportal.core.subscriptions.SubscriptionProvider() {
            @Override
            public List<dev.billingportal.core.subscriptions.Subscription> subscriptions(CustomerScope scope) {
                reads.incrementAndGet();
                return real.subscriptions(scope);
            }

            @Override
            public Optional<dev.billingportal.core.subscriptions.Subscription> subscription(CustomerScope scope,
                                                                                          String subscriptionId) {
                reads.incrementAndGet();
                return real.subscription(scope, subscriptionId);
            }

            @Override
            public List<dev.billingportal.core.subscriptions.Plan> plans(CustomerScope scope,
                    dev.billingportal.core.subscriptions.Subscription subscription) {
                reads.incrementAndGet();
                return real.plans(scope, subscription);
            }

            @Override
            public dev.billingportal.core.subscriptions.PlanChangePreview preview(CustomerScope scope,
                    dev.billingportal.core.subscriptions.PlanChange change) {
                reads.incrementAndGet();
                return real.preview(scope, change);
            }

            @Override
            public dev.billingportal.core.subscriptions.Subscription change(CustomerScope scope,
                    dev.billingportal.core.subscriptions.PlanChange change) {
                write("SubscriptionProvider.change", scope);
                return real.change(scope, change);
            }

            @Override
            public dev.billingportal.core.subscriptions.Subscription cancel(CustomerScope scope,
                    dev.billingportal.core.subscriptions.Cancellation cancellation) {
                write("SubscriptionProvider.cancel", scope);
                return real.cancel(scope, cancellation);
            }

            @Override
            public dev.billingportal.core.subscriptions.Subscription resume(CustomerScope scope, String subscriptionId) {
                write("SubscriptionProvider.resume", scope);
                return real.resume(scope, subscriptionId);
            }
        };
    }

    // ---------------------------------------------------------------- payments

    /** The payment provider, its writes recorded (subject: the scope), its reads counted. */
    dev.billingportal.core.payments.PaymentMethodProvider paymentMethods(
            dev.billingportal.core.payments.PaymentMethodProvider real) {
        return new dev.billingportal.core.payments.PaymentMethodProvider() {
            @Override
            public List<dev.billingportal.core.payments.PaymentMethod> paymentMethods(CustomerScope scope) {
                reads.incrementAndGet();
                return real.paymentMethods(scope);
            }

            @Override
            public dev.billingportal.core.payments.SetupSession startSetup(CustomerScope scope,
                    dev.billingportal.core.payments.ReturnUrls returnUrls) {
                write("PaymentMethodProvider.startSetup", scope);
                return real.startSetup(scope, returnUrls);
            }

            @Override
            public List<dev.billingportal.core.payments.PaymentMethod> setDefault(CustomerScope scope,
                                                                                 String paymentMethodId) {
                write("PaymentMethodProvider.setDefault", scope);
                return real.setDefault(scope, paymentMethodId);
            }

            @Override
            public void remove(CustomerScope scope, String paymentMethodId) {
                write("PaymentMethodProvider.remove", scope);
                real.remove(scope, paymentMethodId);
            }

            @Override
            public dev.billingportal.core.payments.InvoicePayment payInvoice(CustomerScope scope,
                    dev.billingportal.core.invoices.Invoice invoice, dev.billingportal.core.payments.ReturnUrls returnUrls,
                    String attemptId) {
                write("PaymentMethodProvider.payInvoice", scope);
                return real.payInvoice(scope, invoice, returnUrls, attemptId);
            }
        };
    }

    // ---------------------------------------------------------------- usage+wallets (branch usage)

    /** The wallet provider, its top-ups recorded as writes (subject: the scope), its reads counted. */
    dev.billingportal.core.wallets.WalletProvider wallets(dev.billingportal.core.wallets.WalletProvider real) {
        return new dev.billingportal.core.wallets.WalletProvider() {
            @Override
            public List<dev.billingportal.core.wallets.Wallet> wallets(CustomerScope scope) {
                reads.incrementAndGet();
                return real.wallets(scope);
            }

            @Override
            public Optional<dev.billingportal.core.wallets.Wallet> wallet(CustomerScope scope, String walletId) {
                reads.incrementAndGet();
                return real.wallet(scope, walletId);
            }

            @Override
            public List<dev.billingportal.core.wallets.WalletTransaction> transactions(CustomerScope scope,
                    String walletId, dev.billingportal.core.wallets.WalletTransactionKey after, int limit) {
                reads.incrementAndGet();
                return real.transactions(scope, walletId, after, limit);
            }

            @Override
            public dev.billingportal.core.wallets.TopUpResult topUp(CustomerScope scope,
                    dev.billingportal.core.wallets.TopUp topUp) {
                write("WalletProvider.topUp", scope);
                return real.topUp(scope, topUp);
            }
        };
    }


    private AuditTrail audit(AuditTrail real) {
        return new AuditTrail() {
            @Override
            public void record(AuditEvent event) {
                write("AuditTrail.record", event);
                real.record(event);
            }

            @Override
            public List<AuditEvent> find(CustomerRef customer, Instant since, int limit) {
                reads.incrementAndGet();
                return real.find(customer, since, limit);
            }
        };
    }
}
