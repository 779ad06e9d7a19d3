package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.testkit.PortalWorld.Who;

import java.util.ArrayList;
import java.util.List;

import static dev.billingportal.testkit.IsolationRun.assertSameResponse;
import static dev.billingportal.testkit.IsolationRun.json;
import static dev.billingportal.testkit.IsolationRun.tamper;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wallet routes of {@link PortalIsolationContract}, part of that contract: the viewer's own wallets listed, their
 * transactions and top-ups, another customer's wallet (or the same id in another tenant) answered as a missing one,
 * a wallet's cursor good in its own session only, a top-up's {@code Idempotency-Key} kept to its customer, and the
 * others' wallets left as they were (also asserted by the {@code PortalService.wallets} row).
 */
final class WalletIsolationChecks {

    private final PortalWorld world;
    private final IsolationRun run;

    WalletIsolationChecks(PortalWorld world, IsolationRun run) {
        this.world = world;
        this.run = run;
    }

    /** The wallets listed are exactly the viewer's own (A and A' share {@code wal-shared-1}). */
    void walletList(Who viewer) throws Exception {
        JsonNode list = run.ok(run.api("/wallets", null, run.token(viewer)), viewer).get("wallets");
        List<String> ids = new ArrayList<>();
        list.forEach(w -> {
            ids.add(w.get("id").asText());
            assertThat(w.get("name").asText()).as("rule: the wallets shown are %s's own", viewer).contains(viewer.suffix);
            assertThat(w.get("balance_cents").asLong()).isEqualTo(viewer.amountBase);
        });
        assertThat(ids).as("rule: GET /wallets lists the viewer's wallets, no one else's")
                .containsExactlyInAnyOrderElementsOf(world.seededWallets.get(viewer).keySet());
    }

    /**
     * One wallet route on every wallet id of the world: the viewer's own answer (their transactions; a top-up of
     * their wallet only), another customer's (or tenant's: the same id) exactly as a missing one.
     */
    void walletRoute(Who viewer, String route) throws Exception {
        String token = run.token(viewer);
        try {
            PortalResponse missing = walletCall(route, PortalWorld.MISSING_WALLET, token, null);
            assertThat(missing.status()).as("%s on a missing wallet: %s", route, missing.bodyAsString()).isEqualTo(404);
            assertThat(json(missing).get("code").asText()).isEqualTo("wallet_not_found");
            for (String id : world.allWalletIds()) {
                if (!world.seededWallets.get(viewer).containsKey(id)) {
                    for (String probe : List.of(id, id.toUpperCase(java.util.Locale.ROOT))) {
                        assertSameResponse(walletCall(route, probe, token, null), missing,
                                "rule: " + route + " on " + probe + " (not " + viewer + "'s) answers as a missing one");
                    }
                    continue;
                }
                PortalResponse own = walletCall(route, id, token, null);
                if (route.startsWith("GET")) {
                    List<String> ids = new ArrayList<>();
                    run.ok(own, viewer).get("wallet_transactions").forEach(t -> ids.add(t.get("id").asText()));
                    assertThat(ids).as("rule: %s sees the transactions of their own %s, newest first", viewer, id)
                            .containsExactlyElementsOf(world.seededWalletTransactions.get(viewer).get(id).stream()
                                    .map(dev.billingportal.core.wallets.WalletTransaction::id).toList());
                } else {
                    assertThat(own.status()).as("rule: %s tops up their own %s: %s", viewer, id, own.bodyAsString())
                            .isEqualTo(201);
                    run.assertNoForeignData(viewer, own);
                    assertThat(json(own).get("wallet_transaction").get("wallet_id").asText()).isEqualTo(id);
                    assertThat(world.wallets.allTransactions(viewer.scope(), id)).as("the top-up is in %s's %s", viewer, id)
                            .hasSize(world.seededWalletTransactions.get(viewer).get(id).size() + 1);
                }
                assertWalletsOfOthersUntouched(viewer, route);
                world.restoreWallets();
            }
        } finally {
            world.restoreWallets();
        }
    }

