package dev.billingportal.jdbc.internal;

import dev.billingportal.core.config.PortalConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache's own rules, without a database: a read racing a write, and the bound. */
class ConfigurationCacheBoundsTest {
    private static final Optional<PortalConfiguration> GOLD =
            Optional.of(PortalConfiguration.builder().name("gold").build());

    @Test
    void aReadDuringWhichTheTenantWasWrittenIsNotKept() {
        ConfigurationCache cache = new ConfigurationCache(Duration.ofSeconds(5), Clock.systemUTC());
        AtomicInteger reads = new AtomicInteger();
        // the write commits and invalidates while the read is on its way back with the old row
        cache.get("acme", "gold", true, () -> {
            reads.incrementAndGet();
            cache.invalidate("acme", false);
            return GOLD;
        });
        cache.get("acme", "gold", true, () -> {
            reads.incrementAndGet();
            return Optional.empty();
        });
        assertThat(reads).as("the racing read was not kept, so the next one went to the database").hasValue(2);
        cache.get("acme", "gold", true, () -> {
            reads.incrementAndGet();
            return GOLD;
        });
        assertThat(reads).as("an undisturbed read is kept").hasValue(2);
    }

    @Test
    void itStopsGrowingAtItsBoundAndSweepsExpiredEntriesToMakeRoom() {
        Instant[] now = {Instant.parse("2026-12-03T08:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now[0];
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        ConfigurationCache cache = new ConfigurationCache(Duration.ofSeconds(5), clock);
        for (int i = 0; i < ConfigurationCache.MAX_ENTRIES + 50; i++) {
            cache.get("tenant" + i, null, true, Optional::empty);
        }
        assertThat(cache.size()).isEqualTo(ConfigurationCache.MAX_ENTRIES);

        now[0] = now[0].plusSeconds(1);
        AtomicInteger reads = new AtomicInteger();
        cache.get("tenant0", null, true, () -> {
            reads.incrementAndGet();
            return Optional.empty();
        });
        assertThat(reads).as("a kept entry is served while the cache is full").hasValue(0);
        cache.get("newcomer", null, true, Optional::empty);
        assertThat(cache.size()).as("no room before the entries expire").isEqualTo(ConfigurationCache.MAX_ENTRIES);

        now[0] = now[0].plusSeconds(4);
        cache.get("late", null, true, () -> GOLD);
        assertThat(cache.size()).as("the expired entries swept, the new one kept").isEqualTo(1);
        assertThat(cache.get("late", null, true, Optional::empty)).isEqualTo(GOLD);
    }

    @Test
    void readsNotToBeKeptAreNotKept() {
        ConfigurationCache cache = new ConfigurationCache(Duration.ofSeconds(5), Clock.systemUTC());
        cache.get("acme", "gold", false, () -> GOLD);
        assertThat(cache.size()).isZero();
        assertThat(cache.get("acme", "gold", true, Optional::empty)).isEmpty();
    }
}
