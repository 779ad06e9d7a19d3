package dev.billingportal.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.ProfileSettings;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.events.OutboxEvent;
import dev.billingportal.core.profile.CustomerUpdate;
import dev.billingportal.core.profile.ProfileField;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.testkit.TestData;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Profile updates (through {@code PortalService} and through {@code PATCH} with an {@code Idempotency-Key}, keys
 * reused for retries) over a {@link FaultyDataSource}, with the store's transactions, outbox, audit trail and
 * idempotency store. Afterwards, over a clean data source, each customer's {@code customer.updated} events, in outbox
 * order, form one unbroken chain from the first e-mail to the stored one (a write without its event, or an event of a
 * write that rolled back, breaks it); each has exactly one audit record with the same old and new value; no value is
 * written twice (so no key acted twice); and every update that answered success is in the chain.
 */
final class SelfServiceFaults {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SLOTS = 4;
    private static final double FAULT_RATE = 0.04;

    private final TestDatabase database;
    private final Random random;
    private final Map<String, int[]> outcomes = new TreeMap<>();
    private final List<String> unexpected = new ArrayList<>();
    /** Values whose update answered success, per slot. */
    private final Map<Integer, Set<String>> succeeded = new HashMap<>();
    private JdbcPortalStore clean;
    private PortalService portal;
    private PortalApi api;
    private final Map<Integer, String> tokens = new HashMap<>();
    private final List<String[]> keys = new ArrayList<>(); // {slot, key, value}

    SelfServiceFaults(TestDatabase database, long seed) {
        this.database = database;
        this.random = new Random(seed);
    }

