package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.testkit.PortalWorld.Who;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.billingportal.testkit.IsolationRun.assertSameResponse;
import static dev.billingportal.testkit.IsolationRun.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payment routes of {@link PortalIsolationContract}, part of that contract: the viewer's own payment methods
 * listed, set up (the way back resuming the viewer's session), made default and removed; another's method answered
 * as a missing one; {@code POST /invoices/{id}/pay} charging the viewer's own payable invoices only; and the
 * others' methods left as they were (also asserted by the {@code PortalService.payments} row).
 */
final class PaymentIsolationChecks {

    private final PortalWorld world;
    private final IsolationRun run;

    PaymentIsolationChecks(PortalWorld world, IsolationRun run) {
        this.world = world;
        this.run = run;
    }

    /** The list holds exactly the viewer's own payment methods (A and A' share {@code pm-shared-1}). */
    void paymentMethodList(Who viewer) throws Exception {
        JsonNode list = run.ok(run.api("/payment_methods", null, run.token(viewer)), viewer).get("payment_methods");
        List<String> ids = new ArrayList<>();
        list.forEach(m -> ids.add(m.get("id").asText()));
        assertThat(ids).as("rule: GET /payment_methods lists the viewer's methods, no one else's")
                .containsExactlyElementsOf(world.seededPaymentMethods(viewer));
    }

    /** A setup is started for the viewer only, and its way back is the portal's own page. */
    void paymentSetupRoute(Who viewer) throws Exception {
        try {
            PortalResponse started = world.write(run.mode(), "POST", PortalApi.DEFAULT_BASE_PATH + "/payment_methods/setup",
                    "{}", null, run.token(viewer));
            String url = run.ok(started, viewer).get("setup").get("redirect_url").asText();
            assertThat(url).as("rule: the setup sends the customer to the provider's page")
                    .startsWith(world.payments.sandboxUrl().toString());
            java.net.URI back = world.payments.completeSetup(url.substring(url.lastIndexOf('/') + 1));
            String prefix = run.portal().portalUrl() + "?setup=complete&token=";
            assertThat(back.toString()).as("rule: the way back is the portal's own page, with a return link only")
                    .startsWith(prefix).doesNotContain("#").satisfies(u -> assertThat(u.substring(prefix.length()))
                            .as("the return link's token").matches("[A-Za-z0-9_.-]+"));
            String resumed = run.portal().exchange(back.toString().substring(prefix.length()), null).token();
            assertThat(run.portal().authenticate(resumed).customerRef())
                    .as("rule: the return link resumes the viewer's session, no one else's").isEqualTo(viewer.ref());
            assertThat(world.payments.paymentMethods(viewer.scope())).as("the viewer's methods after the setup")
                    .hasSize(world.seededPaymentMethods(viewer).size() + 1);
            assertPaymentsOfOthersUntouched(viewer, "POST /payment_methods/setup");
        } finally {
            world.restorePayments();
        }
    }

    /** One payment method route, on every method id of the world: another's answers exactly as a missing one. */
    void paymentMethodRoute(Who viewer, String route) throws Exception {
        String token = run.token(viewer);
        try {
            PortalResponse missing = paymentMethodCall(route, PortalWorld.MISSING_PAYMENT_METHOD, token);
            assertThat(missing.status()).as("%s on a missing method: %s", route, missing.bodyAsString()).isEqualTo(404);
            assertThat(json(missing).get("code").asText()).isEqualTo("payment_method_not_found");
            for (String id : world.allPaymentMethodIds()) {
                if (!world.seededPaymentMethods(viewer).contains(id)) {
                    for (String probe : List.of(id, id.toUpperCase(java.util.Locale.ROOT))) {
                        assertSameResponse(paymentMethodCall(route, probe, token), missing,
                                "rule: " + route + " on " + probe + " (not " + viewer + "'s) answers as a missing one");
                    }
                    continue;
                }
                PortalResponse own = paymentMethodCall(route, id, token);
                if (route.startsWith("DELETE") && world.seededPaymentMethods(viewer).size() == 1) {
                    assertThat(own.status()).as("rule: the only method stays while a subscription runs: %s",
                            own.bodyAsString()).isEqualTo(409);
                    assertThat(json(own).get("code").asText()).isEqualTo("payment_method_required");
                } else if (route.startsWith("DELETE")) {
                    assertThat(own.status()).as("rule: %s removes their own %s: %s", viewer, id, own.bodyAsString())
                            .isEqualTo(204);
                    assertThat(world.payments.paymentMethods(viewer.scope()))
                            .extracting(dev.billingportal.core.payments.PaymentMethod::id).doesNotContain(id);
                } else {
                    JsonNode methods = run.ok(own, viewer).get("payment_methods");
                    methods.forEach(m -> assertThat(m.get("default").asBoolean()).as("default flag of %s", m)
                            .isEqualTo(m.get("id").asText().equals(id)));
                }
                assertPaymentsOfOthersUntouched(viewer, route);
                world.restorePayments();
            }
        } finally {
            world.restorePayments();
        }
    }

    private PortalResponse paymentMethodCall(String route, String id, String token) {
        String path = PortalApi.DEFAULT_BASE_PATH + "/payment_methods/" + id;
        return route.startsWith("DELETE") ? world.write(run.mode(), "DELETE", path, "{}", null, token)
                : world.write(run.mode(), "POST", path + "/default", "{}", null, token);
    }

    /**
     * Paying, on every invoice id of the world: another customer's (or tenant's: the same id) answers exactly as a
     * missing one and charges nothing; the viewer's payable ones are charged to the viewer, the others refused.
     */
    void invoicePayRoute(Who viewer) throws Exception {
        String token = run.token(viewer);
        try {
            PortalResponse missing = world.write(run.mode(), "POST", PortalApi.DEFAULT_BASE_PATH + "/invoices/inv-missing-0/pay",
                    "{}", null, token);
            assertThat(missing.status()).as("pay a missing invoice: %s", missing.bodyAsString()).isEqualTo(404);
            for (String id : world.allIds()) {
                PortalResponse response = world.write(run.mode(), "POST", PortalApi.DEFAULT_BASE_PATH + "/invoices/" + id
                        + "/pay", "{}", null, token);
                java.util.Optional<Invoice> own = world.visible(viewer, id);
                if (own.isEmpty()) {
                    assertSameResponse(response, missing, "rule: paying " + id + " (not " + viewer
                            + "'s) answers as a missing invoice");
                } else if (dev.billingportal.core.payments.PaymentService.payable(own.get())) {
                    assertThat(run.ok(response, viewer).get("payment").get("status").asText())
                            .as("rule: %s pays their own %s on the default method", viewer, id).isEqualTo("succeeded");
                } else {
                    assertThat(response.status()).as("rule: %s is not payable: %s", id, response.bodyAsString())
                            .isEqualTo(409);
                    assertThat(json(response).get("code").asText()).isEqualTo("invoice_not_payable");
                }
            }
            int variants = 0;
            for (String id : InvoiceIsolationChecks.probeIds(world)) {
                String decoded = java.net.URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8);
                if (world.visible(viewer, decoded).isPresent()) {
                    continue; // the viewer's own, paid above
                }
                PortalResponse response = world.write(run.mode(), "POST", PortalApi.DEFAULT_BASE_PATH + "/invoices/" + id
                        + "/pay", "{}", null, token);
                assertSameResponse(response, missing, "rule: paying " + id + " as " + viewer
                        + " answers as a missing invoice");
                variants++;
            }
            assertThat(variants).as("variants of other customers' and missing ids paid").isGreaterThanOrEqualTo(12);
            assertThat(world.payments.charges()).as("rule: every charge is the viewer's own")
                    .allSatisfy(charge -> assertThat(charge.scope()).isEqualTo(viewer.scope()));
            assertThat(world.payments.charges()).extracting(c -> c.invoiceId()).as("charges of %s", viewer)
                    .containsExactlyInAnyOrderElementsOf(world.invoices.get(viewer).stream()
                            .filter(i -> i.status().visibleInPortal()
                                    && dev.billingportal.core.payments.PaymentService.payable(i))
                            .map(Invoice::id).toList());
        } finally {
            world.restorePayments();
        }
    }

    void assertPaymentsOfOthersUntouched(Who viewer, String route) {
        for (Who other : viewer.others()) {
            assertThat(world.payments.paymentMethods(other.scope()))
                    .extracting(dev.billingportal.core.payments.PaymentMethod::id)
                    .as("rule: %s by %s leaves %s's payment methods as they were", route, viewer, other)
                    .containsExactlyElementsOf(world.seededPaymentMethods(other));
        }
    }
}
