package dev.billingportal.core.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.memory.InMemoryPaymentMethodProvider;
import dev.billingportal.core.session.Flow;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.session.SessionService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The way back from a payment provider's hosted page: both return addresses carry a return link, which resumes the
 * session the customer left exactly once, dies with that session, and never outlives it.
 */
class ReturnLinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/portal/api";

    private final InMemoryPaymentMethodProvider provider = new InMemoryPaymentMethodProvider();
    private TestPortal t;
    private PortalService portal;
    private PortalApi api;
    private Customer alice;

    private void start(boolean oneTime) {
        t = oneTime ? TestPortal.oneTime() : new TestPortal();
        alice = t.customer("alice");
        LocalDate day = LocalDate.of(2026, 10, 1);
        t.invoice(alice, "inv-open", day, day.plusDays(14), 5000, "EUR", InvoiceStatus.FINALIZED, PaymentStatus.PENDING);
        portal = t.service.toBuilder().paymentMethods(provider).build();
        api = PortalApi.of(portal);
    }

    /** A link, and the token the page then uses (the exchanged session's in one-time mode, the link's otherwise). */
    private String[] open(SessionRequest request) {
        PortalSession link = portal.createSession(request);
        String token = portal.exchange(link.token(), null).token();
        return new String[] {link.id(), token};
    }

    private PortalResponse call(String method, String path, String token) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Authorization", List.of("Bearer " + token));
        headers.put("Content-Type", List.of("application/json"));
        return api.handle(new PortalRequest(method, BASE + path, null, headers,
                "POST".equals(method) ? "{}".getBytes(StandardCharsets.UTF_8) : null));
    }

    private static JsonNode json(PortalResponse response) {
        try {
            return JSON.readTree(response.body().toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String setupId(String token) {
        String url = json(call("POST", "/payment_methods/setup", token)).get("setup").get("redirect_url").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String tokenOf(URI back) {
        String query = back.getRawQuery();
        return query.substring(query.indexOf("token=") + "token=".length());
    }

    private static void assertRefused(Runnable exchange, String reason) {
        assertThatThrownBy(exchange::run).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    @DisplayName("one-time mode: both return addresses carry one return link; it resumes the same session's settings once")
    void resumesOnce() {
        start(true);
        Flow flow = Flow.paymentMethodUpdate();
        String[] opened = open(SessionRequest.forCustomer(alice.ref()).locale(Locale.GERMAN)
                .returnUrl(URI.create("https://app.example.com/settings")).flow(flow));
        PortalContext starting = portal.authenticate(opened[1]);
        URI back = provider.completeSetup(setupId(opened[1]));
        assertThat(back.toString()).startsWith(portal.portalUrl() + "?setup=complete&token=");
        String returnToken = tokenOf(back);
        assertThat(returnToken).isNotEqualTo(opened[1]);

        // the return link calls no API: it must be exchanged
        PortalResponse direct = call("GET", "/payment_methods", returnToken);
        assertThat(direct.status()).isEqualTo(401);
        assertThat(json(direct).get("code").asText()).isEqualTo("exchange_required");

        PortalResponse exchanged = api.handle(PortalRequest.of("POST", BASE + "/session", null,
                Map.of("Authorization", List.of("Bearer " + returnToken))));
        assertThat(exchanged.status()).as(exchanged.bodyAsString()).isEqualTo(201);
        String resumed = json(exchanged).get("session").get("token").asText();
        assertThat(json(exchanged).get("session").get("idle_timeout_seconds").asLong()).isPositive();
        assertThat(call("GET", "/payment_methods", resumed).status()).isEqualTo(200);
        PortalContext ctx = portal.authenticate(resumed);
        assertThat(ctx.sessionId()).isNotEqualTo(starting.sessionId());
        assertThat(ctx.customerRef()).isEqualTo(alice.ref());
        assertThat(ctx.locale()).isEqualTo(Locale.GERMAN);
        assertThat(ctx.returnUrl()).isEqualTo(URI.create("https://app.example.com/settings"));
        assertThat(ctx.flow()).isEqualTo(flow);
        assertThat(ctx.expiresAt()).isEqualTo(starting.expiresAt());

        // replayed: refused
        assertRefused(() -> portal.exchange(returnToken, null), "link_already_used");
        PortalResponse replay = api.handle(PortalRequest.of("POST", BASE + "/session", null,
                Map.of("Authorization", List.of("Bearer " + returnToken))));
        assertThat(replay.status()).isEqualTo(401);
        assertThat(json(replay).get("code").asText()).isEqualTo("link_already_used");
    }

    @Test
    @DisplayName("the canceled address carries its own working return link; a paid invoice's comes back with the invoice")
    void canceledAndPaymentAddresses() {
        start(true);
        String token = open(SessionRequest.forCustomer(alice.ref()))[1];
        URI canceled = provider.cancelSetup(setupId(token));
        assertThat(canceled.toString()).startsWith(portal.portalUrl() + "?setup=canceled&token=");
        assertThat(portal.exchange(tokenOf(canceled), null).token()).isNotBlank();

        JsonNode payment = json(call("POST", "/invoices/inv-open/pay", token)).get("payment");
        assertThat(payment.get("status").asText()).isEqualTo("redirect");
        String id = payment.get("redirect_url").asText().replaceAll(".*/", "");
        URI paid = provider.completePayment(id);
        assertThat(paid.toString()).startsWith(portal.portalUrl() + "?payment=complete&invoice=inv-open&token=");
        String resumed = portal.exchange(tokenOf(paid), null).token();
        assertThat(call("GET", "/invoices/inv-open", resumed).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("revoking the starting session, or the link that opened it, kills the return link")
    void revocationKillsIt() {
        start(true);
        String[] opened = open(SessionRequest.forCustomer(alice.ref()));
        String first = tokenOf(provider.completeSetup(setupId(opened[1])));
        String second = tokenOf(provider.completeSetup(setupId(opened[1])));
        portal.revokeSession(portal.authenticate(opened[1]).sessionId());
        assertRefused(() -> portal.exchange(first, null), "session_revoked");

        String[] again = open(SessionRequest.forCustomer(alice.ref()));
        String third = tokenOf(provider.completeSetup(setupId(again[1])));
        String fourth = tokenOf(provider.completeSetup(setupId(again[1])));
        String resumed = portal.exchange(third, null).token();
        portal.revokeSession(again[0]); // the host revokes the link it minted
        assertRefused(() -> portal.exchange(fourth, null), "session_revoked");
        assertThatThrownBy(() -> portal.authenticate(resumed)).isInstanceOf(PortalException.class);
        assertRefused(() -> portal.exchange(second, null), "session_revoked");

        String[] all = open(SessionRequest.forCustomer(alice.ref()));
        String fifth = tokenOf(provider.completeSetup(setupId(all[1])));
        portal.revokeAllSessions(alice.ref());
        assertThatThrownBy(() -> portal.exchange(fifth, null)).isInstanceOf(PortalException.class);
    }

    @Test
    @DisplayName("a return link is short-lived and never outlives the starting session")
    void expiry() {
        start(false); // the link is the session, here of ten minutes
        String token = open(SessionRequest.forCustomer(alice.ref()).ttl(Duration.ofMinutes(10)))[1];
        PortalContext starting = portal.authenticate(token);
        String returnToken = tokenOf(provider.completeSetup(setupId(token)));
        assertThat(dev.billingportal.core.token.JwtTokenSigner.hs256(t.keyRing).verify(returnToken).expiresAt())
                .isEqualTo(starting.expiresAt());
        t.clock.advance(Duration.ofMinutes(11));
        assertThatThrownBy(() -> portal.exchange(returnToken, null)).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.reason()).isEqualTo("token_expired"));
        assertThat(starting.expiresAt()).isBefore(t.clock.instant());

        start(true);
        String longer = open(SessionRequest.forCustomer(alice.ref()))[1];
        String later = tokenOf(provider.completeSetup(setupId(longer)));
        t.clock.advance(SessionService.RETURN_LINK_TTL.plusMinutes(5));
        assertThatThrownBy(() -> portal.exchange(later, null)).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.reason()).isEqualTo("token_expired"));
    }

    @Test
    @DisplayName("reusable links: the return link is one-time too, and revoking the link ends the resumed session")
    void reusableMode() {
        start(false);
        String[] opened = open(SessionRequest.forCustomer(alice.ref()));
        assertThat(opened[1]).isNotNull();
        String returnToken = tokenOf(provider.completeSetup(setupId(opened[1])));
        String resumed = portal.exchange(returnToken, null).token();
        assertThat(resumed).isNotEqualTo(opened[1]);
        assertThat(call("GET", "/payment_methods", resumed).status()).isEqualTo(200);
        assertRefused(() -> portal.exchange(returnToken, null), "link_already_used");
        portal.revokeSession(opened[0]);
        assertThatThrownBy(() -> portal.authenticate(resumed)).isInstanceOf(PortalException.class);
    }

    @Test
    @DisplayName("racing exchanges of one return link: exactly one session")
    void racingExchanges() throws Exception {
        start(true);
        String token = open(SessionRequest.forCustomer(alice.ref()))[1];
        String returnToken = tokenOf(provider.completeSetup(setupId(token)));
        int threads = 8;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    barrier.await();
                    try {
                        return portal.exchange(returnToken, null).token();
                    } catch (PortalException e) {
                        return "refused:" + e.reason();
                    }
                }));
            }
            List<String> got = new ArrayList<>();
            for (Future<String> f : answers) {
                got.add(f.get());
            }
            assertThat(got.stream().filter(s -> !s.startsWith("refused:"))).hasSize(1);
            assertThat(got.stream().filter(s -> s.startsWith("refused:"))).hasSize(threads - 1)
                    .allMatch(s -> s.equals("refused:link_already_used"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a payment charged at once takes its unused return link back")
    void directChargeDropsTheLink() {
        t = TestPortal.oneTime();
        alice = t.customer("alice");
        LocalDate day = LocalDate.of(2026, 10, 1);
        t.invoice(alice, "inv-open", day, day.plusDays(14), 5000, "EUR", InvoiceStatus.FINALIZED, PaymentStatus.PENDING);
        List<ReturnUrls> handedOver = new ArrayList<>();
        PaymentMethodProvider recording = new PaymentMethodProvider() {
            @Override
            public List<PaymentMethod> paymentMethods(CustomerScope scope) {
                return provider.paymentMethods(scope);
            }

            @Override
            public SetupSession startSetup(CustomerScope scope, ReturnUrls returnUrls) {
                return provider.startSetup(scope, returnUrls);
            }

            @Override
            public List<PaymentMethod> setDefault(CustomerScope scope, String paymentMethodId) {
                return provider.setDefault(scope, paymentMethodId);
            }

            @Override
            public void remove(CustomerScope scope, String paymentMethodId) {
                provider.remove(scope, paymentMethodId);
            }

            @Override
            public InvoicePayment payInvoice(CustomerScope scope, dev.billingportal.core.invoices.Invoice invoice,
                                             ReturnUrls returnUrls, String attemptId) {
                handedOver.add(returnUrls);
                return provider.payInvoice(scope, invoice, returnUrls, attemptId);
            }
        };
        portal = t.service.toBuilder().paymentMethods(recording).build();
        api = PortalApi.of(portal);
        provider.save(CustomerScope.of(alice), PaymentMethod.builder().id("pm-1").brand("visa").last4("4242")
                .expires(12, 2030).build());
        String token = open(SessionRequest.forCustomer(alice.ref()))[1];
        assertThat(json(call("POST", "/invoices/inv-open/pay", token)).get("payment").get("status").asText())
                .isEqualTo("succeeded");
        assertThat(handedOver).hasSize(1);
        assertThat(provider.charges()).hasSize(1);
        String unused = tokenOf(handedOver.get(0).completed());
        assertThatThrownBy(() -> portal.exchange(unused, null)).isInstanceOf(PortalException.class);
    }
}
