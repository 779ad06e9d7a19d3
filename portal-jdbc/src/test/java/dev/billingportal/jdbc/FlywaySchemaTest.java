package dev.billingportal.jdbc;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.jdbc.internal.SchemaMigrator;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shipped schema files run through Flyway 13 exactly as the README's recipe says, on PostgreSQL, MariaDB and H2,
 * and build the same tables, columns, keys and indexes as {@link PortalSchema#migrate}: both are applied side by
 * side, under two fresh prefixes in the run's shared database (a database that already holds other tables, as a
 * host's does), and compared through {@link DatabaseMetaData}. Every {@code V*.sql} of each folder is picked up, so a
 * new schema version is covered without touching this test.
 */
class FlywaySchemaTest {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__(.+)\\.sql");

    static Stream<Arguments> databases() {
        // Suppliers: a database starts when its row runs, so one that cannot start fails its own row only.
        return Stream.of(
                Arguments.of(Named.<Supplier<TestDatabase>>of("PostgreSQL", TestDatabase::postgres)),
                Arguments.of(Named.<Supplier<TestDatabase>>of("MariaDB", TestDatabase::mariadb)),
                Arguments.of(Named.<Supplier<TestDatabase>>of("H2", TestDatabase::h2)));
    }

    @ParameterizedTest(name = "{0}: the README's Flyway recipe builds what PortalSchema.migrate builds")
    @MethodSource("databases")
    void flywayBuildsWhatPortalSchemaBuilds(Supplier<TestDatabase> databases) throws Exception {
        TestDatabase database = databases.get();
        DataSource dataSource = database.dataSource();
        String flywayPrefix = database.newPrefix();
        String portalPrefix = database.newPrefix();
        // A host's own table: the database is not empty, as no host's is.
        database.execute("CREATE TABLE " + database.newPrefix() + "host_orders (id INT PRIMARY KEY)");

        // Without the baseline lines Flyway refuses such a database: why the README has them.
        assertThatThrownBy(() -> Flyway.configure().dataSource(dataSource)
                .locations("classpath:" + database.dialect().schemaLocation())
                .placeholders(Map.of("table_prefix", flywayPrefix)).table(flywayPrefix + "flyway_history")
                .load().migrate())
                .isInstanceOf(FlywayException.class).hasMessageContaining("non-empty schema");

        // The README's recipe, with the test's prefix in place of portal_.
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + database.dialect().schemaLocation())
                .placeholders(Map.of("table_prefix", flywayPrefix))
                .table(flywayPrefix + "flyway_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        PortalSchema.migrate(dataSource, portalPrefix);

        List<Integer> shipped = shippedVersions(database.dialect());
        assertThat(shipped).as("V*.sql files of %s", database.dialect().schemaLocation())
                .containsExactlyElementsOf(SchemaMigrator.MIGRATIONS.stream().map(SchemaMigrator.Migration::version).toList());
        assertThat(result.migrations.stream().map(m -> Integer.parseInt(m.version)).toList())
                .as("versions Flyway applied: every shipped file, in order").containsExactlyElementsOf(shipped);

        Schema byFlyway = Schema.read(dataSource, flywayPrefix, "flyway_history");
        Schema byPortal = Schema.read(dataSource, portalPrefix, SchemaMigrator.HISTORY_TABLE);
        assertThat(byFlyway.tables().keySet()).as("tables")
                .contains("customers", "invoices", "invoice_totals", "sessions", "audit_events");
        assertThat(byFlyway.tables().get("sessions")).as("V2's columns are there").anyMatch(c -> c.contains(" last_seen_at "));
        assertThat(byFlyway.tables()).as("tables and columns (name, type, size, nullability, default)")
                .isEqualTo(byPortal.tables());
        assertThat(byFlyway.keys()).as("primary and foreign keys").isEqualTo(byPortal.keys()).isNotEmpty();
        assertThat(byFlyway.indexes()).as("indexes (uniqueness, columns and their order, filter)")
                .isEqualTo(byPortal.indexes());
        assertThat(byFlyway.indexNames()).as("index names").isEqualTo(byPortal.indexNames())
                .contains("invoices_portal_order_ix", "sessions_customer_ix", "audit_events_customer_ix");

        // And the store works on Flyway's tables.
        JdbcPortalStore store = JdbcPortalStore.builder(dataSource).tablePrefix(flywayPrefix).build();
        store.customers().save(Customer.builder().id("cus_flyway").externalId("ext-flyway").name("Fly").build());
        assertThat(store.customers().findByExternalId(CustomerRef.of("ext-flyway"))).isPresent();

        // Running the recipe again applies nothing: Flyway's own history table records the portal's versions.
        MigrateResult again = Flyway.configure().dataSource(dataSource)
                .locations("classpath:" + database.dialect().schemaLocation())
                .placeholders(Map.of("table_prefix", flywayPrefix)).table(flywayPrefix + "flyway_history")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        assertThat(again.migrationsExecuted).isZero();
        MigrationInfo[] applied = Flyway.configure().dataSource(dataSource)
                .locations("classpath:" + database.dialect().schemaLocation())
                .placeholders(Map.of("table_prefix", flywayPrefix)).table(flywayPrefix + "flyway_history").load()
                .info().applied();
        assertThat(Arrays.stream(applied).filter(m -> !"0".equals(m.getVersion().getVersion())).count())
                .isEqualTo(shipped.size());
    }

    @Test
    void theReadmeShowsThisRecipe() throws IOException {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        assertThat(readme).contains("""
                Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:" + SqlDialect.POSTGRESQL.schemaLocation())  // dev/billingportal/jdbc/schema/postgresql
                    .placeholders(Map.of("table_prefix", "portal_"))
                    .table("portal_flyway_history")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();""");
    }

    /** The versions of the {@code V<n>__*.sql} files in the dialect's folder, in order. */
    private static List<Integer> shippedVersions(SqlDialect dialect) throws IOException, URISyntaxException {
        URL folder = FlywaySchemaTest.class.getResource("/" + dialect.schemaLocation());
        assertThat(folder).as(dialect.schemaLocation()).isNotNull();
        List<Integer> versions = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            for (Path file : files.toList()) {
                Matcher m = VERSIONED.matcher(file.getFileName().toString());
                if (m.matches()) {
                    versions.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        versions.sort(null);
        return versions;
    }

    /**
     * The portal's tables under one prefix as the database describes them, names without the prefix and
     * lower-cased (H2 upper-cases unquoted names), the history table left out.
     */
    private record Schema(Map<String, List<String>> tables, TreeSet<String> keys, List<String> indexes,
                          TreeSet<String> indexNames) {

        static Schema read(DataSource dataSource, String prefix, String historyTable) throws SQLException {
            Map<String, List<String>> tables = new TreeMap<>();
            TreeSet<String> keys = new TreeSet<>();
            List<String> indexes = new ArrayList<>();
            TreeSet<String> indexNames = new TreeSet<>();
            try (Connection c = dataSource.getConnection()) {
                DatabaseMetaData meta = c.getMetaData();
                String catalog = c.getCatalog();
                String schema = c.getSchema();
                List<String> names = new ArrayList<>();
                try (ResultSet rows = meta.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
                    while (rows.next()) {
                        String name = rows.getString("TABLE_NAME");
                        String bare = strip(name, prefix);
                        if (bare != null && !bare.equals(historyTable)) {
                            names.add(name);
                        }
                    }
                }
                for (String table : names) {
                    String bare = strip(table, prefix);
                    List<String> columns = new ArrayList<>();
                    try (ResultSet rows = meta.getColumns(catalog, schema, table, "%")) {
                        while (rows.next()) {
                            columns.add(rows.getInt("ORDINAL_POSITION") + " " + lower(rows.getString("COLUMN_NAME"))
                                    + " " + rows.getString("TYPE_NAME") + "(" + rows.getInt("COLUMN_SIZE") + ","
                                    + rows.getInt("DECIMAL_DIGITS") + ") nullable=" + rows.getString("IS_NULLABLE")
                                    + " default=" + rows.getString("COLUMN_DEF"));
                        }
                    }
                    columns.sort(null);
                    tables.put(bare, columns);
                    try (ResultSet rows = meta.getPrimaryKeys(catalog, schema, table)) {
                        while (rows.next()) {
                            keys.add("pk " + bare + "." + lower(rows.getString("COLUMN_NAME")) + " #" + rows.getInt("KEY_SEQ")
                                    + " " + strip(rows.getString("PK_NAME"), prefix));
                        }
                    }
                    try (ResultSet rows = meta.getImportedKeys(catalog, schema, table)) {
                        while (rows.next()) {
                            keys.add("fk " + strip(rows.getString("FK_NAME"), prefix) + " " + bare + "."
                                    + lower(rows.getString("FKCOLUMN_NAME")) + " -> "
                                    + strip(rows.getString("PKTABLE_NAME"), prefix) + "."
                                    + lower(rows.getString("PKCOLUMN_NAME")));
                        }
                    }
                    Map<String, List<String>> byIndex = new TreeMap<>();
                    try (ResultSet rows = meta.getIndexInfo(catalog, schema, table, false, false)) {
                        while (rows.next()) {
                            String index = rows.getString("INDEX_NAME");
                            if (index == null) {
                                continue; // a table statistic row, not an index
                            }
                            String bareIndex = strip(index, prefix);
                            if (bareIndex != null) {
                                indexNames.add(bareIndex);
                            }
                            String filter = rows.getString("FILTER_CONDITION");
                            byIndex.computeIfAbsent(bareIndex != null ? bareIndex : "(generated) " + index,
                                    k -> new ArrayList<>()).add(rows.getShort("ORDINAL_POSITION") + ":"
                                    + lower(rows.getString("COLUMN_NAME")) + " " + rows.getString("ASC_OR_DESC")
                                    + (filter != null ? " where " + filter.replace(prefix, "<prefix>") : ""));
                        }
                    }
                    // H2 and MariaDB name the indexes behind keys themselves (with counters): compared by shape only.
                    try (ResultSet rows = meta.getIndexInfo(catalog, schema, table, true, false)) {
                        TreeSet<String> unique = new TreeSet<>();
                        while (rows.next()) {
                            if (rows.getString("INDEX_NAME") != null) {
                                unique.add(rows.getString("INDEX_NAME"));
                            }
                        }
                        byIndex.forEach((name, cols) -> {
                            cols.sort(null);
                            boolean isUnique = unique.contains(name) || unique.stream()
                                    .anyMatch(u -> name.equals(strip(u, prefix)) || name.equals("(generated) " + u));
                            indexes.add(bare + (isUnique ? " unique " : " ") + cols);
                        });
                    }
                }
            }
            indexes.sort(null);
            return new Schema(tables, keys, indexes, indexNames);
        }

        /**
         * The name without {@code prefix} (any case), lower-cased; null when it does not carry the prefix. H2 names
         * the index behind a constraint after it plus a counter ({@code ..._uq_index_3}): the counter is dropped.
         */
        private static String strip(String name, String prefix) {
            if (name == null || !name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return null;
            }
            return name.substring(prefix.length()).toLowerCase(Locale.ROOT).replaceAll("_index_[0-9a-f]+$", "_index_#");
        }

        private static String lower(String name) {
            return name == null ? null : name.toLowerCase(Locale.ROOT);
        }
    }
}
