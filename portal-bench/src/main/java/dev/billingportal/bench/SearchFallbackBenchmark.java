package dev.billingportal.bench;

import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.Page;
import dev.billingportal.core.session.PortalContext;
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

import java.util.concurrent.TimeUnit;

/**
 * The number search where pg_trgm is missing (the README's fallback), on the same data: the pool's connections
 * turn bitmap scans off, the only way PostgreSQL can use a GIN index, so the planner chooses as it would without the
 * trigram index. No target: this shows what the extension buys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SearchFallbackBenchmark {
    private PortalFixture fixture;
    private PortalContext big;
    private InvoiceQuery search;

    /** Opens the database with custom plans and no bitmap scans, and signs in as the big customer. */
    @Setup
    public void setUp() {
        fixture = PortalFixture.open(BenchDatabase.CUSTOM_PLANS + "; SET enable_bitmapscan = off");
        big = fixture.big;
        search = InvoiceQuery.builder().search(InvoiceReadBenchmark.SELECTIVE_SEARCH).build();
    }

    /** Stops the embedded server, if it is ours. */
    @TearDown
    public void tearDown() {
        fixture.close();
    }

    /** {@link InvoiceReadBenchmark#searchBigCustomer} without the trigram index. */
    @Benchmark
    public Page<Invoice> searchBigCustomerWithoutTrigramIndex() {
        return fixture.portal.invoices(big, search);
    }
}
