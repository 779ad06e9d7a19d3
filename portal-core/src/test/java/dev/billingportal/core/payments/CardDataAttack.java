package dev.billingportal.core.payments;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.idempotency.IdempotencyRecord;
import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.memory.InMemoryEventOutbox;
import dev.billingportal.core.memory.InMemoryIdempotencyStore;
import dev.billingportal.core.memory.InMemoryPaymentMethodProvider;
import dev.billingportal.core.memory.InMemorySubscriptionProvider;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.subscriptions.Plan;
import dev.billingportal.core.subscriptions.PlanInterval;
import dev.billingportal.core.subscriptions.Subscription;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A portal with every feature installed, and the card-data attack on it: card numbers (Luhn-valid and not, plain,
 * spaced, dashed, JSON-escaped), security codes and track data sent to every route, in paths, queries, headers and
 * bodies. Shared by {@link CardDataAttackTest} (storage and answers) and {@link CardDataLogRun} (logs, in a JVM of its
 * own at TRACE).
 */
final class CardDataAttack {
    /** The card numbers sent; none may come back or be kept, in any spelling. */
    static final List<String> PANS = List.of("4242424242424242", "4000056655665556", "5555555555554444",
            "378282246310005", "6011111111111117", "4111111111111112" /* not Luhn-valid */, "4222222222222");
    /** Security codes: there is no field for one, and none may be kept. */
    static final List<String> CVCS = List.of("9137", "842");
    /** Track data. */
    static final List<String> TRACKS = List.of("%B4111111111111111^DOE/JOHN^2512101000000000?",
            ";4111111111111111=25121010000000000?");

    final TestPortal t = new TestPortal();
    final InMemoryPaymentMethodProvider provider = new InMemoryPaymentMethodProvider();
    final InMemorySubscriptionProvider subscriptions = new InMemorySubscriptionProvider(t.clock);
    final InMemoryEventOutbox outbox = new InMemoryEventOutbox();
    /** Every idempotency record the portal stored, as text. */
    final List<String> idempotencyRecords = Collections.synchronizedList(new ArrayList<>());
    final Customer alice;
    final PortalService portal;
    final PortalApi api;
    final String token;

    CardDataAttack() {
        alice = t.customer("alice");
        provider.save(CustomerScope.of(alice), PaymentMethod.builder().id("pm-a-1").brand("visa").last4("4242")
                .expires(12, 2030).build());
        LocalDate day = LocalDate.of(2026, 10, 1);
        t.invoice(alice, "inv-open", day, day.plusDays(14), 5000, "EUR", InvoiceStatus.FINALIZED, PaymentStatus.PENDING);
        subscriptions.savePlan(alice.tenantId(), new Plan("pro", "Pro", PlanInterval.MONTH, Money.of(2999, "EUR")));
        subscriptions.save(CustomerScope.of(alice), Subscription.builder().id("sub-1").name("Pro")
                .plan(subscriptions.plans(CustomerScope.of(alice), null).get(0))
                .startedAt(Instant.parse("2026-01-01T00:00:00Z")).currentPeriodStart(Instant.parse("2026-11-01T00:00:00Z"))
                .currentPeriodEnd(Instant.parse("2026-12-01T00:00:00Z")).build());
        IdempotencyStore real = new InMemoryIdempotencyStore();
        IdempotencyStore recording = new IdempotencyStore() {
            @Override
            public Optional<IdempotencyRecord> begin(IdempotencyRecord started, Instant now) {
                idempotencyRecords.add(text(started));
                return real.begin(started, now);
            }

            @Override
            public void complete(IdempotencyRecord completed) {
                idempotencyRecords.add(text(completed));
                real.complete(completed);
            }

            @Override
            public void release(IdempotencyRecord started) {
                real.release(started);
            }

            @Override
            public int purgeExpired(Instant now) {
                return real.purgeExpired(now);
            }
        };
        portal = t.service.toBuilder().paymentMethods(provider).subscriptions(subscriptions).outbox(outbox)
                .idempotency(recording).build();
        api = PortalApi.of(portal);
        token = portal.createSession(SessionRequest.forCustomer(alice.ref())).token();
    }

    private static String text(IdempotencyRecord record) {
        return "key=" + record.key() + " digest=" + record.requestDigest() + " body="
                + (record.body() == null ? "" : new String(record.body(), StandardCharsets.UTF_8));
    }

