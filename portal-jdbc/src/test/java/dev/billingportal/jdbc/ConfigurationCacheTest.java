package dev.billingportal.jdbc;

import dev.billingportal.core.config.PortalConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The configuration cache of {@link JdbcPortalConfigurations} on a real H2: what it keeps, for how long, and what
 * it never keeps. Changes made straight in the table stand for another JVM's writes.
 */
class ConfigurationCacheTest {
    private static final TestDatabase H2 = TestDatabase.h2();
    private static final String TENANT = "acme";

    private final StepClock clock = new StepClock(Instant.parse("2026-12-03T08:00:00Z"));
    private String prefix;

    @BeforeEach
    void emptyTables() {
        prefix = H2.emptyStore(getClass()).tablePrefix();
    }

    private JdbcPortalStore store(Duration ttl) {
        return JdbcPortalStore.builder(H2.dataSource()).tablePrefix(prefix).dialect(SqlDialect.H2).clock(clock)
                .configurationCacheTtl(ttl).build();
    }

    private static PortalConfiguration named(String name, String ancestor) {
        return PortalConfiguration.builder().name(name).frameAncestors(List.of(ancestor)).build();
    }

    /** What another JVM does: deletes the tenant's rows behind this store's back. */
    private void deleteBehindTheStoresBack() {
        H2.execute("DELETE FROM " + prefix + "configurations WHERE tenant_id = '" + TENANT + "'");
    }

    @Test
    void aReadIsKeptForTheTimeToLiveThenReadAgain() {
        JdbcPortalStore store = store(Duration.ofSeconds(5));
        PortalConfiguration gold = named("gold", "https://a.example");
        store.configurations().save(TENANT, gold);
        assertThat(store.configurations().find(TENANT, "gold")).contains(gold);

        deleteBehindTheStoresBack();
        clock.advance(Duration.ofMillis(4_999));
        assertThat(store.configurations().find(TENANT, "gold")).as("within the time to live").contains(gold);
        clock.advance(Duration.ofMillis(1));
        assertThat(store.configurations().find(TENANT, "gold")).as("once it has passed").isEmpty();
    }

    @Test
    void absentConfigurationsAreKeptTooAndTheStoresOwnSaveIsSeenAtOnce() {
        JdbcPortalStore store = store(Duration.ofSeconds(5));
        assertThat(store.configurations().find(TENANT, "gold")).isEmpty();
        assertThat(store.configurations().find(TENANT, null)).isEmpty();

        PortalConfiguration gold = named("gold", "https://a.example");
        store.configurations().saveDefault(TENANT, gold);
        assertThat(store.configurations().find(TENANT, "gold")).contains(gold);
        assertThat(store.configurations().find(TENANT, null)).as("the new default").contains(gold);

        PortalConfiguration changed = named("gold", "https://b.example");
        store.configurations().save(TENANT, changed);
        assertThat(store.configurations().find(TENANT, null)).as("the default's content, changed by save").contains(changed);

        assertThat(store.configurations().delete(TENANT, "gold")).isTrue();
        assertThat(store.configurations().find(TENANT, "gold")).isEmpty();
        assertThat(store.configurations().find(TENANT, null)).isEmpty();
    }

    @Test
    void aWriteDropsOnlyItsOwnTenantsEntries() {
        JdbcPortalStore store = store(Duration.ofSeconds(5));
        PortalConfiguration gold = named("gold", "https://a.example");
        store.configurations().save(TENANT, gold);
        store.configurations().save("globex", gold);
        assertThat(store.configurations().find("globex", "gold")).contains(gold);

        H2.execute("DELETE FROM " + prefix + "configurations WHERE tenant_id = 'globex'");
        store.configurations().save(TENANT, named("silver", "https://a.example"));
        assertThat(store.configurations().find("globex", "gold")).as("another tenant's entry stays").contains(gold);
    }

    @Test
    void zeroReadsTheTableOnEveryCall() {
        JdbcPortalStore store = store(Duration.ZERO);
        PortalConfiguration gold = named("gold", "https://a.example");
        store.configurations().save(TENANT, gold);
        assertThat(store.configurations().find(TENANT, "gold")).contains(gold);
        deleteBehindTheStoresBack();
        assertThat(store.configurations().find(TENANT, "gold")).isEmpty();
    }

