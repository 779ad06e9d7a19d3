package dev.billingportal.bench;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.memory.InMemoryUsageProvider;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.core.usage.Charge;
import dev.billingportal.core.usage.UsageProvider;
import dev.billingportal.core.usage.UsageSummary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The usage answer, {@code GET /portal/api/usage} through {@link PortalApi} (token check, session and customer
 * look-ups, the provider's call, JSON with every amount formatted in the customer's language), for one subscription
 * with 50 charges, beside the provider's own time for the same figures (the in-memory provider called directly):
 * the difference is what the portal adds (target: at most 1 ms). Both in one run, so the difference holds on a noisy
 * machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UsageAnswerBenchmark {
    /** Charges of the subscription. */
    public static final int CHARGES = 50;

    private UsageProvider provider;
    private CustomerScope scope;
    private PortalApi api;
    private PortalRequest request;

    /** A portal over in-memory storage, one customer with one subscription of 50 charges, one session. */
    @Setup
    public void setUp() {
        InMemoryCustomerRepository customers = new InMemoryCustomerRepository();
        Customer customer = Customer.builder().id("cus_1").externalId("customer-1").name("Bench").currency(
                java.util.Currency.getInstance("EUR")).build();
        customers.save(customer);
        scope = CustomerScope.of(customer);
        List<Charge> charges = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < CHARGES; i++) {
            long cents = 1_000 + 37L * i;
            total += cents;
            charges.add(new Charge("metric_" + i, "Metric number " + i, new BigDecimal("12345.678").add(
                    BigDecimal.valueOf(i)), Money.of(cents, "EUR")));
        }
        InMemoryUsageProvider usage = new InMemoryUsageProvider().put(scope, new UsageSummary("sub_1",
                Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), Money.of(total, "EUR"),
                charges, Money.of(total * 2, "EUR")), List.of());
        provider = usage;
        PortalService portal = PortalService.builder()
                .customers(customers)
                .invoices(new InMemoryInvoiceRepository())
                .sessions(new InMemoryPortalSessionRepository())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("k1"))))
                .portalUrl(URI.create("https://billing.example.com/portal"))
                .usage(usage)
                .build();
        api = PortalApi.of(portal);
        String token = portal.createSession(SessionRequest.forCustomer("customer-1")).token();
        request = PortalRequest.of("GET", "/portal/api/usage", null,
                Map.of("Authorization", List.of("Bearer " + token)));
        PortalResponse check = api.handle(request);
        if (check.status() != 200 || !check.bodyAsString().contains("metric_49")) {
            throw new IllegalStateException("the usage answer is not what the benchmark measures: "
                    + check.status() + " " + check.bodyAsString());
        }
    }

    /** The whole answer: authentication, the provider's call, the JSON body written. */
    @Benchmark
    public byte[] usageAnswer() {
        return api.handle(request).body().toByteArray();
    }

    /** The provider's own time: the same figures, asked of it directly. */
    @Benchmark
    public List<UsageSummary> providerOnly() {
        return provider.currentUsage(scope);
    }
}
