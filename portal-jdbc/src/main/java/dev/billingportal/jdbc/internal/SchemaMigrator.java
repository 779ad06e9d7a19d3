package dev.billingportal.jdbc.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * Applies the shipped migrations that a database lacks, each once, under a lock that makes instances starting
 * together wait for each other, and records them in {@code <prefix>schema_history}.
 */
public final class SchemaMigrator {
    /** Every migration shipped, in order. A new one is appended here and added as a file for each database. */
    public static final List<Migration> MIGRATIONS = List.of(new Migration(1, "portal"),
            new Migration(2, "one_time_links_and_audit"), new Migration(3, "self_service"));
    /** The history table's name after the prefix. */
    public static final String HISTORY_TABLE = "schema_history";
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    /**
     * One migration file, {@code V<version>__<description>.sql}.
     *
     * @param version     its version, from 1
     * @param description the part of the file name after the version
     */
    public record Migration(int version, String description) {
        /**
         * The file name.
         *
         * @return for example {@code V1__portal.sql}
         */
        public String fileName() {
            return "V" + version + "__" + description + ".sql";
        }
    }

    private SchemaMigrator() {
    }

    /**
     * Brings the schema of {@code prefix} up to date.
     *
     * @param dataSource where the tables live
     * @param prefix     the table prefix
     * @param dialect    the database's dialect
     * @return the versions this call applied, in order; empty when the schema was up to date
     * @throws SQLException when the database refuses
     */
    public static List<Integer> migrate(DataSource dataSource, TablePrefix prefix, Dialect dialect) throws SQLException {
        return migrate(dataSource, prefix, dialect, Integer.MAX_VALUE);
    }

    /**
     * Brings the schema of {@code prefix} up to {@code version} and no further (to test upgrades from it).
     *
     * @param dataSource where the tables live
     * @param prefix     the table prefix
     * @param dialect    the database's dialect
     * @param version    the last version to apply
     * @return the versions this call applied, in order
     * @throws SQLException when the database refuses
     */
    public static List<Integer> migrate(DataSource dataSource, TablePrefix prefix, Dialect dialect, int version)
            throws SQLException {
        List<Integer> appliedNow = new ArrayList<>();
        String history = prefix.table(HISTORY_TABLE);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            Dialect.SchemaLock lock = dialect.lockSchema(c, "billingportal_schema_" + prefix.value());
            try {
                execute(c, dialect.historyTableDdl(history));
                Map<Integer, Long> applied = applied(c, history);
                for (Migration migration : MIGRATIONS) {
                    if (migration.version() > version) {
                        break;
                    }
                    String script = script(dialect, migration);
                    long checksum = checksum(script);
                    Long recorded = applied.get(migration.version());
                    if (recorded != null) {
                        if (recorded != checksum) {
                            throw new IllegalStateException(history + " records " + migration.fileName()
                                    + " with another checksum than the file shipped: was an applied migration edited?");
                        }
                        continue;
                    }
                    if (apply(c, dialect, prefix, history, migration, script, checksum)) {
                        appliedNow.add(migration.version());
                    }
                }
            } finally {
                // An aborted connection (a failed rollback) took its session, and so the lock, with it.
                if (!c.isClosed()) {
                    lock.close();
                    c.setAutoCommit(autoCommit);
                }
            }
        }
        return appliedNow;
    }

    private static boolean apply(Connection c, Dialect dialect, TablePrefix prefix, String history, Migration migration,
                                 String script, long checksum) throws SQLException {
        long started = System.nanoTime();
        boolean transactional = dialect.transactionalDdl();
        boolean restoreAutoCommit = transactional;
        if (transactional) {
            c.setAutoCommit(false);
        }
        try {
            for (String statement : SqlScript.statements(prefix.apply(script))) {
                execute(c, statement);
            }
            boolean recorded = record(c, dialect, history, migration, checksum, (System.nanoTime() - started) / 1_000_000);
            if (transactional) {
                c.commit();
            }
            if (recorded) {
                LOG.info("schema {} of {}: applied {} in {} ms", prefix.value(), dialect.schemaFolder(),
                        migration.fileName(), (System.nanoTime() - started) / 1_000_000);
            }
            return recorded;
        } catch (SQLException | RuntimeException e) {
            if (transactional) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                    // Turning auto-commit back on would commit what the failed rollback left: drop the connection.
                    restoreAutoCommit = false;
                    try {
                        c.abort(Runnable::run);
                    } catch (SQLException | RuntimeException abortFailure) {
                        e.addSuppressed(abortFailure);
                    }
                }
            }
            throw e;
        } finally {
            if (restoreAutoCommit) {
                c.setAutoCommit(true);
            }
        }
    }

    /** Records the migration; false when another process (only possible with H2) recorded it first. */
    private static boolean record(Connection c, Dialect dialect, String history, Migration migration, long checksum,
                                  long millis) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + history
                + " (version, description, script, checksum, installed_on, execution_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.description());
            insert.setString(3, migration.fileName());
            insert.setLong(4, checksum);
            insert.setString(5, Instant.now().toString());
            insert.setLong(6, millis);
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e) && !dialect.transactionalDdl()) {
                return false;
            }
            throw e;
        }
    }

    private static Map<Integer, Long> applied(Connection c, String history) throws SQLException {
        Map<Integer, Long> applied = new HashMap<>();
        try (Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, checksum FROM " + history)) {
            while (rows.next()) {
                applied.put(rows.getInt(1), rows.getLong(2));
            }
        }
        return applied;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * The text of a shipped migration, placeholders unreplaced.
     *
     * @param dialect   the database
     * @param migration the migration
     * @return the script
     */
    public static String script(Dialect dialect, Migration migration) {
        String path = "/dev/billingportal/jdbc/schema/" + dialect.schemaFolder() + "/" + migration.fileName();
        try (InputStream in = SchemaMigrator.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema file missing from the jar: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** CRC32 of the script with line endings normalised, so a checkout with CRLF does not look edited. */
    static long checksum(String script) {
        CRC32 crc = new CRC32();
        crc.update(script.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
