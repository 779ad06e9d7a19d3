package dev.billingportal.jdbc;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.jdbc.internal.SchemaMigrator;
import dev.billingportal.jdbc.internal.TablePrefix;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What a host reads when the schema is missing or old, on each database: the SQLState in words and the fix, with
 * the driver's message (which quotes SQL) still withheld.
 */
abstract class SchemaErrorSuite {

    abstract TestDatabase database();

    @Test
    @DisplayName("a missing table says 'table not found' and which PortalSchema.migrate to run")
    void missingTableNamesTheFix() {
        String prefix = database().newPrefix(); // never migrated
        JdbcPortalStore store = JdbcPortalStore.builder(database().dataSource()).tablePrefix(prefix).build();

        PortalException e = catchThrowableOfType(PortalException.class,
                () -> store.customers().findByExternalId(CustomerRef.of("nobody")));

        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        // PostgreSQL 42P01, MariaDB/MySQL and H2 42S02
        assertThat(e.getMessage()).containsAnyOf("SQLState 42P01: ", "SQLState 42S02: ")
                .contains("table not found: run PortalSchema.migrate(dataSource, \"" + prefix + "\")")
                .contains("with the table prefix '" + prefix + "'");
        assertThat(e.getCause()).isInstanceOf(SQLException.class);
        assertThat(e.getCause().getMessage()).contains("table not found").contains("driver message withheld")
                .doesNotContainIgnoringCase("select").doesNotContainIgnoringCase(prefix + "customers");
    }

    @Test
    @DisplayName("tables of an older schema version say 'column not found' and to migrate")
    void oldSchemaNamesTheUpgrade() throws SQLException {
        String prefix = database().newPrefix();
        // Version 1 only: the sessions table lacks V2's link_id, exchanged_at and last_seen_at.
        SchemaMigrator.migrate(database().dataSource(), new TablePrefix(prefix), database().dialect().implementation(), 1);
        JdbcPortalStore store = JdbcPortalStore.builder(database().dataSource()).tablePrefix(prefix).build();

        PortalException e = catchThrowableOfType(PortalException.class, () -> store.sessions().findById("s-1"));

        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        // PostgreSQL 42703, MariaDB/MySQL and H2 42S22
        assertThat(e.getMessage()).containsAnyOf("SQLState 42703: ", "SQLState 42S22: ")
                .contains("column not found: the tables are of an older schema version")
                .contains("PortalSchema.migrate(dataSource, \"" + prefix + "\")");
    }
}