    /** A wallet's cursor is good in its own session only: never in another session of the same wallet id. */
    void walletCursorsStayWithTheirSession(Who viewer) throws Exception {
        String token = run.token(viewer);
        for (String id : world.seededWallets.get(viewer).keySet()) {
            JsonNode first = run.ok(run.api("/wallets/" + id + "/transactions", "limit=1", token), viewer);
            String cursor = first.get("next_cursor").asText();
            JsonNode second = run.ok(run.api("/wallets/" + id + "/transactions", "limit=1&cursor=" + cursor, token), viewer);
            assertThat(second.get("wallet_transactions").get(0).get("id").asText())
                    .isEqualTo(world.seededWalletTransactions.get(viewer).get(id).get(1).id());
            PortalResponse garbage = run.api("/wallets/" + id + "/transactions", "limit=1&cursor=" + tamper(cursor), token);
            assertThat(garbage.status()).as("rule: a tampered wallet cursor is a 400").isEqualTo(400);
            assertThat(json(garbage).get("code").asText()).isEqualTo("invalid_cursor");
            for (Who other : viewer.others()) {
                if (world.seededWallets.get(other).containsKey(id)) {
                    // the same wallet id in another tenant or customer: the cursor does not carry over
                    PortalResponse refused = run.api("/wallets/" + id + "/transactions", "limit=1&cursor=" + cursor,
                            run.token(other));
                    assertSameResponse(refused, run.api("/wallets/" + id + "/transactions", "limit=1&cursor="
                            + tamper(cursor), run.token(other)), "rule: " + viewer + "'s cursor of " + id + " for " + other);
                }
            }
            for (String otherWallet : world.seededWallets.get(viewer).keySet()) {
                if (!otherWallet.equals(id)) {
                    PortalResponse refused = run.api("/wallets/" + otherWallet + "/transactions", "cursor=" + cursor, token);
                    assertThat(refused.status()).as("rule: a cursor of %s is refused on %s", id, otherWallet).isEqualTo(400);
                }
            }
        }
    }

    /** One {@code Idempotency-Key} used by two customers tops up each one's own wallet, never replays across. */
    void topUpKeyStaysWithItsCustomer(Who viewer) throws Exception {
        String key = "isolation-top-up-" + viewer.ordinal() + "-" + run.mode().ordinal() + "-" + run.nextWindow();
        String id = viewer == Who.B ? "wal-shared-b" : "wal-shared-1";
        try {
            PortalResponse first = walletCall("POST /wallets/{id}/top_up", id, run.token(viewer), key);
            assertThat(first.status()).as(first.bodyAsString()).isEqualTo(201);
            for (Who other : viewer.others()) {
                if (!world.seededWallets.get(other).containsKey(id)) {
                    continue;
                }
                PortalResponse theirs = walletCall("POST /wallets/{id}/top_up", id, run.token(other), key);
                assertThat(theirs.status()).as(theirs.bodyAsString()).isEqualTo(201);
                assertThat(theirs.header("Idempotent-Replayed")).as("rule: a key never replays across customers").isEmpty();
                assertThat(world.wallets.allTransactions(other.scope(), id)).as("rule: %s's own top-up", other)
                        .hasSize(world.seededWalletTransactions.get(other).get(id).size() + 1);
            }
            PortalResponse again = walletCall("POST /wallets/{id}/top_up", id, run.token(viewer), key);
            assertThat(again.header("Idempotent-Replayed")).as("the viewer's own retry").contains("true");
            assertThat(world.wallets.allTransactions(viewer.scope(), id)).as("rule: one top-up per key")
                    .hasSize(world.seededWalletTransactions.get(viewer).get(id).size() + 1);
        } finally {
            world.restoreWallets();
        }
    }

    private PortalResponse walletCall(String route, String id, String token, String key) {
        return switch (route) {
            case "GET /wallets/{id}/transactions" -> run.api("/wallets/" + id + "/transactions", null, token);
            case "POST /wallets/{id}/top_up" -> world.write(run.mode(), "POST", PortalApi.DEFAULT_BASE_PATH + "/wallets/" + id
                    + "/top_up", "{\"credits\":\"12.50\"}", key, token);
            default -> throw new IllegalArgumentException(route);
        };
    }

    void assertWalletsOfOthersUntouched(Who viewer, String route) {
        for (Who other : viewer.others()) {
            for (var seeded : world.seededWallets.get(other).values()) {
                assertThat(world.wallets.wallet(other.scope(), seeded.id())).as(
                        "rule: %s by %s leaves %s's %s as it was", route, viewer, other, seeded.id()).contains(seeded);
                assertThat(world.wallets.allTransactions(other.scope(), seeded.id()))
                        .as("rule: %s by %s adds nothing to %s's %s", route, viewer, other, seeded.id())
                        .containsExactlyInAnyOrderElementsOf(world.seededWalletTransactions.get(other).get(seeded.id()));
            }
        }
    }
}
