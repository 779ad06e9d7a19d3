package dev.billingportal.testkit;

import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.testkit.ApiFuzzGenerator.Generated;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated fuzz of {@link PortalApi} over your storage: thousands of requests with random methods, paths
 * (traversal, encoded slashes, NUL, double slashes, overlong, Unicode), query strings (every parameter with garbage:
 * huge and negative numbers, impossible dates, tampered and foreign cursors, repeated parameters, broken
 * percent-encoding, emoji, 10 KB values), headers (duplicate or odd-cased {@code Authorization}, expired, revoked,
 * tampered and foreign tokens, huge values) and bodies, a good share of them with valid tokens so that the
 * authenticated code paths are fuzzed too. Every response must:
 *
 * <ul>
 *   <li>never be a 5xx, and never throw;</li>
 *   <li>carry a {@code Content-Type} whenever it has a body, and {@code Cache-Control} always;</li>
 *   <li>if it is an error, be Lago's shape: exactly {@code status} (equal to the HTTP status), {@code error} (its
 *       reason phrase) and {@code code} (snake_case), plus {@code error_details} on 422 only, an object of arrays of
 *       strings; a 401 says {@code WWW-Authenticate}, a 405 says {@code Allow};</li>
 *   <li>answer HEAD without a body;</li>
 *   <li>show a token's customer nothing of the other customers'.</li>
 * </ul>
 *
 * <p>Requests go to two portals over the same storage: one with reusable links, one with one-time links, whose valid
 * tokens are sessions exchanged from links; a share of them are exchanges ({@code POST /session}) with fresh, used,
 * revoked and foreign links, session tokens and junk.
 *
 * <p>And no request writes but what it legitimately may: every write to the repositories and the audit trail is
 * recorded, and after each request checked against its answer. An exchange answered 201 stores exactly one session
 * for the link's customer, marks exactly that link and audits it; a replay refused as {@code link_already_used}
 * audits the replay; a download handed out audits the download; any other write fails the test. The stored state
 * read back afterwards equals the state before, changed by those writes only.
 *
 * <p>The seed is fixed ({@value #DEFAULT_SEED}) and printed; rerun another with {@code -D}{@value #SEED_PROPERTY},
 * and change the number of requests with {@code -D}{@value #REQUESTS_PROPERTY}. Subclass it like the other
 * contracts:
 *
 * <pre>{@code
 * class MyStorageFuzzTest extends PortalApiFuzzContract {
 *     @Override
 *     protected PortalStorage createStorage() {
 *         MyStore store = MyStore.overEmptySchema();
 *         return new PortalStorage(store.customers(), store.invoices(), store.sessions());
 *     }
 * }
 * }</pre>
 */
public abstract class PortalApiFuzzContract {
    /** The seed when {@value #SEED_PROPERTY} is not set. */
    public static final long DEFAULT_SEED = 20_261_121L;
    /** System property naming another seed. */
    public static final String SEED_PROPERTY = "portal.fuzz.seed";
    /** System property naming another number of requests. */
    public static final String REQUESTS_PROPERTY = "portal.fuzz.requests";
    /** Requests per run unless {@link #requests()} or {@value #REQUESTS_PROPERTY} says otherwise. */
    public static final int DEFAULT_REQUESTS = 10_000;


    /**
     * Return the three repositories over EMPTY storage; called once, at the start of the fuzz.
     *
     * @return the storage under test
     */
    protected abstract PortalStorage createStorage();

    /**
     * How many requests to send (default {@value #DEFAULT_REQUESTS}); {@value #REQUESTS_PROPERTY} overrides it.
     * Lower it for a slow storage.
     *
     * @return the number of requests
     */
    protected int requests() {
        return DEFAULT_REQUESTS;
    }

    @Test
    final void fuzzThePortalApi() throws IOException {
        long seed = Long.getLong(SEED_PROPERTY, DEFAULT_SEED);
        int requests = Integer.getInteger(REQUESTS_PROPERTY, requests());
        System.out.println(getClass().getName() + ": fuzzing PortalApi with " + requests + " requests, seed " + seed
                + " (rerun with -D" + SEED_PROPERTY + "=" + seed + ")");

        PortalStorage storage = createStorage();
        assertThat(storage).as("createStorage()").isNotNull();
        WriteGuard guard = new WriteGuard();
        PortalWorld world = new PortalWorld(storage, guard.guard(storage), guard::subscriptions,
                guard::paymentMethods, guard::wallets);
        ApiFuzzMaterial material = new ApiFuzzMaterial(world, Math.max(40, requests / 25));
        ApiFuzzSnapshot before = ApiFuzzSnapshot.of(world, storage, material.sessionIds);

        ApiFuzzGenerator generator = new ApiFuzzGenerator(new Random(seed), world, material);
        ApiFuzzStats stats = new ApiFuzzStats();
        ApiFuzzLegitimateWrites legitimate = new ApiFuzzLegitimateWrites();
        guard.arm();
        try {
            for (int i = 0; i < requests; i++) {
                if (i % 100 == 0) {
                    world.restorePayments(); // removals and charges deplete them; the provider is not in the snapshot
                }
                Generated generated = generator.next();
                PortalResponse response;
                try {
                    response = world.api(generated.mode()).handle(generated.request());
                } catch (Throwable t) {
                    throw new AssertionError(describe(seed, i, generated) + " threw " + t, t);
                }
                try {
                    ApiFuzzResponseChecks.check(world, generated, response, stats);
                    legitimate.check(world, material, generated, response, guard.drain());
                } catch (AssertionError e) {
                    throw new AssertionError(describe(seed, i, generated) + " answered " + response.status() + " "
                            + response.headers() + " " + abbreviate(response.bodyAsString()) + ": " + e.getMessage(), e);
                }
            }
        } finally {
            guard.disarm();
        }
        assertThat(world.documentViolations).as("documents of another customer's invoice").isEmpty();
        Map<String, Object> actual = ApiFuzzSnapshot.of(world, storage, material.sessionIds).state();
        Map<String, Object> expected = before.after(legitimate).state();
        Map<String, String> differences = new TreeMap<>();
        for (String key : new java.util.TreeSet<>(java.util.Set.copyOf(actual.keySet()))) {
            if (!java.util.Objects.equals(actual.get(key), expected.get(key))) {
                if (actual.get(key) instanceof Set<?> got && expected.get(key) instanceof Set<?> want) {
                    Set<Object> missing = new java.util.LinkedHashSet<>(want);
                    missing.removeAll(got);
                    Set<Object> extra = new java.util.LinkedHashSet<>(got);
                    extra.removeAll(want);
                    differences.put(key, "missing " + missing + ", unexpected " + extra);
                } else {
                    differences.put(key, "expected " + expected.get(key) + " but was " + actual.get(key));
                }
            }
        }
        assertThat(differences).as("stored state after the fuzz, but for the legitimate writes (exchanges, replays, "
                + "downloads, profile edits)").isEmpty();
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (SessionRecord created : legitimate.created) {
            assertThat(storage.sessions().find(created.customer(), created.id())).as("session of an exchange")
                    .contains(created);
        }

        System.out.println(getClass().getName() + ": " + stats + "; legitimate writes: " + legitimate);
        stats.assertCovered(requests, guard.reads());
        legitimate.assertCovered(requests);
    }

    private static String describe(long seed, int index, Generated generated) {
        PortalRequest request = generated.request();
        Map<String, List<String>> headers = new TreeMap<>();
        request.headers().forEach((name, values) -> headers.put(name, values.stream().map(PortalApiFuzzContract::abbreviate).toList()));
        return "request #" + index + " of seed " + seed + " (" + generated.kind() + ", " + generated.mode() + " links): "
                + abbreviate(request.method()) + " "
                + abbreviate(request.rawPath()) + (request.rawQuery() == null ? "" : "?" + abbreviate(request.rawQuery()))
                + " headers " + headers + " body " + request.body().length + " bytes";
    }

    /** At most 200 characters, control characters and lone surrogates escaped (a report cut at one tells nothing). */
    private static String abbreviate(String text) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "...(" + text.length() + " chars)" : text;
        StringBuilder escaped = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> escaped.append(Character.isISOControl(c) || (c >= 0xD800 && c <= 0xDFFF)
                ? String.format("\\u%04x", c) : new String(Character.toChars(c))));
        return escaped.toString();
    }
}
