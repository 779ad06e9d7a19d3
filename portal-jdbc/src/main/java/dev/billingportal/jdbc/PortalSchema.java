package dev.billingportal.jdbc;

import dev.billingportal.core.PortalException;
import dev.billingportal.jdbc.internal.SchemaMigrator;
import dev.billingportal.jdbc.internal.TablePrefix;

import java.sql.Connection;
import java.sql.SQLException;
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
            SqlDialect resolved = dialect != null ? dialect : detect(dataSource);
            return SchemaMigrator.migrate(dataSource, prefix, resolved.implementation());
        } catch (SQLException e) {
            throw PortalException.unavailable("schema migration failed (SQLState " + e.getSQLState() + ")",
                    dev.billingportal.jdbc.internal.RedactedSqlException.of(e));
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

    static SqlDialect detect(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return SqlDialect.detect(c);
        }
    }
}
