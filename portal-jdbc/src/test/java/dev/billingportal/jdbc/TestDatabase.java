package dev.billingportal.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One database the suites run against, started once per JVM (surefire reuses one fork for every test class) and
 * shared by every test class. Each test class gets its own table prefix, migrated through {@link PortalSchema}
 * from the shipped schema files; each test starts from empty tables.
 */
final class TestDatabase {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    /** Tells prefixes of concurrent runs against one external server apart. */
    private static final String RUN = Long.toString(ProcessHandle.current().pid() % 46_656, 36);

    private final String name;
    private final SqlDialect dialect;
    private final DataSource dataSource;
    private final Map<Object, String> prefixes = new ConcurrentHashMap<>();

    private TestDatabase(String name, SqlDialect dialect, DataSource dataSource) {
        this.name = name;
        this.dialect = dialect;
        this.dataSource = dataSource;
    }

    /** H2 in memory, default mode. */
    static TestDatabase h2() {
        return H2.DEFAULT;
    }

    /** H2 in memory, PostgreSQL compatibility mode. */
    static TestDatabase h2PostgresMode() {
        return H2.POSTGRES_MODE;
    }

    /** PostgreSQL: PORTAL_TEST_POSTGRES_URL, or an embedded server started on first use. */
    static TestDatabase postgres() {
        return PostgresHolder.get();
    }

    /** MariaDB: PORTAL_TEST_MARIADB_URL, or an embedded server started on first use. */
    static TestDatabase mariadb() {
        return MariaDbHolder.get();
    }

    /** A pooled data source with settings every suite needs. */
    static DataSource pool(String poolName, String url, String user, String password, String initSql) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        if (initSql != null) {
            config.setConnectionInitSql(initSql);
        }
        config.setMaximumPoolSize(12);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(config);
        Runtime.getRuntime().addShutdownHook(new Thread(pool::close, poolName + "-close"));
        return pool;
    }

    static TestDatabase of(String name, SqlDialect dialect, DataSource dataSource) {
        return new TestDatabase(name, dialect, dataSource);
    }

    String name() {
        return name;
    }

    SqlDialect dialect() {
        return dialect;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** A new table prefix, unused so far. */
    String newPrefix() {
        return "t" + RUN + "_" + PREFIXES.incrementAndGet() + "_";
    }

    /**
     * A store over the empty tables of {@code owner} (usually a test class): migrated on first use, emptied on
     * every call. Each call builds a new store, with the default settings, so that nothing a store keeps in memory
     * (the configuration cache) outlives the rows this call deleted behind its back.
     */
    JdbcPortalStore emptyStore(Object owner) {
        String prefix = prefixes.computeIfAbsent(owner, key -> {
            String created = newPrefix();
            PortalSchema.migrate(dataSource, created);
            return created;
        });
        clear(prefix);
        return JdbcPortalStore.builder(dataSource).tablePrefix(prefix).dialect(dialect).build();
    }

    /** Deletes every row of the tables with {@code prefix}, children first. */
    void clear(String prefix) {
        execute("DELETE FROM " + prefix + "event_outbox", "DELETE FROM " + prefix + "idempotency_keys",
                "DELETE FROM " + prefix + "configurations", "DELETE FROM " + prefix + "audit_events", "DELETE FROM " + prefix + "sessions",
                "DELETE FROM " + prefix + "invoice_totals",
                "DELETE FROM " + prefix + "invoices", "DELETE FROM " + prefix + "customers");
    }

    /** Runs statements in auto-commit mode. */
    void execute(String... statements) {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** The two H2 databases, in memory for the life of the JVM. */
    private static final class H2 {
        static final TestDatabase DEFAULT = new TestDatabase("H2", SqlDialect.H2,
                pool("h2", "jdbc:h2:mem:portal_tests;DB_CLOSE_DELAY=-1", "sa", "", null));
        static final TestDatabase POSTGRES_MODE = new TestDatabase("H2 (PostgreSQL mode)", SqlDialect.H2,
                pool("h2-pg", "jdbc:h2:mem:portal_tests_pg;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "", null));
    }
}
