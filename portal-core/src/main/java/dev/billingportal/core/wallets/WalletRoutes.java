package dev.billingportal.core.wallets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.api.ApiCall;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.Route;
import dev.billingportal.core.api.RouteContributor;
import dev.billingportal.core.api.internal.BodyFields;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.api.internal.IdempotencyGate;
import dev.billingportal.core.api.internal.Params;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Ids;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The wallet routes: {@code GET /wallets} ({@code {"wallets":[...]}}), {@code GET
 * /wallets/{id}/transactions?limit=&cursor=} ({@code {"wallet_transactions":[...],"next_cursor":...}}, newest
 * first) and {@code POST /wallets/{id}/top_up {"credits":"50.00"}} ({@code 201
 * {"wallet_transaction":{...},"payment":{...}|null}}). Credits must be a JSON string: a JSON number is refused
 * ({@code must be a string}), so no amount passes through floating point. See {@link WalletService}.
 */
public final class WalletRoutes implements RouteContributor {
    private static final String FEATURE = "wallets";

    /** The routes, for {@code PortalApi}'s table. */
    public WalletRoutes() {
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/wallets", FEATURE, WalletRoutes::list),
                Route.get("/wallets/{id}/transactions", FEATURE, WalletRoutes::transactions),
                Route.write("POST", "/wallets/{id}/top_up", FEATURE, WalletRoutes::topUp));
    }

    private static PortalResponse list(ApiCall call) {
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        root.set("wallets", listJson(call, call.locale()));
        return Http.json(200, root);
    }

    /**
     * The session customer's wallets as {@code GET /wallets} lists them (for {@code GET /bootstrap} too).
     *
     * @param call   the call (its session)
     * @param locale the language of the formatted values
     * @return the JSON array
     * @throws dev.billingportal.core.PortalException as {@link WalletService#wallets}
     */
    public static ArrayNode listJson(ApiCall call, Locale locale) {
        ZoneId zone = call.context().customer().timezone();
        WalletService service = call.portal().wallets();
        ArrayNode list = ApiJson.MAPPER.createArrayNode();
        for (Wallet w : service.wallets(call.context())) {
            list.add(WalletJson.wallet(w, service.topUpLimits(call.context(), w), zone, locale));
        }
        return list;
    }

    private static PortalResponse transactions(ApiCall call) {
        Locale locale = call.locale();
        ZoneId zone = call.context().customer().timezone();
        int limit = limit(Params.first(call.params(), "limit"));
        String cursor = Params.first(call.params(), "cursor");
        WalletTransactionPage page = call.portal().wallets().transactions(call.context(), call.id(), limit,
                cursor == null || cursor.isEmpty() ? null : cursor);
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("wallet_transactions");
        page.transactions().forEach(t -> list.add(WalletJson.transaction(t, zone, locale)));
        root.put("next_cursor", page.nextCursor());
        return Http.json(200, root);
    }

    private static PortalResponse topUp(ApiCall call) {
        Locale locale = call.locale();
        ZoneId zone = call.context().customer().timezone();
        BodyFields body = BodyFields.of(call.body(), Set.of("credits"));
        String credits = body.string("credits", Credits.MAX_LENGTH);
        if (credits == null && !body.has("credits")) {
            body.problem("credits", "required");
        }
        body.done();
        TopUpResult result = call.portal().wallets().topUp(call.context(), call.id(), credits,
                requestId(call, credits));
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        root.set("wallet_transaction", WalletJson.transaction(result.transaction(), zone, locale));
        if (result.payment() == null) {
            root.putNull("payment");
        } else {
            root.set("payment", WalletJson.payment(result.payment(), locale));
        }
        return Http.json(201, root);
    }

    /**
     * The same for every retry with one key, customer, wallet and amount (the idempotency gate already refuses
     * another amount under a key it remembers; one it forgot after a failure still gets another id); fresh without
     * a key.
     */
    private static String requestId(ApiCall call, String credits) {
        Optional<String> key = IdempotencyGate.key(call.request());
        if (key.isEmpty()) {
            return "topup_" + Ids.random();
        }
        String scoped = call.context().scope().tenantId() + '\u0000' + call.context().scope().customerId() + '\u0000'
                + call.id() + '\u0000' + credits + '\u0000' + key.get();
        return "topup_" + Http.sha256Hex(scoped.getBytes(StandardCharsets.UTF_8)).substring(0, 40);
    }

    private static int limit(String text) {
        if (text == null) {
            return WalletService.DEFAULT_LIMIT;
        }
        if (!text.matches("[0-9]{1,3}")) {
            throw PortalException.invalid("limit", "must be 1 to " + WalletService.MAX_LIMIT);
        }
        return Integer.parseInt(text);
    }
}
