package dev.billingportal.servlet;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.LagoCompatibleApi;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.memory.InMemoryAuditTrail;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceDocumentStore;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.testkit.TestData;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One portal over in-memory storage: customer {@code ext-cus-1} with {@value #INVOICES} invoices (some paid, some
 * overdue; two with documents, one of known length and one streamed without), and {@code ext-cus-2} with one.
 */
final class PortalFixture {
    static final String API_KEY = "servlet-test-api-key-0001";
    static final String CUSTOMER = "ext-cus-1";
    static final String OTHER_CUSTOMER_INVOICE = "inv-other";
    static final int INVOICES = 25;
    /** The document of {@code inv-0}: large enough to need several writes, deterministic bytes. */
    static final byte[] DOCUMENT = document(300_000);
    /** The document of {@code inv-1}, whose length is not known in advance. */
    static final byte[] UNSIZED_DOCUMENT = document(70_000);

    final InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
    final InMemoryInvoiceRepository invoices = new InMemoryInvoiceRepository();
    final InMemoryAuditTrail audit = new InMemoryAuditTrail();
    final List<Invoice> ownInvoices = new ArrayList<>();
    final LocalDate today;
    final PortalService portal;
    final PortalApi api;
    final LagoCompatibleApi lago;
    final LagoCompatibleApi proxiedLago;

    PortalFixture(URI portalUrl) {
        Clock clock = Clock.systemUTC();
        today = LocalDate.now(clock);
        Customer customer = TestData.customer(CustomerRef.DEFAULT_TENANT, "cus-1");
        Customer other = TestData.customer(CustomerRef.DEFAULT_TENANT, "cus-2");
        customers.save(customer);
        customers.save(other);
        for (String auditCustomer : List.of("audit-1", "audit-2", "audit-3", "audit-4")) {
            customers.save(TestData.customer(CustomerRef.DEFAULT_TENANT, auditCustomer));
        }
        InMemoryInvoiceDocumentStore documents = new InMemoryInvoiceDocumentStore();
        for (int i = 0; i < INVOICES; i++) {
            Invoice invoice = TestData.invoice(customer, "inv-" + i, today.minusDays(10L * i + 1))
                    .number(String.format("2026-%03d", i))
                    .paymentStatus(i % 3 == 0 ? PaymentStatus.SUCCEEDED : PaymentStatus.PENDING).build();
            invoices.save(invoice);
            ownInvoices.add(invoice);
        }
        documents.put(ownInvoices.get(0), InvoiceDocument.bytes("2026-000.pdf", "application/pdf", DOCUMENT));
        documents.put(ownInvoices.get(1), InvoiceDocument.stream("2026-001.pdf", "application/pdf", -1,
                () -> new ByteArrayInputStream(UNSIZED_DOCUMENT)));
        invoices.save(TestData.invoice(other, OTHER_CUSTOMER_INVOICE, today.minusDays(3)).build());
        portal = PortalService.builder()
                .customers(customers)
                .invoices(invoices)
                .sessions(new InMemoryPortalSessionRepository())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("test"))))
                .portalUrl(portalUrl)
                .documents(documents)
                .audit(audit)
                .clock(clock)
                .build();
        api = PortalApi.of(portal);
        lago = LagoCompatibleApi.builder(portal).apiKey(API_KEY).build();
        proxiedLago = LagoCompatibleApi.builder(portal).apiKey(API_KEY).basePath("/proxied/api/v1").build();
    }

    long overdueCount() {
        return ownInvoices.stream().filter(invoice -> invoice.isOverdue(today)).count();
    }

    long paidCount() {
        return ownInvoices.stream().filter(invoice -> invoice.paymentStatus() == PaymentStatus.SUCCEEDED).count();
    }

    private static byte[] document(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 8));
        }
        return bytes;
    }

    /**
     * A handler whose target is set once the container has its port (the portal's URL names the port): the
     * servlets are registered before the service that answers through them exists.
     */
    static final class Late implements Function<PortalRequest, PortalResponse> {
        private volatile Function<PortalRequest, PortalResponse> target;

        void set(Function<PortalRequest, PortalResponse> target) {
            this.target = target;
        }

        @Override
        public PortalResponse apply(PortalRequest request) {
            return target.apply(request);
        }
    }
}
