package dev.billingportal.jdbc;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalTransactions;
import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.jdbc.internal.JdbcAuditTrail;
import dev.billingportal.jdbc.internal.JdbcCustomerRepository;
import dev.billingportal.jdbc.internal.JdbcExecutor;
import dev.billingportal.jdbc.internal.JdbcIdempotencyStore;
import dev.billingportal.jdbc.internal.JdbcInvoiceRepository;
import dev.billingportal.jdbc.internal.JdbcPortalSessionRepository;
import dev.billingportal.jdbc.internal.RedactedSqlException;
import dev.billingportal.jdbc.internal.SqlStates;
import dev.billingportal.jdbc.internal.TablePrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Every portal repository over one JDBC database: PostgreSQL, MariaDB/MySQL or H2.
 *
 * <pre>{@code
 * PortalSchema.migrate(dataSource);                       // once at start-up, or let Flyway run the same files
 * JdbcPortalStore store = JdbcPortalStore.builder(dataSource)
 *     .readReplica(replicaDataSource)                     // optional: invoice reads go there
 *     .build();                                           // detects the database, fails fast on bad settings
 * PortalService portal = PortalService.builder()
 *     .customers(store.customers()).invoices(store.invoices()).sessions(store.sessions())
 *     .audit(store.audit())                               // optional: the audit trail
 *     .transactions(store.transactions())                 // each write with its audit record, event and key: one commit
 *     .outbox(store.outbox()).idempotency(store.idempotency())
 *     .configurations(store.configurations())
 *     ...
 * }</pre>
 *
 * <p>The store holds no connection: each repository call borrows one from the {@code DataSource} (use a pool)
 * and gives it back, or runs on the host's transaction (see {@link HostTransactions}). Inside
 * {@link #transactions()} every call of this store's repositories on the calling thread runs on one connection, in
 * one transaction. Thread-safe.
 */
public final class JdbcPortalStore {
    /** The table prefix when none is set: keeps the portal's tables apart from a host's own {@code invoices}. */
    public static final String DEFAULT_TABLE_PREFIX = "portal_";
    /** How long a read configuration is used when none is set ({@link Builder#configurationCacheTtl}). */
    public static final Duration DEFAULT_CONFIGURATION_CACHE_TTL = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPortalStore.class);

    private final SqlDialect dialect;
    private final String tablePrefix;
    private final Duration configurationCacheTtl;
    private final CustomerRepository customers;
    private final InvoiceRepository invoices;
    private final PortalSessionRepository sessions;
    private final AuditTrail audit;
    private final JdbcPortalConfigurations configurations;
    private final IdempotencyStore idempotency;
    private final JdbcEventOutbox outbox;
    private final PortalTransactions transactions;

    private JdbcPortalStore(SqlDialect dialect, TablePrefix prefix, JdbcExecutor executor, Clock clock,
                            Duration configurationCacheTtl) {
        this.dialect = dialect;
        this.tablePrefix = prefix.value();
        JdbcCustomerRepository customerTable = new JdbcCustomerRepository(executor, prefix);
        this.customers = customerTable;
        this.invoices = new JdbcInvoiceRepository(executor, prefix);
        // Knows its sibling so that authentication reads session and customer in one statement when both are ours.
        this.sessions = new JdbcPortalSessionRepository(executor, prefix, customerTable);
        this.audit = new JdbcAuditTrail(executor, prefix);
        this.configurationCacheTtl = configurationCacheTtl;
        this.configurations = new JdbcPortalConfigurations(executor, prefix, clock, configurationCacheTtl);
        this.idempotency = new JdbcIdempotencyStore(executor, prefix);
        this.outbox = new JdbcEventOutbox(executor, prefix, clock);
        this.transactions = executor::inTransaction;
    }

    /**
     * A builder over {@code dataSource}, the primary database: every write goes there.
     *
     * @param dataSource the database, ideally pooled
     * @return the builder
     * @throws NullPointerException naming {@code dataSource} when it is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Customers, in {@code <prefix>customers}.
     *
     * @return the customer repository
     */
    public CustomerRepository customers() {
        return customers;
    }

    /**
     * Invoices and their overview, in {@code <prefix>invoices} and {@code <prefix>invoice_totals}. Reads go to the
     * read replica when one is set.
     *
     * @return the invoice repository
     */
    public InvoiceRepository invoices() {
        return invoices;
    }

    /**
     * Portal sessions, in {@code <prefix>sessions}; always on the primary, so a revocation is seen at once. Handed
     * this store's {@link #customers()} too, it authenticates a request with one statement that reads the session
     * and its customer together.
     *
     * @return the session repository
     */
    public PortalSessionRepository sessions() {
        return sessions;
    }

    /**
     * The audit trail, in {@code <prefix>audit_events}; always on the primary. Hand it to
     * {@code PortalService.builder().audit(..)}.
     *
     * @return the audit trail
     */
    public AuditTrail audit() {
        return audit;
    }

    /**
     * Named portal configurations per tenant, in {@code <prefix>configurations}. Hand it to
     * {@code PortalService.builder().configurations(..)}; edit them with its {@code save}, {@code saveDefault} and
     * {@code delete}.
     *
     * @return the configurations
     */
    public JdbcPortalConfigurations configurations() {
        return configurations;
    }

    /**
     * Idempotency keys, in {@code <prefix>idempotency_keys}: exactly once across threads and nodes (the primary key
     * decides). Hand it to {@code PortalService.builder().idempotency(..)}; purge expired keys now and then with
     * {@code purgeExpired}.
     *
     * @return the idempotency store
     */
    public IdempotencyStore idempotency() {
        return idempotency;
    }

    /**
     * The transactional event outbox, in {@code <prefix>event_outbox}. Hand it to
     * {@code PortalService.builder().outbox(..)} together with {@link #transactions()}, so each event commits with
     * its write; the host's relay polls it.
     *
     * @return the outbox
     */
    public JdbcEventOutbox outbox() {
        return outbox;
    }

    /**
     * Transactions over this store: the work runs with one connection bound to the calling thread, which every call of
     * this store's repositories, audit trail, outbox and idempotency store inside it uses; committed when the work
     * returns, rolled back when it throws. Nested calls join the outer one. With {@code hostTransactions}, the work
     * joins the host's active transaction instead, and the host commits. Hand it to
     * {@code PortalService.builder().transactions(..)}.
     *
     * <p>Inside the work, invoice reads run on the bound primary connection too (never on the read replica), so the
     * work sees its own writes. The binding is per store: another {@code JdbcPortalStore} uses its own connections.
     * A deadlock inside the work fails the whole work ({@code UNAVAILABLE}, rolled back) rather than retrying one
     * statement of it; the portal's writes are retry-safe with the same {@code Idempotency-Key}.
     *
     * @return the transactions
     */
    public PortalTransactions transactions() {
        return transactions;
    }

    /**
     * The database dialect in use.
     *
     * @return the detected or named dialect
     */
    public SqlDialect dialect() {
        return dialect;
    }

    /**
     * The table prefix in use.
     *
     * @return for example {@code portal_}
     */
    public String tablePrefix() {
        return tablePrefix;
    }

    /**
     * How long {@link #configurations()} keeps a configuration it read ({@link Builder#configurationCacheTtl}).
     *
     * @return for example 5 seconds; zero when every read goes to the table
     */
    public Duration configurationCacheTtl() {
        return configurationCacheTtl;
    }

    /** Names the dialect and prefix; never a URL or credential. */
    @Override
    public String toString() {
        return "JdbcPortalStore[dialect=" + dialect + ", tablePrefix=" + tablePrefix + "]";
    }

    /**
     * Configures a {@link JdbcPortalStore}. Setters check their value at once, naming the setting.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private DataSource readReplica;
        private TablePrefix tablePrefix = new TablePrefix(DEFAULT_TABLE_PREFIX);
        private SqlDialect dialect;
        private HostTransactions hostTransactions = HostTransactions.NONE;
        private Clock clock = Clock.systemUTC();
        private Duration configurationCacheTtl = DEFAULT_CONFIGURATION_CACHE_TTL;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * A read-only replica for the portal's invoice reads (lists, single invoices, overviews), which are most of
         * the load. Customers and sessions are always read from the primary: a customer just synced must get a
         * link at once, and a revocation must stop the very next request. Default: none.
         *
         * @param readReplica the replica
         * @return this builder
         */
        public Builder readReplica(DataSource readReplica) {
            this.readReplica = Objects.requireNonNull(readReplica, "readReplica");
            return this;
        }

        /**
         * The prefix of every table (default {@value JdbcPortalStore#DEFAULT_TABLE_PREFIX}); must be the one the
         * schema was migrated with.
         *
         * @param tablePrefix lower-case letters, digits and underscores, starting with a letter, at most 31 characters
         * @return this builder
         * @throws IllegalArgumentException naming {@code tablePrefix} when it does not match {@code [a-z][a-z0-9_]{0,30}}
         */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = new TablePrefix(tablePrefix);
            return this;
        }

        /**
         * The database's dialect, instead of detecting it from the connection's metadata (default: detect).
         *
         * @param dialect the dialect
         * @return this builder
         */
        public Builder dialect(SqlDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Joins host-managed transactions (default {@link HostTransactions#NONE}: every operation runs in a
         * transaction of the store's own).
         *
         * @param hostTransactions tells the connection of the host transaction active on the calling thread
         * @return this builder
         */
        public Builder hostTransactions(HostTransactions hostTransactions) {
            this.hostTransactions = Objects.requireNonNull(hostTransactions, "hostTransactions");
            return this;
        }

        /**
         * The clock of the times the store itself stamps (a configuration's {@code updated_at}, an event's
         * {@code delivered_at}); default the UTC system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long {@link JdbcPortalStore#configurations()} keeps a configuration it read (default
         * {@link JdbcPortalStore#DEFAULT_CONFIGURATION_CACHE_TTL 5 seconds}; {@link Duration#ZERO} reads the table on
         * every call). Every authenticated request reads its session's configuration. A change made through the
         * store is seen at once by this JVM; a change by another JVM, or straight in the table, within this time.
         * Sessions and revocations are never cached.
         *
         * @param configurationCacheTtl zero or more, at most a day
         * @return this builder
         * @throws IllegalArgumentException naming {@code configurationCacheTtl} when negative or over a day
         */
        public Builder configurationCacheTtl(Duration configurationCacheTtl) {
            Objects.requireNonNull(configurationCacheTtl, "configurationCacheTtl");
            if (configurationCacheTtl.isNegative() || configurationCacheTtl.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("configurationCacheTtl must be between zero and one day, was "
                        + configurationCacheTtl);
            }
            this.configurationCacheTtl = configurationCacheTtl;
            return this;
        }

        /**
         * Builds the store, detecting the dialect from a connection of the primary unless one was named.
         *
         * @return the store
         * @throws PortalException          {@code UNAVAILABLE} when the dialect must be detected and the database cannot be reached
         * @throws IllegalArgumentException naming {@code dialect} for a database portal-jdbc does not know
         */
        public JdbcPortalStore build() {
            SqlDialect resolved = dialect;
            if (resolved == null) {
                try (Connection c = dataSource.getConnection()) {
                    DatabaseMetaData meta = c.getMetaData();
                    resolved = SqlDialect.detect(c);
                    LOG.info("portal-jdbc: {} {} detected, dialect {}, table prefix {}{}",
                            meta.getDatabaseProductName(), meta.getDatabaseProductVersion(), resolved,
                            tablePrefix.value(), readReplica != null ? ", invoice reads on the read replica" : "");
                } catch (SQLException e) {
                    throw PortalException.unavailable("cannot reach the database to detect its dialect ("
                            + SqlStates.describe(e.getSQLState(), null) + "); name it with .dialect(..) to build without a connection",
                            RedactedSqlException.of(e));
                }
            } else {
                LOG.info("portal-jdbc: dialect {} (named), table prefix {}{}", resolved, tablePrefix.value(),
                        readReplica != null ? ", invoice reads on the read replica" : "");
            }
            JdbcExecutor executor = new JdbcExecutor(dataSource, readReplica != null ? readReplica : dataSource,
                    hostTransactions, resolved.implementation(), tablePrefix.value());
            return new JdbcPortalStore(resolved, tablePrefix, executor, clock, configurationCacheTtl);
        }
    }
}
