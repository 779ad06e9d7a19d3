package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.testkit.PortalWorld.Who;

import java.util.ArrayList;
import java.util.List;

import static dev.billingportal.testkit.IsolationRun.assertSameResponse;
import static dev.billingportal.testkit.IsolationRun.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage routes of {@link PortalIsolationContract}, part of that contract: {@code GET /usage} and
 * {@code GET /usage/history} show the viewer's own subscriptions' usage, another's history as a missing one.
 */
final class UsageIsolationChecks {

    private final PortalWorld world;
    private final IsolationRun run;

    UsageIsolationChecks(PortalWorld world, IsolationRun run) {
        this.world = world;
        this.run = run;
    }

    /** The current usage lists exactly the viewer's own subscriptions (A and A' share {@code sub-shared-1}). */
    void usageList(Who viewer) throws Exception {
        JsonNode list = run.ok(run.api("/usage", null, run.token(viewer)), viewer).get("usage");
        List<String> ids = new ArrayList<>();
        list.forEach(s -> {
            ids.add(s.get("subscription_id").asText());
            assertThat(s.get("total_cents").asLong()).as("rule: the usage shown is %s's own", viewer)
                    .isEqualTo(viewer.amountBase + 11);
            assertThat(s.get("charges").get(0).get("metric_name").asText()).contains(viewer.suffix);
        });
        assertThat(ids).as("rule: GET /usage lists the viewer's subscriptions, no one else's")
                .containsExactlyInAnyOrderElementsOf(world.seededSubscriptions.get(viewer).keySet());
    }

    /** The history of every subscription id of the world: the viewer's own answer 200, others' as a missing one. */
    void usageHistory(Who viewer) throws Exception {
        String token = run.token(viewer);
        PortalResponse missing = run.api("/usage/history", "subscription_id=" + PortalWorld.MISSING_SUBSCRIPTION, token);
        assertThat(missing.status()).as("history of a missing subscription: %s", missing.bodyAsString()).isEqualTo(404);
        assertThat(json(missing).get("code").asText()).isEqualTo("subscription_not_found");
        for (String id : world.allSubscriptionIds()) {
            if (world.seededSubscriptions.get(viewer).containsKey(id)) {
                JsonNode body = run.ok(run.api("/usage/history", "subscription_id=" + id + "&periods=24", token), viewer);
                assertThat(body.get("periods")).hasSize(1);
                assertThat(body.get("periods").get(0).get("total_cents").asLong())
                        .as("rule: the history shown is %s's own", viewer).isEqualTo(viewer.amountBase + 12);
                continue;
            }
            for (String probe : List.of(id, id.toUpperCase(java.util.Locale.ROOT))) {
                assertSameResponse(run.api("/usage/history", "subscription_id=" + probe, token), missing,
                        "rule: the history of " + probe + " (not " + viewer + "'s) answers as a missing one");
            }
        }
    }
}
