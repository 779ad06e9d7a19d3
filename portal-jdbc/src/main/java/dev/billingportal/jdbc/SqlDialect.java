package dev.billingportal.jdbc;

import dev.billingportal.jdbc.internal.Dialect;
import dev.billingportal.jdbc.internal.H2Dialect;
import dev.billingportal.jdbc.internal.MySqlDialect;
import dev.billingportal.jdbc.internal.PostgresDialect;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * The databases portal-jdbc speaks. {@link JdbcPortalStore} and {@link PortalSchema} detect it from the
 * connection's metadata; name it explicitly for a compatible database that reports another product name
 * (for example a PostgreSQL-compatible engine) or to build a store without opening a connection.
 */
public enum SqlDialect {
    /** PostgreSQL 12 or later, and databases compatible with its SQL. */
    POSTGRESQL(new PostgresDialect()),
    /** MariaDB 10.8 or later and MySQL 8.0.16 or later (InnoDB, utf8mb4). */
    MYSQL(new MySqlDialect()),
    /** H2 2.x, in its default or its PostgreSQL compatibility mode. */
    H2(new H2Dialect());

    private final Dialect implementation;

    SqlDialect(Dialect implementation) {
        this.implementation = implementation;
    }

    /**
     * The classpath folder holding this database's migrations ({@code V1__portal.sql}, ...), for Flyway's
     * {@code locations}: for example {@code classpath:dev/billingportal/jdbc/schema/postgresql}.
     *
     * @return the folder, without a leading slash
     */
    public String schemaLocation() {
        return "dev/billingportal/jdbc/schema/" + implementation.schemaFolder();
    }

    /**
     * The dialect of a database product as JDBC names it ({@link DatabaseMetaData#getDatabaseProductName()}).
     *
     * @param productName for example {@code PostgreSQL}, {@code MariaDB}, {@code MySQL} or {@code H2}
     * @return the dialect, or empty for a database portal-jdbc does not know
     */
    public static Optional<SqlDialect> forProductName(String productName) {
        if (productName == null) {
            return Optional.empty();
        }
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return Optional.of(POSTGRESQL);
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return Optional.of(MYSQL);
        }
        if (name.equals("h2")) {
            return Optional.of(H2);
        }
        return Optional.empty();
    }

    /**
     * The dialect of the database behind {@code connection}.
     *
     * @param connection an open connection; left open
     * @return the dialect
     * @throws SQLException when the metadata cannot be read
     * @throws IllegalArgumentException naming the product when portal-jdbc does not know it
     */
    public static SqlDialect detect(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        return forProductName(product).orElseThrow(() -> new IllegalArgumentException("dialect: portal-jdbc does not "
                + "know the database '" + product + "'; name a compatible one with .dialect(SqlDialect...)"));
    }

    /** The SQL differences of this database; not for users. */
    Dialect implementation() {
        return implementation;
    }
}
