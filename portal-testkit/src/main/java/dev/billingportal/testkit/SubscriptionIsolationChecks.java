package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.testkit.PortalWorld.Who;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static dev.billingportal.testkit.IsolationRun.assertSameResponse;
import static dev.billingportal.testkit.IsolationRun.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscription routes of {@link PortalIsolationContract}, part of that contract: the viewer's own subscriptions
 * listed, read, previewed, changed, cancelled and resumed; another customer's (or the same id in another tenant)
 * answered as a missing one, another's preview id refused, and the others' subscriptions left as they were (also
 * asserted by the {@code PortalService.subscriptions} row).
 */
final class SubscriptionIsolationChecks {

    private final PortalWorld world;
    private final IsolationRun run;

    SubscriptionIsolationChecks(PortalWorld world, IsolationRun run) {
        this.world = world;
        this.run = run;
    }


    /** The list holds exactly the viewer's own subscriptions (A and A' share {@code sub-shared-1}). */
    void subscriptionList(Who viewer) throws Exception {
        JsonNode list = run.ok(run.api("/subscriptions", null, run.token(viewer)), viewer).get("subscriptions");
        List<String> ids = new ArrayList<>();
        list.forEach(s -> {
            ids.add(s.get("id").asText());
            assertThat(s.get("name").asText()).as("rule: the list shows %s's own subscriptions", viewer)
                    .contains(viewer.suffix);
        });
        assertThat(ids).as("rule: GET /subscriptions lists the viewer's subscriptions, no one else's")
                .containsExactlyInAnyOrderElementsOf(world.seededSubscriptions.get(viewer).keySet());
    }

    /**
     * One subscription route, on every subscription id of the world: the viewer's own answer 200 and change only the
     * viewer's subscription; another customer's (or tenant's: the same id) answers exactly as a missing one.
     */
    void subscriptionRoute(Who viewer, String route) throws Exception {
        String token = run.token(viewer);
        try {
            String ownFirst = "sub-" + viewer.tag + "-1";
            PortalResponse missing = subscriptionCall(route, PortalWorld.MISSING_SUBSCRIPTION, ownFirst, token);
            assertThat(missing.status()).as("%s on a missing subscription: %s", route, missing.bodyAsString()).isEqualTo(404);
            assertThat(json(missing).get("code").asText()).isEqualTo("subscription_not_found");
            for (String id : world.allSubscriptionIds()) {
                if (!world.seededSubscriptions.get(viewer).containsKey(id)) {
                    for (String probe : List.of(id, id.toUpperCase(java.util.Locale.ROOT))) {
                        assertSameResponse(subscriptionCall(route, probe, ownFirst, token), missing,
                                "rule: " + route + " on " + probe + " (not " + viewer + "'s) answers as a missing one");
                    }
                    continue;
                }
                PortalResponse own = subscriptionCall(route, id, id, token);
                JsonNode body = run.ok(own, viewer);
                if (route.equals("GET /subscriptions/{id}/plans")) {
                    List<String> codes = new ArrayList<>();
                    body.get("plans").forEach(plan -> codes.add(plan.get("code").asText()));
                    assertThat(PortalWorld.OFFERED_PLANS).as("rule: only the configured plans are offered")
                            .containsAll(codes);
                } else if (route.equals("POST /subscriptions/{id}/preview")) {
                    assertThat(body.get("preview").get("subscription_id").asText()).isEqualTo(id);
                    PortalResponse secret = world.write(run.mode(), "POST", subscriptionPath(id, "/preview"),
                            "{\"plan_code\":\"secret\"}", null, token);
                    assertThat(secret.status()).as("rule: a plan outside the configuration is refused").isEqualTo(422);
                    assertThat(json(secret).get("error_details").get("plan_code").get(0).asText()).isEqualTo("not_offered");
                } else if (!route.startsWith("GET")) {
                    assertThat(body.get("subscription").get("id").asText()).isEqualTo(id);
                }
                if (route.equals("POST /subscriptions/{id}/change")) {
                    for (Who other : viewer.others()) {
                        if (world.seededSubscriptions.get(other).containsKey(id)) {
                            // the other's preview of the same id: never good for the viewer
                            world.restoreSubscriptions();
                            String theirs = previewId(id, world.login(other, run.mode()).token());
                            PortalResponse refused = world.write(run.mode(), "POST", subscriptionPath(id, "/change"),
                                    "{\"plan_code\":\"pro_year\",\"preview_id\":\"" + theirs + "\"}", null, token);
                            assertThat(refused.status()).as("rule: another customer's preview id is refused: %s",
                                    refused.bodyAsString()).isEqualTo(422);
                        }
                    }
                }
                assertOthersUntouched(viewer, route);
                world.restoreSubscriptions();
            }
        } finally {
            world.restoreSubscriptions();
        }
    }

    void assertOthersUntouched(Who viewer, String route) {
        for (Who other : viewer.others()) {
            for (dev.billingportal.core.subscriptions.Subscription seeded : world.seededSubscriptions.get(other).values()) {
                assertThat(world.subscriptions.subscription(other.scope(), seeded.id())).as(
                        "rule: %s by %s leaves %s's %s as it was", route, viewer, other, seeded.id()).contains(seeded);
            }
        }
    }

    private static String subscriptionPath(String id, String rest) {
        return PortalApi.DEFAULT_BASE_PATH + "/subscriptions/" + id + rest;
    }

    /** One request of {@code route} on {@code id}; a change carries a fresh preview of {@code previewOf} by the token. */
    private PortalResponse subscriptionCall(String route, String id, String previewOf, String token) throws IOException {
        return switch (route) {
            case "GET /subscriptions/{id}" -> run.api("/subscriptions/" + id, null, token);
            case "GET /subscriptions/{id}/plans" -> run.api("/subscriptions/" + id + "/plans", null, token);
            case "POST /subscriptions/{id}/preview" -> world.write(run.mode(), "POST", subscriptionPath(id, "/preview"),
                    "{\"plan_code\":\"pro_year\"}", null, token);
            case "POST /subscriptions/{id}/change" -> world.write(run.mode(), "POST", subscriptionPath(id, "/change"),
                    "{\"plan_code\":\"pro_year\",\"preview_id\":\"" + previewId(previewOf, token) + "\"}", null, token);
            case "POST /subscriptions/{id}/cancel" -> world.write(run.mode(), "POST", subscriptionPath(id, "/cancel"),
                    "{\"reason\":\"too_expensive\",\"comment\":\"isolation\"}", null, token);
            case "POST /subscriptions/{id}/resume" -> {
                // a cancellation to undo, on the viewer's own subscription of that id (if any)
                world.write(run.mode(), "POST", subscriptionPath(previewOf, "/cancel"), "{}", null, token);
                yield world.write(run.mode(), "POST", subscriptionPath(id, "/resume"), "{}", null, token);
            }
            default -> throw new IllegalArgumentException(route);
        };
    }

    /** A fresh preview id of changing {@code id} to {@code pro_year}, by the token's session. */
    private String previewId(String id, String token) {
        PortalResponse preview = world.write(run.mode(), "POST", subscriptionPath(id, "/preview"),
                "{\"plan_code\":\"pro_year\"}", null, token);
        assertThat(preview.status()).as("preview of %s: %s", id, preview.bodyAsString()).isEqualTo(200);
        return json(preview).get("preview").get("id").asText();
    }
}
