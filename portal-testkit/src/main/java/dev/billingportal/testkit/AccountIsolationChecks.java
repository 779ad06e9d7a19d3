package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.testkit.PortalWorld.Who;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.billingportal.testkit.IsolationRun.assertSameResponse;
import static dev.billingportal.testkit.IsolationRun.overviewRows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account routes of {@link PortalIsolationContract}, part of that contract: {@code GET /customer},
 * {@code /overview}, {@code /config}, {@code /bootstrap} and {@code /messages} answer the viewer's own account (the
 * messages nobody's), and {@code PATCH /customer} changes the viewer's record only, its idempotency keys never
 * carried over to another customer.
 */
final class AccountIsolationChecks {

    private final PortalWorld world;
    private final IsolationRun run;

    AccountIsolationChecks(PortalWorld world, IsolationRun run) {
        this.world = world;
        this.run = run;
    }

    /** {@code GET /customer}. */
    void customerRoute(Who viewer) throws Exception {
        JsonNode customer = run.ok(run.api("/customer", null, run.token(viewer)), viewer).get("customer");
        assertThat(customer.get("external_id").asText()).as("rule: GET /customer answers the viewer's own profile")
                .isEqualTo(viewer.externalId);
        assertThat(customer.get("name").asText()).isEqualTo(viewer.name);
        assertThat(customer.get("email").asText()).isEqualTo(viewer.email);
        assertThat(customer.get("tax_identification_number").asText()).isEqualTo("TAX-" + viewer.suffix);
    }

    /** {@code GET /overview}. */
    void overviewRoute(Who viewer) throws Exception {
        JsonNode overview = run.ok(run.api("/overview", null, run.token(viewer)), viewer).get("overview");
        Map<String, List<Long>> actual = new TreeMap<>();
        for (JsonNode row : overview.get("currencies")) {
            actual.put(row.get("currency").asText(), List.of(row.get("total_invoiced_amount_cents").asLong(),
                    row.get("overdue_amount_cents").asLong(), row.get("overdue_invoices_count").asLong(),
                    row.get("outstanding_amount_cents").asLong(), row.get("outstanding_invoices_count").asLong()));
        }
        assertThat(actual).as("rule: GET /overview sums the viewer's own invoices only, per currency"
                + " (invoiced, overdue amount and count, outstanding amount and count)")
                .isEqualTo(overviewRows(run.expectedOverview(viewer)));
    }

    /** {@code GET /config}. */
    void configRoute(Who viewer) throws Exception {
        JsonNode config = run.ok(run.api("/config", null, run.token(viewer)), viewer).get("config");
        assertThat(config.get("return_url").asText()).as("rule: GET /config answers the viewer's own session")
                .isEqualTo(viewer.returnUrl().toString());
    }

    /** {@code GET /bootstrap}. */
    void bootstrapRoute(Who viewer) throws Exception {
        JsonNode bootstrap = run.ok(run.api("/bootstrap", null, run.token(viewer)), viewer).get("bootstrap");
        assertThat(bootstrap.get("customer").get("external_id").asText()).isEqualTo(viewer.externalId);
        assertThat(bootstrap.get("customer").get("name").asText()).isEqualTo(viewer.name);
        assertThat(bootstrap.get("config").get("return_url").asText()).isEqualTo(viewer.returnUrl().toString());
        Map<String, List<Long>> overview = new TreeMap<>();
        for (JsonNode row : bootstrap.get("overview").get("currencies")) {
            overview.put(row.get("currency").asText(), List.of(row.get("total_invoiced_amount_cents").asLong(),
                    row.get("overdue_amount_cents").asLong(), row.get("overdue_invoices_count").asLong(),
                    row.get("outstanding_amount_cents").asLong(), row.get("outstanding_invoices_count").asLong()));
        }
        assertThat(overview).isEqualTo(overviewRows(run.expectedOverview(viewer)));
        List<Invoice> expected = world.expected(viewer, InvoiceQuery.firstPage());
        List<String> ids = new ArrayList<>();
        bootstrap.get("invoices").get("invoices").forEach(item -> ids.add(item.get("id").asText()));
        assertThat(ids).as("first page of %s", viewer).containsExactlyElementsOf(expected.subList(0,
                Math.min(InvoiceQuery.DEFAULT_LIMIT, expected.size())).stream().map(Invoice::id).toList());
    }