    /** Every spelling of every card number, security code and track datum the attack sends. */
    static List<String> values() {
        List<String> values = new ArrayList<>();
        for (String pan : PANS) {
            values.add(pan);
            values.add(pan.replaceAll("(\\d{4})(?=\\d)", "$1 "));
            values.add(pan.replaceAll("(\\d{4})(?=\\d)", "$1-"));
        }
        values.addAll(TRACKS);
        return values;
    }

    /** The requests of the attack, each with what it is. */
    Map<String, PortalRequest> requests() {
        Map<String, PortalRequest> requests = new LinkedHashMap<>();
        List<String> values = values();
        int n = 0;
        for (String route : PortalApi.API_ROUTES) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1);
            String own = path.startsWith("/invoices") ? "inv-open" : path.startsWith("/subscriptions") ? "sub-1"
                    : "pm-a-1";
            for (String value : values) {
                n++;
                String pan = value.replaceAll("[^0-9]", "");
                String cvc = CVCS.get(n % CVCS.size());
                String escaped = pan.chars().mapToObj(c -> String.format("\\u%04x", c)).reduce("", String::concat);
                List<String> bodies = List.of(
                        "{\"card_number\":\"" + value + "\",\"cvc\":\"" + cvc + "\",\"exp_month\":12}",
                        "{\"number\":\"" + escaped + "\",\"security_code\":\"" + cvc + "\"}",
                        "{\"phone\":\"" + value + "\",\"comment\":\"my card is " + value + " cvc " + cvc + "\","
                                + "\"reason\":\"other\",\"plan_code\":\"" + value + "\",\"preview_id\":\"" + value + "\"}",
                        "{\"" + pan + "\":\"" + cvc + "\"}",
                        "{\"legal_name\":" + pan + "}",
                        value);
                String realPath = PortalApi.DEFAULT_BASE_PATH + path.replace("{id}", n % 2 == 0 ? own : pan);
                for (int b = 0; b < bodies.size(); b++) {
                    Map<String, List<String>> headers = new LinkedHashMap<>();
                    headers.put("Authorization", List.of("Bearer " + token));
                    headers.put("Content-Type", List.of("application/json"));
                    headers.put("User-Agent", List.of("Mozilla/5.0 card " + value));
                    headers.put("X-Card-Number", List.of(value));
                    headers.put("X-Cvc", List.of(cvc));
                    if (!method.equals("GET")) {
                        headers.put("Idempotency-Key", List.of(b % 2 == 0 ? pan : "key-" + n + "-" + b));
                    }
                    String query = "search=" + pan + "&card=" + value.replace(" ", "+").replace("%", "%25")
                            .replace("^", "%5E").replace(";", "%3B").replace("=", "%3D").replace("?", "%3F")
                            + "&cvc=" + cvc;
                    requests.put(route + " #" + n + "." + b, new PortalRequest(method, realPath, b == 5 ? null : query,
                            headers, bodies.get(b).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        // clean bodies, but a card number as Idempotency-Key and in the User-Agent: the writes go through
        for (String route : PortalApi.API_ROUTES) {
            String method = route.substring(0, route.indexOf(' '));
            if (method.equals("GET")) {
                continue;
            }
            String path = route.substring(route.indexOf(' ') + 1);
            String own = path.startsWith("/invoices") ? "inv-open" : path.startsWith("/subscriptions") ? "sub-1" : "pm-a-1";
            String pan = PANS.get(route.length() % PANS.size());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("Authorization", List.of("Bearer " + token));
            headers.put("Content-Type", List.of("application/json"));
            headers.put("User-Agent", List.of(pan));
            headers.put("Idempotency-Key", List.of(pan));
            requests.put(route + " clean body", new PortalRequest(method, PortalApi.DEFAULT_BASE_PATH
                    + path.replace("{id}", own), null, headers, "{}".getBytes(StandardCharsets.UTF_8)));
        }
        return requests;
    }

    /** Sends them all; the answers, by request. */
    Map<String, PortalResponse> run() {
        Map<String, PortalResponse> answers = new LinkedHashMap<>();
        requests().forEach((what, request) -> answers.put(what, api.handle(request)));
        return answers;
    }
}
