package dev.billingportal.examples;

import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoDataTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);
    private final List<Invoice> invoices = DemoData.demoInvoices(TODAY);

    @Test
    void demoCustomerHasFortyPlusInvoicesOverEveryStatusPaymentStatusAndTwoCurrencies() {
        assertThat(invoices).hasSizeGreaterThanOrEqualTo(40);
        assertThat(invoices.stream().map(Invoice::status).collect(Collectors.toSet())).isEqualTo(EnumSet.allOf(InvoiceStatus.class));
        assertThat(invoices.stream().map(Invoice::paymentStatus).collect(Collectors.toSet())).isEqualTo(EnumSet.allOf(PaymentStatus.class));
        assertThat(invoices.stream().map(i -> i.currency().getCurrencyCode()).collect(Collectors.toSet())).containsExactlyInAnyOrder("EUR", "USD");
        assertThat(invoices).allMatch(i -> i.customerId().equals(DemoData.demoCustomer().id()));
        assertThat(invoices.stream().map(Invoice::id).distinct()).hasSameSizeAs(invoices);
    }

    @Test
    void someAreOverdueAndSomeNumbersAreLongOrNonAscii() {
        Map<String, Long> overdue = invoices.stream().filter(i -> i.isOverdue(TODAY))
                .collect(Collectors.groupingBy(i -> i.currency().getCurrencyCode(), Collectors.counting()));
        assertThat(overdue).containsKeys("EUR", "USD");
        assertThat(invoices).anyMatch(i -> i.number().length() > 60);
        assertThat(invoices.stream().filter(i -> !i.number().chars().allMatch(c -> c < 128))).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void subscriptionsMonthlyAndYearlyForTheDemoCustomerOneForTheOther() {
        var provider = DemoData.subscriptions(java.time.Clock.fixed(java.time.Instant.parse("2026-11-21T10:00:00Z"),
                java.time.ZoneOffset.UTC));
        var demo = dev.billingportal.core.CustomerScope.of(DemoData.demoCustomer());
        var subscriptions = provider.subscriptions(demo);
        assertThat(subscriptions).extracting(s -> s.plan().interval().name()).containsExactlyInAnyOrder("MONTH", "YEAR");
        assertThat(provider.plans(demo, subscriptions.get(0))).extracting(p -> p.code()).containsExactlyInAnyOrder(
                "starter_monthly", "starter_yearly", "pro_monthly", "pro_yearly", "business_monthly", "business_yearly");
        assertThat(provider.subscriptions(dev.billingportal.core.CustomerScope.of(DemoData.otherCustomer()))).hasSize(1);
    }

    @Test
    void usageOnTheMonthlySubscriptionAndOneWalletWithTransactions() {
        var clock = java.time.Clock.fixed(java.time.Instant.parse("2026-11-21T10:00:00Z"), java.time.ZoneOffset.UTC);
        var demo = dev.billingportal.core.CustomerScope.of(DemoData.demoCustomer());
        var subscriptions = DemoData.subscriptions(clock).subscriptions(demo);
        var usage = DemoData.usage(clock);
        var current = usage.currentUsage(demo);
        assertThat(current).singleElement().satisfies(s -> {
            assertThat(subscriptions).anyMatch(sub -> sub.id().equals(s.subscriptionId())
                    && sub.plan().interval().name().equals("MONTH"));
            assertThat(s.charges()).hasSize(2);
            assertThat(s.charges().stream().mapToLong(c -> c.amount().amountMinor()).sum())
                    .isEqualTo(s.total().amountMinor());
        });
        assertThat(usage.pastUsage(demo, current.get(0).subscriptionId(), 24)).hasSize(11);
        var wallets = DemoData.wallets(clock);
        assertThat(wallets.wallets(demo)).singleElement().satisfies(w -> {
            var all = wallets.transactions(demo, w.id(), null, 100);
            assertThat(all).hasSizeGreaterThanOrEqualTo(3);
            java.math.BigDecimal settled = all.stream()
                    .filter(t -> t.status() == dev.billingportal.core.wallets.WalletTransactionStatus.SETTLED)
                    .map(t -> t.type() == dev.billingportal.core.wallets.WalletTransactionType.INBOUND
                            ? t.credits() : t.credits().negate())
                    .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
            assertThat(w.creditsBalance()).as("the balance is what the settled transactions add up to")
                    .isEqualByComparingTo(settled);
        });
        assertThat(wallets.wallets(dev.billingportal.core.CustomerScope.of(DemoData.otherCustomer()))).hasSize(1);
    }

    @Test
    void theSecondCustomerIsSomeoneElse() {
        assertThat(DemoData.otherCustomer().externalId()).isNotEqualTo(DemoData.DEMO_CUSTOMER);
        assertThat(DemoData.otherInvoices(TODAY)).isNotEmpty().allMatch(i -> i.customerId().equals(DemoData.otherCustomer().id()));
    }

    @Test
    void configComesFromTheEnvironment() {
        DemoConfig defaults = DemoConfig.fromEnvironment(Map.of());
        assertThat(defaults.port()).isEqualTo(8080);
        assertThat(defaults.apiKeyGenerated()).isTrue();
        assertThat(defaults.apiKey()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(defaults.toString()).doesNotContain(defaults.apiKey());
        DemoConfig set = DemoConfig.fromEnvironment(Map.of("PORTAL_DEMO_PORT", "9090", "PORTAL_DEMO_API_KEY", "my-own-api-key-123"));
        assertThat(set.port()).isEqualTo(9090);
        assertThat(set.apiKey()).isEqualTo("my-own-api-key-123");
        assertThat(set.apiKeyGenerated()).isFalse();
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(Map.of("PORTAL_DEMO_PORT", "eighty"))).hasMessageContaining("PORTAL_DEMO_PORT");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(Map.of("PORTAL_DEMO_PORT", "70000"))).hasMessageContaining("PORTAL_DEMO_PORT");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(Map.of("PORTAL_DEMO_API_KEY", "short"))).hasMessageContaining("PORTAL_DEMO_API_KEY");
    }

    @Test
    void oneTimeLinksAreOffUnlessTheEnvironmentSaysTrue() {
        assertThat(DemoConfig.fromEnvironment(Map.of()).oneTimeLinks()).isFalse();
        assertThat(DemoConfig.fromEnvironment(Map.of("PORTAL_DEMO_ONE_TIME_LINKS", " ")).oneTimeLinks()).isFalse();
        assertThat(DemoConfig.fromEnvironment(Map.of("PORTAL_DEMO_ONE_TIME_LINKS", "false")).oneTimeLinks()).isFalse();
        DemoConfig oneTime = DemoConfig.fromEnvironment(Map.of("PORTAL_DEMO_ONE_TIME_LINKS", "TRUE"));
        assertThat(oneTime.oneTimeLinks()).isTrue();
        assertThat(oneTime.withDefaultDatabase().oneTimeLinks()).as("kept by withDefaultDatabase").isTrue();
        assertThat(oneTime.toString()).contains("oneTimeLinks=true");
        assertThat(new DemoConfig(0, "some-api-key-1234", false).withOneTimeLinks(true).oneTimeLinks()).isTrue();
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(Map.of("PORTAL_DEMO_ONE_TIME_LINKS", "yes")))
                .hasMessageContaining("PORTAL_DEMO_ONE_TIME_LINKS");
    }
}