    /** Runs {@code operations} updates with faults on, then checks the stored state. */
    void run(Object owner, int operations) {
        clean = database.emptyStore(owner);
        FaultyDataSource faulty = new FaultyDataSource(database.dataSource(), new Random(random.nextLong()));
        JdbcPortalStore store = JdbcPortalStore.builder(faulty.dataSource()).tablePrefix(clean.tablePrefix())
                .dialect(database.dialect()).build();
        StepClock clock = new StepClock(TestData.NOW);
        portal = PortalService.builder().customers(store.customers()).invoices(store.invoices()).sessions(store.sessions())
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("self-service-faults"))))
                .portalUrl(URI.create("https://billing.example.com/portal/")).clock(clock)
                .transactions(store.transactions()).outbox(store.outbox()).idempotency(store.idempotency())
                .audit(store.audit())
                .defaultConfiguration(PortalConfiguration.builder()
                        .profile(ProfileSettings.editable(ProfileField.EMAIL)).build())
                .build();
        api = PortalApi.of(portal);
        for (int slot = 0; slot < SLOTS; slot++) {
            clean.customers().save(initial(slot));
            tokens.put(slot, portal.createSession(SessionRequest.forCustomer(ref(slot))).token());
        }
        clean.outbox().markDelivered(clean.outbox().poll(1000).stream().map(OutboxEvent::sequence).toList());

        faulty.enable(FAULT_RATE);
        for (int op = 1; op <= operations; op++) {
            clock.advance(Duration.ofSeconds(1));
            int slot = random.nextInt(SLOTS);
            int roll = random.nextInt(10);
            if (roll < 4) {
                serviceUpdate(op, slot);
            } else if (roll < 7 || keys.isEmpty()) {
                patch(slot, "key-" + op, "p" + op + "@acme.example");
            } else {
                String[] again = keys.get(random.nextInt(keys.size())); // a retry, or a replay
                patch(Integer.parseInt(again[0]), again[1], again[2]);
            }
        }
        faulty.disable();
        System.out.println(getClass().getSimpleName() + " on " + database + ": outcomes [completed, unavailable, "
                + "in progress] " + describe() + ", faults injected " + faulty.injected());

        assertThat(unexpected).as("answers other than success, UNAVAILABLE/503 or 409 request_in_progress").isEmpty();
        check();
        for (String kind : List.of("service update", "patch")) {
            int[] counts = outcomes.getOrDefault(kind, new int[3]);
            assertThat(counts[0]).as("%s completed", kind).isGreaterThan(20);
            assertThat(counts[1]).as("%s unavailable", kind).isGreaterThan(2);
        }
        assertThat(outcomes.get("patch replayed")).as("patches replayed").isNotNull();
    }

    private void serviceUpdate(int op, int slot) {
        String value = "s" + op + "@acme.example";
        int[] counts = outcomes.computeIfAbsent("service update", k -> new int[3]);
        try {
            PortalContext ctx = portal.authenticate(tokens.get(slot));
            portal.profile().update(ctx, CustomerUpdate.builder().email(value).build());
            counts[0]++;
            succeeded.computeIfAbsent(slot, s -> new HashSet<>()).add(value);
        } catch (PortalException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                counts[1]++;
            } else {
                unexpected.add(op + " service update: " + e.code() + " " + e.reason());
            }
        } catch (RuntimeException e) {
            unexpected.add(op + " service update: " + e);
        }
    }

    private void patch(int slot, String key, String value) {
        keys.add(new String[]{Integer.toString(slot), key, value});
        int[] counts = outcomes.computeIfAbsent("patch", k -> new int[3]);
        PortalResponse response;
        try {
            response = api.handle(new PortalRequest("PATCH", "/portal/api/customer", null, Map.of(
                    "Authorization", List.of("Bearer " + tokens.get(slot)),
                    "Content-Type", List.of("application/json"),
                    "Idempotency-Key", List.of(key)), ("{\"email\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            unexpected.add(key + " patch threw " + e);
            return;
        }
        if (response.status() == 200) {
            counts[0]++;
            if (response.header("Idempotent-Replayed").isPresent()) {
                outcomes.computeIfAbsent("patch replayed", k -> new int[3])[0]++;
            }
            succeeded.computeIfAbsent(slot, s -> new HashSet<>()).add(value);
        } else if (response.status() == 503) {
            counts[1]++;
        } else if (response.status() == 409 && response.bodyAsString().contains("request_in_progress")) {
            counts[2]++; // a key whose first request failed in a way that left it running (until it expires)
        } else {
            unexpected.add(key + " patch: " + response.status() + " " + response.bodyAsString());
        }
    }

    private void check() {
        List<OutboxEvent> events = clean.outbox().poll(100_000);
        Set<String> written = new HashSet<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            CustomerRef ref = ref(slot);
            List<String[]> chain = new ArrayList<>();
            for (OutboxEvent event : events) {
                if (event.customer().equals(ref)) {
                    assertThat(event.type()).isEqualTo("customer.updated");
                    JsonNode email = read(event.payload()).path("data").path("changes").path("email");
                    chain.add(new String[]{text(email.path("old")), text(email.path("new"))});
                }
            }
            String previous = initial(slot).email();
            for (String[] link : chain) {
                assertThat(link[0]).as("slot %d: an event's old value is the previous event's new value (no write "
                        + "without its event, no event without its write)", slot).isEqualTo(previous);
                assertThat(written.add(link[1])).as("value %s written once (no key acted twice)", link[1]).isTrue();
                previous = link[1];
            }
            Customer stored = clean.customers().findById(TestData.TENANT, "cus-" + slot).orElseThrow();
            assertThat(stored.email()).as("slot %d: the stored e-mail is the last event's new value", slot)
                    .isEqualTo(previous);
            Set<String> chainValues = new HashSet<>();
            chain.forEach(link -> chainValues.add(link[1]));
            assertThat(chainValues).as("slot %d: every update that answered success was written and announced", slot)
                    .containsAll(succeeded.getOrDefault(slot, Set.of()));

            List<String[]> audited = new ArrayList<>();
            for (AuditEvent event : clean.audit().find(ref, TestData.NOW, AuditTrail.MAX_FIND_LIMIT)) {
                if (event.type() == AuditEventType.CUSTOMER_UPDATED) {
                    JsonNode email = read(event.details()).path("email");
                    audited.add(new String[]{text(email.path("old")), text(email.path("new"))});
                }
            }
            assertThat(audited.stream().map(a -> a[0] + ">" + a[1]).sorted().toList())
                    .as("slot %d: one audit record per event, with the same old and new values", slot)
                    .isEqualTo(chain.stream().map(a -> a[0] + ">" + a[1]).sorted().toList());
        }
        assertThat(written).as("updates written").hasSizeGreaterThan(20);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON", e);
        }
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static Customer initial(int slot) {
        return Customer.builder().tenantId(TestData.TENANT).id("cus-" + slot).externalId("ext-" + slot)
                .name("Customer " + slot).email("initial-" + slot + "@acme.example").currency("EUR")
                .timezone(ZoneOffset.UTC).build();
    }

    private static CustomerRef ref(int slot) {
        return CustomerRef.of(TestData.TENANT, "ext-" + slot);
    }

    private String describe() {
        StringBuilder text = new StringBuilder();
        outcomes.forEach((kind, counts) -> text.append(kind).append(' ').append(counts[0]).append('/')
                .append(counts[1]).append('/').append(counts[2]).append("; "));
        return Objects.toString(text);
    }
}
