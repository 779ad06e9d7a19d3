package dev.billingportal.jdbc;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.PortalConfigurationJson;
import dev.billingportal.core.config.PortalConfigurations;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.jdbc.internal.ConfigurationCache;
import dev.billingportal.jdbc.internal.JdbcExecutor;
import dev.billingportal.jdbc.internal.TablePrefix;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Each tenant's named {@link PortalConfiguration}s in the {@code <prefix>configurations} table, one row per tenant
 * and name holding the configuration as a JSON document ({@link PortalConfigurationJson}) with its schema version, so
 * that a host can edit them from its own admin. At most one configuration per tenant is its default. The same methods
 * as portal-core's {@code InMemoryPortalConfigurations}: {@link #find}, {@link #save}, {@link #saveDefault},
 * {@link #delete}.
 *
 * <p>Thread-safe. Reads go to the primary database and are kept for
 * {@link JdbcPortalStore.Builder#configurationCacheTtl(Duration) configurationCacheTtl} (default
 * {@link JdbcPortalStore#DEFAULT_CONFIGURATION_CACHE_TTL 5 seconds}; every authenticated request reads its
 * session's configuration): a change through this class is seen at once in this JVM, a change by another JVM or
 * straight in the table within that time. Reads inside a transaction are never served from or kept in the cache.
 * A write inside a transaction (the store's {@link JdbcPortalStore#transactions()} or a host's) is seen by this JVM
 * as soon as it commits if that is within the time to live (till then the tenant's reads are not kept), else within
 * the time to live after the commit.
 * Writes join {@link JdbcPortalStore#transactions()} and host transactions like every repository of the store. A stored
 * document this version cannot read (malformed, or of a newer schema version) fails as {@code UNAVAILABLE}: a bad
 * document never silently grants more than the host meant.
 */
public final class JdbcPortalConfigurations implements PortalConfigurations {
    private static final String SELECT_BY_NAME = """
            SELECT document FROM ${table_prefix}configurations WHERE tenant_id = ? AND name = ?
            """;
    private static final String SELECT_DEFAULT = """
            SELECT document FROM ${table_prefix}configurations WHERE tenant_id = ? AND is_default = TRUE
            """;
    private static final String UPDATE = """
            UPDATE ${table_prefix}configurations SET schema_version = ?, document = ?, updated_at = ?
            WHERE tenant_id = ? AND name = ?
            """;
    private static final String INSERT = """
            INSERT INTO ${table_prefix}configurations (schema_version, document, updated_at, tenant_id, name, is_default)
            VALUES (?, ?, ?, ?, ?, NULL)
            """;
    private static final String CLEAR_DEFAULT = """
            UPDATE ${table_prefix}configurations SET is_default = NULL
            WHERE tenant_id = ? AND is_default = TRUE AND name <> ?
            """;
    private static final String SET_DEFAULT = """
            UPDATE ${table_prefix}configurations SET is_default = TRUE WHERE tenant_id = ? AND name = ?
            """;
    private static final String DELETE = """
            DELETE FROM ${table_prefix}configurations WHERE tenant_id = ? AND name = ?
            """;

    private final JdbcExecutor db;
    private final Clock clock;
    private final ConfigurationCache cache;
    private final String selectByName;
    private final String selectDefault;
    private final String update;
    private final String insert;
    private final String clearDefault;
    private final String setDefault;
    private final String delete;

    JdbcPortalConfigurations(JdbcExecutor db, TablePrefix prefix, Clock clock, Duration cacheTtl) {
        this.db = db;
        this.clock = clock;
        this.cache = new ConfigurationCache(cacheTtl, clock);
        this.selectByName = prefix.apply(SELECT_BY_NAME);
        this.selectDefault = prefix.apply(SELECT_DEFAULT);
        this.update = prefix.apply(UPDATE);
        this.insert = prefix.apply(INSERT);
        this.clearDefault = prefix.apply(CLEAR_DEFAULT);
        this.setDefault = prefix.apply(SET_DEFAULT);
        this.delete = prefix.apply(DELETE);
    }

    @Override
    public Optional<PortalConfiguration> find(String tenantId, String name) {
        Checks.id(tenantId, "tenant_id");
        return cache.get(tenantId, name, !db.inAnyTransaction(), () -> read(tenantId, name));
    }

    private Optional<PortalConfiguration> read(String tenantId, String name) {
        Optional<String> document = db.read("finding a portal configuration", c -> {
            try (PreparedStatement statement = c.prepareStatement(name == null ? selectDefault : selectByName)) {
                statement.setString(1, tenantId);
                if (name != null) {
                    statement.setString(2, name);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
                }
            }
        });
        try {
            return document.map(PortalConfigurationJson::read);
        } catch (IllegalArgumentException e) {
            throw PortalException.unavailable("a stored portal configuration of tenant " + tenantId
                    + " cannot be read by this version: " + e.getMessage(), e);
        }
    }

    /**
     * Stores (or replaces) a configuration of the tenant under its {@linkplain PortalConfiguration#name() name};
     * whether it is the tenant's default does not change.
     *
     * @param tenantId      the tenant
     * @param configuration the configuration
     * @return this, to chain
     * @throws PortalException {@code UNAVAILABLE} when the database fails (nothing changed)
     */
    public JdbcPortalConfigurations save(String tenantId, PortalConfiguration configuration) {
        Checks.id(tenantId, "tenant_id");
        Checks.required(configuration, "configuration");
        String document = PortalConfigurationJson.write(configuration);
        try {
            db.transaction("saving a portal configuration", "configuration_exists", c -> {
                upsert(c, tenantId, configuration.name(), document);
                return null;
            });
        } finally {
            cache.invalidate(tenantId, db.inAnyTransaction());
        }
        return this;
    }

    /**
     * Stores a configuration and makes it the tenant's default (the previous default stays, no longer default).
     *
     * @param tenantId      the tenant
     * @param configuration the configuration
     * @return this, to chain
     * @throws PortalException {@code UNAVAILABLE} when the database fails (nothing changed); {@code CONFLICT} when
     *                         another default was made at the same moment
     */
    public JdbcPortalConfigurations saveDefault(String tenantId, PortalConfiguration configuration) {
        Checks.id(tenantId, "tenant_id");
        Checks.required(configuration, "configuration");
        String document = PortalConfigurationJson.write(configuration);
        try {
            saveAsDefault(tenantId, configuration.name(), document);
        } finally {
            cache.invalidate(tenantId, db.inAnyTransaction());
        }
        return this;
    }

    private void saveAsDefault(String tenantId, String name, String document) {
        db.transaction("saving a default portal configuration", "default_configuration_changed", c -> {
            upsert(c, tenantId, name, document);
            try (PreparedStatement statement = c.prepareStatement(clearDefault)) {
                statement.setString(1, tenantId);
                statement.setString(2, name);
                statement.executeUpdate();
            }
            try (PreparedStatement statement = c.prepareStatement(setDefault)) {
                statement.setString(1, tenantId);
                statement.setString(2, name);
                statement.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Removes one configuration (and the tenant's default, if it was that one).
     *
     * @param tenantId the tenant
     * @param name     the configuration's name
     * @return whether it existed
     * @throws PortalException {@code UNAVAILABLE} when the database fails
     */
    public boolean delete(String tenantId, String name) {
        Checks.id(tenantId, "tenant_id");
        Checks.required(name, "name");
        try {
            return db.update("deleting a portal configuration", null, c -> {
                try (PreparedStatement statement = c.prepareStatement(delete)) {
                    statement.setString(1, tenantId);
                    statement.setString(2, name);
                    return statement.executeUpdate() > 0;
                }
            });
        } finally {
            cache.invalidate(tenantId, db.inAnyTransaction());
        }
    }

    /** An update, else an insert under a savepoint: losing a race for the same new name turns into an update. */
    private void upsert(Connection c, String tenantId, String name, String document) throws SQLException {
        if (write(c, update, tenantId, name, document) == 1) {
            return;
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            write(c, insert, tenantId, name, document);
            c.releaseSavepoint(savepoint);
            return;
        } catch (SQLException e) {
            if (!db.dialect().isUniqueViolation(e)) {
                throw e;
            }
            c.rollback(savepoint);
        }
        if (write(c, update, tenantId, name, document) != 1) {
            throw new PortalException(ErrorCode.CONFLICT, "configuration_exists",
                    "a configuration of this name was saved and deleted concurrently");
        }
    }

    private int write(Connection c, String sql, String tenantId, String name, String document) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setInt(1, PortalConfigurationJson.SCHEMA_VERSION);
            statement.setString(2, document);
            db.dialect().setInstant(statement, 3, clock.instant());
            statement.setString(4, tenantId);
            statement.setString(5, name);
            return statement.executeUpdate();
        }
    }

    @Override
    public String toString() {
        return "JdbcPortalConfigurations";
    }
}
