package dev.billingportal.jdbc;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.jdbc.internal.SchemaMigrator;
import dev.billingportal.jdbc.internal.SqlScript;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;

import static dev.billingportal.testkit.TestData.NOW;
import static dev.billingportal.testkit.TestData.TENANT;
import static dev.billingportal.testkit.TestData.TODAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builder, dialect detection, the read replica's share of the work, and the shipped schema files. */
class JdbcPortalStoreTest {
    private static final TestDatabase H2 = TestDatabase.h2();

    @ParameterizedTest
    @ValueSource(strings = {"", "Billing_", "1abc_", "a-b", "a b", "portal_;drop", "abcdefghijklmnopqrstuvwxyz_678901"})
    @DisplayName("a table prefix that is not a plain identifier fails fast, naming the setting")
    void badPrefixIsRefused(String prefix) {
        assertThatThrownBy(() -> JdbcPortalStore.builder(H2.dataSource()).tablePrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix");
        assertThatThrownBy(() -> PortalSchema.migrate(H2.dataSource(), prefix))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix");
    }

    @Test
    @DisplayName("defaults: prefix portal_, dialect detected from the connection; toString names no URL")
    void defaults() {
        JdbcPortalStore store = JdbcPortalStore.builder(H2.dataSource()).build();
        assertThat(store.tablePrefix()).isEqualTo(JdbcPortalStore.DEFAULT_TABLE_PREFIX).isEqualTo("portal_");
        assertThat(store.dialect()).isEqualTo(SqlDialect.H2);
        assertThat(store.toString()).contains("H2", "portal_").doesNotContain("jdbc:", "mem:");
        assertThat(JdbcPortalStore.builder(H2.dataSource()).tablePrefix("billing_").build().tablePrefix())
                .isEqualTo("billing_");
    }

    @Test
    @DisplayName("dialects are recognised by product name; unknown databases are refused unless named")
    void dialectDetection() {
        assertThat(SqlDialect.forProductName("PostgreSQL")).contains(SqlDialect.POSTGRESQL);
        assertThat(SqlDialect.forProductName("MariaDB")).contains(SqlDialect.MYSQL);
        assertThat(SqlDialect.forProductName("MySQL")).contains(SqlDialect.MYSQL);
        assertThat(SqlDialect.forProductName("H2")).contains(SqlDialect.H2);
        assertThat(SqlDialect.forProductName("Oracle")).isEmpty();
        assertThat(SqlDialect.forProductName(null)).isEmpty();

        DataSource oracle = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (p, m, a) -> {
                    java.sql.Connection real = H2.dataSource().getConnection();
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {java.sql.Connection.class},
                            (cp, cm, ca) -> switch (cm.getName()) {
                                case "getMetaData" -> Proxy.newProxyInstance(getClass().getClassLoader(),
                                        new Class<?>[] {java.sql.DatabaseMetaData.class},
                                        (mp, mm, ma) -> mm.getName().equals("getDatabaseProductName") ? "Oracle" : null);
                                case "close" -> {
                                    real.close();
                                    yield null;
                                }
                                default -> cm.invoke(real, ca);
                            });
                });
        assertThatThrownBy(() -> JdbcPortalStore.builder(oracle).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Oracle").hasMessageContaining("dialect");
        assertThat(JdbcPortalStore.builder(oracle).dialect(SqlDialect.POSTGRESQL).build().dialect())
                .isEqualTo(SqlDialect.POSTGRESQL);
    }

