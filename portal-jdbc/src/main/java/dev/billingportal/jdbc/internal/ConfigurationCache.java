package dev.billingportal.jdbc.internal;

import dev.billingportal.core.config.PortalConfiguration;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The configurations read in the last few seconds, by tenant and name (or the tenant's default), absent ones
 * included: every authenticated request needs its session's configuration, and without this each one costs a
 * database round trip and a JSON parse for a row that changes a few times a year.
 *
 * <p>An entry lives for the time to live of the store's clock. Writes through the store drop the tenant's entries
 * after they ran, and a read that raced with a write is not kept (the generation it started in has passed), so
 * the writing JVM sees its own change at once; other JVMs see it within the time to live. Reads inside a
 * transaction go to the database and are not kept (they may see the transaction's own, uncommitted writes). A write
 * inside a transaction is not yet visible to other threads when it drops the entries, and this class cannot see
 * the host's commit: so the tenant's reads are not kept for one time to live after such a write (they go to the
 * database, and see the commit as soon as it lands); a transaction open longer than that is seen within the time to
 * live after its commit, as another JVM's write is. At
 * most {@value #MAX_ENTRIES} entries: past that, reads go to the database until expired entries are swept, at most
 * once per time to live (a sweep walks every entry; doing it on each miss of a full cache would put that walk on
 * the request path).
 */
public final class ConfigurationCache {
    /** The most entries kept: tenants × the names their sessions use. */
    static final int MAX_ENTRIES = 10_000;

    private record Key(String tenantId, String name) {
    }

    private record Entry(Optional<PortalConfiguration> value, long expiresAtMillis) {
    }

    private final ConcurrentMap<Key, Entry> entries = new ConcurrentHashMap<>();
    /** Tenants written inside a transaction, with when their reads may be kept again (clock millis). */
    private final ConcurrentMap<String, Long> heldOff = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    /** When a full cache may next be swept: every entry there at a sweep has expired one time to live later. */
    private final AtomicLong nextSweepMillis = new AtomicLong(Long.MIN_VALUE);
    private final long ttlMillis;
    private final Clock clock;

    /**
     * @param ttl   how long an entry is used; zero keeps nothing
     * @param clock the store's clock
     */
    public ConfigurationCache(Duration ttl, Clock clock) {
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
    }

    /**
     * The cached answer for the tenant and name, else {@code read}'s, kept when {@code keep} is true.
     *
     * @param tenantId the tenant
     * @param name     the name, or null for the tenant's default
     * @param keep     false inside a transaction
     * @param read     reads the database
     * @return the configuration, or empty
     */
    public Optional<PortalConfiguration> get(String tenantId, String name, boolean keep,
                                             Supplier<Optional<PortalConfiguration>> read) {
        if (ttlMillis <= 0 || !keep) {
            return read.get();
        }
        Key key = new Key(tenantId, name);
        long now = clock.millis();
        Entry entry = entries.get(key);
        if (entry != null && now < entry.expiresAtMillis()) {
            return entry.value();
        }
        long started = generation.get();
        Optional<PortalConfiguration> value = read.get();
        long sweepAt = nextSweepMillis.get();
        if (entries.size() >= MAX_ENTRIES && now >= sweepAt && nextSweepMillis.compareAndSet(sweepAt, now + ttlMillis)) {
            entries.values().removeIf(e -> now >= e.expiresAtMillis());
        }
        if (entries.size() < MAX_ENTRIES && !isHeldOff(tenantId, now)) {
            entries.put(key, new Entry(value, now + ttlMillis));
            if (generation.get() != started) {
                // a write ran meanwhile: what was read may predate it
                entries.remove(key);
            }
        }
        return value;
    }

    private boolean isHeldOff(String tenantId, long now) {
        if (heldOff.isEmpty()) {
            return false; // the common case: no lookup
        }
        Long until = heldOff.get(tenantId);
        return until != null && now < until;
    }

    /**
     * Drops every entry of the tenant (a save may change its default, a delete any name); call after the write.
     *
     * @param tenantId      the tenant
     * @param inTransaction whether the write ran inside a transaction that has not committed yet: then the
     *                      tenant's reads are not kept for one time to live, since a reader on another thread
     *                      still sees the old row until the commit
     */
    public void invalidate(String tenantId, boolean inTransaction) {
        if (inTransaction && ttlMillis > 0) {
            long now = clock.millis();
            heldOff.values().removeIf(until -> now >= until); // at most the tenants written in the last time to live
            heldOff.put(tenantId, now + ttlMillis);
        }
        // after the hold-off is in place: a reader that checked it before sees the generation move and drops its entry
        generation.incrementAndGet();
        entries.keySet().removeIf(key -> key.tenantId().equals(tenantId));
    }

    /**
     * How many entries are kept.
     *
     * @return the count
     */
    public int size() {
        return entries.size();
    }
}
