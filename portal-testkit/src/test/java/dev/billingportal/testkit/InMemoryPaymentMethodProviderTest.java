package dev.billingportal.testkit;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.memory.InMemoryPaymentMethodProvider;
import dev.billingportal.core.payments.PaymentMethod;

import java.time.LocalDate;

/** The in-memory provider passes the contract hosts run against theirs. */
class InMemoryPaymentMethodProviderTest extends PaymentMethodProviderContract {
    @Override
    protected Seeded createProvider() {
        InMemoryPaymentMethodProvider provider = new InMemoryPaymentMethodProvider();
        CustomerScope owner = new CustomerScope("tenant-a", "cus-1");
        CustomerScope stranger = new CustomerScope("tenant-b", "cus-1");
        provider.save(owner, PaymentMethod.builder().id("pm-1").brand("visa").last4("4242").expires(12, 2030).build());
        provider.save(owner, PaymentMethod.builder().id("pm-2").brand("mastercard").last4("4444").expires(1, 2031).build());
        provider.save(stranger, PaymentMethod.builder().id("pm-2").brand("amex").last4("0005").expires(2, 2032).build());
        provider.save(stranger, PaymentMethod.builder().id("pm-3").brand("visa").last4("1881").expires(3, 2033).build());
        Invoice open = Invoice.builder().id("inv-1").tenantId("tenant-a").customerId("cus-1").number("INV-1")
                .issuingDate(LocalDate.of(2026, 11, 1)).paymentDueDate(LocalDate.of(2026, 11, 15))
                .total(Money.of(5000, "EUR")).taxes(Money.of(0, "EUR")).build();
        return new Seeded(provider, new Seed(owner, "pm-1", "pm-2", stranger, open), () -> provider.charges().size());
    }
}
