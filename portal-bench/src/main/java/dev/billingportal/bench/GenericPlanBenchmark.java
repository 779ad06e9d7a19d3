package dev.billingportal.bench;

import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.Page;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.Invoice;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL's plan cache with skewed data: the big customer's queries with custom plans on every execution
 * ({@code force_custom_plan}, the README's advice) beside PostgreSQL's default ({@code auto}), where after five
 * executions of a prepared statement (the driver prepares on the server from its fifth) the server may keep a
 * generic plan made for an average customer. Each benchmark runs an average customer's query and then the big
 * customer's, as mixed traffic does, and scores the pair: the average customer's part is small and alike in both
 * modes, so the difference between the modes is the big customer's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GenericPlanBenchmark {
    /** The plan cache mode of the pool's connections. */
    @Param({"force_custom_plan", "auto"})
    public String planCacheMode;

    private PortalFixture fixture;
    private PortalContext[] average;
    private PortalContext big;
    private InvoiceQuery search;
    private int next;

    /** Opens the database with the chosen plan cache mode and signs in. */
    @Setup
    public void setUp() {
        fixture = PortalFixture.open("SET plan_cache_mode = " + switch (planCacheMode) {
            case "force_custom_plan", "auto", "force_generic_plan" -> planCacheMode;
            default -> throw new IllegalArgumentException("planCacheMode " + planCacheMode);
        });
        average = fixture.average;
        big = fixture.big;
        search = InvoiceQuery.builder().search(InvoiceReadBenchmark.SELECTIVE_SEARCH).build();
    }

    /** Stops the embedded server, if it is ours. */
    @TearDown
    public void tearDown() {
        fixture.close();
    }

    private PortalContext nextAverage() {
        return average[next++ & (PortalFixture.AVERAGE_SAMPLE - 1)];
    }

    /** The selective number search: an average customer's, then the big customer's. */
    @Benchmark
    public Page<Invoice> searchAverageThenBig() {
        fixture.portal.invoices(nextAverage(), search);
        return fixture.portal.invoices(big, search);
    }

    /** The overview: an average customer's, then the big customer's. */
    @Benchmark
    public BillingOverview overviewAverageThenBig() {
        fixture.portal.overview(nextAverage());
        return fixture.portal.overview(big);
    }

    /** {@code OFFSET 50000} (past the average customer's end), then the big customer's page at that offset. */
    @Benchmark
    public List<Invoice> offset50000AverageThenBig() {
        fixture.offsetPage(nextAverage(), 50_000, InvoiceQuery.DEFAULT_LIMIT);
        return fixture.offsetPage(big, 50_000, InvoiceQuery.DEFAULT_LIMIT);
    }

    /** First pages: an average customer's, then the big customer's. */
    @Benchmark
    public Page<Invoice> pageAverageThenBig() {
        fixture.portal.invoices(nextAverage(), InvoiceQuery.firstPage());
        return fixture.portal.invoices(big, InvoiceQuery.firstPage());
    }
}
