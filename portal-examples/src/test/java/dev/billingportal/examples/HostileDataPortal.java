package dev.billingportal.examples;

import com.sun.net.httpserver.HttpServer;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.httpserver.PortalHttpHandler;
import dev.billingportal.httpserver.PortalHttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.LocalDate;

/**
 * A portal whose billing data is markup, as a careless or hostile billing system might store it: the page must show
 * it as text. Its own server, so the demo's data stays as the other tests expect it.
 */
final class HostileDataPortal implements AutoCloseable {
    static final String NAME = "<img src=x onerror=\"window.__xss = 1\">Evil & Co";
    static final String LEGAL_NAME = "</dd><script>window.__xss = 2</script>";
    static final String NUMBER = "<b>INV-1</b><img src=x onerror=window.__xss=3>";
    static final String CITY = "<svg onload=window.__xss=4>";

    private final HttpServer server;
    private final PortalService portal;

    private HostileDataPortal(HttpServer server, PortalService portal) {
        this.server = server;
        this.portal = portal;
    }

    static HostileDataPortal start() throws IOException {
        return start(dev.billingportal.core.config.PortalConfiguration.DEFAULT); // profile edits off
    }

    /** The same portal under {@code configuration} (which profile fields may be edited, say). */
    static HostileDataPortal start(dev.billingportal.core.config.PortalConfiguration configuration) throws IOException {
        InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
        InMemoryInvoiceRepository invoices = new InMemoryInvoiceRepository();
        Customer customer = Customer.builder().id("c1").externalId("evil").name(NAME).legalName(LEGAL_NAME)
                .billingAddress(new Address("1 <i>Main</i> St", null, CITY, null, "1000", "BE")).build();
        customers.save(customer);
        invoices.save(Invoice.builder().id("inv_1").customer(customer).number(NUMBER).issuingDate(LocalDate.now())
                .paymentDueDate(LocalDate.now().plusDays(30)).total(Money.of(12_345, "EUR")).build());
        HttpServer server = PortalHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        PortalService portal = PortalService.builder().customers(customers).invoices(invoices)
                .sessions(new InMemoryPortalSessionRepository())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("hostile"))))
                .portalUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/portal/"))
                .defaultConfiguration(configuration)
                .build();
        PortalApi api = PortalApi.of(portal);
        server.createContext(api.uiPath(), new PortalHttpHandler(api::handle));
        server.start();
        return new HostileDataPortal(server, portal);
    }

    /** A fresh link for the hostile customer. */
    String link() {
        return portal.createSession(SessionRequest.forCustomer("evil")).url().toString();
    }

    /** The hostile customer's details as the portal API answers them now. */
    Customer customer() {
        return portal.authenticate(portal.createSession(SessionRequest.forCustomer("evil")).token()).customer();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
