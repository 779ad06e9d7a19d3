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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The portal's reads through {@code PortalService} over {@code JdbcPortalStore} on PostgreSQL holding
 * {@link DataSet#FULL} (1,000,000 invoices of 10,000 customers plus one customer of 100,000), beside the raw JDBC and
 * {@code OFFSET} queries they are compared with. Connections use custom plans ({@code plan_cache_mode =
 * force_custom_plan}), as the README advises; {@link GenericPlanBenchmark} shows what happens without.
 *
 * <p>Targets (medians): a page ≤ 0.3 ms; the big customer's page 5,000 within 1.5× of its page 1; its overview
 * ≤ 2 ms; a selective number search in it ≤ 3 ms; the portal ≤ 1.2× the raw JDBC query.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InvoiceReadBenchmark {
    /** The big customer's page 5,000: invoices 99,981 to 100,000, its last page. */
    static final int DEEP_PAGE = 5_000;
    /** A number fragment that selects one invoice of the big customer ({@code WHAL-2023-042137}). */
    static final String SELECTIVE_SEARCH = "042137";

    private PortalFixture fixture;
    private PortalContext[] average;
    private PortalContext big;
    private InvoiceQuery firstPage;
    private InvoiceQuery deepPage;
    private InvoiceQuery search;
    private int next;

    /** Opens the database (generating the data set on first use), signs in, and finds the cursor to page 5,000. */
    @Setup
    public void setUp() {
        fixture = PortalFixture.open(BenchDatabase.CUSTOM_PLANS);
        average = fixture.average;
        big = fixture.big;
        firstPage = InvoiceQuery.firstPage();
        deepPage = InvoiceQuery.builder().after(fixture.cursorToPage(big, DEEP_PAGE, InvoiceQuery.DEFAULT_LIMIT)).build();
        search = InvoiceQuery.builder().search(SELECTIVE_SEARCH).build();
        check(fixture.portal.invoices(big, deepPage).items().size() == InvoiceQuery.DEFAULT_LIMIT, "page 5,000 is full");
        check(fixture.portal.invoices(big, search).items().size() == 1, "the search selects one invoice");
    }

    /** Stops the embedded server, if it is ours. */
    @TearDown
    public void tearDown() {
        fixture.close();
    }

    private PortalContext nextAverage() {
        return average[next++ & (PortalFixture.AVERAGE_SAMPLE - 1)];
    }

    /** First page of 20 of an average customer (100 invoices), through {@code PortalService}; one of 256 in turn. */
    @Benchmark
    public Page<Invoice> pageAverageCustomer() {
        return fixture.portal.invoices(nextAverage(), firstPage);
    }

    /** The same first page as {@link #pageAverageCustomer}, by the same SQL on the same pool, without the portal. */
    @Benchmark
    public List<Invoice> pageAverageCustomerRawJdbc() {
        return fixture.rawPage(nextAverage(), InvoiceQuery.DEFAULT_LIMIT);
    }

    /** First page of 20 of the big customer (100,000 invoices). */
    @Benchmark
    public Page<Invoice> pageBigCustomerFirst() {
        return fixture.portal.invoices(big, firstPage);
    }

    /** Page 5,000 of the big customer, by keyset cursor. */
    @Benchmark
    public Page<Invoice> pageBigCustomer5000Keyset() {
        return fixture.portal.invoices(big, deepPage);
    }

    /** Page 5,000 of the big customer by {@code OFFSET 99980}, raw JDBC, for contrast. */
    @Benchmark
    public List<Invoice> pageBigCustomer5000Offset() {
        return fixture.offsetPage(big, (DEEP_PAGE - 1) * InvoiceQuery.DEFAULT_LIMIT, InvoiceQuery.DEFAULT_LIMIT);
    }

    /** Page 2,501 of the big customer by {@code OFFSET 50000}, raw JDBC, for contrast. */
    @Benchmark
    public List<Invoice> pageBigCustomerOffset50000() {
        return fixture.offsetPage(big, 50_000, InvoiceQuery.DEFAULT_LIMIT);
    }

    /** The big customer's overview: stored totals plus live sums over its unpaid invoices. */
    @Benchmark
    public BillingOverview overviewBigCustomer() {
        return fixture.portal.overview(big);
    }

    /** The big customer's total invoiced summed live over its finalized invoices, for contrast. */
    @Benchmark
    public List<Object> overviewBigCustomerLiveSum() {
        return fixture.liveSum(big);
    }

    /** An average customer's overview; one of 256 in turn. */
    @Benchmark
    public BillingOverview overviewAverageCustomer() {
        return fixture.portal.overview(nextAverage());
    }

    /** A selective number search in the big customer: {@value #SELECTIVE_SEARCH}, one hit among 100,000. */
    @Benchmark
    public Page<Invoice> searchBigCustomer() {
        return fixture.portal.invoices(big, search);
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("data set is not as expected: " + what);
        }
    }
}