    /** {@code GET /messages}. */
    void messagesRoute(Who viewer) {
        PortalResponse withToken = run.api("/messages", "locale=fr", run.token(viewer));
        PortalResponse anonymous = run.api("/messages", "locale=fr", null);
        assertThat(withToken.status()).isEqualTo(200);
        assertSameResponse(withToken, anonymous, "messages with and without a token");
        assertThat(withToken.bodyAsString()).as("labels carry no customer's data")
                .doesNotContain(world.allMarkers());
    }

    /**
     * A profile edit changes the viewer's own record only: the others (A and A' share internal and external ids across
     * tenants) are untouched, and an {@code Idempotency-Key} never carries over from one customer to another.
     */
    void patchCustomerRoute(Who viewer, boolean sharedKey) throws Exception {
        String path = world.api.basePath() + "/customer";
        String marker = "+1 555 0" + (100 + viewer.ordinal()) + " " + (run.mode() == LinkMode.ONE_TIME ? 1 : 2);
        String key = "isolation-" + viewer.ordinal() + "-" + run.mode().ordinal() + "-" + sharedKey + "-" + run.nextWindow();
        PortalResponse changed = world.write(run.mode(), "PATCH", path, "{\"phone\":\"" + marker + "\"}", key, run.token(viewer));
        try {
            JsonNode customer = run.ok(changed, viewer).get("customer");
            assertThat(customer.get("external_id").asText()).isEqualTo(viewer.externalId);
            assertThat(customer.get("phone").asText()).isEqualTo(marker);
            assertThat(run.portal().authenticate(run.token(viewer)).customer().phone()).isEqualTo(marker);
            for (Who other : viewer.others()) {
                PortalContext theirs = run.portal().authenticate(run.token(other));
                assertThat(theirs.customer()).as("%s after %s changed their phone", other, viewer)
                        .isEqualTo(world.customer(other));
                if (sharedKey) {
                    // The same key and body from another customer acts for that customer, never replays the viewer's answer.
                    PortalResponse same = world.write(run.mode(), "PATCH", path, "{\"phone\":\"" + marker + "\"}", key,
                            run.token(other));
                    try {
                        JsonNode body = run.ok(same, other).get("customer");
                        assertThat(same.header("Idempotent-Replayed")).as("replayed across customers").isEmpty();
                        assertThat(body.get("external_id").asText()).isEqualTo(other.externalId);
                        assertThat(run.portal().authenticate(run.token(other)).customer().phone()).isEqualTo(marker);
                    } finally {
                        world.write(run.mode(), "PATCH", path, "{\"phone\":null}", null, run.token(other));
                    }
                }
            }
            PortalResponse replay = world.write(run.mode(), "PATCH", path, "{\"phone\":\"" + marker + "\"}", key, run.token(viewer));
            assertThat(replay.header("Idempotent-Replayed")).as("the viewer's own retry").contains("true");
            assertThat(replay.bodyAsString()).isEqualTo(changed.bodyAsString());
        } finally {
            PortalResponse restored = world.write(run.mode(), "PATCH", path, "{\"phone\":null}", null, run.token(viewer));
            assertThat(restored.status()).as(restored.bodyAsString()).isEqualTo(200);
        }
        assertThat(run.portal().authenticate(run.token(viewer)).customer()).isEqualTo(world.customer(viewer));
        for (Who who : Who.values()) {
            assertThat(run.portal().authenticate(run.token(who)).customer()).as("%s after the edit was undone", who)
                    .isEqualTo(world.customer(who));
        }
    }
}
