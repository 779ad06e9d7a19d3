package dev.billingportal.examples.spring;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.invoices.InvoiceRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Currency;

/**
 * Seeds one customer, {@value #CUSTOMER}, with a year of monthly invoices, unless it is there already. A real
 * host has its own billing data: it implements {@code CustomerRepository} and {@code InvoiceRepository} over it
 * (beans of its own replace the starter's JDBC ones), or writes to the portal's tables as this does.
 */
@Component
public class SampleData implements ApplicationRunner {
    /** The sample customer's external id, as Lago's endpoint takes it. */
    public static final String CUSTOMER = "sample-customer";

    private static final Logger LOG = LoggerFactory.getLogger(SampleData.class);
    private static final Currency EUR = Currency.getInstance("EUR");

    private final CustomerRepository customers;
    private final InvoiceRepository invoices;
    private final Clock clock = Clock.systemUTC();

    /**
     * The repositories the starter built over the application's {@code DataSource}.
     *
     * @param customers customers
     * @param invoices  invoices
     */
    public SampleData(CustomerRepository customers, InvoiceRepository invoices) {
        this.customers = customers;
        this.invoices = invoices;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (customers.findByExternalId(CustomerRef.of(CUSTOMER)).isPresent()) {
            return;
        }
        Customer customer = Customer.builder().tenantId(CustomerRef.DEFAULT_TENANT).id("cus_sample_1").externalId(CUSTOMER)
                .name("Sample Customer GmbH").email("billing@sample.example").currency(EUR)
                .timezone(ZoneId.of("Europe/Berlin")).build();
        customers.save(customer);
        LocalDate today = LocalDate.now(clock);
        for (int month = 0; month < 12; month++) {
            LocalDate issued = today.minusMonths(month).withDayOfMonth(1);
            invoices.save(Invoice.builder().customer(customer).id("inv_sample_" + month)
                    .number(String.format("SMP-%s-%02d", issued.getYear(), issued.getMonthValue()))
                    .issuingDate(issued).paymentDueDate(issued.plusDays(14))
                    .total(Money.of(49_00 + month * 100L, EUR))
                    // The last two months are unpaid: one of them overdue once its due date has passed.
                    .paymentStatus(month < 2 ? PaymentStatus.PENDING : PaymentStatus.SUCCEEDED)
                    .build());
        }
        LOG.info("sample data seeded: customer {} with 12 invoices", CUSTOMER);
    }
}
