package dev.billingportal.core.usage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.api.ApiCall;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.Route;
import dev.billingportal.core.api.RouteContributor;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.api.internal.Params;
import dev.billingportal.core.internal.ApiJson;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * The usage routes: {@code GET /usage} ({@code {"usage":[...]}}, one entry per active subscription) and
 * {@code GET /usage/history?subscription_id=&periods=1..24}
 * ({@code {"subscription_id":...,"periods":[...]}}, newest first). See {@link UsageService}.
 */
public final class UsageRoutes implements RouteContributor {
    private static final String FEATURE = "usage";

    /** The routes, for {@code PortalApi}'s table. */
    public UsageRoutes() {
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/usage", FEATURE, UsageRoutes::current),
                Route.get("/usage/history", FEATURE, UsageRoutes::history));
    }

    private static PortalResponse current(ApiCall call) {
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        root.set("usage", currentJson(call, call.locale()));
        return Http.json(200, root);
    }

    /**
     * The current period's usage of the session customer's subscriptions as {@code GET /usage} lists it (for
     * {@code GET /bootstrap} too).
     *
     * @param call   the call (its session)
     * @param locale the language of the formatted values
     * @return the JSON array
     * @throws dev.billingportal.core.PortalException as {@link UsageService#current}
     */
    public static ArrayNode currentJson(ApiCall call, Locale locale) {
        ZoneId zone = call.context().customer().timezone();
        ArrayNode list = ApiJson.MAPPER.createArrayNode();
        for (UsageSummary s : call.portal().usage().current(call.context())) {
            list.add(UsageJson.summary(s, zone, locale));
        }
        return list;
    }

    private static PortalResponse history(ApiCall call) {
        Locale locale = call.locale();
        ZoneId zone = call.context().customer().timezone();
        String subscriptionId = Params.first(call.params(), "subscription_id");
        if (subscriptionId == null || subscriptionId.isEmpty()) {
            throw PortalException.invalid("subscription_id", "required");
        }
        int periods = periods(Params.first(call.params(), "periods"));
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        root.put("subscription_id", subscriptionId);
        ArrayNode list = root.putArray("periods");
        for (UsagePeriod p : call.portal().usage().history(call.context(), subscriptionId, periods)) {
            list.add(UsageJson.period(p, zone, locale));
        }
        return Http.json(200, root);
    }

    private static int periods(String text) {
        if (text == null) {
            return UsageService.DEFAULT_PERIODS;
        }
        if (!text.matches("[0-9]{1,2}")) {
            throw PortalException.invalid("periods", "must be " + UsageService.MIN_PERIODS + " to "
                    + UsageService.MAX_PERIODS);
        }
        return Integer.parseInt(text);
    }
}
