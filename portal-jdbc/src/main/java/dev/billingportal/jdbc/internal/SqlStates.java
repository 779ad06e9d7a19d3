package dev.billingportal.jdbc.internal;

/**
 * What a SQLState means and what to do about it, in words: the driver's own message is withheld (it may quote row
 * data, see {@link RedactedSqlException}), so this is what tells a host that a table is missing rather than that
 * "something failed". Covers the states PostgreSQL, MariaDB/MySQL and H2 raise for what a host can fix: a schema not
 * migrated or migrated with another prefix, an old schema version, credentials, privileges, connections.
 */
public final class SqlStates {
    private SqlStates() {
    }

    /**
     * A short explanation of {@code sqlState}, with advice when there is something to do.
     *
     * @param sqlState    the SQLState, may be null
     * @param tablePrefix the table prefix of the store or migration, or null when unknown
     * @return for example {@code table not found: run PortalSchema.migrate(dataSource, "portal_") ...}, or null for
     *         a state with nothing useful to say
     */
    public static String explain(String sqlState, String tablePrefix) {
        if (sqlState == null) {
            return null;
        }
        String migrate = "run PortalSchema.migrate(dataSource, \"" + (tablePrefix != null ? tablePrefix : "<prefix>")
                + "\") on this database (or Flyway, see the README)";
        String prefix = tablePrefix != null ? "with the table prefix '" + tablePrefix + "'" : "with the store's table prefix";
        switch (sqlState) {
            case "42P01": // PostgreSQL undefined_table
            case "42S02": // MariaDB/MySQL ER_NO_SUCH_TABLE, H2 TABLE_OR_VIEW_NOT_FOUND
                return "table not found: " + migrate + ", " + prefix + " this store uses";
            case "42S04": // H2 TABLE_OR_VIEW_NOT_FOUND_DATABASE_EMPTY
                return "table not found, and the database is empty: " + migrate + ", " + prefix
                        + " this store uses; an in-memory H2 database (jdbc:h2:mem:) without DB_CLOSE_DELAY=-1 is dropped,"
                        + " tables and all, when its last connection closes";
            case "42703": // PostgreSQL undefined_column
            case "42S22": // MariaDB/MySQL ER_BAD_FIELD_ERROR, H2 COLUMN_NOT_FOUND
                return "column not found: the tables are of an older schema version than this jar; " + migrate
                        + " to upgrade them";
            case "3D000": // PostgreSQL invalid_catalog_name
                return "database does not exist: check the JDBC URL";
            case "42501": // PostgreSQL insufficient_privilege
                return "insufficient privilege: the database user may not do this (migrations need the right to create"
                        + " tables and indexes; the portal needs SELECT, INSERT, UPDATE and DELETE on its tables)";
            case "25006": // PostgreSQL read_only_sql_transaction
                return "read-only transaction: a write went to a read-only database or replica";
            case "40001": // serialization failure, MariaDB/MySQL deadlock
            case "40P01": // PostgreSQL deadlock_detected
                return "the database rolled the transaction back (deadlock or serialization failure): retry";
            case "53300": // PostgreSQL too_many_connections
                return "too many connections: the server refuses more; size the pool below the server's limit";
            case "57014": // PostgreSQL query_canceled (statement_timeout)
            case "HYT00":
            case "HYT01":
                return "the statement timed out";
            case "57P01":
            case "57P02":
            case "57P03":
                return "the server is shutting down or starting up: retry later";
            case "22001":
                return "value too long for its column";
            case "90067": // H2 CONNECTION_BROKEN
                return "connection failure: the H2 connection is broken";
            default:
                break;
        }
        if (sqlState.startsWith("08")) {
            return "connection failure: the database cannot be reached or dropped the connection (check the URL, the"
                    + " network, that the server is up)";
        }
        if (sqlState.startsWith("28")) {
            return "authorization failed: the database refused the user or password";
        }
        return null;
    }

    /**
     * {@code "SQLState <state>"} followed by its {@link #explain explanation} when it has one.
     *
     * @param sqlState    the SQLState, may be null
     * @param tablePrefix the table prefix, or null when unknown
     * @return for example {@code SQLState 42P01: table not found: run ...}
     */
    public static String describe(String sqlState, String tablePrefix) {
        String explanation = explain(sqlState, tablePrefix);
        return "SQLState " + sqlState + (explanation != null ? ": " + explanation : "");
    }
}
