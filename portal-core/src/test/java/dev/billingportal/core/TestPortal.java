package dev.billingportal.core;

import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.SessionRequest;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.memory.InMemoryAuditTrail;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceDocumentStore;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.function.UnaryOperator;

/** A portal over in-memory storage with a hand-moved clock, for service and API tests. */
public final class TestPortal {
    /** 2026-11-21T10:00:00Z. */
    public static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    public final MutableClock clock = new MutableClock(NOW);
    public final InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
    public final InMemoryInvoiceRepository invoices = new InMemoryInvoiceRepository();
    public final InMemoryPortalSessionRepository sessions = new InMemoryPortalSessionRepository();
    public final InMemoryInvoiceDocumentStore documents = new InMemoryInvoiceDocumentStore();
    public final InMemoryAuditTrail audit = new InMemoryAuditTrail();
    public final KeyRing keyRing = KeyRing.of(SigningKey.generateHs256("k1"));
    public final PortalService service;

    public TestPortal() {
        this(UnaryOperator.identity());
    }

    /** A portal with the in-memory audit trail and whatever {@code configure} changes (a link mode, say). */
    public TestPortal(UnaryOperator<PortalServiceBuilder> configure) {
        service = configure.apply(PortalService.builder()
                .customers(customers).invoices(invoices).sessions(sessions)
                .tokenSigner(JwtTokenSigner.hs256(keyRing))
                .portalUrl(URI.create("https://billing.example.com/portal"))
                .documents(documents)
                .clock(clock)
                .audit(audit))
                .build();
    }

    /** A portal whose links are one-time links. */
    public static TestPortal oneTime() {
        return new TestPortal(builder -> builder.linkMode(LinkMode.ONE_TIME));
    }

    public Customer customer(String tenant, String externalId, String zone) {
        Customer customer = Customer.builder().id("id-" + tenant + "-" + externalId).externalId(externalId)
                .tenantId(tenant).name("Customer " + externalId)
                .email(externalId.matches("[A-Za-z0-9._-]+") ? externalId + "@example.com" : null)
                .currency("EUR").timezone(ZoneId.of(zone)).build();
        customers.save(customer);
        return customer;
    }

    public Customer customer(String externalId) {
        return customer(CustomerRef.DEFAULT_TENANT, externalId, "UTC");
    }

    public Invoice invoice(Customer owner, String id, LocalDate issued, LocalDate due, long totalCents, String currency,
                           InvoiceStatus status, PaymentStatus payment) {
        Invoice invoice = Invoice.builder().id(id).customer(owner).number("INV-" + id).issuingDate(issued)
                .paymentDueDate(due).total(Money.of(totalCents, currency)).taxes(Money.of(totalCents / 5, currency))
                .status(status).paymentStatus(payment).build();
        invoices.save(invoice);
        return invoice;
    }

    public PortalContext login(Customer customer) {
        return service.authenticate(service.createSession(SessionRequest.forCustomer(customer.ref())).token());
    }
}
