package dev.billingportal.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks' PostgreSQL: the server named by {@code PORTAL_BENCH_POSTGRES_URL} (user and password in the URL
 * or in {@code PORTAL_BENCH_POSTGRES_USER} / {@code PORTAL_BENCH_POSTGRES_PASSWORD}), else a real PostgreSQL from
 * the zonky binaries whose data directory lives on between runs, under {@code portal-bench/target/bench-postgres}
 * (or {@code PORTAL_BENCH_DATA_DIR}): the data set is generated once, and later runs start in a few seconds.
 */
final class BenchDatabase implements AutoCloseable {
    /**
     * Custom plans on every execution: what the README advised for skewed data before the store kept its search
     * unprepared itself; still the remedy with a driver other than pgJDBC.
     */
    static final String CUSTOM_PLANS = "SET plan_cache_mode = force_custom_plan";
    /** PostgreSQL's default: a generic plan after five executions when it looks no worse. */
    static final String DEFAULT_PLANS = "SET plan_cache_mode = auto";

    private final EmbeddedPostgres embedded;
    private final String url;
    private final String user;
    private final String password;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private BenchDatabase(EmbeddedPostgres embedded, String url, String user, String password) {
        this.embedded = embedded;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The external server if one is named, else the embedded one on its lasting data directory. */
    static BenchDatabase open() {
        String url = System.getenv("PORTAL_BENCH_POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            return new BenchDatabase(null, url, System.getenv("PORTAL_BENCH_POSTGRES_USER"),
                    System.getenv("PORTAL_BENCH_POSTGRES_PASSWORD"));
        }
        return embedded(dataDirectory(), false);
    }

    /**
     * An embedded server on {@code directory} ({@code data/} and the unpacked binaries in {@code work/}), kept
     * between runs unless {@code fresh}.
     */
    static BenchDatabase embedded(Path directory, boolean fresh) {
        try {
            Files.createDirectories(directory.resolve("work"));
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(directory.resolve("work").toFile())
                    .setDataDirectory(directory.resolve("data"))
                    .setCleanDataDirectory(fresh)
                    .setPGStartupWait(Duration.ofSeconds(120))
                    // The whole data set (about 1 GB with its indexes) stays in memory, as on a production server.
                    .setServerConfig("shared_buffers", "1GB")
                    .setServerConfig("max_wal_size", "8GB")
                    .setServerConfig("checkpoint_timeout", "30min")
                    .setServerConfig("maintenance_work_mem", "512MB")
                    // A disposable data set, made again in minutes: durability would only slow the load down.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            return new BenchDatabase(server, server.getJdbcUrl("postgres", "postgres"), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not start (set PORTAL_BENCH_POSTGRES_URL to use"
                    + " a server of your own)", e);
        }
    }

    /** {@code PORTAL_BENCH_DATA_DIR}, else {@code bench-postgres} beside the jar or classes this runs from. */
    static Path dataDirectory() {
        String configured = System.getenv("PORTAL_BENCH_DATA_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        try {
            // target/benchmarks.jar or target/classes: either way, target/bench-postgres
            Path location = Path.of(BenchDatabase.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent().resolve("bench-postgres");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "bench-postgres").toAbsolutePath();
        }
    }

    /** Whether this is the embedded server (and so ours to tune and stop). */
    boolean isEmbedded() {
        return embedded != null;
    }

    /** A new pool of {@code size} connections, each starting with {@code initSql}; closed with this database. */
    synchronized HikariDataSource pool(String name, int size, String initSql) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setConnectionInitSql(initSql);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** Closes the pools, then stops the embedded server (its data stays). */
    @Override
    public synchronized void close() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