    @Test
    void readsInsideATransactionAreNeitherServedFromTheCacheNorKept() {
        JdbcPortalStore store = store(Duration.ofSeconds(5));
        PortalConfiguration gold = named("gold", "https://a.example");
        store.configurations().save(TENANT, gold);
        assertThat(store.configurations().find(TENANT, "gold")).contains(gold);
        deleteBehindTheStoresBack();

        Optional<PortalConfiguration> inside = store.transactions().inTransaction(
                () -> store.configurations().find(TENANT, "gold"));
        assertThat(inside).as("a transaction reads the table").isEmpty();

        // a transaction's own write, rolled back: it must not reach the cache
        assertThatThrownBy(() -> store.transactions().inTransaction(() -> {
            store.configurations().save(TENANT, named("bronze", "https://c.example"));
            assertThat(store.configurations().find(TENANT, "bronze")).isPresent();
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        assertThat(store.configurations().find(TENANT, "bronze")).isEmpty();
    }

    /** A find on another thread, as a concurrent request makes it: it sees only committed rows. */
    private static Optional<PortalConfiguration> findElsewhere(JdbcPortalStore store, String name) {
        return CompletableFuture.supplyAsync(() -> store.configurations().find(TENANT, name)).join();
    }

    @Test
    void aSaveInsideTheStoresTransactionIsSeenAtOnceWhenItCommits() {
        JdbcPortalStore store = store(Duration.ofSeconds(5));
        PortalConfiguration gold = named("gold", "https://a.example");
        PortalConfiguration changed = named("gold", "https://b.example");
        store.configurations().save(TENANT, gold);
        assertThat(store.configurations().find(TENANT, "gold")).contains(gold);

        store.transactions().inTransaction(() -> {
            store.configurations().save(TENANT, changed);
            // a request meanwhile reads the committed row: it must not keep it past the commit
            assertThat(findElsewhere(store, "gold")).as("before the commit, another thread").contains(gold);
            return null;
        });
        assertThat(store.configurations().find(TENANT, "gold")).as("right after the commit").contains(changed);
        assertThat(findElsewhere(store, "gold")).as("right after the commit, another thread").contains(changed);
    }

    @Test
    void aSaveInsideAHostTransactionIsSeenAtOnceWhenTheHostCommits() throws SQLException {
        ThreadLocal<Connection> current = new ThreadLocal<>();
        JdbcPortalStore store = JdbcPortalStore.builder(H2.dataSource()).tablePrefix(prefix).dialect(SqlDialect.H2)
                .clock(clock).configurationCacheTtl(Duration.ofSeconds(5)).hostTransactions(current::get).build();
        PortalConfiguration gold = named("gold", "https://a.example");
        PortalConfiguration changed = named("gold", "https://b.example");
        store.configurations().saveDefault(TENANT, gold);
        assertThat(store.configurations().find(TENANT, null)).contains(gold);

        try (Connection host = H2.dataSource().getConnection()) {
            host.setAutoCommit(false);
            current.set(host);
            try {
                store.configurations().save(TENANT, changed);
                assertThat(findElsewhere(store, null)).as("before the host commits, another thread").contains(gold);
                host.commit();
            } finally {
                current.remove();
                host.setAutoCommit(true);
            }
        }
        assertThat(store.configurations().find(TENANT, null)).as("right after the host's commit").contains(changed);
        assertThat(findElsewhere(store, "gold")).as("by name, another thread").contains(changed);
    }

    @Test
    void afterAWriteInATransactionReadsAreKeptAgainOnceATimeToLiveHasPassed() {
        JdbcPortalStore store = store(Duration.ofSeconds(5));
        PortalConfiguration gold = named("gold", "https://a.example");
        store.transactions().inTransaction(() -> store.configurations().save(TENANT, gold));

        assertThat(store.configurations().find(TENANT, "gold")).contains(gold);
        deleteBehindTheStoresBack();
        assertThat(store.configurations().find(TENANT, "gold")).as("within the hold-off, not kept").isEmpty();

        store.configurations().save(TENANT, gold);
        clock.advance(Duration.ofSeconds(5));
        assertThat(store.configurations().find(TENANT, "gold")).contains(gold);
        deleteBehindTheStoresBack();
        assertThat(store.configurations().find(TENANT, "gold")).as("kept again after the hold-off").contains(gold);
    }

    @Test
    void theTimeToLiveIsCheckedWhenSet() {
        JdbcPortalStore.Builder builder = JdbcPortalStore.builder(H2.dataSource());
        assertThatThrownBy(() -> builder.configurationCacheTtl(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configurationCacheTtl");
        assertThatThrownBy(() -> builder.configurationCacheTtl(Duration.ofDays(1).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configurationCacheTtl");
        assertThatThrownBy(() -> builder.configurationCacheTtl(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("configurationCacheTtl");
        assertThat(JdbcPortalStore.DEFAULT_CONFIGURATION_CACHE_TTL).isEqualTo(Duration.ofSeconds(5));
    }
}
