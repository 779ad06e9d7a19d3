package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.core.invoices.InvoiceSearch;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.testkit.PortalWorld.Who;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, String> PHRASES = phrases();

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
        Material material = new Material(world, Math.max(40, requests / 25));
        Snapshot before = Snapshot.of(world, storage, material.sessionIds);

        Generator generator = new Generator(new Random(seed), world, material);
        Stats stats = new Stats();
        Legitimate legitimate = new Legitimate();
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
                    check(world, generated, response, stats);
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
        Map<String, Object> actual = Snapshot.of(world, storage, material.sessionIds).state();
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

    // ================================================================ the checks

    private static void check(PortalWorld world, Generated generated, PortalResponse response, Stats stats)
            throws IOException {
        PortalRequest request = generated.request();
        int status = response.status();
        stats.count(generated, response);
        assertThat(status).as("status").isBetween(200, 499);
        byte[] body = response.body().toByteArray();
        assertThat(response.body().length()).as("declared body length").isIn(-1L, (long) body.length);
        if (body.length > 0) {
            assertThat(response.header("Content-Type")).as("Content-Type of a body").isPresent();
        }
        assertThat(response.header("Cache-Control")).as("Cache-Control").isPresent();
        if ("HEAD".equals(request.method())) {
            assertThat(body).as("HEAD body").isEmpty();
        }
        if (status >= 300 && status < 400) {
            if (status != 304) {
                assertThat(response.header("Location")).as("Location of a redirect").isPresent();
            }
            return;
        }
        if (status >= 400) {
            assertThat(response.header("Content-Type")).as("Content-Type of an error").contains("application/json");
            if (status == 401) {
                assertThat(response.header("WWW-Authenticate")).as("WWW-Authenticate of a 401").isPresent();
            }
            if (status == 405) {
                assertThat(response.header("Allow")).as("Allow of a 405").isPresent();
            }
            if (body.length > 0) {
                assertErrorShape(status, JSON.readTree(body));
            }
            return;
        }
        // 2xx
        String contentType = response.header("Content-Type").orElse("");
        if (contentType.startsWith("application/json") && body.length > 0) {
            JsonNode json = JSON.readTree(body);
            assertThat(json.isObject()).as("a JSON object").isTrue();
        }
        if (body.length > 0 && (contentType.startsWith("application/json") || contentType.startsWith("application/pdf"))) {
            String text = new String(body, StandardCharsets.UTF_8);
            Set<String> forbidden = generated.owner() == null ? world.allMarkers() : world.foreignMarkers(generated.owner());
            for (String marker : forbidden) {
                assertThat(text).as("a response for %s", generated.owner() == null ? "no valid token" : generated.owner())
                        .doesNotContain(marker);
            }
        }
    }

    private static void assertErrorShape(int status, JsonNode error) {
        assertThat(error.isObject()).as("error body is a JSON object").isTrue();
        List<String> fields = new ArrayList<>();
        error.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("error fields").containsExactlyElementsOf(status == 422
                ? List.of("status", "error", "code", "error_details") : List.of("status", "error", "code"));
        assertThat(error.get("status").isInt()).as("status is a number").isTrue();
        assertThat(error.get("status").intValue()).as("status field").isEqualTo(status);
        assertThat(error.get("error").isTextual()).as("error is a string").isTrue();
        assertThat(error.get("error").textValue()).as("error phrase").isEqualTo(PHRASES.get(status));
        assertThat(error.get("code").isTextual()).as("code is a string").isTrue();
        assertThat(error.get("code").textValue()).as("code").matches("[a-z][a-z_]*[a-z]");
        if (status == 422) {
            JsonNode details = error.get("error_details");
            assertThat(details.isObject()).as("error_details is an object").isTrue();
            assertThat(details.size()).as("error_details fields").isPositive();
            for (Map.Entry<String, JsonNode> field : details.properties()) {
                assertThat(field.getValue().isArray()).as("error_details.%s is an array", field.getKey()).isTrue();
                assertThat(field.getValue().size()).as("error_details.%s", field.getKey()).isPositive();
                field.getValue().forEach(reason -> assertThat(reason.isTextual())
                        .as("error_details.%s holds strings", field.getKey()).isTrue());
            }
        }
    }

    private static Map<Integer, String> phrases() {
        Map<Integer, String> phrases = new TreeMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            phrases.put(code.httpStatus(), code.httpPhrase());
        }
        phrases.put(405, "Method Not Allowed");
        return phrases;
    }

    // ================================================================ the writes a request may make

    /**
     * The only writes a request may make: an exchange that succeeded (201) stores the session, marks the link and
     * audits it; an exchange of a used link audits the replay; a download that was handed out audits it; an
     * exchanged session's activity may be touched. Anything else, or any of these without its response, fails.
     */
    private static final class Legitimate {
        final List<SessionRecord> created = new ArrayList<>();
        final Set<String> exchangedLinks = new java.util.LinkedHashSet<>();
        final Set<String> touched = new java.util.LinkedHashSet<>();
        final List<AuditEvent> audited = new ArrayList<>();
        /** Each customer as the last legitimate profile edit left them. */
        final Map<Who, dev.billingportal.core.domain.Customer> edited = new java.util.EnumMap<>(Who.class);
        int replays;
        int downloads;
        int profileEdits;
        final Map<AuditEventType, Integer> subscriptionActions = new java.util.EnumMap<>(AuditEventType.class);
        final Map<AuditEventType, Integer> paymentActions = new java.util.EnumMap<>(AuditEventType.class);
        int topUps;

        /**
         * A hand-off to the provider's page (a setup, a payment) first mints a return link of the owner's session
         * ({@code SessionService.returnLink}: a session record of the owner naming the session it resumes, living at
         * most an hour), and takes it back (revokes it) when the payment needed no hosted page: both are legitimate
         * and are checked and taken out here; any other write is left for the rules below.
         */
        private static void stripReturnLink(List<WriteGuard.Write> rest, Generated generated) {
            if (rest.isEmpty() || !rest.get(0).operation().equals("PortalSessionRepository.create")) {
                return;
            }
            assertThat(generated.paymentWrite().operation()).as("a return link minted for a route without a hand-off")
                    .isIn("PaymentMethodProvider.startSetup", "PaymentMethodProvider.payInvoice");
            assertThat(generated.owner()).as("a return link for a request without a valid token").isNotNull();
            SessionRecord link = (SessionRecord) rest.get(0).subject();
            assertThat(link.customer()).as("the return link's customer").isEqualTo(generated.owner().ref());
            assertThat(link.linkId()).as("a return link names the session it resumes").isNotNull();
            assertThat(Duration.between(link.issuedAt(), link.expiresAt())).as("a return link lives at most an hour")
                    .isLessThanOrEqualTo(Duration.ofHours(1));
            rest.remove(0);
            rest.removeIf(write -> write.operation().equals("PortalSessionRepository.revoke")
                    && link.id().equals(write.subject()));
        }

        void check(PortalWorld world, Material material, Generated generated, PortalResponse response,
                   List<WriteGuard.Write> writes) throws IOException {
            List<String> operations = writes.stream().map(WriteGuard.Write::operation).toList();
            List<WriteGuard.Write> rest = new ArrayList<>(writes);
            rest.removeIf(write -> write.operation().equals("PortalSessionRepository.touch"));
            for (WriteGuard.Write write : writes) {
                if (write.operation().equals("PortalSessionRepository.touch")) {
                    assertThat(generated.owner()).as("a touch for a request with no valid session token").isNotNull();
                    touched.add((String) write.subject());
                }
            }
            if (generated.paymentWrite() != null) {
                stripReturnLink(rest, generated);
            }
            String code = response.status() >= 400 && response.body().length() != 0
                    ? JSON.readTree(response.body().toByteArray()).path("code").asText() : "";
            if (generated.exchange() && response.status() == 201) {
                assertThat(generated.mode()).isEqualTo(LinkMode.ONE_TIME);
                assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of an exchange").containsExactly(
                        "PortalSessionRepository.create", "PortalSessionRepository.markExchanged", "AuditTrail.record");
                SessionRecord session = (SessionRecord) rest.get(0).subject();
                String link = (String) rest.get(1).subject();
                AuditEvent event = (AuditEvent) rest.get(2).subject();
                Material.Link presented = material.links.get(link);
                assertThat(presented).as("the link exchanged is one of the fuzz's").isNotNull();
                assertThat(exchangedLinks.add(link)).as("link %s exchanged a second time", link).isTrue();
                assertThat(session.linkId()).isEqualTo(link);
                assertThat(session.customer()).as("the exchanged session's customer").isEqualTo(presented.owner().ref());
                assertThat(event.type()).isEqualTo(AuditEventType.SESSION_EXCHANGED);
                assertThat(event.customer()).isEqualTo(presented.owner().ref());
                assertThat(event.sessionId()).isEqualTo(session.id());
                assertThat(event.linkId()).isEqualTo(link);
                created.add(session);
                audited.add(event);
            } else if (generated.exchange() && code.equals("link_already_used")) {
                assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a refused replay")
                        .containsExactly("AuditTrail.record");
                AuditEvent event = (AuditEvent) rest.get(0).subject();
                assertThat(event.type()).isEqualTo(AuditEventType.LINK_REPLAY_REFUSED);
                assertThat(exchangedLinks).as("a replayed link was exchanged before").contains(event.sessionId());
                assertThat(event.customer()).isEqualTo(material.links.get(event.sessionId()).owner().ref());
                audited.add(event);
                replays++;
            } else if (generated.profileEdit() && response.status() == 200 && !rest.isEmpty()) {
                assertThat(response.header("Idempotent-Replayed")).as("a replayed answer acted again").isEmpty();
                assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a profile edit")
                        .containsExactly("CustomerRepository.update", "AuditTrail.record");
                assertThat(generated.owner()).as("a profile edit without a valid token").isNotNull();
                assertThat(rest.get(0).subject()).as("the customer whose profile changed").isEqualTo(generated.owner().scope());
                AuditEvent event = (AuditEvent) rest.get(1).subject();
                assertThat(event.type()).isEqualTo(AuditEventType.CUSTOMER_UPDATED);
                assertThat(event.customer()).isEqualTo(generated.owner().ref());
                assertThat(event.details()).as("before and after values").isNotBlank();
                JsonNode customer = JSON.readTree(response.body().toByteArray()).get("customer");
                assertThat(customer.get("external_id").asText()).isEqualTo(generated.owner().externalId);
                edited.put(generated.owner(), world.storedCustomer(generated.owner()));
                audited.add(event);
                profileEdits++;
            } else if (generated.subscriptionWrite() != null && response.status() == 200 && !rest.isEmpty()) {
                assertThat(response.header("Idempotent-Replayed")).as("a replayed answer acted again").isEmpty();
                String operation = switch (generated.subscriptionWrite()) {
                    case SUBSCRIPTION_CHANGED -> "SubscriptionProvider.change";
                    case SUBSCRIPTION_CANCELED -> "SubscriptionProvider.cancel";
                    default -> "SubscriptionProvider.resume";
                };
                assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a subscription action")
                        .containsExactly(operation, "AuditTrail.record");
                assertThat(generated.owner()).as("a subscription action without a valid token").isNotNull();
                assertThat(rest.get(0).subject()).as("whose subscription was written").isEqualTo(generated.owner().scope());
                AuditEvent event = (AuditEvent) rest.get(1).subject();
                assertThat(event.type()).isEqualTo(generated.subscriptionWrite());
                assertThat(event.details()).as("the action's details").contains("\"subscription_id\"");
                assertThat(event.customer()).isEqualTo(generated.owner().ref());
                JsonNode subscription = JSON.readTree(response.body().toByteArray()).get("subscription");
                assertThat(world.seededSubscriptions.get(generated.owner())).as("the subscription acted on is the owner's")
                        .containsKey(subscription.get("id").asText());
                audited.add(event);
                subscriptionActions.merge(generated.subscriptionWrite(), 1, Integer::sum);
            } else if (generated.paymentWrite() != null && response.status() < 300 && !rest.isEmpty()) {
                assertThat(response.header("Idempotent-Replayed")).as("a replayed answer acted again").isEmpty();
                PaymentWrite write = generated.paymentWrite();
                assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a payment action")
                        .containsExactly(write.operation(), "AuditTrail.record");
                assertThat(generated.owner()).as("a payment action without a valid token").isNotNull();
                assertThat(rest.get(0).subject()).as("whose payments were written").isEqualTo(generated.owner().scope());
                AuditEvent event = (AuditEvent) rest.get(1).subject();
                assertThat(event.type()).isEqualTo(write.audited());
                assertThat(event.customer()).isEqualTo(generated.owner().ref());
                if (write.audited() == AuditEventType.INVOICE_PAYMENT_STARTED) {
                    assertThat(world.visible(generated.owner(), event.invoiceId())).as("invoice paid is the owner's")
                            .isPresent();
                }
                audited.add(event);
                paymentActions.merge(write.audited(), 1, Integer::sum);
            } else if (generated.paymentWrite() != null && code.equals("invoice_not_payable")
                    && rest.stream().map(WriteGuard.Write::operation).toList()
                    .equals(List.of("PaymentMethodProvider.payInvoice"))) {
                // the provider refused a second charge of an invoice it charged already: nothing was written
                assertThat(rest.get(0).subject()).isEqualTo(generated.owner().scope());
            } else if (generated.topUp() && response.status() == 201 && !rest.isEmpty()) {
               // exactly the owner's provider write and its audit record
                assertThat(response.header("Idempotent-Replayed")).as("a replayed answer acted again").isEmpty();
                assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a top-up")
                        .containsExactly("WalletProvider.topUp", "AuditTrail.record");
                assertThat(generated.owner()).as("a top-up without a valid token").isNotNull();
                assertThat(rest.get(0).subject()).as("whose wallet was topped up").isEqualTo(generated.owner().scope());
                AuditEvent event = (AuditEvent) rest.get(1).subject();
                assertThat(event.type()).isEqualTo(AuditEventType.WALLET_TOP_UP_REQUESTED);
                assertThat(event.customer()).isEqualTo(generated.owner().ref());
                assertThat(event.details()).as("the top-up's details").contains("\"wallet_id\"", "\"credits\"");
                JsonNode transaction = JSON.readTree(response.body().toByteArray()).get("wallet_transaction");
                assertThat(world.seededWallets.get(generated.owner())).as("the wallet topped up is the owner's")
                        .containsKey(transaction.get("wallet_id").asText());
                assertThat(transaction.get("status").asText()).isEqualTo("pending");
                BigDecimal credits = new BigDecimal(transaction.get("credits").asText());
                assertThat(credits).as("rule: inside the configured limits")
                        .isBetween(PortalWorld.MIN_TOP_UP, PortalWorld.MAX_TOP_UP);
                audited.add(event);
                topUps++;
            } else if (generated.download() && response.status() < 400) {
                assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a download")
                        .containsExactly("AuditTrail.record");
                AuditEvent event = (AuditEvent) rest.get(0).subject();
                assertThat(event.type()).isEqualTo(AuditEventType.INVOICE_DOWNLOADED);
                assertThat(generated.owner()).isNotNull();
                assertThat(event.customer()).isEqualTo(generated.owner().ref());
                assertThat(world.visible(generated.owner(), event.invoiceId())).as("invoice downloaded").isPresent();
                audited.add(event);
                downloads++;
            } else {
                assertThat(rest).as("writes of a request that may write nothing (all writes: %s)", operations).isEmpty();
            }
        }

        void assertCovered(int requests) {
            double share = requests / 20_000.0; // half the rate of the default seed's run, for other seeds and sizes
            assertThat(created).as("exchanges").hasSizeGreaterThan((int) (20 * share));
            assertThat(replays).as("replays refused").isGreaterThan((int) (10 * share));
            assertThat(downloads).as("downloads").isGreaterThan((int) (10 * share));
            assertThat(profileEdits).as("profile edits").isGreaterThan((int) (10 * share));
            for (AuditEventType type : SUBSCRIPTION_WRITES.values()) {
                assertThat(subscriptionActions.getOrDefault(type, 0)).as("subscription actions %s", type)
                        .isGreaterThan((int) (10 * share));
            }
            for (PaymentWrite write : PAYMENT_WRITES.values()) {
                assertThat(paymentActions.getOrDefault(write.audited(), 0)).as("payment actions %s", write.audited())
                        .isGreaterThan((int) (10 * share));
            }
            assertThat(topUps).as("wallet top-ups").isGreaterThan((int) (10 * share));
        }

        @Override
        public String toString() {
            return created.size() + " exchanges, " + replays + " replays refused, " + downloads + " downloads, "
                    + profileEdits + " profile edits, " + subscriptionActions + " subscription actions, " + paymentActions
                    + " payment actions, " + topUps + " top-ups, " + touched.size()
                    + " sessions touched";
        }
    }

    // ================================================================ what the fuzz knows

    /** Tokens and cursors made before the fuzz starts (those are the only writes, and the guard is not armed yet). */
    private static final class Material {
        /** A link of the fuzz, and whose it is. */
        record Link(String id, String token, Who owner) {
        }

        /** Per link mode, the token of each customer that calls the API: a reusable link, an exchanged session. */
        final Map<LinkMode, Map<Who, String>> valid = new java.util.EnumMap<>(LinkMode.class);
        /** One-time links, not exchanged yet: each can be exchanged once during the fuzz. */
        final Map<String, Link> links = new LinkedHashMap<>();
        final Map<String, List<String>> bad = new LinkedHashMap<>();
        final List<String> cursors = new ArrayList<>();
        final List<String> sessionIds = new ArrayList<>();
        final String assetEtag;

        Material(PortalWorld world, int oneTimeLinks) {
            for (LinkMode mode : LinkMode.values()) {
                Map<Who, String> tokens = new java.util.EnumMap<>(Who.class);
                for (Who who : Who.values()) {
                    PortalSession session = world.login(who, mode);
                    tokens.put(who, session.token());
                    sessionIds.add(session.id());
                    // cursors of every customer: each session may use only its own
                    cursors.add(firstCursor(world, mode, session.token()));
                }
                valid.put(mode, tokens);
            }
            for (int i = 0; i < oneTimeLinks; i++) {
                Who owner = Who.values()[i % Who.values().length];
                PortalSession link = world.link(owner, LinkMode.ONE_TIME);
                links.put(link.id(), new Link(link.id(), link.token(), owner));
                sessionIds.add(link.id());
            }
            PortalSession revoked = world.login(Who.A);
            world.service.revokeSession(revoked.id());
            sessionIds.add(revoked.id());
            PortalSession revokedLink = world.link(Who.B, LinkMode.ONE_TIME);
            world.oneTime.revokeSession(revokedLink.id());
            sessionIds.add(revokedLink.id());
            bad.put("revoked", List.of(revoked.token(), revokedLink.token()));
            PortalService expired = world.service.toBuilder()
                    .clock(Clock.fixed(PortalWorld.NOW.minus(Duration.ofHours(13)), ZoneOffset.UTC)).build();
            bad.put("expired", List.of(mint(expired, Who.B, sessionIds)));
            PortalService future = world.service.toBuilder()
                    .clock(Clock.fixed(PortalWorld.NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC)).build();
            bad.put("not yet valid", List.of(mint(future, Who.A_PRIME, sessionIds)));
            PortalService otherSecret = world.service.toBuilder()
                    .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("world-1")))).build();
            PortalService otherKid = world.service.toBuilder()
                    .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("someone-else")))).build();
            PortalService otherIssuer = world.service.toBuilder().issuer("another-portal").build();
            PortalService longLived = world.service.toBuilder().sessionTtl(Duration.ofDays(7)).build();
            bad.put("foreign", List.of(mint(otherSecret, Who.A, sessionIds), mint(otherKid, Who.B, sessionIds),
                    mint(otherIssuer, Who.A, sessionIds), mint(longLived, Who.A_PRIME, sessionIds)));
            List<String> tampered = new ArrayList<>();
            for (Map<Who, String> tokens : valid.values()) {
                for (String token : tokens.values()) {
                    for (int at : new int[] {3, token.indexOf('.') + 5, token.lastIndexOf('.') + 5, token.length() - 2}) {
                        char c = token.charAt(at);
                        tampered.add(token.substring(0, at) + (c == 'A' ? 'B' : 'A') + token.substring(at + 1));
                    }
                    String[] parts = token.split("\\.");
                    tampered.add(parts[0] + "." + parts[1] + ".");
                    tampered.add("eyJhbGciOiJub25lIn0." + parts[1] + ".");
                    tampered.add(parts[0] + "." + parts[1]);
                    tampered.add(token + "." + parts[2]);
                    tampered.add(token.substring(0, token.length() - 1));
                    tampered.add(token + "=");
                }
            }
            bad.put("tampered", tampered);
            bad.put("garbage", List.of("", " ", "x", "a.b.c", "...", "eyJ.eyJ.eyJ", "null", "undefined",
                    "é.é.é", "😀", "a".repeat(5000), "%00", "eyJhbGciOiJIUzI1NiJ9..", "\t"));
            assetEtag = world.call("GET", world.api.uiPath() + "/assets/portal.js", null, null).header("ETag").orElseThrow();
        }

        /** The customer whose valid token (of either portal) this is, if it is one. */
        Who owner(String token) {
            for (Map<Who, String> tokens : valid.values()) {
                for (Map.Entry<Who, String> entry : tokens.entrySet()) {
                    if (entry.getValue().equals(token)) {
                        return entry.getKey();
                    }
                }
            }
            return null;
        }

        private static String mint(PortalService service, Who who, List<String> sessionIds) {
            PortalSession session = service.createSession(SessionRequest.forCustomer(who.ref()));
            sessionIds.add(session.id());
            return session.token();
        }

        private static String firstCursor(PortalWorld world, LinkMode mode, String token) {
            PortalResponse page = world.call(mode, "GET", world.api.basePath() + "/invoices", "limit=1", token);
            try {
                return JSON.readTree(page.bodyAsString()).get("next_cursor").asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What the storage holds, read back through the repositories. */
    private record Snapshot(Map<String, Object> state) {
        static Snapshot of(PortalWorld world, PortalStorage storage, List<String> sessionIds) {
            Map<String, Object> state = new TreeMap<>();
            for (Who who : Who.values()) {
                state.put("customer " + who, storage.customers().findByExternalId(who.ref()));
                state.put("customer by id " + who, storage.customers().findById(who.tenant, who.id));
                for (String id : world.allIds()) {
                    state.put("invoice " + who + " " + id, storage.invoices().findById(who.scope(), id));
                }
                state.put("invoices " + who, storage.invoices().find(who.scope(), new InvoiceSearch(
                        EnumSet.complementOf(EnumSet.of(InvoiceStatus.DRAFT)), Set.of(), false, null, null, null,
                        PortalWorld.TODAY, null, InvoiceSearch.MAX_LIMIT)));
                state.put("overview " + who, storage.invoices().overview(who.scope(), PortalWorld.TODAY));
                for (String sessionId : sessionIds) {
                    state.put("session " + who + " " + sessionId, storage.sessions().find(who.ref(), sessionId));
                }
                // with their details: the before/after values must read back as the portal wrote them
                state.put("audit " + who, Set.copyOf(storage.audit().find(who.ref(), PortalWorld.NOW.minus(Duration.ofDays(1)),
                        AuditTrail.MAX_FIND_LIMIT)));
            }
            return new Snapshot(state);
        }

        /** This state, changed only by the legitimate writes: links exchanged, activity touched, events audited. */
        @SuppressWarnings("unchecked")
        Snapshot after(Legitimate legitimate) {
            Map<String, Object> changed = new TreeMap<>(state);
            changed.replaceAll((key, value) -> {
                if (key.startsWith("session ") && value instanceof Optional<?> found && found.isPresent()) {
                    SessionRecord session = (SessionRecord) found.get();
                    if (legitimate.exchangedLinks.contains(session.id())) {
                        return Optional.of(session.exchangedAt(PortalWorld.NOW));
                    }
                    if (legitimate.touched.contains(session.id())) {
                        return Optional.of(session.lastSeenAt(PortalWorld.NOW));
                    }
                }
                for (Map.Entry<Who, dev.billingportal.core.domain.Customer> edit : legitimate.edited.entrySet()) {
                    if (key.equals("customer " + edit.getKey()) || key.equals("customer by id " + edit.getKey())) {
                        return Optional.of(edit.getValue());
                    }
                }
                if (key.startsWith("audit ")) {
                    Set<Object> events = new java.util.HashSet<>((Set<Object>) value);
                    String who = key.substring("audit ".length());
                    legitimate.audited.stream().filter(event -> Who.valueOf(whoName(who)).ref().equals(event.customer()))
                            .forEach(events::add);
                    return Set.copyOf(events);
                }
                return value;
            });
            return new Snapshot(changed);
        }

        private static String whoName(String display) {
            for (Who who : Who.values()) {
                if (who.toString().equals(display)) {
                    return who.name();
                }
            }
            throw new IllegalArgumentException(display);
        }
    }

    /**
     * One generated request, for the portal of {@code mode}, with the customer whose valid token alone it carries, if
     * any, and whether it is an exchange or a download.
     */
    private record Generated(PortalRequest request, LinkMode mode, Who owner, String kind, boolean exchange,
                             boolean download, boolean profileEdit, AuditEventType subscriptionWrite,
                             PaymentWrite paymentWrite, boolean topUp) {
    }

    /** A payment write: the provider operation it calls and what it audits. */
    private record PaymentWrite(String operation, AuditEventType audited) {
    }

    /** The payment writes. */
    private static final Map<String, PaymentWrite> PAYMENT_WRITES = Map.of(
            "POST /payment_methods/setup", new PaymentWrite("PaymentMethodProvider.startSetup",
                    AuditEventType.PAYMENT_SETUP_STARTED),
            "POST /payment_methods/{id}/default", new PaymentWrite("PaymentMethodProvider.setDefault",
                    AuditEventType.DEFAULT_PAYMENT_METHOD_CHANGED),
            "DELETE /payment_methods/{id}", new PaymentWrite("PaymentMethodProvider.remove",
                    AuditEventType.PAYMENT_METHOD_REMOVED),
            "POST /invoices/{id}/pay", new PaymentWrite("PaymentMethodProvider.payInvoice",
                    AuditEventType.INVOICE_PAYMENT_STARTED));

    /** The subscription writes, and what each audits. */
    private static final Map<String, AuditEventType> SUBSCRIPTION_WRITES = Map.of(
            "POST /subscriptions/{id}/change", AuditEventType.SUBSCRIPTION_CHANGED,
            "POST /subscriptions/{id}/cancel", AuditEventType.SUBSCRIPTION_CANCELED,
            "POST /subscriptions/{id}/resume", AuditEventType.SUBSCRIPTION_RESUMED);

    // ================================================================ the generator

    private static final class Generator {
        private static final List<String> ODD_METHODS = List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
                "CONNECT", "get", "Get", "head", "PROPFIND", "", " GET", "GET ", "G\u00c9T", "GET\r\nX: y", "X".repeat(300));
        private static final String RESERVED = "/?#&=%+;:@$,!*'()[]\\\"<> .";
        private static final List<String> PARAMS = List.of("status", "payment_status", "overdue", "issued_from",
                "issued_to", "search", "limit", "cursor", "locale", "redirect", "token", "cursor", "cursor");
        private static final List<String> WEIRD = List.of("", " ", "%00", "%0A", "%0D%0A", "%1F", "%7F", "%C3%A9",
                "%E2%80%AE", "%F0%9F%98%80", "😀", "日本", "é", "%", "%G1", "%C3", "%C0%AF", "%ED%A0%80", "%FF", "+",
                "%2B", "&", "=", "%26", "%3D", "'", "%27", "\"", "<script>", "..", "%2E%2E", "%2F", "\\", "%5C",
                "null", "undefined", "[]", "{}", "NaN", "-0", "\u0000", "\t");

        private static final List<String> VALID_PHONES = List.of("+1 555 0100", "+33 1 23 45 67 89", "020 7946 0000",
                "(555) 010-0200");
        private static final List<String> VALID_NAMES = List.of("Fuzz Legal One", "Fuzz Légal Deux", "ファズ", "Fuzz SA");

        private final Random random;
        private final PortalWorld world;
        private final Material material;
        private final List<String> ids = new ArrayList<>();
        private final List<String> subscriptionIds = new ArrayList<>();
        private final List<String> walletIds = new ArrayList<>(); // usage+wallets (branch usage)
        private final List<String> apiRoutes = PortalApi.API_ROUTES;
        /** The writes (but the exchange, which has its own share): picked more often, they need valid bodies to succeed. */
        private final List<String> writeRoutes = PortalApi.API_ROUTES.stream()
                .filter(route -> !route.startsWith("GET ") && !route.equals("POST /session")).toList();
        private final List<String> pageRoutes = PortalApi.PAGE_ROUTES;

        Generator(Random random, PortalWorld world, Material material) {
            this.random = random;
            this.world = world;
            this.material = material;
            ids.addAll(world.allIds());
            subscriptionIds.addAll(world.allSubscriptionIds());
            subscriptionIds.addAll(List.of(PortalWorld.MISSING_SUBSCRIPTION, "SUB-T-A-1", "sub-shared-1%20", "sub%2Dshared-1"));
            walletIds.addAll(world.allWalletIds()); // usage+wallets (branch usage)
            walletIds.addAll(List.of(PortalWorld.MISSING_WALLET, "WAL-T-A-1", "wal-shared-1%20", "wal%2Dshared-1"));
            ids.addAll(List.of(PortalWorld.MISSING_ID, "INV-T-A-1", "inv-t-a-1%20", "%20inv-t-a-1", "inv-t-a-1%00",
                    "..%2Finv-t-b-1", "..", ".", "%2E%2E", "inv%2Ft", "inv%5Ct", "x".repeat(255), "x".repeat(256),
                    "y".repeat(10_000), "%C3%A9", "😀", "%F0%9F%98%80", "%", "%G0", "%C3", "%ED%A0%80", "inv-shared-1;x",
                    "inv-shared-1?x", "inv-shared-1#x", "%2A", "*", "inv%252Dt"));
        }

        private <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }

        private boolean chance(double p) {
            return random.nextDouble() < p;
        }

        Generated next() {
            LinkMode mode = random.nextBoolean() ? LinkMode.REUSABLE : LinkMode.ONE_TIME;
            boolean exchangeAttempt = chance(0.06);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            // credentials first, so that a subscription route can be aimed at the owner's own subscriptions
            Who owner = exchangeAttempt ? exchangeAuthorization(headers, mode) : authorization(headers, mode);
            String[] picked = {null, null};
            String path = exchangeAttempt
                    ? world.api.basePath() + pick(List.of("/session", "/session", "/session", "/session/", "/session/x", "/Session"))
                    : path(picked, owner);
            String method = exchangeAttempt ? (chance(0.95) ? "POST" : pick(List.of("post", "PUT", "GET")))
                    // writes follow their route's method; the exchange only through exchangeAttempt, which knows its links
                    : picked[0] != null && !picked[0].startsWith("GET ") && !picked[0].equals("POST /session") && chance(0.8)
                    ? picked[0].substring(0, picked[0].indexOf(' ')) : method();
            String query = exchangeAttempt && chance(0.7) ? null
                    : "GET /usage/history".equals(picked[0]) && chance(0.75) ? usageQuery(owner) : query();
            if ("GET /invoices".equals(picked[0]) && chance(0.2)) {
                // the invoice list's own parameter, often: foreign, tampered and garbage cursors must keep failing cleanly
                query = (query == null || query.isEmpty() ? "" : query + "&") + "cursor=" + encode(cursor());
            }
            extraHeaders(headers);
            boolean write = !method.equals("GET") && !method.equals("HEAD") && !exchangeAttempt;
            String route = Stats.route(method, path);
            byte[] body = write && chance(0.85) ? writeBody(headers, route, owner, mode, picked[1]) : body();
            if (write) {
                idempotencyKey(headers);
            }
            String kind = owner != null ? "valid token of " + owner : headers.isEmpty() ? "anonymous" : "bad credentials";
            return new Generated(new PortalRequest(method, path, query, headers, body), mode, owner, kind,
                    "POST /session".equals(route), "GET /invoices/{id}/download".equals(route),
                    "PATCH /customer".equals(route), route == null ? null : SUBSCRIPTION_WRITES.get(route),
                    route == null ? null : PAYMENT_WRITES.get(route),
                    "POST /wallets/{id}/top_up".equals(route));
        }

        // ------------------------------------------------------------ usage and wallets

        /** A history query, mostly of one of the owner's subscriptions, the periods valid or not. */
        private String usageQuery(Who owner) {
            List<String> own = owner == null ? List.of() : List.copyOf(world.seededSubscriptions.get(owner).keySet());
            String id = !own.isEmpty() && chance(0.85) ? pick(own) : pick(subscriptionIds);
            String periods = pick(List.of("", "&periods=1", "&periods=6", "&periods=24", "&periods=0", "&periods=25",
                    "&periods=-1", "&periods=1.5", "&periods=abc", "&periods=", "&periods=99999999999"));
            return "subscription_id=" + id + periods;
        }

        /** A top-up body: mostly a valid amount, else at or past the limits, malformed, or not a string. */
        private String topUpBody() {
            if (chance(0.6)) {
                return "{\"credits\":\"" + pick(List.of("1.00", "1", "12.50", "50", "999.99", "1000.00", "1000")) + "\"}";
            }
            return "{\"credits\":" + pick(List.of("\"0.99\"", "\"1000.01\"", "\"12.345\"", "\"-5\"", "\"0\"",
                    "\"0.00\"", "\"99999999999999999999999\"", "\"abc\"", "\"1e2\"", "\"1E+2\"", "12.5", "50",
                    "5e1", "true", "null", "{}", "[]", "\" 50\"", "\"+5\"", "\"NaN\"", "\".5\"", "\"\"",
                    "\"" + "9".repeat(100) + "\"")) + (chance(0.1) ? ",\"wallet_id\":\"wal-t-b-1\"" : "") + "}";
        }

        /** A body for a subscription write, mostly valid; a change carries a fresh preview of the owner's session. */
        private String subscriptionBody(String route, Who owner, LinkMode mode, String id) {
            List<String> plans = new ArrayList<>(PortalWorld.OFFERED_PLANS);
            plans.add("secret");
            return switch (route) {
                case "POST /subscriptions/{id}/preview" -> "{\"plan_code\":\""
                        + (chance(0.9) ? pick(PortalWorld.OFFERED_PLANS) : pick(plans)) + "\"}";
                case "POST /subscriptions/{id}/change" -> {
                    String plan = pick(PortalWorld.OFFERED_PLANS);
                    String previewId = "garbage";
                    if (owner != null && id != null && chance(0.9)) {
                        PortalResponse preview = world.write(mode, "POST", world.api.basePath() + "/subscriptions/" + id
                                + "/preview", "{\"plan_code\":\"" + plan + "\"}", null, material.valid.get(mode).get(owner));
                        if (preview.status() == 200) {
                            try {
                                previewId = JSON.readTree(preview.body().toByteArray()).get("preview").get("id").asText();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    }
                    yield "{\"plan_code\":\"" + (chance(0.95) ? plan : "secret") + "\",\"preview_id\":\"" + previewId + "\"}";
                }
                case "POST /subscriptions/{id}/cancel" -> "{\"reason\":" + pick(List.of("\"too_expensive\"", "\"other\"",
                        "null", "\"unused\"", "\"\"")) + ",\"comment\":" + pick(List.of("\"fuzz\"", "null", "\"\"",
                        "\"" + "x".repeat(501) + "\"", "\"Trop cher 😀\"")) + "}";
                default -> "{}";
            };
        }

        /** What an exchange is tried with: a one-time link (fresh or used), a session's token, a reusable link, junk. */
        private Who exchangeAuthorization(Map<String, List<String>> headers, LinkMode mode) {
            double roll = random.nextDouble();
            Who owner = null;
            String token;
            if (roll < 0.45) {
                // now and then one of a few links, so that some are presented again after their exchange
                List<Material.Link> links = List.copyOf(material.links.values());
                Material.Link link = chance(0.4) ? links.get(random.nextInt(10)) : pick(links);
                token = link.token();
                owner = link.owner();
            } else if (roll < 0.7) {
                // a session's token (never exchangeable), or on the reusable portal its own link (answered as is);
                // never a reusable link on the one-time portal, which would exchange it and end it for the other
                Who who = pick(List.of(Who.values()));
                token = mode == LinkMode.REUSABLE && chance(0.5) ? material.valid.get(LinkMode.REUSABLE).get(who)
                        : material.valid.get(LinkMode.ONE_TIME).get(who);
                owner = who;
            } else {
                token = pick(pick(List.copyOf(material.bad.values())));
            }
            headers.put("Authorization", List.of((chance(0.9) ? "Bearer " : "bearer ") + token));
            return owner;
        }

        private String method() {
            double roll = random.nextDouble();
            return roll < 0.65 ? "GET" : roll < 0.77 ? "HEAD" : pick(ODD_METHODS);
        }

        private String path(String[] picked, Who owner) {
            double roll = random.nextDouble();
            if (roll < 0.74) { // 0.62 for the 18 routes before payments: about the same share per route
                String route = !writeRoutes.isEmpty() && chance(0.35) ? pick(writeRoutes) : pick(apiRoutes);
                if (chance(0.14)) {
                    // the subscription writes succeed least often (ids, previews, states; a change least of all): a
                    // little more of them, so that they keep their successes now that payments share the routes
                    route = pick(List.of("POST /subscriptions/{id}/preview", "POST /subscriptions/{id}/change",
                            "POST /subscriptions/{id}/change", "POST /subscriptions/{id}/cancel",
                            "POST /subscriptions/{id}/resume"));
                }
                picked[0] = route;
                String id = id();
                if (route.contains("/subscriptions/")) {
                    List<String> own = owner == null ? List.of() : List.copyOf(world.seededSubscriptions.get(owner).keySet());
                    id = !own.isEmpty() && chance(0.85) ? pick(own) : chance(0.7) ? pick(subscriptionIds) : id;
                    picked[1] = id;
                } else if (route.contains("/payment_methods/{id}")) {
                    List<String> own = owner == null ? List.of() : world.seededPaymentMethods(owner);
                    id = !own.isEmpty() && chance(0.85) ? pick(own)
                            : chance(0.7) ? pick(List.copyOf(world.allPaymentMethodIds())) : id;
                } else if (route.equals("POST /invoices/{id}/pay") && owner != null && chance(0.7)) {
                    id = pick(world.invoices.get(owner).stream().filter(i -> i.status().visibleInPortal()
                                    && (chance(0.2) || dev.billingportal.core.payments.PaymentService.payable(i)))
                            .map(dev.billingportal.core.invoices.Invoice::id).toList());
                } else if (route.contains("/wallets/")) {
                   // aimed at the owner's wallets mostly, else anyone's or junk
                    List<String> own = owner == null ? List.of() : List.copyOf(world.seededWallets.get(owner).keySet());
                    id = !own.isEmpty() && chance(0.8) ? pick(own) : chance(0.5) ? pick(walletIds) : id;
                    picked[1] = id;
                } else if (route.contains("/invoices/{id}") && owner != null && chance(0.4)) {
                    // aimed at the owner's own invoices now and then: the routes are many, their successes few otherwise
                    id = pick(world.invoices.get(owner).stream().filter(i -> i.status().visibleInPortal())
                            .map(dev.billingportal.core.invoices.Invoice::id).toList());
                }
                return world.api.basePath() + route.substring(route.indexOf(' ') + 1).replace("{id}", id);
            }
            if (roll < 0.82) {
                String route = pick(pageRoutes);
                return world.api.uiPath() + (route.contains(" ") ? route.substring(route.indexOf(' ') + 1) : "");
            }
            String base = world.api.basePath();
            return switch (random.nextInt(22)) {
                case 0 -> base + "/../api/customer";
                case 1 -> base + "/invoices/" + id() + "/../../customer";
                case 2 -> base + "//customer";
                case 3 -> base.replace("/api", "//api") + "/overview";
                case 4 -> base + "/customer/";
                case 5 -> base + "/customer//";
                case 6 -> base.toUpperCase(java.util.Locale.ROOT) + "/CUSTOMER";
                case 7 -> base + "/" + pick(WEIRD);
                case 8 -> base + "/invoices/" + id() + "/" + pick(WEIRD);
                case 9 -> base + "/" + "a/".repeat(random.nextInt(2000));
                case 10 -> base + "/invoices%2F" + id();
                case 11 -> base + "/invoices/" + id() + "%2Fdownload";
                case 12 -> base + "%00/customer";
                case 13 -> "";
                case 14 -> "*";
                case 15 -> "portal/api/customer";
                case 16 -> "http://evil.example" + base + "/customer";
                case 17 -> world.api.uiPath() + "/assets/" + pick(WEIRD) + "portal.js";
                case 18 -> world.api.uiPath() + "/../" + base.substring(1) + "/config";
                case 19 -> "/api/v1/customers/ext-alice/portal_url";
                case 20 -> world.api.uiPath() + "x/" + pick(WEIRD);
                default -> "/" + randomText(random.nextInt(40));
            };
        }

        private String id() {
            return chance(0.1) ? encode(pick(ids)) : pick(ids);
        }

        private String query() {
            double roll = random.nextDouble();
            if (roll < 0.3) {
                return chance(0.5) ? null : "";
            }
            if (roll < 0.4) {
                return switch (random.nextInt(14)) {
                    case 0 -> "%";
                    case 1 -> "a=%G1";
                    case 2 -> "search=%C3";
                    case 3 -> "&&&&";
                    case 4 -> "limit==5";
                    case 5 -> "search=" + "x".repeat(9_000);
                    case 6 -> "search=日本&status=é";
                    case 7 -> "search=%ED%A0%80";
                    case 8 -> "=&=&";
                    case 9 -> "limit=5;cursor=x";
                    case 10 -> "search=%F0%9F%98%80%F0%9F%98%80";
                    case 11 -> "token=" + pick(List.copyOf(material.valid.get(LinkMode.REUSABLE).values()));
                    case 12 -> pick(WEIRD) + "=" + pick(WEIRD);
                    default -> randomText(random.nextInt(100));
                };
            }
            StringBuilder query = new StringBuilder();
            int count = 1 + random.nextInt(5);
            for (int i = 0; i < count; i++) {
                String name = chance(0.93) ? pick(PARAMS) : pick(WEIRD);
                if (query.length() > 0) {
                    query.append('&');
                }
                query.append(name).append('=').append(value(name));
            }
            return query.toString();
        }

        /** A value for a parameter: valid, or near valid, or garbage; encoded, or now and then raw. */
        private String value(String name) {
            if (chance(0.12)) {
                return chance(0.5) ? pick(WEIRD) : encode(randomText(random.nextInt(chance(0.05) ? 10_000 : 30)));
            }
            String value = switch (name) {
                case "status" -> pick(List.of("finalized", "voided", "FINALIZED", "draft", "failed", "pending",
                        "finalized,voided", ",", "finalized,,voided", "finalized, voided", "Finalized", "paid"));
                case "payment_status" -> pick(List.of("pending", "succeeded", "failed", "PENDING", "pending,failed",
                        "refunded", ""));
                case "overdue" -> pick(List.of("true", "false", "", "TRUE", "1", "yes"));
                case "issued_from", "issued_to" -> pick(List.of("2026-01-01", "2026-06-30", "2026-12-31", "2026-02-30",
                        "2026-13-01", "2026-1-1", "2024-02-29", "2026-02-29", "+999999999-12-31", "-999999999-01-01",
                        "99999-01-01", "0000-00-00", "２０２６-０１-０１", "٢٠٢٦-٠١-٠١", "2026-01-01T00:00:00Z", "20260101",
                        "1970-01-01", ""));
                case "search" -> pick(List.of("INV-2026", "alice", "ALICE-U", "bob-t", "inv-t-b-1", "inv-u-a-1",
                        "inv-shared-1", "ÉTÉ", "%", "_", "\\", "'", "' OR '1'='1", "%%", "a%b", "😀", "   ", "x".repeat(255),
                        "x".repeat(256), "\u0000", "S"));
                case "limit" -> pick(List.of("0", "-1", "1", "2", "20", "100", "101", "2147483647", "2147483648",
                        "-2147483649", "99999999999999999999", "1e3", "0x10", " 5", "5 ", "+5", "٥", "", "NaN", "1.5"));
                case "cursor" -> cursor();
                case "locale" -> pick(List.of("fr", "pt-BR", "de-CH", "ja", "xx", "zh-Hant-TW", "en-US-x-private",
                        "i-klingon", "", "und", "fr_FR", "a".repeat(40), "ar", "en-", "-", "EN"));
                case "redirect" -> pick(List.of("true", "false", "", "0", "TRUE"));
                case "token" -> pick(List.copyOf(material.valid.get(LinkMode.REUSABLE).values()));
                default -> randomText(random.nextInt(10));
            };
            return chance(0.9) ? encode(value) : value;
        }

        private String cursor() {
            String cursor = pick(material.cursors);
            return switch (random.nextInt(8)) {
                case 0, 1, 2 -> cursor; // one of them is the right customer's, but never of this session
                case 3 -> cursor.substring(0, cursor.length() - 1) + (cursor.endsWith("A") ? "B" : "A");
                case 4 -> cursor + "==";
                case 5 -> cursor.substring(0, cursor.length() / 2);
                case 6 -> "A".repeat(random.nextInt(2) == 0 ? 40 : 600);
                default -> randomText(random.nextInt(64));
            };
        }

        /** Sets the Authorization header, or not; the customer when it holds exactly one valid token. */
        private Who authorization(Map<String, List<String>> headers, LinkMode mode) {
            double roll = random.nextDouble();
            Who owner = null;
            List<String> values = new ArrayList<>();
            List<String> anyValid = material.valid.values().stream().flatMap(tokens -> tokens.values().stream()).toList();
            if (roll < 0.1) {
                return null;
            } else if (roll < 0.62) {
                owner = pick(List.of(Who.values()));
                String token = material.valid.get(mode).get(owner);
                if (chance(0.1)) {
                    // a one-time link: the reusable portal takes it until it is exchanged, the one-time portal never
                    Material.Link link = pick(List.copyOf(material.links.values()));
                    token = link.token();
                    owner = link.owner();
                } else if (mode == LinkMode.REUSABLE && chance(0.05)) {
                    // the other portal's token; never a reusable link to the one-time portal, where any POST /session
                    // would exchange it and end it for the reusable portal's requests
                    token = material.valid.get(LinkMode.ONE_TIME).get(owner);
                }
                values.add(switch (random.nextInt(10)) {
                    case 0 -> "bearer " + token;
                    case 1 -> "BEARER " + token;
                    case 2 -> "Bearer   " + token + "  ";
                    default -> "Bearer " + token;
                });
            } else if (roll < 0.87) {
                List<String> kind = pick(List.copyOf(material.bad.values()));
                values.add("Bearer " + pick(kind));
            } else {
                String token = pick(anyValid);
                values.add(switch (random.nextInt(12)) {
                    case 0 -> "Bearer";
                    case 1 -> "Bearer ";
                    case 2 -> token;
                    case 3 -> "Basic " + java.util.Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8));
                    case 4 -> "Token " + token;
                    case 5 -> "Bearer " + token + " " + token;
                    case 6 -> "Bearer " + token + "," + token;
                    case 7 -> "Bearer " + "x".repeat(100_000);
                    case 8 -> "Bearer " + randomText(50);
                    case 9 -> "Bearer\t" + token;
                    case 10 -> "";
                    default -> "Bearer " + token.toUpperCase(java.util.Locale.ROOT);
                });
            }
            String name = pick(List.of("Authorization", "authorization", "AUTHORIZATION", "aUtHoRiZaTiOn"));
            headers.put(name, values);
            if (chance(0.05)) {
                // a second Authorization header, under another spelling: never to be picked from
                String other = name.equals("Authorization") ? "authorization" : "Authorization";
                headers.put(other, List.of("Bearer " + pick(anyValid)));
                owner = null;
            }
            return owner;
        }

        /**
         * A body for a write: most of the time JSON with the right content type, valid profile changes among them (the
         * only legitimate writes), and every way a body can be wrong: broken, huge, deep, duplicate keys, wrong types,
         * unknown fields (mass assignment of ids or another customer), fields the configuration does not allow,
         * control characters and lone surrogates.
         */
        private byte[] writeBody(Map<String, List<String>> headers, String route, Who owner, LinkMode mode, String id) {
            if (chance(0.85)) {
                headers.put(pick(List.of("Content-Type", "content-type")), List.of(pick(List.of("application/json",
                        "application/json", "application/json; charset=utf-8", "Application/JSON"))));
            }
            if (route != null && route.startsWith("POST /subscriptions/") && chance(0.8)) {
                return subscriptionBody(route, owner, mode, id).getBytes(StandardCharsets.UTF_8);
            }
            if (route != null && PAYMENT_WRITES.containsKey(route) && chance(0.8)) {
                return "{}".getBytes(StandardCharsets.UTF_8); // the payment writes take no fields
            }
            if ("POST /wallets/{id}/top_up".equals(route) && chance(0.8)) {
                return topUpBody().getBytes(StandardCharsets.UTF_8);
            }
            if ("PATCH /customer".equals(route) && chance(0.3)) {
                // a valid edit now and then: the routes are many, and each needs its successes
                return ("{\"phone\":\"" + pick(VALID_PHONES) + "\"}").getBytes(StandardCharsets.UTF_8);
            }
            String json = switch (random.nextInt(24)) {
                case 0, 1, 2, 3 -> "{\"phone\":\"" + pick(VALID_PHONES) + "\"}";
                case 4, 5 -> "{\"legal_name\":\"" + pick(VALID_NAMES) + "\"}";
                case 6 -> "{\"billing_address\":{\"line1\":\"1 Fuzz Street\",\"city\":\"Lyon\",\"zipcode\":\"69001\","
                        + "\"country\":\"" + pick(List.of("FR", "DE", "XX", "fr", "FRA", "")) + "\"}}";
                case 7 -> "{\"document_locale\":\"" + pick(List.of("fr", "de-CH", "xx", "ko", "", "pt-BR")) + "\"}";
                case 8 -> "{\"email\":\"" + pick(List.of("fuzz@example.com", "not-an-email", "a@b@c", "", " ")) + "\"}";
                case 9 -> "{\"tax_id\":\"FUZZ-1\"}";
                case 10 -> "{\"external_id\":\"ext-bob\",\"phone\":\"+1 555 0000\"}";
                case 11 -> "{\"tenant_id\":\"" + PortalWorld.TENANT_U + "\"}";
                case 12 -> "{\"phone\":\"+1 555 0001\",\"phone\":\"+1 555 0002\"}";
                case 13 -> "{\"phone\":" + pick(List.of("5", "5.5", "true", "[]", "{}", "1e400", "-0")) + "}";
                case 14 -> "{\"billing_address\":" + pick(List.of("\"x\"", "[]", "5", "{\"line9\":\"x\"}",
                        "{\"country\":5}")) + "}";
                case 15 -> "[".repeat(20 + random.nextInt(2000)) + "]".repeat(random.nextInt(30));
                case 16 -> "{\"a\":".repeat(30 + random.nextInt(200)) + "1" + "}".repeat(random.nextInt(230));
                case 17 -> "{\"legal_name\":\"" + "é".repeat(9_000) + "\"}";
                case 18 -> "{\"name\":\"\\u0000\\u001f\"}";
                case 19 -> "{\"name\":\"\\ud800\"}";
                case 20 -> "{\"name\":\"😀 日本 " + pick(List.of("ok", "\\n")) + "\"}";
                case 21 -> pick(List.of("", "{", "{}", "null", "[]", "\"x\"", "{\"phone\":}", "{} {}", "{\"phone\"\"x\"}"));
                case 22 -> "{}" + " ".repeat(17_000);
                default -> randomText(random.nextInt(300));
            };
            return json.getBytes(StandardCharsets.UTF_8);
        }

        /** An {@code Idempotency-Key} now and then: fresh, reused from a small pool (replays), or malformed. */
        private void idempotencyKey(Map<String, List<String>> headers) {
            double roll = random.nextDouble();
            if (roll < 0.3) {
                headers.put("Idempotency-Key", List.of("fuzz-" + random.nextLong()));
            } else if (roll < 0.7) {
                headers.put("Idempotency-Key", List.of("pool-" + random.nextInt(6)));
            } else if (roll < 0.82) {
                headers.put("Idempotency-Key", List.of(pick(List.of("", " ", "x".repeat(256), "é", "a b", "\t"))));
            } else if (roll < 0.85) {
                headers.put("Idempotency-Key", List.of("k1", "k2"));
            }
        }

        private void extraHeaders(Map<String, List<String>> headers) {
            if (chance(0.3)) {
                headers.put("Accept-Language", List.of(pick(List.of("fr-CH, fr;q=0.9, en;q=0.8", "*", "xx", "q=2",
                        ";;;", "de;q=0", "ja-JP", "x".repeat(1000), "en;q=abc", "zh-Hant;q=0.5,,,", "😀"))));
            }
            if (chance(0.15)) {
                headers.put("If-None-Match", List.of(pick(List.of("*", "\"abc\"", material.assetEtag,
                        "W/" + material.assetEtag, material.assetEtag + ", \"x\"", "", "\"" + "x".repeat(5000) + "\""))));
            }
            if (chance(0.1)) {
                headers.put("Content-Type", List.of(pick(List.of("application/json", "text/plain", "multipart/form-data; boundary=x", ""))));
            }
            if (chance(0.05)) {
                headers.put(randomText(1 + random.nextInt(20)), List.of(randomText(random.nextInt(chance(0.1) ? 50_000 : 50))));
            }
        }

        private byte[] body() {
            if (chance(0.8)) {
                return null;
            }
            return switch (random.nextInt(5)) {
                case 0 -> "{\"customer\":{\"external_id\":\"ext-bob\"}}".getBytes(StandardCharsets.UTF_8);
                case 1 -> randomText(random.nextInt(200)).getBytes(StandardCharsets.UTF_8);
                case 2 -> {
                    byte[] bytes = new byte[random.nextInt(chance(0.1) ? 100_000 : 1000)];
                    random.nextBytes(bytes);
                    yield bytes;
                }
                case 3 -> "token=x&status=draft".getBytes(StandardCharsets.UTF_8);
                default -> new byte[0];
            };
        }

        /** Text mixing ASCII, reserved characters, escapes, controls, accents, CJK, emoji and lone surrogates. */
        private String randomText(int length) {
            StringBuilder text = new StringBuilder(length);
            Supplier<String> part = () -> switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> String.valueOf((char) ('a' + random.nextInt(26)));
                case 4 -> String.valueOf(RESERVED.charAt(random.nextInt(RESERVED.length())));
                case 5 -> String.valueOf((char) random.nextInt(0x20));
                case 6 -> String.valueOf((char) (0xC0 + random.nextInt(0x100)));
                case 7 -> String.valueOf((char) (0x4E00 + random.nextInt(0x500)));
                case 8 -> "😀";
                default -> String.valueOf((char) (0xD800 + random.nextInt(0x800)));
            };
            while (text.length() < length) {
                text.append(part.get());
            }
            return text.toString();
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    // ================================================================ coverage of the fuzz itself

    /** Counts per outcome, so that a fuzz which stopped reaching the code it means to reach fails. */
    private static final class Stats {
        final Map<Integer, Integer> statuses = new TreeMap<>();
        final Map<String, Integer> kinds = new TreeMap<>();
        final Map<String, Integer> okRoutes = new TreeMap<>();
        final Map<String, Integer> codes = new TreeMap<>();
        int heads;
        int total;

        void count(Generated generated, PortalResponse response) throws IOException {
            total++;
            statuses.merge(response.status(), 1, Integer::sum);
            kinds.merge(generated.kind(), 1, Integer::sum);
            if ("HEAD".equals(generated.request().method())) {
                heads++;
            }
            if (response.status() < 400) {
                String route = route(generated.request().method(), generated.request().rawPath());
                if (route != null) {
                    okRoutes.merge(route, 1, Integer::sum);
                }
            }
            byte[] body = response.body().toByteArray();
            if (response.status() >= 400 && body.length > 0) {
                JsonNode code = JSON.readTree(body).get("code");
                if (code != null) {
                    codes.merge(code.asText(), 1, Integer::sum);
                }
            }
        }

        private static String route(String method, String path) {
            String base = PortalApi.DEFAULT_BASE_PATH;
            String ui = PortalApi.DEFAULT_UI_PATH;
            String wanted = "HEAD".equals(method) ? "GET" : method;
            if (path.startsWith(base + "/")) {
                String rest = path.substring(base.length());
                for (String route : PortalApi.API_ROUTES) {
                    String pattern = route.substring(route.indexOf(' ') + 1).replace("{id}", "[^/]+");
                    if (route.startsWith(wanted + " ") && rest.matches(pattern + "/?")) {
                        return route;
                    }
                }
            } else if (path.equals(ui) || path.startsWith(ui + "/")) {
                String rest = path.substring(ui.length());
                for (String route : PortalApi.PAGE_ROUTES) {
                    if (rest.equals(route.contains(" ") ? route.substring(route.indexOf(' ') + 1) : "")) {
                        return "page " + route;
                    }
                }
            }
            return null;
        }

        void assertCovered(int requests, long reads) {
            assertThat(total).as("requests sent").isEqualTo(requests);
            double share = requests / 20_000.0; // half the rate of the default seed's run, for other seeds and sizes
            assertThat(reads).as("repository reads during the fuzz").isGreaterThan((long) (3000 * share));
            for (int status : List.of(200, 400, 401, 404, 405, 422)) {
                assertThat(statuses.getOrDefault(status, 0)).as("responses with status %d", status)
                        .isGreaterThan((int) (50 * share));
            }
            assertThat(statuses.getOrDefault(302, 0) + statuses.getOrDefault(304, 0)).as("redirects and 304s")
                    .isGreaterThan((int) (10 * share));
            assertThat(heads).as("HEAD requests").isGreaterThan((int) (500 * share));
            for (Who who : Who.values()) {
                assertThat(kinds.getOrDefault("valid token of " + who, 0)).as("requests with a valid token of %s", who)
                        .isGreaterThan((int) (1000 * share));
            }
            // With thirty routes, each gets a thirtieth of the requests; most fail on purpose (bad ids, bodies, states):
            // a handful of successes per route per 10,000 requests shows the route's happy path is still reached.
            for (String route : PortalApi.API_ROUTES) {
                assertThat(okRoutes.getOrDefault(route, 0)).as("successful requests of %s", route)
                        .isGreaterThan((int) (8 * share));
            }
            for (String route : PortalApi.PAGE_ROUTES) {
                assertThat(okRoutes.getOrDefault("page " + route, 0)).as("successful requests of the page's %s", route)
                        .isGreaterThan((int) (5 * share));
            }
            for (String code : List.of("invalid_token", "token_expired", "session_revoked", "missing_authorization",
                    "link_already_used", "exchange_required",
                    "invalid_authorization", "invalid_cursor", "invalid_query", "invalid_path", "validation_errors",
                    "invoice_not_found", "route_not_found", "method_not_allowed", "invalid_json", "unsupported_media_type",
                    "body_too_large", "invalid_idempotency_key", "idempotency_key_reused")) {
                assertThat(codes.getOrDefault(code, 0)).as("errors with code %s", code).isGreaterThan((int) (5 * share));
            }
        }

        @Override
        public String toString() {
            return total + " requests; statuses " + statuses + "; " + heads + " HEAD; by credentials " + kinds
                    + "; successes per route " + okRoutes + "; error codes " + codes;
        }
    }
}