    @Test
    @DisplayName("an unreachable database: detection fails UNAVAILABLE; a named dialect builds without a connection")
    void unreachableDatabase() {
        DataSource down = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, a) -> {
                    throw new SQLException("Connection refused: db.internal:5432 (password=hunter2)", "08001");
                });
        assertThatThrownBy(() -> JdbcPortalStore.builder(down).build()).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e.getMessage()).doesNotContain("hunter2");
        });
        assertThat(JdbcPortalStore.builder(down).dialect(SqlDialect.MYSQL).build().dialect()).isEqualTo(SqlDialect.MYSQL);
        assertThatThrownBy(() -> PortalSchema.migrate(down)).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    @DisplayName("with a read replica, invoice reads go there; writes, customers and sessions stay on the primary")
    void readReplicaTakesInvoiceReads() {
        CountedStore counted = countedStore();
        JdbcPortalStore store = counted.store();
        AtomicInteger primaryConnections = counted.primaryConnections();
        AtomicInteger replicaConnections = counted.replicaConnections();
        Customer customer = TestData.customer(TENANT, "cus-1");
        CustomerScope scope = CustomerScope.of(customer);

        store.customers().save(customer);
        store.invoices().save(TestData.invoice(customer, "inv-1", TODAY).build());
        store.sessions().create(TestData.session("ses-1", customer.ref(), NOW, Duration.ofHours(1)));
        store.customers().findByExternalId(customer.ref());
        store.sessions().find(customer.ref(), "ses-1");
        store.sessions().revokeAll(CustomerRef.of(TENANT, "ext-cus-1"), NOW);
        assertThat(replicaConnections).as("before any invoice read").hasValue(0);
        int primary = primaryConnections.get();

        assertThat(store.invoices().findById(scope, "inv-1")).isPresent();
        assertThat(store.invoices().find(scope, TestData.search().build())).hasSize(1);
        assertThat(store.invoices().overview(scope, TODAY).currencies()).hasSize(1);
        assertThat(replicaConnections).hasValue(3);
        assertThat(primaryConnections).hasValue(primary);
    }

    @Test
    @DisplayName("a session is read with the store's own customer on one primary connection; a host's customers"
            + " are asked separately")
    void sessionWithCustomerIsOneRead() {
        CountedStore counted = countedStore();
        JdbcPortalStore store = counted.store();
        AtomicInteger primaryConnections = counted.primaryConnections();
        AtomicInteger replicaConnections = counted.replicaConnections();
        Customer customer = TestData.customer(TENANT, "cus-1");
        store.customers().save(customer);
        store.sessions().create(TestData.session("ses-1", customer.ref(), NOW, Duration.ofHours(1)));

        int before = primaryConnections.get();
        var read = store.sessions().findWithCustomer(customer.ref(), "ses-1", store.customers()).orElseThrow();
        assertThat(read.customer()).isEqualTo(customer);
        assertThat(primaryConnections.get() - before).as("connections for the store's own customers").isEqualTo(1);

        JdbcPortalStore other = JdbcPortalStore.builder(counting(H2.dataSource(), primaryConnections))
                .tablePrefix(store.tablePrefix()).build();
        before = primaryConnections.get();
        assertThat(store.sessions().findWithCustomer(customer.ref(), "ses-1", other.customers()).orElseThrow().customer())
                .isEqualTo(customer);
        assertThat(primaryConnections.get() - before).as("another store's customers: two reads").isEqualTo(2);
        assertThat(replicaConnections).as("authentication never reads the replica").hasValue(0);
    }

    /** A store over empty tables whose primary and read replica (both H2) count the connections taken. */
    private record CountedStore(JdbcPortalStore store, AtomicInteger primaryConnections, AtomicInteger replicaConnections) {
    }

    private CountedStore countedStore() {
        String prefix = H2.emptyStore(getClass()).tablePrefix();
        AtomicInteger primary = new AtomicInteger();
        AtomicInteger replica = new AtomicInteger();
        JdbcPortalStore store = JdbcPortalStore.builder(counting(H2.dataSource(), primary))
                .readReplica(counting(H2.dataSource(), replica)).tablePrefix(prefix).build();
        return new CountedStore(store, primary, replica);
    }

    private static DataSource counting(DataSource real, AtomicInteger connections) {
        return (DataSource) Proxy.newProxyInstance(JdbcPortalStoreTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (p, m, a) -> {
                    if (m.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                    }
                    return m.invoke(real, a);
                });
    }

    @Test
    @DisplayName("every database ships exactly the migrations the migrator knows, at Flyway-style paths")
    void schemaFilesShipForEveryDatabase() throws IOException {
        for (SqlDialect dialect : SqlDialect.values()) {
            assertThat(dialect.schemaLocation())
                    .isEqualTo("dev/billingportal/jdbc/schema/" + dialect.name().toLowerCase(java.util.Locale.ROOT));
            Path folder = Path.of("target/classes").resolve(dialect.schemaLocation());
            try (Stream<Path> files = Files.list(folder)) {
                assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).as(dialect.name())
                        .isEqualTo(SchemaMigrator.MIGRATIONS.stream().map(SchemaMigrator.Migration::fileName).toList());
            }
            assertThat(SchemaMigrator.script(dialect.implementation(), SchemaMigrator.MIGRATIONS.get(0)))
                    .contains("${table_prefix}customers").contains("${table_prefix}invoices")
                    .contains("${table_prefix}invoice_totals").contains("${table_prefix}sessions");
            assertThat(SchemaMigrator.script(dialect.implementation(), SchemaMigrator.MIGRATIONS.get(1)))
                    .contains("ALTER TABLE ${table_prefix}sessions").contains("${table_prefix}audit_events")
                    .contains("${table_prefix}sessions_link_ix").contains("${table_prefix}audit_events_customer_ix");
            assertThat(SchemaMigrator.script(dialect.implementation(), SchemaMigrator.MIGRATIONS.get(2)))
                    .contains("${table_prefix}customers ADD COLUMN").contains("${table_prefix}audit_events ADD COLUMN")
                    .contains("${table_prefix}configurations").contains("${table_prefix}idempotency_keys")
                    .contains("${table_prefix}event_outbox").contains("${table_prefix}idempotency_keys_expires_ix")
                    .contains("${table_prefix}event_outbox_pending_ix");
        }
        assertThat(SchemaMigrator.MIGRATIONS).extracting(SchemaMigrator.Migration::fileName)
                .containsExactly("V1__portal.sql", "V2__one_time_links_and_audit.sql",
                        "V3__self_service.sql");
        assertThat(PortalSchema.latestVersion()).isEqualTo(3);
    }

    @Test
    @DisplayName("the script splitter keeps dollar-quoted bodies, quoted semicolons and drops comments")
    void scriptSplitting() {
        List<String> statements = SqlScript.statements("""
                -- a comment; with a semicolon
                CREATE TABLE a (x varchar(10) DEFAULT 'a;b');  /* block; comment */
                DO $$
                BEGIN
                    RAISE NOTICE 'it''s; fine';
                END
                $$;
                SELECT "odd;name", `tick;name` FROM a;
                ;
                """);
        assertThat(statements).containsExactly("CREATE TABLE a (x varchar(10) DEFAULT 'a;b')",
                "DO $$\nBEGIN\n    RAISE NOTICE 'it''s; fine';\nEND\n$$",
                "SELECT \"odd;name\", `tick;name` FROM a");
        assertThat(SqlScript.statements(SchemaMigrator.script(SqlDialect.POSTGRESQL.implementation(),
                SchemaMigrator.MIGRATIONS.get(0)))).hasSize(10).anySatisfy(s -> assertThat(s).startsWith("DO $$"));
    }
}
