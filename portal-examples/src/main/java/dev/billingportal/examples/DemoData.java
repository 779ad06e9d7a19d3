package dev.billingportal.examples;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.memory.InMemorySubscriptionProvider;
import dev.billingportal.core.subscriptions.Plan;
import dev.billingportal.core.subscriptions.PlanInterval;
import dev.billingportal.core.subscriptions.Subscription;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.InvoiceType;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.pdf.PdfInvoiceDocumentStore;
import dev.billingportal.pdf.Seller;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's customers and invoices, dated relative to "today" so that some are always overdue.
 * {@code demo-customer} has 44 invoices over every status and payment status, in EUR and USD, some with
 * long or non-ASCII numbers; {@code other-customer} exists so that isolation can be seen.
 */
public final class DemoData {
    /** External id of the main demo customer. */
    public static final String DEMO_CUSTOMER = "demo-customer";
    /** External id of the second customer, whose invoices the first must never see. */
    public static final String OTHER_CUSTOMER = "other-customer";

    private DemoData() {
    }

    /** The demo customer. */
    public static Customer demoCustomer() {
        return Customer.builder().id("cus_demo_0001").externalId(DEMO_CUSTOMER)
                .name("Nordlicht Analytics").legalName("Nordlicht Analytics GmbH").email("billing@nordlicht.example")
                .taxId("DE123456789").currency("EUR").timezone(ZoneId.of("Europe/Berlin"))
                .billingAddress(new Address("Friedrichstraße 123", "3. OG", "Berlin", null, "10117", "DE"))
                .shippingAddress(new Address("Königsallee 1", null, "Düsseldorf", null, "40212", "DE"))
                .build();
    }

    /** The second customer. */
    public static Customer otherCustomer() {
        return Customer.builder().id("cus_demo_0002").externalId(OTHER_CUSTOMER)
                .name("Maison Dupont").legalName("Maison Dupont SARL").email("compta@dupont.example")
                .currency("EUR").documentLocale(Locale.FRENCH).timezone(ZoneId.of("Europe/Paris"))
                .billingAddress(new Address("12 rue de la Paix", null, "Paris", null, "75002", "FR")).build();
    }

    /**
     * The demo's subscriptions: plans Starter, Pro and Business, monthly and yearly; {@code demo-customer} has a
     * monthly Pro (its API calls are billed by usage on top) and a yearly Starter, {@code other-customer} a monthly
     * Business. Periods are dated around {@code clock}'s today.
     */
    public static InMemorySubscriptionProvider subscriptions(Clock clock) {
        InMemorySubscriptionProvider provider = new InMemorySubscriptionProvider(clock);
        String tenant = demoCustomer().tenantId();
        long[][] prices = {{1900, 19000}, {4900, 49000}, {14900, 149000}};
        String[] names = {"Starter", "Pro", "Business"};
        for (int i = 0; i < names.length; i++) {
            String code = names[i].toLowerCase(Locale.ROOT);
            provider.savePlan(tenant, new Plan(code + "_monthly", names[i], PlanInterval.MONTH, Money.of(prices[i][0], "EUR")))
                    .savePlan(tenant, new Plan(code + "_yearly", names[i] + " (yearly)", PlanInterval.YEAR,
                            Money.of(prices[i][1], "EUR")));
        }
        java.util.function.Function<String, Plan> plan = code -> provider.plans(CustomerScope.of(demoCustomer()), null)
                .stream().filter(p -> p.code().equals(code)).findFirst().orElseThrow();
        LocalDate today = LocalDate.now(clock);
        LocalDate month = today.withDayOfMonth(1);
        LocalDate yearStart = month.minusMonths(4);
        provider.save(CustomerScope.of(demoCustomer()), Subscription.builder().id("sub_demo_analytics")
                .name("Analytics Pro (API calls billed by usage)").plan(plan.apply("pro_monthly"))
                .startedAt(instant(month.minusMonths(14))).currentPeriodStart(instant(month))
                .currentPeriodEnd(instant(month.plusMonths(1))).build());
        provider.save(CustomerScope.of(demoCustomer()), Subscription.builder().id("sub_demo_archive")
                .name("Archive Starter").plan(plan.apply("starter_yearly")).quantity(2)
                .startedAt(instant(yearStart.minusYears(1))).currentPeriodStart(instant(yearStart))
                .currentPeriodEnd(instant(yearStart.plusYears(1))).build());
        provider.save(CustomerScope.of(otherCustomer()), Subscription.builder().id("sub_other_business")
                .name("Dupont Business").plan(plan.apply("business_monthly"))
                .startedAt(instant(month.minusMonths(3))).currentPeriodStart(instant(month))
                .currentPeriodEnd(instant(month.plusMonths(1))).build());
        return provider;
    }

