package dev.billingportal.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.Page;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.InvoiceType;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.jdbc.JdbcPortalStore;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the JDBC benchmarks share: the database holding {@link DataSet#FULL} (generated on first use), one pool, a
 * {@link PortalService} over {@link JdbcPortalStore}, authenticated contexts for the big customer and a sample of
 * average ones, and the raw JDBC versions of the portal's queries.
 */
final class PortalFixture implements AutoCloseable {
    /** Average customers the average-customer benchmarks take turns with, spread over the whole data set. */
    static final int AVERAGE_SAMPLE = 256;

    /**
     * The SQL the library runs for a first page with the default statuses; checked against the library at start.
     * {@code ORDER BY} names tenant and customer first for H2's sake (see {@code JdbcInvoiceRepository}).
     */
    static final String PAGE_SQL = """
            SELECT tenant_id, id, customer_id, number, invoice_type, status, payment_status, issuing_date, payment_due_date,
            currency, subtotal_minor, taxes_minor, total_minor, amount_due_minor, document_ref FROM portal_invoices \
            WHERE tenant_id = ? AND customer_id = ? AND status IN (?, ?) \
            ORDER BY tenant_id, customer_id, issuing_date DESC, id DESC LIMIT ?""";
    /** The same page by {@code OFFSET}, for contrast: what keyset pagination avoids. */
    static final String OFFSET_SQL = PAGE_SQL + " OFFSET ?";
    /** The total invoiced summed live over every finalized invoice of the customer: what the totals table avoids. */
    static final String LIVE_SUM_SQL = """
            SELECT currency, SUM(total_minor), COUNT(*) FROM portal_invoices \
            WHERE tenant_id = ? AND customer_id = ? AND status = 'FINALIZED' GROUP BY currency""";

    final BenchDatabase db;
    final HikariDataSource pool;
    final PortalService portal;
    final PortalContext big;
    final PortalContext[] average;

    private PortalFixture(BenchDatabase db, HikariDataSource pool, PortalService portal) {
        this.db = db;
        this.pool = pool;
        this.portal = portal;
        this.big = context(DataSet.BIG_CUSTOMER);
        this.average = new PortalContext[AVERAGE_SAMPLE];
        int step = DataSet.FULL.customers() / AVERAGE_SAMPLE;
        for (int i = 0; i < AVERAGE_SAMPLE; i++) {
            average[i] = context(DataSet.customerExternalId(i * step + 7));
        }
    }

    /**
     * Opens the database (generating the data set if it is missing), a pool of two connections that start with
     * {@code sessionSql}, and a portal over it.
     */
    static PortalFixture open(String sessionSql) {
        BenchDatabase db = BenchDatabase.open();
        try {
            DataGenerator.Result data = DataGenerator.generate(db.pool("generator", 1, BenchDatabase.CUSTOM_PLANS),
                    DataSet.FULL, JdbcPortalStore.DEFAULT_TABLE_PREFIX, false);
            if (data.generated()) {
                System.out.printf("generated %,d invoices in %.0f s%n", data.invoices(), data.seconds());
            }
            HikariDataSource pool = db.pool("bench", 2, sessionSql);
            PortalFixture fixture = new PortalFixture(db, pool, portal(pool));
            fixture.checkPageSql();
            return fixture;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** A portal over the JDBC store on {@code dataSource}, its clock standing on {@link DataSet#TODAY}. */
    static PortalService portal(DataSource dataSource) {
        JdbcPortalStore store = JdbcPortalStore.builder(dataSource).build();
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 42);
        return PortalService.builder()
                .customers(store.customers())
                .invoices(store.invoices())
                .sessions(new InMemoryPortalSessionRepository())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.hs256("bench", secret))))
                .portalUrl(URI.create("https://billing.example.com/portal"))
                .clock(Clock.fixed(DataSet.TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC))
                .build();
    }

    /** Signs in as the customer with this external id, as a portal link would. */
    PortalContext context(String externalId) {
        return portal.authenticate(portal.createSession(SessionRequest.forCustomer(externalId).tenant(DataSet.TENANT))
                .token());
    }

    /** The cursor that leads to page {@code page} (pages of {@code limit}), found by walking the pages before it. */
    String cursorToPage(PortalContext ctx, int page, int limit) {
        String cursor = null;
        for (int i = 1; i < page; i++) {
            Page<Invoice> current = portal.invoices(ctx, InvoiceQuery.builder().limit(limit).after(cursor).build());
            cursor = current.next().orElseThrow(() -> new IllegalStateException("the customer has fewer pages"));
        }
        return cursor;
    }

    /** The first page by raw JDBC: {@link #PAGE_SQL} on the same pool, mapped the way the library maps it. */
    List<Invoice> rawPage(PortalContext ctx, int limit) {
        return query(PAGE_SQL, ctx, limit + 1, -1);
    }

    /** The page at {@code offset} by raw JDBC with {@code OFFSET}. */
    List<Invoice> offsetPage(PortalContext ctx, int offset, int limit) {
        return query(OFFSET_SQL, ctx, limit + 1, offset);
    }

    /** The customer's total invoiced per currency, summed live: currency, sum, count, ... */
    List<Object> liveSum(PortalContext ctx) {
        try (Connection c = pool.getConnection(); PreparedStatement statement = c.prepareStatement(LIVE_SUM_SQL)) {
            statement.setString(1, ctx.customer().tenantId());
            statement.setString(2, ctx.customer().id());
            List<Object> sums = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sums.add(rows.getString(1));
                    sums.add(rows.getLong(2));
                    sums.add(rows.getLong(3));
                }
            }
            return sums;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Invoice> query(String sql, PortalContext ctx, int limit, int offset) {
        try (Connection c = pool.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, ctx.customer().tenantId());
            statement.setString(2, ctx.customer().id());
            statement.setString(3, InvoiceStatus.FINALIZED.name());
            statement.setString(4, InvoiceStatus.VOIDED.name());
            statement.setInt(5, limit);
            if (offset >= 0) {
                statement.setInt(6, offset);
            }
            List<Invoice> page = new ArrayList<>(limit);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    page.add(invoice(rows));
                }
            }
            return page;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Invoice invoice(ResultSet rows) throws SQLException {
        Currency currency = Money.currency(rows.getString("currency"));
        return new Invoice(rows.getString("id"), rows.getString("tenant_id"), rows.getString("customer_id"),
                rows.getString("number"), InvoiceType.valueOf(rows.getString("invoice_type")),
                InvoiceStatus.valueOf(rows.getString("status")), PaymentStatus.valueOf(rows.getString("payment_status")),
                rows.getObject("issuing_date", LocalDate.class), rows.getObject("payment_due_date", LocalDate.class),
                Money.of(rows.getLong("subtotal_minor"), currency), Money.of(rows.getLong("taxes_minor"), currency),
                Money.of(rows.getLong("total_minor"), currency), Money.of(rows.getLong("amount_due_minor"), currency),
                rows.getString("document_ref"));
    }

    /** Fails unless the library's first-page SQL is {@link #PAGE_SQL} and both return the same page. */
    void checkPageSql() {
        SqlRecorder recorder = new SqlRecorder(pool);
        PortalService recorded = portal(recorder.dataSource());
        PortalContext ctx = average[0];
        List<Invoice> viaPortal = recorded.invoices(recorded.authenticate(recorded.createSession(
                SessionRequest.forCustomer(ctx.customer().externalId()).tenant(DataSet.TENANT)).token()),
                InvoiceQuery.firstPage()).items();
        if (!recorder.last().equals(PAGE_SQL)) {
            throw new IllegalStateException("the library's page SQL changed; update PortalFixture.PAGE_SQL to:\n"
                    + recorder.last());
        }
        List<Invoice> raw = rawPage(ctx, InvoiceQuery.DEFAULT_LIMIT);
        if (!raw.subList(0, Math.min(raw.size(), InvoiceQuery.DEFAULT_LIMIT)).equals(viaPortal)) {
            throw new IllegalStateException("raw JDBC and the portal disagree on the first page");
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
