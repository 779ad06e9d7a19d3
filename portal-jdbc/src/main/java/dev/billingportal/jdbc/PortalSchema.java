package dev.billingportal.jdbc;

import dev.billingportal.core.PortalException;
import dev.billingportal.jdbc.internal.RedactedSqlException;
import dev.billingportal.jdbc.internal.SchemaMigrator;
import dev.billingportal.jdbc.internal.SqlStates;
import dev.billingportal.jdbc.internal.TablePrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Creates and upgrades the portal's tables from the schema files shipped in this jar, at
 * {@code dev/billingportal/jdbc/schema/{postgresql,mysql,h2}/V<n>__<description>.sql}.
 *
 * <p>{@link #migrate(DataSource)} applies what the database lacks, each version once, and records it in
 * {@code <prefix>schema_history}. Instances starting together are safe: on PostgreSQL they queue on an advisory
 * lock, on MariaDB/MySQL on {@code GET_LOCK}, and on H2 (which has neither) on a lock within the JVM, while its
 * idempotent schema file and the history table's primary key cover other processes.
 *
 * <p>Hosts that run Flyway instead point it at {@link SqlDialect#schemaLocation()} with the placeholder
 * {@code table_prefix} set; use one or the other for a given prefix, not both.
 */
public final class PortalSchema {

    private static final Logger LOG = LoggerFactory.getLogger(PortalSchema.class);

    private PortalSchema() {
    }

    /**
     * Brings the tables with the {@link JdbcPortalStore#DEFAULT_TABLE_PREFIX default prefix} up to date.
     *
     * @param dataSource where the tables live; needs the right to create tables
     * @return the versions applied by this call, in order; empty when the schema was already up to date
     * @throws PortalException {@code UNAVAILABLE} when the database cannot be reached or refuses a statement
     */
    public static List<Integer> migrate(DataSource dataSource) {
        return migrate(dataSource, JdbcPortalStore.DEFAULT_TABLE_PREFIX);
    }

    /**
     * Brings the tables with {@code tablePrefix} up to date, detecting the database.
     *
     * @param dataSource  where the tables live; needs the right to create tables
     * @param tablePrefix the prefix of every table, matching {@code [a-z][a-z0-9_]{0,30}}
     * @return the versions applied by this call, in order
     * @throws IllegalArgumentException naming {@code tablePrefix} when it is not a valid prefix
     * @throws PortalException          {@code UNAVAILABLE} when the database cannot be reached or refuses a statement
     */
    public static List<Integer> migrate(DataSource dataSource, String tablePrefix) {
        return migrate(dataSource, tablePrefix, null);
    }

    /**
     * Brings the tables with {@code tablePrefix} up to date on a database of the given dialect.
     *
     * @param dataSource  where the tables live; needs the right to create tables
     * @param tablePrefix the prefix of every table, matching {@code [a-z][a-z0-9_]{0,30}}
     * @param dialect     the database's dialect, or null to detect it
     * @return the versions applied by this call, in order
     * @throws IllegalArgumentException naming {@code tablePrefix} when it is not a valid prefix
     * @throws PortalException          {@code UNAVAILABLE} when the database cannot be reached or refuses a statement
     */
    public static List<Integer> migrate(DataSource dataSource, String tablePrefix, SqlDialect dialect) {
        Objects.requireNonNull(dataSource, "dataSource");
        TablePrefix prefix = new TablePrefix(tablePrefix);
        try {
            SqlDialect resolved;
            try (Connection c = dataSource.getConnection()) {
                warnIfInMemoryH2WithoutCloseDelay(c);
                resolved = dialect != null ? dialect : SqlDialect.detect(c);
            }
            return SchemaMigrator.migrate(dataSource, prefix, resolved.implementation());
        } catch (SQLException e) {
            throw PortalException.unavailable("schema migration failed (" + SqlStates.describe(e.getSQLState(),
                    prefix.value()) + ")", RedactedSqlException.of(e));
        }
    }

    /**
     * The newest schema version this jar ships.
     *
     * @return the highest {@code V<n>} of the schema files
     */
    public static int latestVersion() {
        return SchemaMigrator.MIGRATIONS.get(SchemaMigrator.MIGRATIONS.size() - 1).version();
    }

    /**
     * Logs {@link #inMemoryH2Warning} for the connection's database, if any. H2 reports its URL without the
     * settings ({@code jdbc:h2:mem:portal}, never {@code ;DB_CLOSE_DELAY=-1}), so the delay is read from the
     * database's own settings, where the URL (or a later {@code SET DB_CLOSE_DELAY}) put it.
     */
    private static void warnIfInMemoryH2WithoutCloseDelay(Connection c) throws SQLException {
        String url = c.getMetaData().getURL();
        if (url == null || !url.regionMatches(true, 0, "jdbc:h2:mem:", 0, 12)) {
            return;
        }
        String delay = null;
        try (Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'DB_CLOSE_DELAY'")) {
            if (rows.next()) {
                delay = rows.getString(1);
            }
        }
        String warning = inMemoryH2Warning(url, delay);
        if (warning != null) {
            LOG.warn(warning);
        }
    }

    /**
     * The warning for an in-memory H2 database that does not outlive its connections, or null. H2 drops a named
     * in-memory database when its last connection closes unless {@code DB_CLOSE_DELAY} is {@code -1}, so the tables
     * created here vanish as soon as a pool lets its connections go, and the next request reads "table not found";
     * an unnamed one ({@code jdbc:h2:mem:}) is private to each connection. Only the database's name is quoted: a URL
     * may carry {@code ;PASSWORD=}.
     *
     * @param url          the connection's URL
     * @param dbCloseDelay the database's {@code DB_CLOSE_DELAY} setting, null when unset (H2's default, 0)
     * @return the warning text, or null when there is nothing to warn about
     */
    static String inMemoryH2Warning(String url, String dbCloseDelay) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:h2:mem:", 0, 12)) {
            return null;
        }
        String name = url.substring(12).split(";")[0];
        if (name.isEmpty()) {
            return "PortalSchema.migrate: the unnamed in-memory H2 database (jdbc:h2:mem:) is private to each connection,"
                    + " so the tables created now exist only for the connection that created them: name it and add"
                    + " ;DB_CLOSE_DELAY=-1, e.g. jdbc:h2:mem:portal;DB_CLOSE_DELAY=-1";
        }
        if (dbCloseDelay != null && dbCloseDelay.strip().equals("-1")) {
            return null;
        }
        return "PortalSchema.migrate: the in-memory H2 database '" + name + "' has no DB_CLOSE_DELAY=-1: H2 drops it,"
                + " with the tables created now, when its last connection closes, and the portal then reads 'table not"
                + " found'; add ;DB_CLOSE_DELAY=-1 to the JDBC URL";
    }
}