    // ---------------------------------------------------------------- usage+wallets (branch usage)

    /**
     * The usage of the demo's monthly subscriptions: {@code demo-customer}'s Analytics Pro bills API calls and storage
     * by usage (this month so far, with a projection, and the eleven months before it for the chart);
     * {@code other-customer}'s Business bills API calls.
     */
    public static dev.billingportal.core.memory.InMemoryUsageProvider usage(Clock clock) {
        dev.billingportal.core.memory.InMemoryUsageProvider provider = new dev.billingportal.core.memory.InMemoryUsageProvider();
        LocalDate month = LocalDate.now(clock).withDayOfMonth(1);
        List<dev.billingportal.core.usage.UsagePeriod> past = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            past.add(new dev.billingportal.core.usage.UsagePeriod(instant(month.minusMonths(i)),
                    instant(month.minusMonths(i - 1)), Money.of(2400 + 310L * ((i * 7) % 5) + 95L * i, "EUR")));
        }
        provider.put(CustomerScope.of(demoCustomer()), new dev.billingportal.core.usage.UsageSummary("sub_demo_analytics",
                instant(month), instant(month.plusMonths(1)), Money.of(3138, "EUR"), List.of(
                new dev.billingportal.core.usage.Charge("api_calls", "API calls", new java.math.BigDecimal("284500"),
                        Money.of(2845, "EUR")),
                new dev.billingportal.core.usage.Charge("storage_gb", "Storage (GB-months)",
                        new java.math.BigDecimal("29.3"), Money.of(293, "EUR"))),
                Money.of(5210, "EUR")), past);
        provider.put(CustomerScope.of(otherCustomer()), new dev.billingportal.core.usage.UsageSummary("sub_other_business",
                instant(month), instant(month.plusMonths(1)), Money.of(1200, "EUR"), List.of(
                new dev.billingportal.core.usage.Charge("api_calls", "Appels API", new java.math.BigDecimal("120000"),
                        Money.of(1200, "EUR"))), null), List.of());
        return provider;
    }

    /**
     * The demo's prepaid wallets: {@code demo-customer} has one of EUR credits (1 credit = 1 EUR, 2 decimals) with
     * seven transactions (a grant, top-ups settled and failed, usage paid with credits: more than the page's first five)
     * and the demo configuration's top-up limits (10 to 500 credits); {@code other-customer} one of its own. Top-ups
     * are billed: each comes with an invoice id to pay (see {@link #billedTopUps}).
     */
    public static dev.billingportal.core.memory.InMemoryWalletProvider wallets(Clock clock) {
        dev.billingportal.core.memory.InMemoryWalletProvider provider = new dev.billingportal.core.memory.InMemoryWalletProvider(clock);
        java.time.Instant now = clock.instant();
        CustomerScope demo = CustomerScope.of(demoCustomer());
        provider.put(demo, dev.billingportal.core.wallets.Wallet.builder().id("wal_demo_credits").name("Prepaid credits")
                .currency(java.util.Currency.getInstance("EUR")).balance(Money.of(7250, "EUR"))
                .creditsBalance(new java.math.BigDecimal("72.50")).rateAmount(java.math.BigDecimal.ONE)
                .expiresAt(instant(LocalDate.now(clock).plusYears(1).withDayOfYear(1))).build());
        Object[][] rows = {
                {"wtx_demo_001", "inbound", "settled", "100.00", 24 * 90},
                {"wtx_demo_002", "outbound", "settled", "31.50", 24 * 60},
                {"wtx_demo_003", "inbound", "failed", "50.00", 24 * 40},
                {"wtx_demo_004", "inbound", "settled", "25.00", 24 * 30},
                {"wtx_demo_006", "inbound", "settled", "40.00", 24 * 20},
                {"wtx_demo_007", "outbound", "settled", "40.00", 24 * 10},
                {"wtx_demo_005", "outbound", "settled", "21.00", 24 * 3}};
        for (Object[] row : rows) {
            java.math.BigDecimal credits = new java.math.BigDecimal((String) row[3]);
            provider.record(demo, new dev.billingportal.core.wallets.WalletTransaction((String) row[0], "wal_demo_credits",
                    dev.billingportal.core.wallets.WalletTransactionType.valueOf(((String) row[1]).toUpperCase(Locale.ROOT)),
                    dev.billingportal.core.wallets.WalletTransactionStatus.valueOf(((String) row[2]).toUpperCase(Locale.ROOT)),
                    credits, Money.of(credits.movePointRight(2).longValueExact(), "EUR"),
                    now.minus(java.time.Duration.ofHours((Integer) row[4]))));
        }
        CustomerScope other = CustomerScope.of(otherCustomer());
        provider.put(other, dev.billingportal.core.wallets.Wallet.builder().id("wal_other_credits").name("Crédits")
                .currency(java.util.Currency.getInstance("EUR")).balance(Money.of(1000, "EUR"))
                .creditsBalance(new java.math.BigDecimal("10.00")).build());
        return provider;
    }

    /**
     * {@code wallets} as the demo's portal sees it: a billed top-up's invoice (the id the provider names) is saved in
     * {@code invoices} as a finalized, unpaid one-off invoice of the customer, dated in the customer's timezone, so
     * that it shows in the invoice list and can be paid. Saving the same invoice again (a replayed request) replaces it.
     */
    public static dev.billingportal.core.wallets.WalletProvider billedTopUps(
            dev.billingportal.core.memory.InMemoryWalletProvider wallets, InvoiceRepository invoices) {
        return new dev.billingportal.core.wallets.WalletProvider() {
            @Override
            public List<dev.billingportal.core.wallets.Wallet> wallets(CustomerScope scope) {
                return wallets.wallets(scope);
            }

            @Override
            public java.util.Optional<dev.billingportal.core.wallets.Wallet> wallet(CustomerScope scope, String walletId) {
                return wallets.wallet(scope, walletId);
            }

            @Override
            public List<dev.billingportal.core.wallets.WalletTransaction> transactions(CustomerScope scope, String walletId,
                    dev.billingportal.core.wallets.WalletTransactionKey after, int limit) {
                return wallets.transactions(scope, walletId, after, limit);
            }

            @Override
            public dev.billingportal.core.wallets.TopUpResult topUp(CustomerScope scope,
                                                                    dev.billingportal.core.wallets.TopUp topUp) {
                dev.billingportal.core.wallets.TopUpResult result = wallets.topUp(scope, topUp);
                if (result.payment() != null) {
                    ZoneId zone = java.util.stream.Stream.of(demoCustomer(), otherCustomer())
                            .filter(c -> CustomerScope.of(c).equals(scope)).map(Customer::timezone).findFirst()
                            .orElse(java.time.ZoneOffset.UTC);
                    LocalDate issued = LocalDate.ofInstant(result.transaction().createdAt(), zone);
                    String id = result.payment().invoiceId();
                    invoices.save(Invoice.builder().id(id).tenantId(scope.tenantId()).customerId(scope.customerId())
                            .number("TOPUP-" + id.substring(id.length() - 6).toUpperCase(Locale.ROOT))
                            .type(InvoiceType.ONE_OFF).status(InvoiceStatus.FINALIZED).paymentStatus(PaymentStatus.PENDING)
                            .issuingDate(issued).paymentDueDate(issued.plusDays(14))
                            .subtotal(result.payment().amount()).taxes(Money.of(0, result.payment().amount().currency()))
                            .total(result.payment().amount()).build());
                }
                return result;
            }
        };
    }

    // ---------------------------------------------------------------- end usage+wallets

    private static java.time.Instant instant(LocalDate day) {
        return day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    }

    /** Invoices of the demo customer, issued over the months before {@code today}. */
    public static List<Invoice> demoInvoices(LocalDate today) {
        Customer owner = demoCustomer();
        List<Invoice> invoices = new ArrayList<>();
        // 24 monthly EUR subscription invoices: old ones paid, a few recent ones open or late.
        for (int month = 0; month < 24; month++) {
            LocalDate issued = today.withDayOfMonth(1).minusMonths(month);
            PaymentStatus payment = month >= 4 ? PaymentStatus.SUCCEEDED
                    : month == 3 ? PaymentStatus.FAILED : PaymentStatus.PENDING;
            invoices.add(invoice(owner, invoices.size() + 1, number("NORD", issued, invoices.size() + 1), InvoiceType.SUBSCRIPTION,
                    InvoiceStatus.FINALIZED, payment, issued, issued.plusDays(30), 49_900 + month * 100L, 19, "EUR"));
        }
        // 10 USD usage invoices (progressive billing and add-ons).
        for (int i = 0; i < 10; i++) {
            LocalDate issued = today.minusDays(12 + i * 37L);
            PaymentStatus payment = i < 2 ? PaymentStatus.PENDING : i == 2 ? PaymentStatus.FAILED : PaymentStatus.SUCCEEDED;
            InvoiceType type = i % 2 == 0 ? InvoiceType.PROGRESSIVE_BILLING : InvoiceType.ADD_ON;
            invoices.add(invoice(owner, invoices.size() + 1, number("US", issued, invoices.size() + 1), type,
                    InvoiceStatus.FINALIZED, payment, issued, issued.plusDays(14), 12_345 + i * 1_111L, 0, "USD"));
        }
        // Every other status, plus long and non-ASCII numbers.
        invoices.add(invoice(owner, invoices.size() + 1, "NORD-2026-GUTSCHRIFT-Ü-001", InvoiceType.CREDIT,
                InvoiceStatus.VOIDED, PaymentStatus.PENDING, today.minusDays(50), today.minusDays(20), 10_000, 19, "EUR"));
        invoices.add(invoice(owner, invoices.size() + 1, "NORD-VOID-0002", InvoiceType.ONE_OFF,
                InvoiceStatus.VOIDED, PaymentStatus.FAILED, today.minusDays(95), today.minusDays(65), 7_500, 19, "EUR"));
        invoices.add(invoice(owner, invoices.size() + 1, "NORD-DRAFT-NEXT-MONTH", InvoiceType.SUBSCRIPTION,
                InvoiceStatus.DRAFT, PaymentStatus.PENDING, today, today.plusDays(30), 50_000, 19, "EUR"));
        invoices.add(invoice(owner, invoices.size() + 1, "NORD-TAX-FAILED-01", InvoiceType.ONE_OFF,
                InvoiceStatus.FAILED, PaymentStatus.PENDING, today.minusDays(3), today.plusDays(27), 2_000, 19, "EUR"));
        invoices.add(invoice(owner, invoices.size() + 1, "NORD-PENDING-TAX-01", InvoiceType.ONE_OFF,
                InvoiceStatus.PENDING, PaymentStatus.PENDING, today.minusDays(2), today.plusDays(28), 3_000, 19, "EUR"));
        invoices.add(invoice(owner, invoices.size() + 1,
                "NORDLICHT-ANALYTICS-ENTERPRISE-PLATFORM-ANNUAL-COMMITMENT-TRUE-UP-2026-Q3-000000042", InvoiceType.ONE_OFF,
                InvoiceStatus.FINALIZED, PaymentStatus.PENDING, today.minusDays(70), today.minusDays(40), 1_250_000, 19, "EUR"));
        invoices.add(invoice(owner, invoices.size() + 1, "RECHNUNG-Straße-Köln-2026-07", InvoiceType.ONE_OFF,
                InvoiceStatus.FINALIZED, PaymentStatus.SUCCEEDED, today.minusDays(120), today.minusDays(90), 8_900, 19, "EUR"));
        invoices.add(invoice(owner, invoices.size() + 1, "請求書-2026-08-東京", InvoiceType.ADD_ON,
                InvoiceStatus.FINALIZED, PaymentStatus.SUCCEEDED, today.minusDays(100), today.minusDays(70), 4_200, 0, "USD"));
        invoices.add(invoice(owner, invoices.size() + 1, "СЧЁТ-2026-09-МОСКВА", InvoiceType.ADD_ON,
                InvoiceStatus.FINALIZED, PaymentStatus.PENDING, today.minusDays(8), today.plusDays(6), 3_300, 0, "USD"));
        invoices.add(invoice(owner, invoices.size() + 1, "FACTURE-été-2026-100%_off", InvoiceType.CREDIT,
                InvoiceStatus.FINALIZED, PaymentStatus.SUCCEEDED, today.minusDays(30), today.minusDays(30), 0, 19, "EUR"));
        return invoices;
    }

    /** Invoices of the second customer. */
    public static List<Invoice> otherInvoices(LocalDate today) {
        Customer owner = otherCustomer();
        List<Invoice> invoices = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            LocalDate issued = today.withDayOfMonth(1).minusMonths(i);
            invoices.add(Invoice.builder().id(String.format("inv_other_%03d", i + 1)).customer(owner)
                    .number(String.format("DUP-%d-%03d", issued.getYear(), i + 1)).type(InvoiceType.SUBSCRIPTION)
                    .status(InvoiceStatus.FINALIZED).paymentStatus(i == 0 ? PaymentStatus.PENDING : PaymentStatus.SUCCEEDED)
                    .issuingDate(issued).paymentDueDate(issued.plusDays(15)).total(Money.of(2_990, "EUR"))
                    .taxes(Money.of(498, "EUR")).build());
        }
        return invoices;
    }

    /** The demo's invoice documents: PDFs rendered on demand, issued by a made-up seller. */
    public static PdfInvoiceDocumentStore invoicePdfs(Clock clock) {
        return PdfInvoiceDocumentStore.builder()
                .seller(Seller.builder().legalName("Billing Portal Demo GmbH").taxId("DE999999999")
                        .address(new Address("Beispielweg 1", null, "Hamburg", null, "20095", "DE"))
                        .email("billing@demo.example").build())
                .clock(clock)
                .build();
    }

    /** Saves both customers and their invoices (idempotent: saving again replaces the same rows). */
    public static void seed(CustomerRepository customers, InvoiceRepository invoices, LocalDate today) {
        customers.save(demoCustomer());
        customers.save(otherCustomer());
        demoInvoices(today).forEach(invoices::save);
        otherInvoices(today).forEach(invoices::save);
    }

    private static String number(String prefix, LocalDate issued, int sequence) {
        return String.format("%s-%d-%03d", prefix, issued.getYear(), sequence);
    }

    private static Invoice invoice(Customer owner, int sequence, String number, InvoiceType type, InvoiceStatus status,
                                   PaymentStatus payment, LocalDate issued, LocalDate due, long subtotal, int taxPercent,
                                   String currency) {
        long tax = subtotal * taxPercent / 100;
        return Invoice.builder().id(String.format("inv_demo_%03d", sequence)).customer(owner).number(number).type(type)
                .status(status).paymentStatus(payment).issuingDate(issued).paymentDueDate(due)
                .subtotal(Money.of(subtotal, currency)).taxes(Money.of(tax, currency)).total(Money.of(subtotal + tax, currency))
                .documentRef("demo/" + String.format("inv_demo_%03d", sequence)).build();
    }
}
